"""`flask triage classify --jsonl` stops at the first line it cannot read, naming the line and
what is wrong, with no traceback, after answering the lines before it."""

from __future__ import annotations

import json

import pytest


def classify_lines(app, lines: bytes):
    return app.test_cli_runner().invoke(args=["triage", "classify", "--jsonl"], input=lines)


@pytest.mark.parametrize(
    ("bad_line", "said"),
    [
        (b'{"body": "Askari wanaitisha hongo"}', 'line 3: no "text" field'),
        (b"Askari wanaitisha hongo", "line 3: not JSON"),
        (b'["Askari wanaitisha hongo"]', "line 3: not a JSON object"),
        (b'{"text": 42}', 'line 3: "text" is not a string'),
        (b'{"text": "Askari \xff"}', "line 3: not UTF-8 text"),
    ],
    ids=["no-text", "not-json", "not-an-object", "text-not-a-string", "not-utf8"],
)
def test_a_bad_line_is_named_after_the_answers_before_it(app, bad_line, said):
    good = json.dumps({"text": "Thank you officers of Pangani"}).encode()

    result = classify_lines(app, good + b"\n\n" + bad_line + b"\n" + good + b"\n")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert said in result.stderr
    assert [json.loads(line)["category"] for line in result.stdout.splitlines()] == ["feedback"]


def test_the_help_says_what_a_bad_line_does(app):
    result = app.test_cli_runner().invoke(args=["triage", "classify", "--help"])

    assert "stops" in result.output
    assert "which line" in result.output
