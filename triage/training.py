"""Fit the model: scikit-learn and scipy are used here only, and only inside these functions.

Features are TF-IDF weighted words, word pairs, letter n-grams and cue signals. Three
logistic regressions share them: category, urgency, and a critical-or-not head whose
thresholds are chosen on out-of-fold predictions, folds split by scenario, so that they are
set on messages from situations the head never saw.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from triage.corpus import load_corpus
from triage.features import message_features
from triage.lexicon import LEXICON_DIR, default_lexicon
from triage.model import MODEL_DIR, LinearHead, Thresholds, TriageModel, save_model
from triage.signals import read_signals

# Urgency is a safety net: the critical threshold is the highest that still finds this share
# of critical messages out of fold (rules included); "possible emergency" reaches further.
CRITICAL_RECALL_TARGET = 0.97
POSSIBLE_RECALL_TARGET = 0.99
# ...but no lower than flags this share of the messages that are not critical: a desk that
# is asked to check everything checks nothing.
POSSIBLE_SHARE_LIMIT = 0.10
# Weaker regularisation than sklearn's default: the corpus is small but clean.
_C = 8.0
_MIN_DF = 2
_FOLDS = 5
_SEED = 20261126
# saga: fast on these sparse features; seeded, so deterministic. A tolerance of 1e-3 stops
# it in a third of the passes 1e-4 takes, with the same predictions to the third decimal.
_SETTINGS: dict[str, Any] = {
    "C": _C,
    "solver": "saga",
    "tol": 1e-3,
    "max_iter": 5000,
    "class_weight": "balanced",
    "random_state": _SEED,
}


def train(
    examples: Iterable[tuple[str, str, str]],
    extra: Iterable[tuple[str, str, str]] = (),
    version: str | None = None,
    groups: Sequence[str] | None = None,
) -> TriageModel:
    """Fit a model on (text, category, urgency) examples plus ``extra`` (panel corrections).

    ``groups`` (one per example, not per extra) names the scenario each example describes,
    so that calibration and thresholds never score a message against its own rewording.
    Deterministic: the same examples give the same weights and the same version.
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
    texts = [text for text, _, _ in rows]
    vectoriser = TfidfVectorizer(
        analyzer=message_features, sublinear_tf=True, min_df=_MIN_DF, dtype=np.float32
    )
    matrix = vectoriser.fit_transform(texts)
    weights = scenario_weights(row_groups)
    critical_labels = ["critical" if urgency == "critical" else "other" for _, _, urgency in rows]
    critical, out_of_fold = _fit_critical(matrix, critical_labels, row_groups, weights)
    return TriageModel(
        version=version or _version_of(rows),
        vocabulary={str(k): int(v) for k, v in vectoriser.vocabulary_.items()},
        idf=vectoriser.idf_.astype(np.float32),
        category=_fit_head(matrix, [category for _, category, _ in rows], row_groups, weights),
        urgency=_fit_head(matrix, [urgency for _, _, urgency in rows], row_groups, weights),
        critical=critical,
        thresholds=choose_thresholds(
            out_of_fold, [label == "critical" for label in critical_labels], _rule_reads(texts)
        ),
    )


def train_on_corpus(extra: Iterable[tuple[str, str, str]] = ()) -> TriageModel:
    """A model fitted on the whole shipped corpus plus ``extra`` (text, category, urgency)."""
    corpus = load_corpus()
    return train(
        ((e.text, e.category, e.urgency) for e in corpus),
        extra=extra,
        groups=[e.scenario for e in corpus],
    )


def retrain(
    extra: Iterable[tuple[str, str, str]] = (), directory: Path = MODEL_DIR
) -> tuple[TriageModel, Path]:
    """Fit on everything, score (scenario split, hand-written set), save as the current model."""
    from triage.evaluation import evaluate

    corrections = list(extra)
    model = train_on_corpus(corrections)
    model = replace(model, metrics=evaluate(extra=corrections, model=model))
    return model, save_model(model, directory)


def scenario_weights(groups: Sequence[str]) -> np.ndarray:
    """One weight per example: a scenario told in many rewordings counts as about one story.

    Template scenarios come in dozens of rewordings, hand-written ones in one to three; without
    this the templates' phrasing would outweigh the way people actually write.
    """
    sizes = Counter(groups)
    weights = np.array([1.0 / np.sqrt(sizes[group]) for group in groups], dtype=np.float64)
    scaled: np.ndarray = weights * (len(weights) / weights.sum())
    return scaled


