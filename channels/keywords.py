"""What an SMS asks for: help, a status, a follow-up, a rating, STOP, START, or a new report.

Anything that looks like a command is read as one, however it is typed, so that a mistyped
STATUS never lands in a panel's queue; only text that is not a command becomes a report.
Commands are read from the text as channels.normalised undresses it, whatever a font, an
emoji or copy-paste put in and around its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from channels.normalised import normalised
from channels.references import (
    COURTESY,
    LONE_REFERENCE_CHARS,
    PUNCTUATION,
    REF_AT_START,
    REFERENCE_WORDS,
    bare,
    canonical,
    looks_like_reference,
    only,
    past_lead_in,
    reference_after,
    reference_at,
    reference_typed_in,
    typed_reference,
    without,
)
from channels.references import wordless as wordless
from channels.scores import OUT_OF_FIVE, lone_score, score_in, score_of, stars_in, unscorable
from channels.slips import ANY_SLIP_LETTERS, meant, slipped
from channels.status_words import (
    AROUND_A_QUESTION,
    ASKING,
    ASKING_STEMS,
    FORGETTING,
    GREETINGS,
    NEWS,
    NEWS_STEMS,
    REPORT_STEMS,
    STATUS_QUESTION_WORDS,
    THE_REPORT,
    THEIR_OWN,
    THEIR_OWN_ENDINGS,
)
from channels.stopping import START_WORDS, STOP_WORDS, stop_mistyped, stop_or_start
from channels.stopping import Start as Start
from channels.stopping import Stop as Stop
from channels.thanks_words import ASSENT, GRATITUDE, THANKS_SAID, THANKS_WORDS, THE_HELP


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
    `typed` is "" when none was typed: then it asks of the number's latest report. `language`
    is None when no word said which (a reference sent alone, "ref?")."""

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
    """`language` is None when no word said which: a score with no keyword ("4.5", "10/10")."""

    ref: str | None
    score: int | None
    language: str | None


@dataclass(frozen=True)
class Thanks:
    """Thanks or assent and nothing more, perhaps with a score ("asante sana", "ok", "5",
    "poa sana 5"): said of the report the number last heard about, and no report itself.
    `language` is None when the words name none ("ok", "5")."""

    score: int | None
    language: str | None


Command = NewReport | Empty | Help | Status | FollowUp | Rate | Stop | Start | Thanks

HELP_WORDS = {"HELP": "en", "INFO": "en", "MSAADA": "sw", "CAAWI": "so", "CAAWIMO": "so"}
STATUS_WORDS = {"STATUS": "en", "HALI": "sw", "XAALAD": "so"}
RATE_WORDS = {"RATE": "en", "RATING": "en", "KADIRIA": "sw", "QIIMEE": "so"}
KEYWORDS = frozenset({*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS, *STOP_WORDS, *START_WORDS})
KEYWORD_GLUED = re.compile(r"^([A-Za-z]+)[:#=,-]+(\S+)$")
# A reference, dash and all, with a word typed onto it: "K7F-3QXwalikuja".
REF_BEFORE_WORD = re.compile(r"^([A-Za-z0-9]{3}-[A-Za-z0-9]{3})(?=[^\W\d_]{2})")
# What STATUS alone may be followed by and still only ask ("STATUS ABC"): a code that is no
# reference. After HALI it may be a word of a report ("HALI TETE"): HALI is everyday Kiswahili.
MISTYPED_CODE_CHARS = range(2, 11)
# A reference typed alone in groups ("4N 3H 5V", "K7-F3-QX"): what may stand between its groups,
# and the most characters a group may have.
BETWEEN_GROUPS = re.compile(r"[\s\-_/.*\\]+")
GROUP_CHARS = 4
# The Somali stems that ask a status, as one argument for str.startswith.
STEMS = tuple(ASKING_STEMS)
# Keywords read through a slip of the finger (channels.slips) when they stand alone or a valid
# reference follows them: STOP is never among them, so that no typo erases a number.
MISTYPED_KEYWORDS = (*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS)
# Before a valid reference, HALI is read through any slip too ("HALII K7F-3QX", "HALY K7F-3QX");
# RATE is not: "RAPE K7F-3QX" is what happened, added to that report, never a rating.
SHORT_BEFORE_REFERENCE = [word for word in STATUS_WORDS if len(word) < ANY_SLIP_LETTERS]


