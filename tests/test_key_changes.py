"""`flask keys rotate` and `flask keys retire` write each change to the audit chain (ids only,
never a key), refuse a key id the ring lacks, and ask first at a terminal; a script rotates
as it is, but must say --yes to retire."""

from __future__ import annotations

import base64
import io

from sqlalchemy import select

from storage import AuditEvent, audit
from storage.audit import canonical_json


class Terminal(io.BytesIO):
    """Stdin as a person at a terminal gives it."""

    def isatty(self) -> bool:
        return True


def key_events(runtime) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action.like("key.%"))))


def chain_intact(runtime) -> bool:
    with runtime.store.transaction() as session:
        return audit.verify_chain(session).intact


def key_material(runtime) -> list[str]:
    keys = runtime.store.keys.keys.values()
    return [form for key in keys for form in (base64.urlsafe_b64encode(key).decode(), key.hex())]


def test_a_rotation_is_in_the_audit_chain_with_no_key_in_it(app, runtime, send_sms):
    send_sms("Polisi walimchukua kaka yangu Majengo")

    result = app.test_cli_runner().invoke(args=["keys", "rotate", "--yes"])

    assert result.exit_code == 0, result.output
    [event] = key_events(runtime)
    assert (event.action, event.actor) == ("key.rotated", "cli")
    assert event.subject == f"key:{runtime.store.keys.active_id}"
    assert event.details == {"created": True, "rewrapped": 2}  # one report, one reporter
    assert not any(material in canonical_json(event) for material in key_material(runtime))
    assert chain_intact(runtime)


def test_a_retirement_is_in_the_audit_chain_and_the_chain_still_verifies(app, runtime):
    old_key = runtime.store.keys.active_id
    runner = app.test_cli_runner()
    runner.invoke(args=["keys", "rotate", "--yes"])

    result = runner.invoke(args=["keys", "retire", old_key, "--yes"])

    assert result.exit_code == 0, result.output
    assert [(e.action, e.subject) for e in key_events(runtime)] == [
        ("key.rotated", f"key:{runtime.store.keys.active_id}"),
        ("key.retired", f"key:{old_key}"),
    ]
    assert chain_intact(runtime)


def test_retiring_a_key_the_ring_lacks_is_refused_and_changes_nothing(app, runtime):
    key_file = runtime.settings.master_keys_file
    before = key_file.read_bytes()

    result = app.test_cli_runner().invoke(args=["keys", "retire", "k1", "--yes"])

    assert result.exit_code != 0
    assert "no key k1 in the key ring" in result.output
    assert "Retired" not in result.output
    assert key_file.read_bytes() == before
    assert key_events(runtime) == []


def test_a_refused_retirement_writes_no_event(app, runtime):
    active = runtime.store.keys.active_id

    result = app.test_cli_runner().invoke(args=["keys", "retire", active, "--yes"])

    assert result.exit_code != 0
    assert key_events(runtime) == []


def test_rotate_run_by_a_script_goes_ahead_without_asking(app, runtime):
    old_key = runtime.store.keys.active_id

    result = app.test_cli_runner().invoke(args=["keys", "rotate"], input="")

    assert result.exit_code == 0, result.output
    assert "[y/N]" not in result.output
    assert runtime.store.keys.active_id != old_key
    assert [event.action for event in key_events(runtime)] == ["key.rotated"]


def test_retire_run_by_a_script_without_yes_says_to_add_it_and_changes_nothing(app, runtime):
    app.test_cli_runner().invoke(args=["keys", "rotate", "--yes"])
    old_key = next(key for key in runtime.store.keys.keys if key != runtime.store.keys.active_id)
    before = runtime.settings.master_keys_file.read_bytes()

    result = app.test_cli_runner().invoke(args=["keys", "retire", old_key], input="")

    assert result.exit_code != 0
    assert "add --yes" in result.output
    assert "Aborted" not in result.output
    assert runtime.settings.master_keys_file.read_bytes() == before
    assert [event.action for event in key_events(runtime)] == ["key.rotated"]


def test_rotate_at_a_terminal_asks_first_and_goes_on_when_told_yes(app, runtime):
    old_key = runtime.store.keys.active_id

    result = app.test_cli_runner().invoke(args=["keys", "rotate"], input=Terminal(b"y\n"))

    assert result.exit_code == 0, result.output
    assert "re-wrap every data key with it? [y/N]" in result.output
    assert runtime.store.keys.active_id != old_key


def test_rotate_at_a_terminal_changes_nothing_when_told_no(app, runtime):
    before = runtime.settings.master_keys_file.read_bytes()

    result = app.test_cli_runner().invoke(args=["keys", "rotate"], input=Terminal(b"n\n"))

    assert result.exit_code != 0
    assert runtime.settings.master_keys_file.read_bytes() == before
    assert key_events(runtime) == []


def test_the_help_of_rotate_and_retire_names_yes_for_scripts(app):
    runner = app.test_cli_runner()

    for command in (["keys", "rotate"], ["keys", "retire"]):
        result = runner.invoke(args=[*command, "--help"])

        assert "--yes" in result.output
        assert "scripts" in result.output
