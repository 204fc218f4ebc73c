"""What an SMS asks for: help, a status, a follow-up, a rating, STOP, or a new report.

Anything that looks like a command is read as one, however it is typed, so that a mistyped
STATUS never lands in a panel's queue; only text that is not a command becomes a report."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from channels.references import (
    COURTESY,
    DASHES,
    LEAD_IN_WORDS,
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


@dataclass(frozen=True)
class Thanks:
    """Thanks or assent and nothing more, perhaps with a score ("asante sana", "ok", "5",
    "poa sana 5"): said of the report the number last heard about, and no report itself.
    `language` is None when the words name none ("ok", "5")."""

    score: int | None
    language: str | None


Command = NewReport | Empty | Help | Status | FollowUp | Rate | Stop | Thanks

HELP_WORDS = {"HELP": "en", "INFO": "en", "MSAADA": "sw", "CAAWI": "so", "CAAWIMO": "so"}
STATUS_WORDS = {"STATUS": "en", "HALI": "sw", "XAALAD": "so"}
RATE_WORDS = {"RATE": "en", "RATING": "en", "KADIRIA": "sw", "QIIMEE": "so"}
STOP_WORDS = {
    **dict.fromkeys(("STOP", "STP", "UNSUBSCRIBE", "STOPALL", "OPTOUT"), "en"),
    **{"ACHA": "sw", "JOOJI": "so"},
}
SAUTI = {"SAUTI"}
# What may follow STOP and still only ask to stop ("Stop sending me messages", "acha kunitumia
# ujumbe"): never a word of what is being done to someone ("stop it they are beating me").
STOP_SAID = {
    *("ME", "SENDING", "SEND", "MESSAGES", "MESSAGE", "MSGS", "SMS", "TEXTS", "TEXTING", "ALL"),
    *("KUNITUMIA", "KUNITEXT", "UJUMBE", "MESEJI", "FARIIMAHA", "FARIIN"),
}
STOP_TALK = STOP_WORDS.keys() | COURTESY | SAUTI | STOP_SAID
KEYWORDS = frozenset({*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS, *STOP_WORDS})
# A status asked in ordinary words, and the language of each word that asks it: "what is the
# status of K7F-3QX", "Nataka kujua hali ya K7F-3QX", "Niaje, ripoti yangu K7F-3QX imefika wapi?"
ASKING = {
    **dict.fromkeys(("STATUS", "UPDATE", "UPDATES", "NEWS", "CHECK", "PROGRESS", "FEEDBACK"), "en"),
    **dict.fromkeys(("WHAT", "WHATS", "HOW", "WHERE", "KNOW"), "en"),
    **dict.fromkeys(("HALI", "HABARI", "TAARIFA", "IMEFIKA", "IMEFIKIA", "KUJUA", "INAENDAJE"), "sw"),
    **dict.fromkeys(("WAPI", "JE", "VIPI", "NIAJE", "IKOAJE"), "sw"),
    **dict.fromkeys(("XAALAD", "MAXAA", "SIDEE", "XAGGEE"), "so"),
}
# Somali words that ask it in any of their forms: "xaaladda", "warbixintayda".
ASKING_STEMS = {"XAALAD": "so", "WARBIXIN": "so"}
# Words said with a status question that ask nothing more.
QUESTION_SAID = {
    *("ARE", "A", "AN", "ANY", "THERE", "HAS", "HAVE", "BEEN", "CAN", "COULD", "I", "ME", "GET"),
    *("GIVE", "TELL", "WANT", "TO", "WOULD", "LIKE", "WITH", "HI", "HELLO", "HEY", "DEAR", "SIR"),
    *("KINDLY", "NEW", "CASE", "COMPLAINT", "OK", "SAWA", "NATAKA", "NINGEPENDA", "NAOMBA"),
    *("KUPATA", "GANI", "NINI", "HII", "YAKE", "IKO", "IPO", "MAMBO", "HUJAMBO", "ZA", "KESI"),
    *("MSEE", "BRO", "MAZE", "WAA", "KA", "IYO", "SOO", "MA", "SALAAN", "ASC", "TAHAY"),
}
AROUND_A_QUESTION = LEAD_IN_WORDS | COURTESY | SAUTI | QUESTION_SAID
# The longest message read as a status question: a longer one says more, and is kept.
STATUS_QUESTION_WORDS = 12
KEYWORD_GLUED = re.compile(r"^([A-Za-z]+)[:#=,-]+(\S+)$")
# A score as people write it after the reference: "5", "5/5", "5 out of 5", "five", "tano".
SCORE = re.compile(r"^[\s:=,.-]*(\d+|[A-Za-z]+)\b(?:\s*(?:/|out of|kati ya)\s*5\b)?", re.IGNORECASE)
OUT_OF_FIVE = re.compile(r"\s*(?:/|out of|kati ya)\s*5\b", re.IGNORECASE)
SCORE_WORDS = {
    **{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5},
    **{"MOJA": 1, "MBILI": 2, "TATU": 3, "NNE": 4, "TANO": 5},
    **{"KOW": 1, "LABA": 2, "SADDEX": 3, "AFAR": 4, "SHAN": 5},
}
SCORES = range(1, 6)
# Words of thanks, and the language each is in.
GRATITUDE = {
    **dict.fromkeys(("THANKS", "THANK", "THANKYOU", "THX", "THNX", "THANX", "TNX", "TNKS"), "en"),
    **dict.fromkeys(("TENKS", "TENX", "TQ", "APPRECIATED", "APPRECIATE", "GRATEFUL", "BLESS"), "en"),
    **dict.fromkeys(("ASANTE", "ASANTENI", "SANTE", "SHUKRAN", "SHUKRANI", "NASHUKURU"), "sw"),
    **dict.fromkeys(("TUNASHUKURU", "BARIKIWA", "UBARIKIWE", "MUBARIKIWE", "AKUBARIKI"), "sw"),
    **dict.fromkeys(("MAHADSANID", "MAHADSANIDIN", "MAHADSANTAHAY", "MAHADSANTIHIIN"), "so"),
}
# Words that say "understood" and nothing more; OK and its spellings name no language.
ASSENT = {
    **dict.fromkeys(("OK", "OKAY", "OKEY", "OKK", "OKAYY", "K", "NOTED", "RECEIVED"), None),
    **dict.fromkeys(("UNDERSTOOD", "NIMEELEWA", "TUMEELEWA", "NIMEPATA", "TUMEPATA"), None),
    **dict.fromkeys(("FINE", "GOOD", "GREAT", "COOL", "NICE", "ALRIGHT", "WELL", "DONE"), "en"),
    **dict.fromkeys(("SAWA", "POA", "FITI", "SAFI", "AMINA", "NZURI", "KABISA"), "sw"),
    **dict.fromkeys(("HAYE", "WAAYAHAY"), "so"),
}
# What is said around thanks and changes nothing: "thank you so much", "asante sana kwa msaada
# wenu", "God bless you", "5 stars". The help thanked for counts only beside a word of thanks:
# "ok help" may be a plea.
THANKS_SAID = {
    *("YOU", "SO", "MUCH", "VERY", "A", "LOT", "ALOT", "FOR", "THE", "YOUR", "AND", "GOD"),
    *("SIR", "MADAM", "BOSS", "DEAR", "ALL", "TEAM", "MY", "FRIEND", "INDEED", "JOB", "WORK", "I"),
    *("WE", "ARE", "IT", "IS", "STARS", "STAR", "BRO", "MSEE", "MAZE", "SANA", "NYINGI", "KWA"),
    *("MUNGU", "WOTE", "YENU", "WENU", "KAZI", "JIBU", "ANSWER", "REPLY", "RESPONSE", "SAUTI"),
    *("MAHADSANID", "ALLAH", "HA", "KUU", "BARAKEEYO"),
}
THE_HELP = {"HELP", "MSAADA", "SUPPORT"}
# The longest message read as thanks alone: a longer one says more, and is kept.
THANKS_WORDS = 10
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
    if (stop := _stop(words)) is not None:
        return stop
    first = meant_keyword(bare(words[0]), words[1:])
    rest = words[1:]
    if first in HELP_WORDS and only(rest, set()):
        return Help(HELP_WORDS[first])
    if first in STATUS_WORDS and (status := _status(text, rest, STATUS_WORDS[first])) is not None:
        return status
    if first in RATE_WORDS and (rate := _rate(text, rest, RATE_WORDS[first])) is not None:
        return rate
    return _about_a_reference(text) or thanks(text) or NewReport(body.strip())


def reference_typed(text: str) -> str | None:
    """The valid reference in what was typed where one belongs, however it is wrapped
    ("K7F-3QX.", "ref k7f 3qx", "STATUS K7F-3QX"); None when there is none."""
    return reference_after(text, STATUS_WORDS.keys())


def meant_keyword(first: str, rest: list[str]) -> str:
    """The keyword a mistyped first word was meant to be ("STATSU", "MSADA", "HALII" before a
    reference), when it stands alone or a valid reference follows it; otherwise the word as typed."""
    if first in KEYWORDS:
        return first
    before_reference = bool(rest) and reference_at(rest)[0] is not None
    if rest and not before_reference:
        return first
    close = difflib.get_close_matches(first, MISTYPED_KEYWORDS, n=1, cutoff=0.8)
    if not close and before_reference:
        short = [word for word in (*STATUS_WORDS, *RATE_WORDS) if word not in MISTYPED_KEYWORDS]
        close = difflib.get_close_matches(first, short, n=1, cutoff=MEANT_BEFORE_REFERENCE)
    return close[0] if close else first


def status_question(text: str) -> Status | None:
    """A status asked in a short sentence that says nothing but the question and a reference
    ("Any update on K7F-3QX?", "Nataka kujua hali ya K7F-3QX"). A sentence with anything more
    in it is no question only: it is kept, on the report or as one."""
    words = text.split()
    if len(words) > STATUS_QUESTION_WORDS:
        return None
    languages = [language for word in words if (language := _asking_language(word))]
    said = [word for word in words if not _asking_language(word) and _plain(word) not in AROUND_A_QUESTION]
    typed = typed_reference(said)
    if not typed or not (languages or "?" in text):
        return None
    return Status(canonical(typed), typed, languages[0] if languages else None)


def _asking_language(word: str) -> str | None:
    plain = _plain(word)
    stems = (language for stem, language in ASKING_STEMS.items() if plain.startswith(stem))
    return ASKING.get(plain) or next(stems, None)


def _plain(word: str) -> str:
    """The word as compared with those above: "what's" is WHATS."""
    return bare(word).replace("'", "").replace("\u2019", "")


def _stop(words: list[str]) -> Stop | None:
    """STOP, however it is said ("Unsubscribe me", "opt out", "acha kunitumia ujumbe")."""
    first, rest = bare(words[0]).replace("-", ""), words[1:]
    if first == "OPT" and rest and bare(rest[0]) == "OUT":
        first, rest = "OPTOUT", rest[1:]
    return Stop(STOP_WORDS[first]) if first in STOP_WORDS and only(rest, STOP_TALK) else None


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
        score = score_in(" ".join(said)) or _lone_score(" ".join(said))
        if score is None and len(without(said, COURTESY)) > 1:
            return FollowUp(ref, text)
        return Rate(ref, score, language)
    if (typed := typed_reference(args[:-1])) and score_in(args[-1]) is not None:
        return Rate(canonical(typed), score_in(args[-1]), language)
    if (typed := typed_reference(args)) is not None:
        return Rate(canonical(typed), None, language)
    score = score_in(" ".join(args))
    return Rate(None, score, language) if score is not None and len(args) <= 2 else None


def score_in(said: str) -> int | None:
    """The score from 1 to 5 that `said` begins with, in digits or in words; None if none."""
    match = SCORE.match(said)
    return _score(match.group(1)) if match else None


def _score(given: str) -> int | None:
    """The score a word is, in digits or in words; None if it is none."""
    given = given.strip(PUNCTUATION)
    # A long run of digits is no score, and int() refuses thousands of them by raising.
    score = int(given) if given.isdecimal() and len(given) <= 2 else SCORE_WORDS.get(given.upper())
    return score if score in SCORES else None


def _lone_score(said: str) -> int | None:
    """The score when `said` is a score and nothing else but courtesy ("5", "5/5", "tano",
    "4 thanks", "5 stars", "poa sana 5"); None otherwise ("5 people were beaten")."""
    words = without(re.split(r"[\s,]+", OUT_OF_FIVE.sub(" ", said)), COURTESY)
    return _score(words[0]) if len(words) == 1 else None


def thanks(text: str) -> Thanks | None:
    """Thanks or assent with nothing more said, and at most one score ("asante sana", "ok
    thanks", "5 stars", "poa sana 5"); None for anything that says more ("thanks, but they came
    back", "ok help")."""
    words = [_plain(word) for word in re.split(r"[\s,]+", OUT_OF_FIVE.sub(" ", text)) if not wordless(word)]
    if not words or len(words) > THANKS_WORDS:
        return None
    said = THANKS_SAID | (THE_HELP if any(word in GRATITUDE for word in words) else set())
    heads = [word for word in words if word in GRATITUDE or word in ASSENT]
    rest = [word for word in words if word not in GRATITUDE and word not in ASSENT and word not in said]
    score = _score(rest[0]) if len(rest) == 1 else None
    if score is None and (rest or not heads):
        return None
    languages = [language for word in heads if (language := GRATITUDE.get(word) or ASSENT.get(word))]
    return Thanks(score, languages[0] if languages else None)


def _about_a_reference(text: str) -> Status | FollowUp | None:
    """A reference alone or in a status question is a status request; followed by text, a
    follow-up to that report, with words such as "Re:", "Namba" or "This is about" before it."""
    if looks_like_reference(text):
        return Status(canonical(reference_typed_in(text)), text, None)
    if (asked := status_question(text)) is not None:
        return asked
    for start in (past_lead_in(text), text):
        if start is not None and (command := _reference_then(start)) is not None:
            return command
    return None


def _reference_then(text: str) -> Status | FollowUp | None:
    """A reference followed by nothing, punctuation or a status keyword asks for the status;
    followed by text, it is a follow-up to that report."""
    match = REF_AT_START.match(text.lstrip(PUNCTUATION))
    if not match or (ref := canonical(match.group(1))) is None:
        return None
    rest = match.group(2).strip()
    asked = bare(rest.split()[0]) if rest else ""
    if wordless(rest) or (asked in STATUS_WORDS and only(rest.split()[1:], COURTESY)):
        return Status(ref, match.group(1), STATUS_WORDS.get(asked))
    return FollowUp(ref, rest, _lone_score(rest))


def _typed_words(words: list[str], used: int) -> str:
    return " ".join(without(words[:used], REFERENCE_WORDS)).strip(PUNCTUATION)


def _split_glued_keyword(words: list[str]) -> list[str]:
    """ "STATUS:K7F-3QX", "HALI#K7F3QX", "RATE-K7F3QX" as two words."""
    glued = KEYWORD_GLUED.match(words[0])
    if glued and glued.group(1).upper() in (*STATUS_WORDS, *RATE_WORDS):
        return [glued.group(1), glued.group(2), *words[1:]]
    return words
