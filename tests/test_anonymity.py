"""No phone number and no message text in plaintext: not in the database, the logs, the
queue payloads or the audit log. Ciphertexts are bound to their place."""

from __future__ import annotations

import contextlib
import logging
import zlib

import pytest
from sqlalchemy import select, text, update

from storage import AuditEvent, Base, Message, Report
from storage.crypto import DecryptionError
from tests.fixtures.webhooks import AT_SECRET
from tests.helpers import decrypted_text, reference_in
from workers.dispatch import RedisDispatcher

SECRET_TEXT = "Afisa Kiprono Mwangaza alimpiga Zawadi Wanjiru jana Eastleigh"
NEEDLES = [
    "+254712345678",
    "254712345678",
    "0712345678",
    "712345678",
    "712 345 678",
    "Kiprono",
    "Mwangaza",
    "Zawadi",
    "Wanjiru",
    "alimpiga",
]


FOLLOW_UP = "Mwangaza alirudi leo na Zawadi Wanjiru"


@pytest.fixture
def traffic(send_sms, client, dial, run_jobs, runtime):
    """A little of everything a resident can send, all of it processed by the workers."""
    ref = reference_in(send_sms(SECRET_TEXT).text)
    send_sms(f"{ref} {FOLLOW_UP}")
    send_sms(f"STATUS {ref}")
    dial(["1", "1", SECRET_TEXT, "1"])
    form = {"from": "0712345678", "to": "22384", "text": SECRET_TEXT, "id": "ATXid_anon"}
    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    run_jobs()
    return ref


def test_the_database_holds_no_number_and_no_message_text(traffic, runtime):
    dump = database_dump(runtime)

    assert not [needle for needle in NEEDLES if needle.lower() in dump.lower()]
    assert decrypted_text(runtime, traffic) == f"{SECRET_TEXT}\n{FOLLOW_UP}"


def test_the_logs_hold_no_number_and_no_message_text(send_sms, dial, run_jobs, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    ref = reference_in(send_sms(SECRET_TEXT).text)
    send_sms(f"{ref} Mwangaza alirudi")
    dial(["1", "1", SECRET_TEXT, "1"])
    send_sms("x" * 5000)
    run_jobs()

    captured = capfd.readouterr()
    logged = "\n".join(r.getMessage() + repr(vars(r)) for r in caplog.records) + captured.err + captured.out
    assert "report.stored" in logged
    assert not [needle for needle in NEEDLES if needle in logged]


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_queue_payloads_carry_ids_only(send_sms, runtime):
    send_sms(SECRET_TEXT)

    payloads = redis_dump(runtime.dispatcher)

    assert "triage_reports" in payloads
    assert not [needle for needle in NEEDLES if needle in payloads]


def test_the_audit_log_holds_no_number_and_no_text(traffic, runtime):
    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent)).all()
        chain = " ".join(f"{e.actor} {e.action} {e.subject} {e.details}" for e in events)

    assert {"report.received", "case.opened"} <= {e.action for e in events}
    assert not [needle for needle in NEEDLES if needle in chain]


def test_a_ciphertext_moved_to_another_row_fails_to_decrypt(send_sms, runtime):
    first = reference_in(send_sms("First report, police took my brother").text)
    second = reference_in(send_sms("Second report about a bribe", sender="+254722000111").text)
    with runtime.store.transaction() as session:
        body = session.scalar(select(Message.body).join(Report).where(Report.ref == first))
        target = session.scalar(select(Message.id).join(Report).where(Report.ref == second))
        session.execute(update(Message).where(Message.id == target).values(body=body))

    with pytest.raises(DecryptionError):
        decrypted_text(runtime, second)
    assert decrypted_text(runtime, first) == "First report, police took my brother"


def test_a_report_copied_with_its_key_to_another_row_fails_to_decrypt(send_sms, runtime):
    first = reference_in(send_sms("First report, police took my brother").text)
    second = reference_in(send_sms("Second report about a bribe", sender="+254722000111").text)
    with runtime.store.transaction() as session:
        source = session.scalars(select(Report).where(Report.ref == first)).one()
        session.execute(
            update(Report)
            .where(Report.ref == second)
            .values(key_id=source.key_id, wrapped_key=source.wrapped_key)
        )

    with pytest.raises(DecryptionError):
        decrypted_text(runtime, second)


def test_destroying_a_reports_data_key_shreds_its_text(send_sms, runtime):
    ref = reference_in(send_sms("Police took my brother").text)
    with runtime.store.transaction() as session:
        session.execute(update(Report).where(Report.ref == ref).values(wrapped_key=None, key_id=None))

    with pytest.raises(DecryptionError):
        decrypted_text(runtime, ref)


def database_dump(runtime) -> str:
    """Every value of every row of every table, as text (bytes decoded leniently)."""
    parts: list[str] = []
    with runtime.store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for value in row:
                    parts.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
        if runtime.store.engine.dialect.name == "sqlite":
            parts.append(
                str(connection.execute(text("SELECT group_concat(sql) FROM sqlite_master")).scalar())
            )
    return "\n".join(parts)


def redis_dump(dispatcher: RedisDispatcher) -> str:
    connection = dispatcher.connection
    parts: list[str] = []
    for key in connection.scan_iter("*"):
        kind = connection.type(key)
        if kind == b"hash":
            for field, value in connection.hgetall(key).items():
                parts.append(field.decode() + "=" + readable(value))
        elif kind == b"list":
            parts.extend(readable(v) for v in connection.lrange(key, 0, -1))
        elif kind == b"string":
            parts.append(readable(connection.get(key) or b""))
    return "\n".join(parts)


def readable(value: bytes) -> str:
    with contextlib.suppress(zlib.error):
        value = zlib.decompress(value)
    return value.decode("latin-1")
