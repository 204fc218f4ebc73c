"""Settings read once from the environment (12-factor), with generated development secrets.

With nothing set, Sauti runs on SQLite in the instance folder and keeps generated secrets
(master key ring, pepper, webhook secrets) in files there, readable by the owner only.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str | None
    auth_token: str
    sms_from: str | None
    whatsapp_from: str | None
    api_base_url: str | None

    @property
    def can_send(self) -> bool:
        return bool(self.account_sid and (self.sms_from or self.whatsapp_from))


@dataclass(frozen=True)
class AfricasTalkingSettings:
    username: str | None
    api_key: str | None
    sender_id: str | None
    webhook_secret: str
    allowed_ips: frozenset[str]
    api_base_url: str

    @property
    def can_send(self) -> bool:
        return bool(self.username and self.api_key)


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    pepper: bytes
    master_keys: str | None
    master_keys_file: Path
    public_base_url: str | None
    twilio: TwilioSettings
    africastalking: AfricasTalkingSettings
    sweep_grace_seconds: int = 60
    proxy_hops: int = 0

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, instance_path: Path | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("SAUTI_INSTANCE_PATH") or instance_path or PROJECT_ROOT / "instance")
        instance.mkdir(parents=True, exist_ok=True)
        dev = DevelopmentSecrets(instance / "secrets.json")
        return cls(
            instance_path=instance,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance / 'sauti.db'}",
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY") or dev.get("secret_key"),
            pepper=(env.get("SAUTI_PEPPER") or dev.get("pepper")).encode(),
            master_keys=env.get("SAUTI_MASTER_KEYS") or None,
            master_keys_file=Path(env.get("SAUTI_MASTER_KEYS_FILE") or instance / "master-keys.json"),
            public_base_url=(env.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
            twilio=TwilioSettings(
                account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
                auth_token=env.get("TWILIO_AUTH_TOKEN") or dev.get("twilio_auth_token"),
                sms_from=env.get("TWILIO_SMS_FROM") or None,
                whatsapp_from=env.get("TWILIO_WHATSAPP_FROM") or None,
                api_base_url=env.get("TWILIO_API_BASE_URL") or None,
            ),
            africastalking=AfricasTalkingSettings(
                username=env.get("AT_USERNAME") or None,
                api_key=env.get("AT_API_KEY") or None,
                sender_id=env.get("AT_SENDER_ID") or None,
                webhook_secret=env.get("AT_WEBHOOK_SECRET") or dev.get("at_webhook_secret"),
                allowed_ips=frozenset(
                    ip.strip() for ip in env.get("AT_ALLOWED_IPS", "").split(",") if ip.strip()
                ),
                api_base_url=(env.get("AT_API_BASE_URL") or "https://api.africastalking.com").rstrip("/"),
            ),
            sweep_grace_seconds=int(env.get("SAUTI_SWEEP_GRACE_SECONDS", "60")),
            proxy_hops=int(env.get("SAUTI_PROXY_HOPS", "0")),
        )


class DevelopmentSecrets:
    """Random secrets generated on first use and kept in a 0600 file under the instance folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, name: str) -> str:
        # Several processes (gunicorn workers, a worker, the CLI) may start at once; each must
        # end up with the same secret, so the read-generate-write happens under a file lock.
        with file_lock(self.path):
            values = self._read()
            if name not in values:
                values[name] = secrets.token_urlsafe(32)
                write_private_file(self.path, json.dumps(values, indent=2))
        return values[name]

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        loaded: dict[str, str] = json.loads(self.path.read_text())
        return loaded


def write_private_file(path: Path, content: str) -> None:
    """Write atomically a file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` (across processes on this host)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
