"""Settings read once from the environment (12-factor): what every part of Sauti is configured by.

With nothing set, Sauti runs on SQLite in the instance folder and keeps generated secrets
(master key ring, pepper, webhook secrets) in files there, readable by the owner only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from storage.instance import DevelopmentSecrets

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
class PublicContact:
    """How the public page tells residents to reach Sauti: the SMS number or short code, the
    USSD code and the SMS keywords, as posters in the area print them."""

    sms_code: str = "22384"
    ussd_code: str = "*384*1#"
    status_keywords: tuple[str, ...] = ("STATUS", "HALI")
    stop_keywords: tuple[str, ...] = ("STOP", "ACHA")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PublicContact:
        defaults = cls()
        return cls(
            sms_code=env.get("SAUTI_PUBLIC_SMS_CODE") or env.get("TWILIO_SMS_FROM") or defaults.sms_code,
            ussd_code=env.get("SAUTI_PUBLIC_USSD_CODE") or defaults.ussd_code,
            status_keywords=_words(env.get("SAUTI_PUBLIC_STATUS_KEYWORDS")) or defaults.status_keywords,
            stop_keywords=_words(env.get("SAUTI_PUBLIC_STOP_KEYWORDS")) or defaults.stop_keywords,
        )


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(word.strip().upper() for word in (value or "").split(",") if word.strip())


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
    public_contact: PublicContact = PublicContact()

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
            public_contact=PublicContact.from_env(env),
        )
