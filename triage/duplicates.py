"""Likely duplicates: several people reporting the same incident.

Two reports are linked only when ward, category, time and content all agree: same ward and
category, received within hours of each other, worded alike, and not disagreeing on who was
harmed, where exactly or when in the day (``triage/data/duplicates.yaml``). A beating of a
hawker at Gikomba in the morning and one of a student at Majengo at night are two incidents,
however alike the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from triage.lexicon import default_lexicon
from triage.places import place_names
from triage.tokens import normalise, without_references

DUPLICATES_FILE = Path(__file__).parent / "data" / "duplicates.yaml"
# Reports of one incident arrive within hours; wording differs but shares names and places.
DEFAULT_WINDOW = timedelta(hours=6)
SIMILAR_TEXT = 60.0
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_STREET_WORDS = frozenset({"street", "st", "str", "avenue", "ave", "road", "rd"})


@dataclass(frozen=True)
class Sighting:
    """What duplicate detection compares: a report's text, classification and arrival."""

    text: str
    category: str
    ward: str | None
    received_at: datetime


@dataclass(frozen=True)
class Details:
    """What a report says about its incident beyond ward and category."""

    people: frozenset[str]  # kinds of person harmed, not counting relatives
    genders: frozenset[str]
    places: frozenset[str]  # the words that tell named places apart ("gikomba", "9th")
    landmarks: frozenset[str]  # mosque, market, stage...
    times: frozenset[str]

    def disagree_with(self, other: Details) -> bool:
        """True when both reports say who, where or when, and say it differently."""
        return any(
            mine and theirs and not mine & theirs
            for mine, theirs in (
                (self.people, other.people),
                (self.genders, other.genders),
                (self.places, other.places),
                (self.landmarks, other.landmarks),
                (self.times, other.times),
            )
        )


def likely_duplicate(first: Sighting, second: Sighting, window: timedelta = DEFAULT_WINDOW) -> bool:
    """Same ward and category, received within ``window``, alike in words, and not
    disagreeing on victim, place or time of day."""
    return (
        first.category == second.category
        and first.ward is not None
        and first.ward == second.ward
        and abs(first.received_at - second.received_at) <= window
        and text_similarity(first.text, second.text) >= SIMILAR_TEXT
        and not incident_details(first.text).disagree_with(incident_details(second.text))
    )


def text_similarity(first: str, second: str) -> float:
    """0..100: how alike two messages read, ignoring case, order, repeats and references."""
    return float(
        fuzz.token_set_ratio(normalise(without_references(first)), normalise(without_references(second)))
    )


@lru_cache(maxsize=4096)
def incident_details(text: str) -> Details:
    """Who, where and when a message names, as keys that compare across languages."""
    tokens = default_lexicon().tokens(without_references(text))
    book = _phrasebook()
    victims = _keys_in(tokens, book.victims)
    named = [*place_names(tokens, spaced=True), *_numbered_streets(tokens)]
    return Details(
        people=frozenset(key for key in victims if not book.relatives.get(key, False)),
        genders=frozenset(book.genders[key] for key in victims if key in book.genders),
        places=frozenset(word for name in named for word in name.split() if word not in book.generic),
        landmarks=frozenset(_keys_in(tokens, book.places)),
        times=frozenset(_keys_in(tokens, book.times)),
    )


@dataclass(frozen=True)
class _Phrasebook:
    victims: dict[tuple[str, ...], str]
    places: dict[tuple[str, ...], str]
    times: dict[tuple[str, ...], str]
    relatives: dict[str, bool]
    genders: dict[str, str]
    generic: frozenset[str]


@lru_cache(maxsize=1)
def _phrasebook() -> _Phrasebook:
    document: dict[str, Any] = yaml.safe_load(DUPLICATES_FILE.read_text(encoding="utf-8"))
    victims = document["victims"]
    return _Phrasebook(
        victims=_phrases({key: entry["words"] for key, entry in victims.items()}),
        places=_phrases(document["places"]),
        times=_phrases(document["times_of_day"]),
        relatives={key: bool(entry.get("relative")) for key, entry in victims.items()},
        genders={key: str(entry["gender"]) for key, entry in victims.items() if entry.get("gender")},
        generic=frozenset(str(word) for word in document["generic_place_words"]),
    )


def _phrases(groups: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    lexicon = default_lexicon()
    return {tuple(lexicon.tokens(str(phrase))): key for key, phrases in groups.items() for phrase in phrases}


def _keys_in(tokens: list[str], phrases: dict[tuple[str, ...], str]) -> set[str]:
    longest = max((len(phrase) for phrase in phrases), default=0)
    found = set()
    for start in range(len(tokens)):
        for size in range(1, longest + 1):
            key = phrases.get(tuple(tokens[start : start + size]))
            if key is not None:
                found.add(key)
    return found


def _numbered_streets(tokens: list[str]) -> set[str]:
    """ "9th street", "2nd ave": each ordinal followed by a street word, as one place."""
    return {
        f"{token} street"
        for token, following in pairwise(tokens)
        if _ORDINAL.match(token) and following in _STREET_WORDS
    }
