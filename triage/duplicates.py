"""Likely duplicates: several people reporting the same incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

from triage.tokens import normalise

# Reports of one incident arrive within hours; wording differs but shares names and places.
DEFAULT_WINDOW = timedelta(hours=6)
SIMILAR_TEXT = 60.0


@dataclass(frozen=True)
class Sighting:
    """What duplicate detection compares: a report's text, classification and arrival."""

    text: str
    category: str
    ward: str | None
    received_at: datetime


def text_similarity(first: str, second: str) -> float:
    """0..100: how alike two messages read, ignoring case, order and repeated words."""
    return float(fuzz.token_set_ratio(normalise(first), normalise(second)))


def likely_duplicate(first: Sighting, second: Sighting, window: timedelta = DEFAULT_WINDOW) -> bool:
    """Same ward and category, received within ``window``, and similar text."""
    return (
        first.category == second.category
        and first.ward is not None
        and first.ward == second.ward
        and abs(first.received_at - second.received_at) <= window
        and text_similarity(first.text, second.text) >= SIMILAR_TEXT
    )
