"""What an SMS asks for: a status, a follow-up, a rating, STOP, or a new report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.intake.identity import canonical_reference


@dataclass(frozen=True)
class NewReport:
    text: str


@dataclass(frozen=True)
class Status:
    ref: str
    language: str


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


Command = NewReport | Status | FollowUp | Rate | Stop

STATUS_WORDS = {"STATUS": "en", "HALI": "sw"}
RATE_WORDS = {"RATE": "en", "KADIRIA": "sw"}
STOP_WORDS = {"STOP": "en", "ACHA": "sw", "UNSUBSCRIBE": "en", "STOPALL": "en"}
REF_AT_START = re.compile(r"^\s*([A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3})\b[\s:,.-]*(.*)$", re.DOTALL)


def parse_command(body: str) -> Command:
    """Read a resident's SMS. Keywords are case-insensitive, in English and Kiswahili. A keyword
    without a reference after it ("Hali ni mbaya sana...") is an ordinary report: it is never lost."""
    words = body.split()
    first = words[0].upper() if words else ""
    if first in STOP_WORDS and len(words) == 1:
        return Stop(STOP_WORDS[first])
    if first in STATUS_WORDS and (ref := _reference_after(words)):
        return Status(ref, STATUS_WORDS[first])
    if first in RATE_WORDS and len(words) >= 3 and _reference_after(words[:-1]):
        return _rate(words[1:], RATE_WORDS[first])
    return _follow_up(body) or NewReport(body.strip())


def _reference_after(words: list[str]) -> str | None:
    return canonical_reference("".join(words[1:3])) or canonical_reference("".join(words[1:2]))


def _rate(args: list[str], language: str) -> Rate:
    score_word = args[-1] if len(args) >= 2 else ""
    ref = canonical_reference("".join(args[:-1])) if len(args) >= 2 else None
    score = int(score_word) if score_word.isdigit() and 1 <= int(score_word) <= 5 else None
    return Rate(ref, score, language)


def _follow_up(body: str) -> FollowUp | None:
    match = REF_AT_START.match(body)
    if not match or not match.group(2).strip():
        return None
    ref = canonical_reference(match.group(1))
    return FollowUp(ref, match.group(2).strip()) if ref else None