def choose_thresholds(
    probabilities: np.ndarray, truth: Sequence[bool], rules: Sequence[tuple[bool, bool]]
) -> Thresholds:
    """Thresholds that reach the recall targets on out-of-fold ``probabilities``.

    ``rules`` holds, per example, whether the rules call it critical and whether they saw an
    emergency in hearsay; both count as found whatever the probability.
    """
    truth_array = np.asarray(truth, dtype=bool)
    by_rule = np.array([critical for critical, _ in rules], dtype=bool)
    by_rule_or_hearsay = np.array([critical or dampened for critical, dampened in rules], dtype=bool)
    critical = _highest_threshold(probabilities, truth_array, by_rule, CRITICAL_RECALL_TARGET)
    possible = _highest_threshold(probabilities, truth_array, by_rule_or_hearsay, POSSIBLE_RECALL_TARGET)
    calm = probabilities[~truth_array & ~by_rule]
    if len(calm):
        possible = max(possible, float(np.quantile(calm, 1.0 - POSSIBLE_SHARE_LIMIT)))
    return Thresholds(critical=round(critical, 4), possible=round(min(possible, critical), 4))


def _highest_threshold(
    probabilities: np.ndarray, truth: np.ndarray, found_anyway: np.ndarray, target: float
) -> float:
    positives = int(truth.sum())
    if positives == 0:
        return 0.5
    missed_by_rules = np.sort(probabilities[truth & ~found_anyway])[::-1]
    needed = int(np.ceil(target * positives)) - int((truth & found_anyway).sum())
    if needed <= 0:
        return 0.5
    if needed > len(missed_by_rules):
        return 0.0
    return float(missed_by_rules[needed - 1])


def _rule_reads(texts: Sequence[str]) -> list[tuple[bool, bool]]:
    lexicon = default_lexicon()
    reads = []
    for text in texts:
        tokens = lexicon.tokens(text)
        signals = read_signals(lexicon.find(tokens), len(tokens))
        reads.append((signals.critical, signals.dampened))
    return reads


def _fit_head(matrix: object, labels: list[str], groups: list[str], weights: np.ndarray) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(**_SETTINGS)
    classifier.fit(matrix, labels, sample_weight=weights)
    classes = tuple(str(label) for label in classifier.classes_)
    temperature = _calibrated_temperature(matrix, labels, groups, classes, weights)
    return LinearHead(
        labels=classes,
        weights=np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
        intercept=classifier.intercept_.astype(np.float32),
        temperature=temperature,
    )


def _fit_critical(
    matrix: object, labels: list[str], groups: list[str], weights: np.ndarray
) -> tuple[LinearHead, np.ndarray]:
    """The critical-or-not head, and its out-of-fold probabilities of "critical"."""
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(**_SETTINGS)
    classifier.fit(matrix, labels, sample_weight=weights)
    classes = [str(label) for label in classifier.classes_]
    # A binary head keeps one weight column; two softmax columns (0 and w) say the same.
    coefficients = classifier.coef_.T.astype(np.float32)
    head = LinearHead(
        labels=tuple(classes),
        weights=np.ascontiguousarray(np.hstack([np.zeros_like(coefficients), coefficients])),
        intercept=np.array([0.0, classifier.intercept_[0]], dtype=np.float32),
        temperature=1.0,
    )
    scores = _out_of_fold(matrix, labels, groups, weights)
    if scores is None:
        return head, np.asarray(classifier.predict_proba(matrix))[:, classes.index("critical")]
    # decision scores favour the second label in sorted order
    positive = 1.0 / (1.0 + np.exp(-scores))
    return head, positive if classes[1] == "critical" else 1.0 - positive


def _out_of_fold(matrix: Any, labels: list[str], groups: list[str], weights: np.ndarray) -> np.ndarray | None:
    """Decision scores of models that never saw the example's scenario, or None if too few."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    folds = min(_FOLDS, min(Counter(labels).values()), len(set(groups)))
    if folds < 2:
        return None
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=_SEED)
    target = np.asarray(labels)
    scores: np.ndarray | None = None
    classes = sorted(set(labels))
    for train_rows, test_rows in splitter.split(matrix, target, groups):
        classifier = LogisticRegression(**_SETTINGS)
        classifier.fit(matrix[train_rows], target[train_rows], sample_weight=weights[train_rows])
        if [str(label) for label in classifier.classes_] != classes:
            return None  # a fold without some label: too few examples to score out of fold
        fold_scores = classifier.decision_function(matrix[test_rows])
        if scores is None:
            scores = np.zeros((len(labels), *fold_scores.shape[1:]), dtype=np.float64)
        scores[test_rows] = fold_scores
    return scores


def _calibrated_temperature(
    matrix: object, labels: list[str], groups: list[str], classes: tuple[str, ...], weights: np.ndarray
) -> float:
    """Temperature that makes out-of-fold probabilities honest (lowest log-loss)."""
    from scipy.optimize import minimize_scalar

    if len(classes) < 3:
        return 1.0
    scores = _out_of_fold(matrix, labels, groups, weights)
    if scores is None:
        return 1.0
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
    targets = f"{CRITICAL_RECALL_TARGET},{POSSIBLE_RECALL_TARGET},{POSSIBLE_SHARE_LIMIT}"
    digest.update(f"{sorted(_SETTINGS.items())};min_df={_MIN_DF};targets={targets}".encode())
    return f"lr-{digest.hexdigest()[:10]}"
