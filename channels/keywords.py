"""What an SMS asks for: help, a status, a follow-up, a rating, STOP, or a new report.

Anything that looks like a command is read as one, however it is typed, so that a mistyped
STATUS never lands in a panel's queue; only text that is not a command becomes a report."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from storage.intake.identity import canonical_reference


@dataclass(frozen=True)
class NewReport:
    text: str


@dataclass(frozen=True)
class Empty:
    """A message with no words in it: only spaces, punctuation or emoji."""


@dataclass(frozen=True)
class Help:
    language: str


@dataclass(frozen=True)
class Status:
    """`ref` is the reference in its stored form, None when what was typed cannot be one;
    `language` is None when no keyword said which (a reference sent alone)."""

    ref: str | None
    typed: str
    language: str | None


@dataclass(frozen=True)
class FollowUp:
    """`score` is set when the text is a score and nothing else ("K7F-3QX 5"): a rating, once
    the panel has answered, as the closing SMS asks for one."""

    ref: str
    text: str
    score: int | None = None


@dataclass(frozen=True)
class Rate:
    ref: str | None
    score: int | None
    language: str


@dataclass(frozen=True)
class Stop:
    language: str


Command = NewReport | Empty | Help | Status | FollowUp | Rate | Stop

HELP_WORDS = {"HELP": "en", "INFO": "en", "MSAADA": "sw", "CAAWI": "so", "CAAWIMO": "so"}
STATUS_WORDS = {"STATUS": "en", "HALI": "sw", "XAALAD": "so"}
RATE_WORDS = {"RATE": "en", "KADIRIA": "sw", "QIIMEE": "so"}
STOP_WORDS = {"STOP": "en", "ACHA": "sw", "UNSUBSCRIBE": "en", "STOPALL": "en", "JOOJI": "so"}
# Words said around a command that change nothing it asks: "STOP please", "HALI ya ripoti
# yangu", "Ref: K7F-3QX", "STATUS of my report pls".
COURTESY = {"PLEASE", "PLS", "PLZ", "PLIZ", "TAFADHALI", "THANKS", "THANK", "YOU", "ASANTE", "NOW", "SASA"}
REFERENCE_WORDS = {
    *("OF", "MY", "THE", "FOR", "ON", "REF", "REFERENCE", "CODE", "NO", "NUMBER", "REPORT"),
    *("YA", "LA", "WA", "YANGU", "NAMBA", "NAMBARI", "RIPOTI", "KUMBUKUMBU"),
}
SAUTI = {"SAUTI"}
KEYWORDS = frozenset({*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS, *STOP_WORDS})
# The longest message read as a reference alone, however wrapped ("Ref: K7F-3QX please").
LONE_REFERENCE_CHARS = 32
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")
# The dashes phones and copy-paste put where a reference has its hyphen.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
PUNCTUATION = ".,:;!?#\"'()[]{}<>*=/"
KEYWORD_GLUED = re.compile(r"^([A-Za-z]+)[:#=,-]+(\S+)$")
REF_AT_START = re.compile(r"^\s*([A-Za-z0-9]{3}\s?-?\s?[A-Za-z0-9]{3})\b[\s:;,.)\]-]*(.*)$", re.DOTALL)
# A score as people write it after the reference: "5", "5/5", "5 out of 5", "five", "tano".
SCORE = re.compile(r"^[\s:=,.-]*(\d+|[A-Za-z]+)\b(?:\s*(?:/|out of|kati ya)\s*5\b)?", re.IGNORECASE)
SCORE_WORDS = {
    **{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5},
    **{"MOJA": 1, "MBILI": 2, "TATU": 3, "NNE": 4, "TANO": 5},
    **{"KOW": 1, "LABA": 2, "SADDEX": 3, "AFAR": 4, "SHAN": 5},
}
SCORES = range(1, 6)
# How long a typed reference may be (letters and digits, without spaces and dashes) and still
# be read as one: a code with a letter too many or too few is a mistyped code, not a report.
TYPED_REFERENCE_CHARS = range(4, 9)
# Keywords long enough that one letter wrong, missing, extra or swapped still names them and no
# other word: STOP is never among them, so that no typo erases a number.
MISTYPED_KEYWORDS = [word for word in (*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS) if len(word) >= 5]
# With a valid reference after it, a first word this close to any keyword but STOP means it
# ("HALII K7F-3QX", "HALY K7F-3QX"): no report begins with a word and a code and nothing else.
MEANT_BEFORE_REFERENCE = 0.7


def parse_command(body: str) -> Command:
    """Read a resident's SMS. Keywords are case-insensitive, in English, Kiswahili and Somali.
    A keyword followed by words that are no reference ("Hali ni mbaya sana...") is an ordinary
    report: it is never lost."""
    text = body.strip().translate(DASHES)
    if wordless(text):
        return Empty()
    words = _split_glued_keyword(text.split())
    first = meant_keyword(_bare(words[0]), words[1:])
    rest = words[1:]
    if first in STOP_WORDS and _only(rest, STOP_WORDS.keys() | COURTESY | SAUTI):
        return Stop(STOP_WORDS[first])
    if first in HELP_WORDS and _only(rest, set()):
        return Help(HELP_WORDS[first])
    if first in STATUS_WORDS and (status := _status(text, rest, STATUS_WORDS[first])) is not None:
        return status
    if first in RATE_WORDS and (rate := _rate(text, rest, RATE_WORDS[first])) is not None:
        return rate
    return _about_a_reference(text) or NewReport(body.strip())


def wordless(text: str) -> bool:
    """No letter or digit at all: spaces, punctuation, emoji."""
    return _LETTER_OR_DIGIT.search(text) is None


def meant_keyword(first: str, rest: list[str]) -> str:
    """The keyword a mistyped first word was meant to be ("STATSU", "MSADA", "HALII" before a
    reference), when it stands alone or a valid reference follows it; otherwise the word as typed."""
    if first in KEYWORDS:
        return first
    before_reference = bool(rest) and _reference_at(rest)[0] is not None
    if rest and not before_reference:
        return first
    close = difflib.get_close_matches(first, MISTYPED_KEYWORDS, n=1, cutoff=0.8)
    if not close and before_reference:
        short = [word for word in (*STATUS_WORDS, *RATE_WORDS) if word not in MISTYPED_KEYWORDS]
        close = difflib.get_close_matches(first, short, n=1, cutoff=MEANT_BEFORE_REFERENCE)
    return close[0] if close else first


def typed_reference(words: list[str]) -> str | None:
    """What was typed where a reference belongs, if it can be read as one, a mistyped one
    included (a code with a digit or a dash; "" when nothing was typed); None when these are
    ordinary words. Words such as "ref", "ya" or "please" around it are not part of it."""
    words = _without(words, REFERENCE_WORDS | COURTESY)
    if len(words) > 2 or (len(words) == 2 and not all(2 <= len(_bare(word)) <= 4 for word in words)):
        return None
    typed = " ".join(words).strip(PUNCTUATION)
    compact = re.sub(r"[\s-]", "", typed)
    if not typed:
        return ""
    if not compact.isalnum() or len(compact) not in TYPED_REFERENCE_CHARS:
        return None
    return typed if any(char.isdigit() for char in compact) or "-" in typed else None


def reference_typed(text: str) -> str | None:
    """The valid reference in what was typed where one belongs, however it is wrapped
    ("K7F-3QX.", "ref k7f 3qx", "STATUS K7F-3QX"); None when there is none."""
    words = text.translate(DASHES).split()
    if words and _bare(words[0]) in STATUS_WORDS:
        words = words[1:]
    ref, used = _reference_at(words)
    return ref if _only(words[used:], REFERENCE_WORDS | COURTESY) else None


def looks_like_reference(text: str) -> bool:
    """A message that is a reference and nothing else, however it is wrapped ("(K7F-3QX)",
    "Ref: K7F-3QX", "K7F-3QX?"): a valid code, or three and three characters with a dash or
    with letters and digits mixed."""
    if len(text) > LONE_REFERENCE_CHARS:
        return False
    typed = _reference_typed_in(text)
    if not re.fullmatch(r"[A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3}", typed):
        return False
    compact = re.sub(r"[\s-]", "", typed)
    mixed = any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)
    return canonical_reference(typed) is not None or "-" in typed or mixed


def _status(text: str, args: list[str], language: str) -> Status | FollowUp | None:
    """A status request; with more to say after a valid reference, what was said is added to
    that report instead of being lost."""
    ref, used = _reference_at(args)
    if ref is not None and not _only(args[used:], REFERENCE_WORDS | COURTESY):
        return FollowUp(ref, text)
    if ref is not None:
        return Status(ref, _typed_words(args, used), language)
    typed = typed_reference(args)
    return None if typed is None else Status(canonical_reference(typed), typed, language)


def _rate(text: str, args: list[str], language: str) -> Rate | FollowUp | None:
    """RATE with a reference and a score however it is written ("5", "5/5", "five", "tano",
    "4 thanks"); with more to say and no score, what was said is added to that report. None
    when what follows the keyword is not about a reference."""
    args = re.split(r"[\s,=]+", " ".join(args).strip())
    if args == [""]:
        return Rate(None, None, language)
    ref, used = _reference_at(args)
    if ref is not None:
        said, score = args[used:], score_in(" ".join(args[used:]))
        if score is None and len(_without(said, COURTESY)) > 1:
            return FollowUp(ref, text)
        return Rate(ref, score, language)
    if (typed := typed_reference(args[:-1])) and score_in(args[-1]) is not None:
        return Rate(canonical_reference(typed), score_in(args[-1]), language)
    if (typed := typed_reference(args)) is not None:
        return Rate(canonical_reference(typed), None, language)
    score = score_in(" ".join(args))
    return Rate(None, score, language) if score is not None and len(args) <= 2 else None


def score_in(said: str) -> int | None:
    """The score from 1 to 5 that `said` begins with, in digits or in words; None if none."""
    match = SCORE.match(said)
    if not match:
        return None
    given = match.group(1)
    # A long run of digits is no score, and int() refuses thousands of them by raising.
    score = int(given) if given.isdecimal() and len(given) <= 2 else SCORE_WORDS.get(given.upper())
    return score if score in SCORES else None


def _lone_score(said: str) -> int | None:
    """The score when `said` is a score and nothing else but courtesy ("5", "5/5", "tano",
    "4 thanks"); None otherwise ("5 people were beaten")."""
    score = score_in(said)
    match = SCORE.match(said)
    if score is None or match is None or not _only(said[match.end() :].split(), COURTESY):
        return None
    return score


def _about_a_reference(text: str) -> Status | FollowUp | None:
    """A reference alone is a status request; followed by text, a follow-up to that report.
    A reference followed only by punctuation or a status keyword asks for the status."""
    if looks_like_reference(text):
        return Status(canonical_reference(_reference_typed_in(text)), text, None)
    match = REF_AT_START.match(text.lstrip(PUNCTUATION))
    if not match:
        return None
    ref, rest = canonical_reference(match.group(1)), match.group(2).strip()
    if ref is None or not rest:
        return None
    asked = _bare(rest.split()[0])
    if wordless(rest) or (asked in STATUS_WORDS and _only(rest.split()[1:], COURTESY)):
        return Status(ref, match.group(1), STATUS_WORDS.get(asked))
    return FollowUp(ref, rest, _lone_score(rest))


def _reference_at(words: list[str]) -> tuple[str | None, int]:
    """The valid reference among the first words, past words such as "ref" or "ya", and how
    many words it took to reach its end; (None, 0) when there is none."""
    skipped = 0
    while skipped < len(words) and _bare(words[skipped]) in REFERENCE_WORDS:
        skipped += 1
    if not _DIGIT.search(" ".join(words[skipped : skipped + 3])):
        return None, 0  # every reference has a digit
    for width in (1, 2, 3):
        typed = " ".join(words[skipped : skipped + width])
        if skipped + width <= len(words) and (ref := canonical_reference(typed.strip(PUNCTUATION))):
            return ref, skipped + width
    return None, 0


def _reference_typed_in(text: str) -> str:
    """What is left of a message for a reference once the words around it and its wrapping go."""
    words = _without(text.translate(DASHES).split(), REFERENCE_WORDS | COURTESY)
    return re.sub(r"\s*-\s*", "-", " ".join(words).strip(PUNCTUATION))


def _typed_words(words: list[str], used: int) -> str:
    return " ".join(_without(words[:used], REFERENCE_WORDS)).strip(PUNCTUATION)


def _split_glued_keyword(words: list[str]) -> list[str]:
    """ "STATUS:K7F-3QX", "HALI#K7F3QX", "RATE-K7F3QX" as two words."""
    glued = KEYWORD_GLUED.match(words[0])
    if glued and glued.group(1).upper() in (*STATUS_WORDS, *RATE_WORDS):
        return [glued.group(1), glued.group(2), *words[1:]]
    return words


def _bare(word: str) -> str:
    return word.upper().strip(PUNCTUATION)


def _without(words: list[str], ignored: set[str]) -> list[str]:
    return [word for word in words if _bare(word) not in ignored and not wordless(word)]


def _only(words: list[str], allowed: set[str] | frozenset[str]) -> bool:
    """Nothing in `words` but words from `allowed` and punctuation."""
    return all(_bare(word) in allowed or wordless(word) for word in words)
