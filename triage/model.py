"""The statistical model: TF-IDF features into two calibrated linear classifiers.

Training uses scikit-learn (logistic regression on word, word-pair, letter n-gram and cue
features); the fitted weights are then kept as plain arrays, so that loading and running
the model needs neither scikit-learn nor much memory, and one message takes microseconds.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from triage.features import features_of, message_features
from triage.lexicon import LEXICON_DIR, CueHit

MODEL_DIR = Path(__file__).parent / "model"
CURRENT = MODEL_DIR / "current.json"
# Weaker regularisation than sklearn's default: the corpus is small but clean.
_C = 8.0
_MIN_DF = 2
_CALIBRATION_FOLDS = 5
_SEED = 20261126
# saga: several times faster than lbfgs on these sparse features; seeded, so deterministic.
_SETTINGS: dict[str, Any] = {
    "C": _C,
    "solver": "saga",
    "max_iter": 5000,
    "class_weight": "balanced",
    "random_state": _SEED,
}


@dataclass(frozen=True)
class LinearHead:
    """One softmax classifier over the shared features, with a calibration temperature."""

    labels: tuple[str, ...]
    weights: np.ndarray  # features x labels
    intercept: np.ndarray
    temperature: float

    def probabilities(self, indices: np.ndarray, values: np.ndarray) -> dict[str, float]:
        scores = values @ self.weights[indices] + self.intercept
        scaled = scores / self.temperature
        exponents = np.exp(scaled - scaled.max())
        shares = exponents / exponents.sum()
        return {label: float(share) for label, share in zip(self.labels, shares, strict=True)}


@dataclass(frozen=True)
class TriageModel:
    """A fitted, versioned model: vocabulary, IDF weights, category and urgency heads."""

    version: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    category: LinearHead
    urgency: LinearHead
    metrics: dict[str, object] = field(default_factory=dict)

    def predict(self, tokens: list[str], hits: list[CueHit]) -> tuple[dict[str, float], dict[str, float]]:
        """Category and urgency probabilities for a tokenised message and its cue hits."""
        indices, values = self._vector(features_of(tokens, hits))
        return (
            self.category.probabilities(indices, values),
            self.urgency.probabilities(indices, values),
        )

    def _vector(self, features: list[str]) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.vocabulary[f] for f in features if f in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        frequencies = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(frequencies)) * self.idf[indices]
        return indices, values / np.linalg.norm(values)


def train(
    examples: Iterable[tuple[str, str, str]],
    extra: Iterable[tuple[str, str, str]] = (),
    version: str | None = None,
    groups: Sequence[str] | None = None,
) -> TriageModel:
    """Fit a model on (text, category, urgency) examples plus ``extra`` (panel corrections).

    ``groups`` (one per example, not per extra) names variants of one message, so that
    calibration never scores a message against its own rewording. Deterministic: the same
    examples give the same weights and the same version.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [(str(text), str(category), str(urgency)) for text, category, urgency in examples]
    row_groups = list(groups) if groups is not None else [str(i) for i in range(len(rows))]
    if len(row_groups) != len(rows):
        raise ValueError("give one group per example")
    for text, category, urgency in extra:
        rows.append((str(text), str(category), str(urgency)))
        row_groups.append(f"extra-{len(rows)}")
    if not rows:
        raise ValueError("no examples to train on")
    vectoriser = TfidfVectorizer(
        analyzer=message_features, sublinear_tf=True, min_df=_MIN_DF, dtype=np.float32
    )
    matrix = vectoriser.fit_transform([text for text, _, _ in rows])
    return TriageModel(
        version=version or _version_of(rows),
        vocabulary={str(k): int(v) for k, v in vectoriser.vocabulary_.items()},
        idf=vectoriser.idf_.astype(np.float32),
        category=_fit_head(matrix, [category for _, category, _ in rows], row_groups),
        urgency=_fit_head(matrix, [urgency for _, _, urgency in rows], row_groups),
    )


