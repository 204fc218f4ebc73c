"""A rating's score as residents write it: "5", "5/5", "5 out of 5", "five", "tano", "⭐⭐⭐⭐",
"★★★☆☆", "nyota tano". A decimal ("4.5") or a score out of ten ("10/10") is none: it is neither
rounded, cut nor scaled."""

from __future__ import annotations

import re

from channels.references import COURTESY, PUNCTUATION, bare, without

SCORE = re.compile(r"^[\s:=,.-]*(\d+|[A-Za-z]+)\b(?![.,]\d)(?:\s*(?:/|out of|kati ya)\s*5\b)?", re.IGNORECASE)
OUT_OF_FIVE = re.compile(r"\s*(?:/|out of|kati ya)\s*5\b", re.IGNORECASE)
SCORE_WORDS = {
    **{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5},
    **{"MOJA": 1, "MBILI": 2, "TATU": 3, "NNE": 4, "TANO": 5},
    **{"KOW": 1, "LABA": 2, "SADDEX": 3, "AFAR": 4, "SHAN": 5},
}
SCORES = range(1, 6)
# Words for the stars a score is given in: "nyota tano", "5 stars".
STAR_WORDS = {"NYOTA", "XIDDIG", "XIDDIGOOD"}
# A mark no score from 1 to 5 can be read from without a guess: "4.5", "10/10", "8 out of 10".
NO_SCORE_OF_FIVE = re.compile(r"^(?:\d+\.\d+|\d+(?:\.\d+)?\s*(?:/|out of|kati ya)\s*10)$", re.IGNORECASE)
# A score in stars as rating apps show it: each filled star counts one, an empty one nothing.
FILLED_STARS = {"\u2b50", "\u2605", "\U0001f31f"}
EMPTY_STARS = {"\u2606"}
# What phones put after an emoji to show it in colour.
EMOJI_STYLE = "\ufe0f"


def score_in(said: str) -> int | None:
    """The score from 1 to 5 that `said` begins with, in digits or in words; None if none."""
    match = SCORE.match(said)
    return score_of(match.group(1)) if match else None


def score_of(given: str) -> int | None:
    """The score a word is, in digits or in words; None if it is none."""
    given = given.strip(PUNCTUATION)
    # A long run of digits is no score, and int() refuses thousands of them by raising.
    score = int(given) if given.isdecimal() and len(given) <= 2 else SCORE_WORDS.get(given.upper())
    return score if score in SCORES else None


def lone_score(said: str) -> int | None:
    """The score when `said` is a score and nothing else but courtesy ("5", "5/5", "tano",
    "4 thanks", "5 stars", "poa sana 5", "⭐⭐⭐⭐⭐"); None otherwise ("5 people were beaten")."""
    if (stars := _stars(said)) is not None:
        return stars
    words = without(re.split(r"[\s,]+", OUT_OF_FIVE.sub(" ", said)), COURTESY | STAR_WORDS)
    return score_of(words[0]) if len(words) == 1 else None


def unscorable(said: str) -> bool:
    """Whether `said` is a score and nothing else but courtesy, but none from 1 to 5 ("4.5",
    "10/10", "8 out of 10 thanks"): it is neither rounded, cut nor scaled, and how to rate is
    told instead."""
    return bool(NO_SCORE_OF_FIVE.match(" ".join(without(said.split(), COURTESY | STAR_WORDS))))


def stars_in(said: str) -> int | None:
    """The filled stars among what was said ("asante ⭐⭐⭐⭐⭐"); None when it has no stars or
    more than five."""
    marks = [mark for mark in said.replace(EMOJI_STYLE, "") if mark in FILLED_STARS | EMPTY_STARS]
    score = sum(mark in FILLED_STARS for mark in marks)
    return score if marks and score in SCORES else None


def _stars(said: str) -> int | None:
    """The filled stars when `said` is stars and nothing else but courtesy; None otherwise."""
    marks = "".join(word for word in said.split() if bare(word) not in COURTESY).replace(EMOJI_STYLE, "")
    if not marks or not set(marks) <= FILLED_STARS | EMPTY_STARS:
        return None
    return stars_in(marks)
