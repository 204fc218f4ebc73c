"""The shipped model: linear heads over shared features, stored as plain arrays.

A model is two files in ``triage/model``: ``triage-<version>.npz`` (the feature names, IDF
weights and each head's weights, read with ``allow_pickle=False``) and ``triage-<version>.json``
(labels, calibration temperatures, the critical thresholds and the scores it was shipped with).
Loading and running a model needs only numpy; fitting one is ``triage.training``'s job.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from triage.features import hit_features, pair_feature, rule_features, token_features
from triage.lexicon import CueHit
from triage.signals import Signals, read_signals

MODEL_DIR = Path(__file__).parent / "model"
CURRENT = MODEL_DIR / "current.json"
_HEADS = ("category", "urgency", "critical")
# A long-running worker sees new words all day; the per-word cache is emptied past this.
_TOKEN_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class LinearHead:
    """One softmax classifier over the shared features, with a calibration temperature."""

    labels: tuple[str, ...]
    weights: np.ndarray  # features x labels
    intercept: np.ndarray
    temperature: float

    def probabilities(self, indices: np.ndarray, values: np.ndarray) -> dict[str, float]:
        return self.probabilities_of(values @ self.weights[indices] + self.intercept)

    def probabilities_of(self, scores: np.ndarray) -> dict[str, float]:
        """Calibrated probabilities from this head's raw scores."""
        return dict(zip(self.labels, _softmax(scores / self.temperature), strict=True))


@dataclass(frozen=True)
class Thresholds:
    """Critical-probability cut-offs chosen on held-out scenarios when the model was fitted.

    At or above ``critical`` a message is critical; at or above ``possible`` (lower) it is a
    possible emergency, sent to the emergency desk to be checked now.
    """

    critical: float = 0.5
    possible: float = 0.25


@dataclass(frozen=True)
class Prediction:
    """What the model alone says about one message."""

    category: dict[str, float]
    urgency: dict[str, float]
    critical: float  # probability that a life or safety is at risk now


