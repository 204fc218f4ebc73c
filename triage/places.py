"""Which ward a message is about, from a gazetteer of wards and the places people name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from triage.tokens import tokenize

GAZETTEER_DIR = Path(__file__).parent / "data" / "gazetteer"
# Shorter names are matched exactly only: "panga" must not become "Pangani".
_FUZZY_MIN_LENGTH = 6
_FUZZY_CUTOFF = 85.0


@dataclass(frozen=True)
class Gazetteer:
    """Place names (spaces removed, so "air base" and "airbase" are one) mapped to wards."""

    places: dict[str, str]
    longest_name_words: int

    @property
    def wards(self) -> list[str]:
        return sorted(set(self.places.values()))


def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Read every ``*.yaml`` gazetteer in ``directory``; each maps ward -> list of places."""
    places: dict[str, str] = {}
    longest = 1
    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ward, names in document["wards"].items():
            for name in [ward, *names]:
                words = tokenize(str(name))
                places.setdefault("".join(words), ward)
                longest = max(longest, len(words))
    return Gazetteer(places, longest)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


def extract_ward(text: str, gazetteer: Gazetteer | None = None) -> str | None:
    """The canonical ward ``text`` names, by its longest place name, allowing misspellings."""
    gazetteer = gazetteer or default_gazetteer()
    candidates = _word_runs(tokenize(text), gazetteer.longest_name_words)
    exact = [run for run in candidates if run in gazetteer.places]
    if exact:
        return gazetteer.places[max(exact, key=len)]
    return _fuzzy_ward(candidates, gazetteer)


def _word_runs(tokens: list[str], longest: int) -> list[str]:
    """Every run of 1..``longest`` consecutive tokens, joined without spaces."""
    return [
        "".join(tokens[start : start + size])
        for size in range(longest, 0, -1)
        for start in range(len(tokens) - size + 1)
    ]


def _fuzzy_ward(candidates: list[str], gazetteer: Gazetteer) -> str | None:
    queries = [run for run in candidates if len(run) >= _FUZZY_MIN_LENGTH]
    names = [name for name in gazetteer.places if len(name) >= _FUZZY_MIN_LENGTH]
    if not queries or not names:
        return None
    scores = process.cdist(queries, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    best_score, best_name = 0.0, None
    for row in scores:
        column = int(row.argmax())
        score = float(row[column])
        if score > best_score or (score == best_score and best_name and len(names[column]) > len(best_name)):
            best_score, best_name = score, names[column]
    return gazetteer.places[best_name] if best_name else None
