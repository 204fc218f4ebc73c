"""With master keys from SAUTI_MASTER_KEYS, `keys retire` cannot edit the list, but it still
tells whether records use the key: never advice that would make reports unreadable."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path


def env_ring_with_a_newer_key(app_config: dict[str, str]) -> tuple[str, str]:
    """The key file's ring as SAUTI_MASTER_KEYS, a new key first; and the old key's id."""
    key_file = json.loads(Path(app_config["SAUTI_MASTER_KEYS_FILE"]).read_text())
    old_id = key_file["active"]
    new = "knew:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
    return f"{new},{old_id}:{key_file['keys'][old_id]}", old_id


def test_retiring_a_key_records_still_use_says_to_rotate_first(make_app, reported_case, app_config):
    reported_case()
    ring, old_id = env_ring_with_a_newer_key(app_config)

    result = (
        make_app(SAUTI_MASTER_KEYS=ring).test_cli_runner().invoke(args=["keys", "retire", old_id, "--yes"])
    )

    assert result.exit_code != 0
    assert f"still use {old_id}; run `keys rotate`" in result.output


def test_retiring_a_key_no_record_uses_says_to_take_it_off_the_list(make_app, reported_case, app_config):
    reported_case()
    ring, old_id = env_ring_with_a_newer_key(app_config)
    runner = make_app(SAUTI_MASTER_KEYS=ring).test_cli_runner()
    runner.invoke(args=["keys", "rotate", "--yes"])

    result = runner.invoke(args=["keys", "retire", old_id, "--yes"])

    assert f"No record uses {old_id} any more" in result.output
    assert "remove it from that list" in result.output