def parse_command(body: str) -> Command:
    """Read a resident's SMS. Keywords are case-insensitive, in English, Kiswahili and Somali.
    A keyword followed by words that are no reference ("Hali ni mbaya sana...") is an ordinary
    report: it is never lost."""
    text = _unglued(normalised(body))
    if wordless(text):
        return thanks(text) or Empty()
    words = _split_glued_keyword(text.split())
    if (switched := stop_or_start(words)) is not None:
        return switched
    if (stop_language := stop_mistyped(words)) is not None:
        return Help(stop_language)
    first = meant_keyword(bare(words[0]), words[1:])
    rest = words[1:]
    if first in HELP_WORDS and only(rest, set()):
        return Help(HELP_WORDS[first])
    if first in STATUS_WORDS and (status := _status(text, rest, STATUS_WORDS[first])) is not None:
        return status
    if first in RATE_WORDS and (rate := _rate(text, rest, RATE_WORDS[first])) is not None:
        return rate
    question = status_question(text)
    return (
        _about_a_reference(text, question)
        or thanks(text)
        or _score_of_no_use(text)
        or (question and question.of_latest_report())
        or _code_after_status(first, rest)
        or NewReport(body.strip())
    )


def reference_typed(text: str) -> str | None:
    """The valid reference in what was typed where one belongs, however it is wrapped
    ("K7F-3QX.", "ref k7f 3qx", "STATUS K7F-3QX"); None when there is none."""
    return reference_after(text, STATUS_WORDS.keys())


def meant_keyword(first: str, rest: list[str]) -> str:
    """The keyword a mistyped first word was meant to be ("STATSU", "MSADA", "HLEP", "HALII"
    before a reference), when it stands alone or a valid reference follows it; otherwise the
    word as typed."""
    if first in KEYWORDS:
        return first
    before_reference = bool(rest) and reference_at(rest)[0] is not None
    if rest and not before_reference:
        return first
    close = meant(first, MISTYPED_KEYWORDS)
    if close is None and before_reference:
        close = next((word for word in SHORT_BEFORE_REFERENCE if slipped(first, word)), None)
    return close or first


@dataclass(frozen=True)
class StatusQuestion:
    """A short message that says nothing but a status question: what it typed for a reference
    ("" for none), the language of its first word that asks (None for none), its words as
    compared with those that ask, and whether it has a question mark."""

    typed: str
    language: str | None
    words: list[str]
    marked: bool

    def of_reference(self) -> Status | None:
        """The status of the reference it names, asked ("Any update on K7F-3QX?", "Nataka
        kujua hali ya K7F-3QX")."""
        if not self.typed or not (self.language or self.marked):
            return None
        return Status(canonical(self.typed), self.typed, self.language)

    def of_latest_report(self) -> Status | None:
        """With no reference, the status of the number's latest report: news asked for ("Any
        update?", "Je kuna habari?", "Niaje, kuna news?"), or their report or its reference named
        and asked after ("mko wapi na kesi yangu", "what is my ref number", "ref?", "nimesahau
        namba ya ripoti"). None for a greeting alone ("Habari")."""
        asking = self.language is not None or self.marked
        if self.typed or not (_asks_for_news(self.words) or _asks_after_their_report(self.words, asking)):
            return None
        return Status(None, "", self.language)


def status_question(text: str) -> StatusQuestion | None:
    """A short message read as a status question ("Any update on K7F-3QX?", "mko wapi na kesi
    yangu"); None when it says anything besides ("Kuna habari polisi wamemshika kijana"): that
    is kept, on the report or as one."""
    words = [word for word in text.split() if not wordless(word)]
    if len(words) > STATUS_QUESTION_WORDS:
        return None
    plain = [_plain(word) for word in words]
    asking = [_asking_language(word) for word in plain]
    said = [
        word
        for word, compared, language in zip(words, plain, asking, strict=True)
        if language is None and compared not in AROUND_A_QUESTION
    ]
    typed = typed_reference(said)
    if typed is None:
        return None
    languages = [language for language in asking if language]
    return StatusQuestion(typed, languages[0] if languages else None, plain, "?" in text)