@dataclass(frozen=True)
class TriageModel:
    """A fitted, versioned model: vocabulary, IDF weights, and three heads.

    ``critical`` is a two-label head (``other``, ``critical``) trained for recall on its own,
    so that urgency's safety net does not depend on how the four urgencies are balanced.
    """

    version: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    category: LinearHead
    urgency: LinearHead
    critical: LinearHead
    thresholds: Thresholds = Thresholds()
    metrics: dict[str, object] = field(default_factory=dict)
    _token_cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)
    _pair_cache: dict[tuple[str, str], int | None] = field(default_factory=dict, repr=False, compare=False)
    _hit_cache: dict[tuple[str, bool, str | None], tuple[int, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The three heads side by side, so one message is one gather and one product.
    _weights: np.ndarray = field(init=False, repr=False, compare=False)
    _intercepts: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        heads = (self.category, self.urgency, self.critical)
        object.__setattr__(self, "_weights", np.ascontiguousarray(np.hstack([h.weights for h in heads])))
        object.__setattr__(self, "_intercepts", np.concatenate([h.intercept for h in heads]))

    def predict(self, tokens: list[str], hits: list[CueHit], signals: Signals | None = None) -> Prediction:
        """Category, urgency and critical probabilities for a tokenised message and its cues
        (``signals``, if the caller has read them already, saves reading them again)."""
        signals = signals or read_signals(hits, len(tokens))
        indices, values = self._vector(tokens, hits, signals)
        scores = values @ self._weights[indices] + self._intercepts
        first, second = len(self.category.labels), len(self.category.labels) + len(self.urgency.labels)
        return Prediction(
            category=self.category.probabilities_of(scores[:first]),
            urgency=self.urgency.probabilities_of(scores[first:second]),
            critical=self.critical.probabilities_of(scores[second:]).get("critical", 0.0),
        )

    def _vector(
        self, tokens: list[str], hits: list[CueHit], signals: Signals
    ) -> tuple[np.ndarray, np.ndarray]:
        found: list[int] = []
        for token in tokens:
            found.extend(self._token_indices(token))
        for first, second in pairwise(tokens):
            pair = self._pair_indices(first, second)
            if pair is not None:
                found.append(pair)
        for hit in hits:
            found.extend(self._hit_indices(hit.label, hit.negated, hit.tense))
        lookup = self.vocabulary.get
        for name in rule_features(signals):
            index = lookup(name)
            if index is not None:
                found.append(index)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices, frequencies = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(frequencies.astype(np.float32))) * self.idf[indices]
        return indices, values / np.float32(math.sqrt(float(values @ values)))

    def _hit_indices(self, label: str, negated: bool, tense: str | None) -> tuple[int, ...]:
        """Indices of a cue hit's features, looked up once per kind of hit."""
        key = (label, negated, tense)
        cached = self._hit_cache.get(key)
        if cached is None:
            found = (self.vocabulary.get(name) for name in hit_features(label, negated, tense))
            cached = tuple(index for index in found if index is not None)
            self._hit_cache[key] = cached
        return cached

    def _pair_indices(self, first: str, second: str) -> int | None:
        """Index of a word pair's feature, looked up once."""
        key = (first, second)
        if key in self._pair_cache:
            return self._pair_cache[key]
        if len(self._pair_cache) > _TOKEN_CACHE_LIMIT:
            self._pair_cache.clear()
        index = self.vocabulary.get(pair_feature(first, second))
        self._pair_cache[key] = index
        return index

    def _token_indices(self, token: str) -> tuple[int, ...]:
        """Indices of a word's own features (the word, its letter n-grams), looked up once."""
        cached = self._token_cache.get(token)
        if cached is None:
            if len(self._token_cache) > _TOKEN_CACHE_LIMIT:
                self._token_cache.clear()
            found = (self.vocabulary.get(name) for name in token_features(token))
            cached = tuple(index for index in found if index is not None)
            self._token_cache[token] = cached
        return cached


def save_model(model: TriageModel, directory: Path = MODEL_DIR, make_current: bool = True) -> Path:
    """Write ``triage-<version>.npz`` and ``triage-<version>.json``; return the ``.npz`` path."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = directory / f"triage-{model.version}.npz"
    features = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    heads = {name: getattr(model, name) for name in _HEADS}
    np.savez_compressed(
        arrays,
        features=np.array(features, dtype=np.str_),
        idf=model.idf.astype(np.float32),
        **{f"{name}_weights": head.weights for name, head in heads.items()},
        **{f"{name}_intercept": head.intercept for name, head in heads.items()},
    )
    summary = {
        "version": model.version,
        "arrays": arrays.name,
        "features": len(features),
        "heads": {
            name: {"labels": list(head.labels), "temperature": head.temperature}
            for name, head in heads.items()
        },
        "thresholds": {"critical": model.thresholds.critical, "possible": model.thresholds.possible},
        "metrics": model.metrics,
    }
    text = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (directory / f"triage-{model.version}.json").write_text(text, encoding="utf-8")
    if make_current:
        pointer = json.dumps({"version": model.version, "summary": f"triage-{model.version}.json"}, indent=2)
        (directory / CURRENT.name).write_text(pointer + "\n", encoding="utf-8")
    return arrays


def load_model(path: Path | None = None) -> TriageModel:
    """Load a model by its ``.npz`` or ``.json`` path, by default the one ``current.json`` names."""
    if path is None:
        pointer = json.loads(CURRENT.read_text(encoding="utf-8"))
        path = CURRENT.parent / pointer["summary"]
    summary_path = path.with_suffix(".json")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    with np.load(summary_path.with_name(summary["arrays"]), allow_pickle=False) as arrays:
        features = [str(name) for name in arrays["features"]]
        heads = {
            name: LinearHead(
                labels=tuple(summary["heads"][name]["labels"]),
                weights=np.ascontiguousarray(arrays[f"{name}_weights"], dtype=np.float32),
                intercept=arrays[f"{name}_intercept"].astype(np.float32),
                temperature=float(summary["heads"][name]["temperature"]),
            )
            for name in _HEADS
        }
        idf = arrays["idf"].astype(np.float32)
    return TriageModel(
        version=summary["version"],
        vocabulary={name: index for index, name in enumerate(features)},
        idf=idf,
        category=heads["category"],
        urgency=heads["urgency"],
        critical=heads["critical"],
        thresholds=Thresholds(**summary["thresholds"]),
        metrics=summary.get("metrics", {}),
    )


def _softmax(scores: np.ndarray) -> list[float]:
    # a handful of labels: plain floats are quicker than numpy's per-call overhead
    values: list[float] = scores.tolist()
    top = max(values)
    exponents = [math.exp(value - top) for value in values]
    total = sum(exponents)
    return [exponent / total for exponent in exponents]
