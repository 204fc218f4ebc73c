"""Which ward a message is about, from a gazetteer of wards and the places people name.

The rules (which place wins, why a border or a place outside the sub-county gives no ward)
are written out at the top of ``triage/data/gazetteer/kamukunji.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from triage.lexicon import default_lexicon
from triage.tokens import tokenize

GAZETTEER_DIR = Path(__file__).parent / "data" / "gazetteer"
# Shorter names are matched exactly only: "panga" must not become "Pangani".
_FUZZY_MIN_LENGTH = 6
_FUZZY_CUTOFF = 85.0
_LENGTH_RATIO = 0.74
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Place:
    """A named place: its ward (None on a border or outside), and whether it is a station."""

    ward: str | None
    station: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """Place names (spaces removed, so "air base" and "airbase" are one) and what they give."""

    places: dict[str, Place]
    longest_name_words: int
    words: frozenset[str]  # every word of every name, for language detection to set aside
    first_words: frozenset[str]  # where a name may start
    fuzzy_cache: dict[str, tuple[float, str]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def common_words(self) -> frozenset[str]:
        """Everyday words of every language ("please", "tafadhali"): never a misspelt place."""
        return frozenset(default_lexicon().marker_of) - self.words

    @cached_property
    def longest_name_letters(self) -> int:
        return max((len(name) for name in self.places), default=0)

    @cached_property
    def fuzzy_names(self) -> list[str]:
        return [name for name in self.places if len(name) >= _FUZZY_MIN_LENGTH]

    @property
    def wards(self) -> list[str]:
        return sorted({place.ward for place in self.places.values() if place.ward})


def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Read every ``*.yaml`` gazetteer in ``directory`` (wards, police stations, no-ward places)."""
    places: dict[str, Place] = {}
    names: list[list[str]] = []

    def add(name: object, place: Place) -> None:
        words = tokenize(str(name))
        if words:
            places.setdefault("".join(words), place)
            names.append(words)

    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ward, entries in (document.get("wards") or {}).items():
            for name in [ward, *(entries or [])]:
                add(name, Place(str(ward)))
        for ward, entries in (document.get("police_stations") or {}).items():
            for name in entries or []:
                add(name, Place(str(ward), station=True))
        for entries in (document.get("no_ward") or {}).values():
            for name in entries or []:
                add(name, Place(None))
    return Gazetteer(
        places=places,
        longest_name_words=max((len(words) for words in names), default=1),
        words=frozenset(word for words in names for word in words),
        first_words=frozenset(words[0] for words in names),
    )


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


def extract_ward(
    text: str, gazetteer: Gazetteer | None = None, tokens: list[str] | None = None
) -> str | None:
    """The ward ``text`` is about, or None when it names none, a border, or two wards.

    ``tokens``, if the caller has them, saves splitting the text again."""
    gazetteer = gazetteer or default_gazetteer()
    tokens = tokenize(text) if tokens is None else tokens
    exact = _exact_mentions(tokens, gazetteer)
    mentions = [place for _, _, place in exact]
    if not any(place.ward for place in mentions):
        # "Eastleigh Nort": the exact "Eastleigh" gives no ward, a longer misspelt name may
        longest = max((len(name) for name, _, _ in exact), default=0)
        mentions += _fuzzy_mention(tokens, gazetteer, longer_than=longest)
    places = [place for place in mentions if not place.station]
    wards = {place.ward for place in (places or mentions) if place.ward}
    return wards.pop() if len(wards) == 1 else None


def place_names(tokens: list[str], gazetteer: Gazetteer | None = None, spaced: bool = False) -> list[str]:
    """The gazetteer names ``tokens`` mention exactly: "gikombamarket", or with ``spaced``
    the words as written ("gikomba market")."""
    mentions = _exact_mentions(tokens, gazetteer or default_gazetteer())
    return [spelled if spaced else name for name, spelled, _ in mentions]


def _exact_mentions(tokens: list[str], gazetteer: Gazetteer) -> list[tuple[str, str, Place]]:
    """Places named in ``tokens``, longest names first, no word counted twice."""
    candidates = [
        (size, start)
        for start, token in enumerate(tokens)
        if token in gazetteer.first_words
        for size in range(1, min(gazetteer.longest_name_words, len(tokens) - start) + 1)
        if "".join(tokens[start : start + size]) in gazetteer.places
    ]
    used = [False] * len(tokens)
    found = []
    for size, start in sorted(candidates, key=lambda candidate: (-candidate[0], candidate[1])):
        if not any(used[start : start + size]):
            words = tokens[start : start + size]
            found.append(("".join(words), " ".join(words), gazetteer.places["".join(words)]))
            used[start : start + size] = [True] * size
    return found


def _fuzzy_mention(tokens: list[str], gazetteer: Gazetteer, longer_than: int = 0) -> list[Place]:
    """The place a misspelt run of words most likely names (at least 85% alike), if any."""
    shortest = max(_FUZZY_MIN_LENGTH, longer_than + 1)
    # 85% alike needs lengths within about three quarters of each other
    longest = int(gazetteer.longest_name_letters / _LENGTH_RATIO) + 1
    best_score, best_name = 0.0, ""
    for run in _runs(tokens, gazetteer):
        if not shortest <= len(run) <= longest:
            continue
        score, name = _closest_name(run, gazetteer)
        if len(name) >= shortest and (
            score > best_score or (score == best_score and len(name) > len(best_name))
        ):
            best_score, best_name = score, name
    return [gazetteer.places[best_name]] if best_name else []


def _runs(tokens: list[str], gazetteer: Gazetteer) -> set[str]:
    """Runs of up to the longest name's words, joined, never across an everyday word: a
    place name holds none ("the", "na", "kwa")."""
    runs: set[str] = set()
    segment: list[str] = []
    for token in [*tokens, ""]:
        if token and token not in gazetteer.common_words:
            segment.append(token)
            continue
        for size in range(1, min(gazetteer.longest_name_words, len(segment)) + 1):
            runs.update("".join(segment[start : start + size]) for start in range(len(segment) - size + 1))
        segment = []
    return runs


def _closest_name(run: str, gazetteer: Gazetteer) -> tuple[float, str]:
    """The gazetteer name closest to ``run`` and how close, or (0, "") below the cut-off;
    remembered, since the same words come back in message after message."""
    cached = gazetteer.fuzzy_cache.get(run)
    if cached is None:
        names = gazetteer.fuzzy_names
        found = process.extractOne(run, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        cached = (float(found[1]), str(found[0])) if found else (0.0, "")
        if len(gazetteer.fuzzy_cache) > _CACHE_LIMIT:
            gazetteer.fuzzy_cache.clear()
        gazetteer.fuzzy_cache[run] = cached
    return cached