def _fit_head(matrix: object, labels: list[str], groups: list[str]) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(**_SETTINGS)
    classifier.fit(matrix, labels)
    classes = tuple(str(label) for label in classifier.classes_)
    temperature = _calibrated_temperature(matrix, labels, groups, classes)
    return LinearHead(
        labels=classes,
        weights=np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
        intercept=classifier.intercept_.astype(np.float32),
        temperature=temperature,
    )


def _calibrated_temperature(
    matrix: object, labels: list[str], groups: list[str], classes: tuple[str, ...]
) -> float:
    """Temperature that makes out-of-fold probabilities honest (lowest log-loss)."""
    from scipy.optimize import minimize_scalar
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    folds = min(_CALIBRATION_FOLDS, min(Counter(labels).values()), len(set(groups)))
    if folds < 2 or len(classes) < 3:
        return 1.0
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=_SEED)
    scores = cross_val_predict(
        LogisticRegression(**_SETTINGS),
        matrix,
        labels,
        groups=groups,
        cv=splitter,
        method="decision_function",
    )
    truth = np.array([classes.index(label) for label in labels])

    def log_loss(temperature: float) -> float:
        scaled = scores / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_probabilities = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_probabilities[np.arange(len(truth)), truth].mean())

    return float(minimize_scalar(log_loss, bounds=(0.05, 20.0), method="bounded").x)


def _version_of(rows: list[tuple[str, str, str]]) -> str:
    """A digest of the examples, the lexicons the features read, and the settings."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update("\t".join(row).encode("utf-8") + b"\n")
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        digest.update(path.read_bytes())
    digest.update(f"{sorted(_SETTINGS.items())};min_df={_MIN_DF}".encode())
    return f"lr-{digest.hexdigest()[:10]}"


def save_model(model: TriageModel, directory: Path = MODEL_DIR, make_current: bool = True) -> Path:
    """Write ``triage-<version>.joblib`` and its ``.json`` summary; return the artifact path."""
    directory.mkdir(parents=True, exist_ok=True)
    artifact = directory / f"triage-{model.version}.joblib"
    joblib.dump(_as_plain(model), artifact, compress=3)
    summary = {
        "version": model.version,
        "artifact": artifact.name,
        "metrics": model.metrics,
        "categories": list(model.category.labels),
        "urgencies": list(model.urgency.labels),
        "features": len(model.vocabulary),
    }
    text = json.dumps(summary, indent=2, sort_keys=True) + "\n"
    (directory / f"triage-{model.version}.json").write_text(text, encoding="utf-8")
    if make_current:
        pointer = json.dumps({"version": model.version, "artifact": artifact.name}, indent=2)
        (directory / CURRENT.name).write_text(pointer + "\n", encoding="utf-8")
    return artifact


def load_model(path: Path | None = None) -> TriageModel:
    """Load an artifact, by default the one ``triage/model/current.json`` names."""
    if path is None:
        pointer = json.loads(CURRENT.read_text(encoding="utf-8"))
        path = CURRENT.parent / pointer["artifact"]
    plain = joblib.load(path)
    return TriageModel(
        version=plain["version"],
        vocabulary=plain["vocabulary"],
        idf=plain["idf"],
        category=LinearHead(**plain["category"]),
        urgency=LinearHead(**plain["urgency"]),
        metrics=plain.get("metrics", {}),
    )


def _as_plain(model: TriageModel) -> dict[str, object]:
    def head(linear: LinearHead) -> dict[str, object]:
        return {
            "labels": linear.labels,
            "weights": linear.weights,
            "intercept": linear.intercept,
            "temperature": linear.temperature,
        }

    return {
        "version": model.version,
        "vocabulary": model.vocabulary,
        "idf": model.idf,
        "category": head(model.category),
        "urgency": head(model.urgency),
        "metrics": model.metrics,
    }
