"""Master keys live outside the database; rotation re-wraps data keys and old ciphertexts
stay readable."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
import time

import pyotp
import pytest

from storage import User
from storage.accounts import claim_totp_code
from storage.crypto import KeyFile, KeyRing, load_key_ring, parse_key_list
from storage.crypto.rotation import add_active_key, rewrap_all
from storage.database import make_engine
from tests.helpers import decrypted_text, only_report, reference_in


def test_a_generated_key_file_is_readable_by_its_owner_only(runtime):
    key_file = runtime.settings.master_keys_file

    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_keys_status_counts_the_data_keys_each_master_key_wraps(app, send_sms):
    send_sms("Polisi walimpiga kijana")

    result = app.test_cli_runner().invoke(args=["keys", "status"])

    assert result.exit_code == 0, result.output
    assert "active" in result.output
    assert "2 data keys" in result.output  # one report, one reporter


def test_rotation_rewraps_every_data_key_and_old_ciphertexts_stay_readable(app, runtime, send_sms):
    ref = reference_in(send_sms("Polisi walimchukua kaka yangu Majengo").text)
    old_key = runtime.store.keys.active_id

    result = app.test_cli_runner().invoke(args=["keys", "rotate", "--yes"])

    assert result.exit_code == 0, result.output
    assert runtime.store.keys.active_id != old_key
    assert only_report(runtime).key_id == runtime.store.keys.active_id
    assert decrypted_text(runtime, ref) == "Polisi walimchukua kaka yangu Majengo"
    reloaded = load_key_ring(None, runtime.settings.master_keys_file)
    assert reloaded.active_id == runtime.store.keys.active_id


def test_a_process_already_running_reads_what_a_rotation_elsewhere_rewrapped(runtime, send_sms):
    ref = reference_in(send_sms("Polisi walimchukua kaka yangu Majengo").text)
    key_file = KeyFile(runtime.settings.master_keys_file)
    elsewhere = add_active_key(key_file, key_file.load_or_create())
    with runtime.store.transaction() as session:
        rewrap_all(session, elsewhere)

    assert elsewhere.active_id not in runtime.store.keys.keys
    assert decrypted_text(runtime, ref) == "Polisi walimchukua kaka yangu Majengo"


def test_a_rotated_out_key_can_be_retired_and_the_text_stays_readable(app, runtime, send_sms):
    ref = reference_in(send_sms("Polisi walimchukua kaka yangu").text)
    old_key = runtime.store.keys.active_id
    runner = app.test_cli_runner()
    runner.invoke(args=["keys", "rotate", "--yes"])

    result = runner.invoke(args=["keys", "retire", old_key, "--yes"])

    assert result.exit_code == 0, result.output
    assert old_key not in runtime.store.keys.keys
    assert decrypted_text(runtime, ref) == "Polisi walimchukua kaka yangu"


def test_a_key_still_in_use_cannot_be_retired(app, runtime, send_sms):
    send_sms("Polisi walimchukua kaka yangu")
    runner = app.test_cli_runner()
    runner.invoke(args=["keys", "rotate", "--yes"])
    newest = runtime.store.keys.active_id

    result = runner.invoke(args=["keys", "retire", newest, "--yes"])

    assert result.exit_code != 0
    assert "active key cannot be retired" in result.output


def test_master_keys_from_the_environment_name_the_active_key_first():
    first, second = os.urandom(32), os.urandom(32)
    value = f"k2:{base64.urlsafe_b64encode(second).decode()},k1:{base64.urlsafe_b64encode(first).decode()}"

    ring = parse_key_list(value)

    assert ring == KeyRing(keys={"k2": second, "k1": first}, active_id="k2")


def test_a_malformed_master_key_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        parse_key_list("k1:c2hvcnQ=")


def test_authenticator_secrets_are_stored_wrapped_and_survive_rotation(app, runtime, make_user):
    account = make_user("panel_member")
    runner = app.test_cli_runner()

    with runtime.store.transaction() as session:
        stored = session.get_one(User, account.id).totp_secret
    runner.invoke(args=["keys", "rotate", "--yes"])

    assert account.totp_secret.encode() not in (stored or b"")
    with runtime.store.transaction() as session:
        user = session.get_one(User, account.id)
        assert user.totp_key_id == runtime.store.keys.active_id
        assert claim_totp_code(session, user, runtime.store.keys, pyotp.TOTP(account.totp_secret).now())


def test_processes_starting_together_share_one_generated_key_ring_and_pepper(tmp_path):
    """Two gunicorn workers booting at once on a fresh instance folder must not each invent
    their own master key: one of them would write reports the other can never read."""
    script = (
        "import hashlib, sys, time; from storage import Settings, Store;"
        "time.sleep(max(0, float(sys.argv[2]) - time.time()));"
        "s = Settings.from_env({'SAUTI_INSTANCE_PATH': sys.argv[1]});"
        "print(Store.from_settings(s).keys.active_id, hashlib.sha256(s.pepper).hexdigest())"
    )
    start_together = str(time.time() + 3)
    launched = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), start_together], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]

    answers = {process.communicate()[0] for process in launched}

    assert len(answers) == 1


def test_an_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "sauti.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    engine.dispose()

    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
