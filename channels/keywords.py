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
    """A message with no words in it."""


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
    ref: str
    text: str


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
REF_AT_START = re.compile(r"^\s*([A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3})\b[\s:,.-]*(.*)$", re.DOTALL)
LONE_REFERENCE = re.compile(r"^[A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3}$")
# How long a typed reference may be (letters and digits, without spaces and dashes) and still
# be read as one: a code with a letter too many or too few is a mistyped code, not a report.
TYPED_REFERENCE_CHARS = range(4, 9)
PUNCTUATION = ".,:;!?#\"'()"
# Keywords long enough that one letter wrong, missing, extra or swapped still names them and no
# other word: STOP is never among them, so that no typo erases a number.
MISTYPED_KEYWORDS = [word for word in (*HELP_WORDS, *STATUS_WORDS, *RATE_WORDS) if len(word) >= 5]


def parse_command(body: str) -> Command:
    """Read a resident's SMS. Keywords are case-insensitive, in English, Kiswahili and Somali.
    A keyword followed by words that are no reference ("Hali ni mbaya sana...") is an ordinary
    report: it is never lost."""
    text = body.strip()
    if not text:
        return Empty()
    words = text.split()
    first = meant_keyword(words[0].upper().strip(PUNCTUATION), words[1:])
    if len(words) == 1 and first in STOP_WORDS:
        return Stop(STOP_WORDS[first])
    if len(words) == 1 and first in HELP_WORDS:
        return Help(HELP_WORDS[first])
    if first in STATUS_WORDS and (typed := typed_reference(words[1:])) is not None:
        return Status(canonical_reference(typed), typed, STATUS_WORDS[first])
    if first in RATE_WORDS and (rate := _rate(words[1:], RATE_WORDS[first])) is not None:
        return rate
    if looks_like_reference(text):
        return Status(canonical_reference(text), text, None)
    return _follow_up(text) or NewReport(text)


def meant_keyword(first: str, rest: list[str]) -> str:
    """The keyword a mistyped first word was meant to be ("STATSU", "MSADA"), when it stands alone
    or a valid reference follows it; otherwise the word as typed."""
    if first in MISTYPED_KEYWORDS or (rest and not _names_a_reference(rest)):
        return first
    close = difflib.get_close_matches(first, MISTYPED_KEYWORDS, n=1, cutoff=0.8)
    return close[0] if close else first


def _names_a_reference(words: list[str]) -> bool:
    return any(canonical_reference(typed) for typed in (words[0], " ".join(words[:2])))


def typed_reference(words: list[str]) -> str | None:
    """What was typed where a reference belongs, if it can be read as one (a code with a digit,
    a dash, or in capitals; "" when nothing was typed); None when these are ordinary words."""
    if len(words) > 2:
        return None
    typed = " ".join(words).strip(PUNCTUATION)
    compact = re.sub(r"[\s-]", "", typed)
    if not typed:
        return ""
    if not compact.isalnum() or len(compact) not in TYPED_REFERENCE_CHARS:
        return None
    if any(char.isdigit() for char in compact) or "-" in typed or compact.isupper():
        return typed
    return None


def looks_like_reference(text: str) -> bool:
    """A message that is a reference and nothing else: a valid code, or three and three
    characters with a dash or with letters and digits mixed."""
    if not LONE_REFERENCE.match(text):
        return False
    compact = re.sub(r"[\s-]", "", text)
    mixed = any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)
    return canonical_reference(text) is not None or "-" in text or mixed


def _rate(args: list[str], language: str) -> Rate | None:
    if len(args) > 3:
        return None
    scored = bool(args) and args[-1].isdigit()
    typed = typed_reference(args[:-1] if scored else args)
    if typed is None:
        return None
    score = int(args[-1]) if scored and 1 <= int(args[-1]) <= 5 else None
    return Rate(canonical_reference(typed), score, language)


def _follow_up(body: str) -> FollowUp | None:
    match = REF_AT_START.match(body)
    if not match or not match.group(2).strip():
        return None
    ref = canonical_reference(match.group(1))
    return FollowUp(ref, match.group(2).strip()) if ref else None