def _asks_for_news(words: list[str]) -> bool:
    """A word asking for news, with more than greetings: "Habari" greets, "Kuna habari?" asks."""
    asked = any(word in NEWS or word.startswith(NEWS_STEMS) for word in words)
    return asked and not all(word in GREETINGS | COURTESY for word in words)


def _asks_after_their_report(words: list[str], asking: bool) -> bool:
    """Their report or its reference named as theirs ("my case", "kesi yangu", "warbixintaydii"),
    forgotten, or named alone ("ref?"), and asked after."""
    named = [word for word in words if word in THE_REPORT or word.startswith(REPORT_STEMS)]
    owned = any(word in THEIR_OWN or word in FORGETTING or word.endswith(THEIR_OWN_ENDINGS) for word in words)
    return bool(named) and (owned or len(named) == len(words)) and asking


def _asking_language(plain: str) -> str | None:
    if (language := ASKING.get(plain)) or not plain.startswith(STEMS):
        return language
    return next(language for stem, language in ASKING_STEMS.items() if plain.startswith(stem))


def _plain(word: str) -> str:
    """The word as compared with those above: "what's" is WHATS."""
    return bare(word).replace("'", "").replace("\u2019", "")


def _status(text: str, args: list[str], language: str) -> Status | FollowUp | None:
    """A status request; with more to say after a valid reference, what was said is added to
    that report instead of being lost. A letter or two typed after the reference is a slip
    ("STATUS 7EV AW4 X", "STATUS K7F-3QX 5"): the reference's status is asked, nothing kept."""
    ref, used = reference_at(args)
    if ref is not None and (only(args[used:], AROUND_A_QUESTION | ASKING.keys()) or _stray(args[used:])):
        return Status(ref, _typed_words(args, used), language)
    if ref is not None:
        return FollowUp(ref, text)
    typed = typed_reference(args)
    return None if typed is None else Status(canonical(typed), typed, language)


def _code_after_status(first: str, rest: list[str]) -> Status | None:
    """STATUS and one code that no reference can be ("STATUS ABC", "STATUS K7F"): a reference
    mistyped, answered as an unknown one. Only after STATUS, which no report begins with alone."""
    if first != "STATUS" or len(rest) != 1:
        return None
    typed = rest[0].strip(PUNCTUATION)
    readable = typed.isascii() and typed.isalnum() and len(typed) in MISTYPED_CODE_CHARS
    return Status(None, typed, STATUS_WORDS[first]) if readable else None


def _stray(words: list[str]) -> bool:
    """One or two letters or digits alone: a slip of the finger, not something to add."""
    return len(words) == 1 and bare(words[0]).isalnum() and len(bare(words[0])) <= 2


def _rate(text: str, args: list[str], language: str) -> Rate | FollowUp | None:
    """RATE with a reference and a score however it is written ("5", "5/5", "five", "tano",
    "4 thanks", "poa sana 5"); with more to say and no score, what was said is added to that
    report. None when what follows the keyword is not about a reference."""
    args = re.split(r"[\s,=]+", " ".join(args).strip())
    if args == [""]:
        return Rate(None, None, language)
    ref, used = reference_at(args)
    if ref is not None:
        said = args[used:]
        score = score_in(" ".join(said)) or lone_score(" ".join(said))
        if score is None and len(without(said, COURTESY)) > 1:
            return FollowUp(ref, text)
        return Rate(ref, score, language)
    if (typed := typed_reference(args[:-1])) and score_in(args[-1]) is not None:
        return Rate(canonical(typed), score_in(args[-1]), language)
    if (typed := typed_reference(args)) is not None:
        return Rate(canonical(typed), None, language)
    score = score_in(" ".join(args))
    return Rate(None, score, language) if score is not None and len(args) <= 2 else None


def _score_of_no_use(text: str) -> Rate | None:
    """A score alone that is none from 1 to 5 ("4.5", "10/10"): how to rate is told."""
    return Rate(None, None, None) if unscorable(text) else None


