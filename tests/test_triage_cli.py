"""`flask triage classify` for one text and for JSON lines."""

from __future__ import annotations

import json


def test_classify_prints_category_urgency_language_ward_and_confidence(app):
    result = app.test_cli_runner().invoke(
        args=["triage", "classify", "Polisi wanampiga kijana sasa hivi Eastleigh"]
    )

    assert result.exit_code == 0, result.output
    classification = json.loads(result.output)
    assert {"category", "urgency", "language", "ward", "confidence"} <= set(classification)
    assert classification["urgency"] == "critical"
    assert classification["language"] == "sw"


def test_classify_jsonl_answers_one_line_per_line(app):
    lines = "\n".join(
        json.dumps({"text": t}) for t in ["Thank you officers of Pangani", "Askari wanaitisha hongo"]
    )

    result = app.test_cli_runner().invoke(args=["triage", "classify", "--jsonl"], input=lines + "\n")

    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["category"] for a in answers] == ["feedback", "extortion_harassment"]


def test_classify_without_text_says_what_to_do(app):
    result = app.test_cli_runner().invoke(args=["triage", "classify"])

    assert result.exit_code != 0
    assert "--jsonl" in result.output
