"""The audit chain: each of the four tamperings, made directly in the database, is caught at
the right entry; anchors catch a cut-off tail; exports verify with the README's script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select, text

from storage import AuditEvent, audit
from storage.audit.anchors import read_anchors, verify_with_anchors, write_anchor
from workers.anchors import ANCHOR_FILE, anchor_audit_chain

README = Path(__file__).resolve().parent.parent / "README.md"
EVENTS = 6


@pytest.fixture
def chain(runtime) -> None:
    """Six events, one a day from 1 March 2026."""
    for day in range(EVENTS):
        moment = datetime(2026, 3, 1 + day, 9, tzinfo=UTC)
        with time_machine.travel(moment, tick=False), runtime.store.transaction() as session:
            audit.record(session, "case.acknowledged", actor="lead@panel.test", details={"case": day})


def sql(runtime, statement: str, **values: object) -> None:
    with runtime.store.engine.begin() as connection:
        connection.execute(text(statement), values)


def check(runtime, anchors=()):
    with runtime.store.transaction() as session:
        return verify_with_anchors(session, list(anchors))


def stored(runtime, event_id: int) -> AuditEvent:
    with runtime.store.transaction() as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.id == event_id)).one()


def test_an_untouched_chain_is_intact(runtime, chain):
    result = check(runtime)

    assert result.intact
    assert result.checked == EVENTS
    assert result.head_hash == stored(runtime, EVENTS).hash


def test_an_edited_entry_is_caught_at_that_entry(runtime, chain):
    sql(runtime, "UPDATE audit_events SET actor = 'someone.else@panel.test' WHERE id = 3")

    result = check(runtime)

    assert not result.intact
    assert result.broken_at == 3
    assert "does not match its hash" in result.reason


def test_a_deleted_entry_is_caught_at_the_entry_after_it(runtime, chain):
    sql(runtime, "DELETE FROM audit_events WHERE id = 3")

    result = check(runtime)

    assert not result.intact
    assert result.broken_at == 4
    assert result.checked == 2


def test_an_inserted_entry_is_caught_at_the_entry_it_displaced(runtime, chain):
    """The forger knows the hashing: the inserted entry itself is well-formed, and links to
    the one before it; the original entry pushed along cannot be."""
    for event_id in range(EVENTS, 2, -1):
        sql(runtime, "UPDATE audit_events SET id = :new WHERE id = :old", new=event_id + 1, old=event_id)
    forged = AuditEvent(
        id=3,
        at=datetime(2026, 3, 3, 12, tzinfo=UTC),
        actor="system",
        action="case.resolved",
        subject="",
        details={"case": 99},
        prev_hash=stored(runtime, 2).hash,
    )
    forged.hash = audit.event_hash(forged)
    sql(runtime, "UPDATE audit_events SET prev_hash = :forged WHERE id = 4", forged=forged.hash)
    with runtime.store.transaction() as session:
        session.add(forged)

    result = check(runtime)

    assert not result.intact
    assert result.broken_at == 4
    assert result.checked == 3


def test_reordered_entries_are_caught_at_the_first_moved(runtime, chain):
    sql(runtime, "UPDATE audit_events SET id = -1 WHERE id = 3")
    sql(runtime, "UPDATE audit_events SET id = 3 WHERE id = 4")
    sql(runtime, "UPDATE audit_events SET id = 4 WHERE id = -1")

    result = check(runtime)

    assert not result.intact
    assert result.broken_at == 3
    assert "link" in result.reason or "hash" in result.reason


def test_an_anchor_catches_newest_entries_cut_off(runtime, chain):
    with runtime.store.transaction() as session:
        anchor = write_anchor(session, runtime.settings.instance_path / ANCHOR_FILE)
    sql(runtime, "DELETE FROM audit_events WHERE id >= 5")

    result = check(runtime, [anchor])

    assert not result.intact
    assert result.broken_at == EVENTS
    assert "cut off" in result.reason


def test_audit_verify_command_reports_intact_then_the_broken_entry(app, runtime, chain):
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    sql(runtime, "UPDATE audit_events SET details = :d WHERE id = 2", d=json.dumps({"case": 7}))

    broken = runner.invoke(args=["audit", "verify"])

    assert intact.exit_code == 0
    assert f"{EVENTS} events" in intact.output
    assert broken.exit_code == 1
    assert "BROKEN at event 2" in broken.output


def test_audit_anchor_command_prints_the_head_and_keeps_it(app, runtime, chain):
    result = app.test_cli_runner().invoke(args=["audit", "anchor"])

    head = stored(runtime, EVENTS).hash
    assert head in result.output
    kept = (runtime.settings.instance_path / ANCHOR_FILE).read_text()
    assert json.loads(kept)["head_hash"] == head


def readme_verifier(tmp_path: Path) -> Path:
    auditing = README.read_text(encoding="utf-8").split("## Auditing", 1)[1]
    script = re.search(r"```python\n(.*?)```", auditing, re.S)
    assert script, "README's Auditing section holds the outside verifier"
    path = tmp_path / "verify.py"
    path.write_text(script.group(1), encoding="utf-8")
    return path


def export(app, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "chain.jsonl"
    result = app.test_cli_runner().invoke(args=["audit", "export", "--output", str(path), *args])
    assert result.exit_code == 0, result.output
    return path


def test_an_export_since_a_date_verifies_with_the_readme_script(app, runtime, chain, tmp_path):
    exported = export(app, tmp_path, "--since", "2026-03-03")
    lines = [json.loads(line) for line in exported.read_text().splitlines()]

    outside = subprocess.run(
        [sys.executable, str(readme_verifier(tmp_path)), str(exported)], capture_output=True, text=True
    )

    assert [line["id"] for line in lines] == [3, 4, 5, 6]
    assert lines[0]["prev_hash"] == stored(runtime, 2).hash
    assert outside.returncode == 0, outside.stderr
    assert stored(runtime, EVENTS).hash in outside.stdout


def test_the_readme_script_catches_an_edited_export(app, chain, tmp_path):
    exported = export(app, tmp_path)
    lines = exported.read_text().splitlines()
    edited = json.loads(lines[2]) | {"actor": "nobody@panel.test"}
    lines[2] = json.dumps(edited)
    exported.write_text("\n".join(lines) + "\n")

    outside = subprocess.run(
        [sys.executable, str(readme_verifier(tmp_path)), str(exported)], capture_output=True, text=True
    )

    assert outside.returncode != 0
    assert "line 3" in outside.stderr


def test_the_periodic_job_anchors_the_head_about_once_an_hour(runtime, chain):
    path = runtime.settings.instance_path / ANCHOR_FILE
    with time_machine.travel(datetime(2026, 3, 7, 10, tzinfo=UTC), tick=False) as clock:
        first = anchor_audit_chain()
        clock.move_to(datetime(2026, 3, 7, 10, 30, tzinfo=UTC))
        too_soon = anchor_audit_chain()
        clock.move_to(datetime(2026, 3, 7, 11, 0, tzinfo=UTC))
        hourly = anchor_audit_chain()

    assert first == hourly == stored(runtime, EVENTS).hash
    assert too_soon is None
    assert [a.at for a in read_anchors(path)] == ["2026-03-07T10:00:00Z", "2026-03-07T11:00:00Z"]
