"""The labelled messages: the training corpus and the hand-written evaluation set.

``triage/data/corpus/*.jsonl`` is what the model is trained on. ``triage/data/evaluation/``
holds messages written by hand for scoring only: nothing that trains a model reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from triage.taxonomy import CATEGORIES, URGENCIES

CORPUS_DIR = Path(__file__).parent / "data" / "corpus"
EVALUATION_DIR = Path(__file__).parent / "data" / "evaluation"


@dataclass(frozen=True)
class Example:
    """One labelled message; ``group`` ties rewordings of one message (split together)."""

    text: str
    category: str
    urgency: str
    language: str
    group: str
    kind: str = ""  # evaluation set only: which emergency or near miss the message is

    @property
    def scenario(self) -> str:
        """The situation the message describes; its rewordings share it ("id/variant")."""
        return self.group.split("/")[0]


def load_corpus(directory: Path = CORPUS_DIR) -> list[Example]:
    """Every example in ``directory``'s ``*.jsonl`` files, validated against the taxonomy."""
    return _load(directory)


def load_evaluation_set(directory: Path = EVALUATION_DIR) -> list[Example]:
    """The hand-written evaluation messages; scored, never trained on."""
    return _load(directory)


def corpus_examples(directory: Path = CORPUS_DIR) -> list[tuple[str, str, str]]:
    """The shipped corpus as (text, category, urgency), ready for ``train``."""
    return [(e.text, e.category, e.urgency) for e in load_corpus(directory)]


def _load(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                examples.append(_example(json.loads(line), f"{path.name}:{number}"))
    return examples


def _example(row: dict[str, object], where: str) -> Example:
    category, urgency = row.get("category"), row.get("urgency")
    if category not in CATEGORIES or urgency not in URGENCIES:
        raise ValueError(f"{where}: unknown category {category!r} or urgency {urgency!r}")
    return Example(
        text=str(row["text"]),
        category=str(category),
        urgency=str(urgency),
        language=str(row.get("language", "")),
        group=str(row.get("group") or where),
        kind=str(row.get("kind", "")),
    )
