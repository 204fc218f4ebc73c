"""The evaluation figures as a person reads them: headline first, then the detail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ABBREVIATIONS = {
    "killing": "kil",
    "disappearance": "dis",
    "arrest_detention": "arr",
    "violence_abuse": "vio",
    "extortion_harassment": "ext",
    "recruitment_concern": "rec",
    "returnee_support": "ret",
    "community_tension": "com",
    "feedback": "fee",
    "other": "oth",
}


def render(metrics: Mapping[str, Any]) -> list[str]:
    """Lines for ``triage.evaluate()``'s result: the scenario split, then the hand-written set."""
    split, handwritten = metrics["scenario_split"], metrics["handwritten"]
    lines = [
        "Scenario split: no rewording or translation of a scored scenario was trained on",
        f"  trained on {split['trained_on']} messages, scored on {split['count']} "
        f"(model {split['model_version']})",
        *_scores(split),
        "",
        "Hand-written evaluation set: written by hand, never trained on "
        f"(model {handwritten['model_version']})",
        *_scores(handwritten),
        *_kinds(handwritten.get("kinds") or {}),
    ]
    return lines


def headline(metrics: Mapping[str, Any]) -> str:
    """One line: the scenario split's and the hand-written set's headline figures."""
    parts = []
    for name, key in (("Scenario split", "scenario_split"), ("hand-written set", "handwritten")):
        scores = metrics[key]
        parts.append(
            f"{name}: category macro-F1 {_figure(scores['category_macro_f1'])}, "
            f"critical recall {_figure(scores['critical_recall'])} "
            f"at precision {_figure(scores['critical_precision'])}"
        )
    return "; ".join(parts) + "."


def _scores(scores: Mapping[str, Any]) -> list[str]:
    lines = [
        f"  category macro-F1     {_figure(scores['category_macro_f1'])}",
        f"  critical recall       {_figure(scores['critical_recall'])}   "
        f"precision {_figure(scores['critical_precision'])}   "
        f"({scores['critical_count']} critical)",
        f"  critical or possible  {_figure(scores['critical_or_possible_recall'])}   "
        f"({scores['possible_emergency']} flagged possible emergency)",
        f"  urgency macro-F1      {_figure(scores['urgency_macro_f1'])}",
        "  language  count  category-F1  critical-recall  critical-precision",
    ]
    for language, row in scores["category_by_language"].items():
        lines.append(
            f"  {language:8} {row['count']:6}  {_figure(row['category_macro_f1']):>11}  "
            f"{_figure(row['critical_recall']):>15}  {_figure(row['critical_precision']):>18}"
        )
    lines.append("  confusion matrix (rows: true category; columns: predicted)")
    labels = scores["confusion_matrix"]["labels"]
    lines.append("  " + " " * 21 + " ".join(f"{_ABBREVIATIONS.get(label, label[:3]):>4}" for label in labels))
    for label, row in zip(labels, scores["confusion_matrix"]["rows"], strict=True):
        lines.append(f"  {label:21}" + " ".join(f"{count:4}" for count in row))
    return lines


def _kinds(kinds: Mapping[str, Any]) -> list[str]:
    if not kinds:
        return []
    lines = ["  by kind (urgency right: critical when labelled critical, not critical otherwise)"]
    for kind, row in kinds.items():
        right = f"{row['right']:3}/{row['count']:<3} right"
        lines.append(f"    {kind:16} {right}  ({row['labelled_critical']} labelled critical)")
    return lines


def _figure(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-" if value is None else str(value)
