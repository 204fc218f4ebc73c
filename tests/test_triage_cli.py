"""`flask triage classify` for one text and for JSON lines."""

from __future__ import annotations

import json


def test_classify_prints_category_urgency_language_ward_confidence_and_possible_emergency(app):
    result = app.test_cli_runner().invoke(
        args=["triage", "classify", "Polisi wanampiga kijana sasa hivi Eastleigh"]
    )

    assert result.exit_code == 0, result.output
    classification = json.loads(result.output)
    assert {"category", "urgency", "language", "ward", "confidence", "possible_emergency"} <= set(
        classification
    )
    assert classification["urgency"] == "critical"
    assert classification["possible_emergency"] is False
    assert classification["language"] == "sw"


def test_classify_jsonl_answers_one_line_per_line(app):
    lines = "\n".join(
        json.dumps({"text": t}) for t in ["Thank you officers of Pangani", "Askari wanaitisha hongo"]
    )

    result = app.test_cli_runner().invoke(args=["triage", "classify", "--jsonl"], input=lines + "\n")

    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["category"] for a in answers] == ["feedback", "extortion_harassment"]
    assert all(isinstance(a["possible_emergency"], bool) for a in answers)


def test_classify_without_text_says_what_to_do(app):
    result = app.test_cli_runner().invoke(args=["triage", "classify"])

    assert result.exit_code != 0
    assert "--jsonl" in result.output


def test_evaluate_prints_the_scenario_split_first_then_the_hand_written_set(app, monkeypatch):
    import triage

    scores = {
        "model_version": "lr-test",
        "trained_on": 10,
        "count": 3,
        "category_macro_f1": 0.9,
        "critical_recall": 0.96,
        "critical_precision": 0.8,
        "critical_count": 2,
        "critical_or_possible_recall": 1.0,
        "possible_emergency": 1,
        "urgency_macro_f1": 0.7,
        "category_by_language": {
            "sheng": {
                "count": 3,
                "category_macro_f1": 0.85,
                "critical_recall": 1.0,
                "critical_precision": None,
            }
        },
        "confusion_matrix": {"labels": ["killing", "other"], "rows": [[1, 0], [0, 2]]},
    }
    monkeypatch.setattr(triage, "evaluate", lambda: {"scenario_split": scores, "handwritten": scores})

    result = app.test_cli_runner().invoke(args=["triage", "evaluate"])

    assert result.exit_code == 0, result.output
    assert result.output.index("Scenario split") < result.output.index("Hand-written evaluation set")
    assert "critical recall       0.960   precision 0.800" in result.output
    assert "sheng" in result.output