def thanks(text: str) -> Thanks | None:
    """Thanks or assent with nothing more said, and at most one score ("asante sana", "ok
    thanks", "5 stars", "poa sana 5"); None for anything that says more ("thanks, but they came
    back", "ok help")."""
    words = [_plain(word) for word in re.split(r"[\s,]+", OUT_OF_FIVE.sub(" ", text)) if not wordless(word)]
    stars = stars_in(text)
    if not (words or stars) or len(words) > THANKS_WORDS:
        return None
    said = THANKS_SAID | (THE_HELP if any(word in GRATITUDE for word in words) else set())
    heads = [word for word in words if word in GRATITUDE or word in ASSENT]
    rest = [word for word in words if word not in GRATITUDE and word not in ASSENT and word not in said]
    score = score_of(rest[0]) if len(rest) == 1 else None if rest else stars
    if score is None and (rest or not heads):
        return None
    languages = [language for word in heads if (language := GRATITUDE.get(word) or ASSENT.get(word))]
    return Thanks(score, languages[0] if languages else None)


def _about_a_reference(text: str, question: StatusQuestion | None) -> Status | FollowUp | Rate | None:
    """A reference alone or in a status question is a status request; followed by text, a
    follow-up to that report, with words such as "Re:", "Namba" or "This is about" before it."""
    unrated = stars_in(text) is None
    if unrated and looks_like_reference(text):
        return Status(canonical(reference_typed_in(text)), text, None)
    if unrated and (grouped := _reference_in_groups(text)) is not None:
        return Status(grouped, text, None)
    if question is not None and (asked := question.of_reference()) is not None:
        return asked
    for start in (past_lead_in(text), text):
        if start is not None and (command := _reference_then(start)) is not None:
            return command
    return None


def _reference_in_groups(text: str) -> str | None:
    """The stored form of a valid reference typed alone in short groups of letters and digits
    ("4N 3H 5V", "Ref: K7 F3 QX"); None for anything else, which stays what it is."""
    groups = BETWEEN_GROUPS.split(reference_typed_in(text))
    if len(text) > LONE_REFERENCE_CHARS or len(groups) < 2:
        return None
    short = all(group.isascii() and group.isalnum() and len(group) <= GROUP_CHARS for group in groups)
    return canonical("".join(groups)) if short else None


def _reference_then(text: str) -> Status | FollowUp | Rate | None:
    """A reference followed by nothing, punctuation or a status keyword asks for the status;
    followed by a score that is none from 1 to 5 ("K7F-3QX 4.5"), how to rate; followed by
    text, it is a follow-up to that report, a rating when the text is a score."""
    match = REF_AT_START.match(text.lstrip(PUNCTUATION))
    if not match or (ref := canonical(match.group(1))) is None:
        return None
    rest = match.group(2).strip()
    asked = bare(rest.split()[0]) if rest else ""
    score = lone_score(rest)
    if score is None and (wordless(rest) or (asked in STATUS_WORDS and only(rest.split()[1:], COURTESY))):
        return Status(ref, match.group(1), STATUS_WORDS.get(asked))
    if unscorable(rest):
        return Rate(ref, None, None)
    return FollowUp(ref, rest, score)


def _typed_words(words: list[str], used: int) -> str:
    return " ".join(without(words[:used], REFERENCE_WORDS)).strip(PUNCTUATION)


def _unglued(text: str) -> str:
    """A keyword and a reference typed as one word ("hali2BX6RY", "STATUSK7F3QX"), or a
    reference and the word after it ("K7F-3QXwalikuja"), as two words."""
    first, _, rest = text.partition(" ")
    keyword = next((word for word in (*STATUS_WORDS, *RATE_WORDS) if first.upper().startswith(word)), "")
    if keyword and canonical(first[len(keyword) :]):
        return f"{first[: len(keyword)]} {first[len(keyword) :]} {rest}".strip()
    glued = REF_BEFORE_WORD.match(text)
    if glued and canonical(glued.group(1)):
        return f"{glued.group(1)} {text[glued.end(1) :]}"
    return text


def _split_glued_keyword(words: list[str]) -> list[str]:
    """ "STATUS:K7F-3QX", "HALI#K7F3QX", "RATE-K7F3QX" as two words."""
    glued = KEYWORD_GLUED.match(words[0])
    if glued and glued.group(1).upper() in (*STATUS_WORDS, *RATE_WORDS):
        return [glued.group(1), glued.group(2), *words[1:]]
    return words
