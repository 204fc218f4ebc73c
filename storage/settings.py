"""Settings read once from the environment (12-factor): what every part of Sauti is configured by.

With nothing set, Sauti runs on SQLite in the instance folder and keeps generated secrets
(master key ring, pepper, webhook secrets) in files there, readable by the owner only. On
PostgreSQL, or with SAUTI_ENV=production, nothing is generated: more than one host may run,
and each would invent secrets of its own, so the secrets must come from the environment and
Sauti refuses to start without them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from storage.crypto import parse_key_list
from storage.instance import DevelopmentSecrets

PROJECT_ROOT = Path(__file__).resolve().parent.parent
API_REQUESTS_PER_MINUTE = 120
# Reference look-ups (STATUS by SMS, "check a report" by USSD) one number may make in an hour.
LOOKUPS_PER_HOUR = 10
# Reports one number may send in a minute before the rest are kept on one case as follow-ups.
REPORTS_PER_MINUTE = 5
RANDOM_STRING_COMMAND = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
MASTER_KEY_COMMAND = (
    "python -c \"import base64,os; print('k1:' + base64.urlsafe_b64encode(os.urandom(32)).decode())\""
)
REQUIRED_SECRETS = {
    "SECRET_KEY": f"signs staff sessions. Generate one with: {RANDOM_STRING_COMMAND}",
    "SAUTI_PEPPER": "keys the pseudonyms of reporters' numbers; never change it once reports exist."
    f" Generate one with: {RANDOM_STRING_COMMAND}",
    "SAUTI_MASTER_KEYS": "wraps the key of every report (or set SAUTI_MASTER_KEYS_FILE to a key file"
    f" that exists). Generate one with: {MASTER_KEY_COMMAND}",
}


class ConfigurationError(RuntimeError):
    """Settings Sauti refuses to start with; the message says what to set and how."""


# Where Twilio keeps message media: the API host the MediaUrl names, and the CDN hosts it
# redirects to for the bytes.
TWILIO_MEDIA_HOSTS = ("api.twilio.com", "mms.twiliocdn.com", "media.twiliocdn.com")


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str | None
    auth_token: str | None
    sms_from: str | None
    whatsapp_from: str | None
    api_base_url: str | None
    # Hosts media may be fetched from, the first hop and every redirect: `host` or `host:port`.
    media_hosts: tuple[str, ...] = TWILIO_MEDIA_HOSTS

    @property
    def can_send(self) -> bool:
        return bool(self.account_sid and (self.sms_from or self.whatsapp_from))


@dataclass(frozen=True)
class AfricasTalkingSettings:
    username: str | None
    api_key: str | None
    sender_id: str | None
    webhook_secret: str | None
    allowed_ips: frozenset[str]
    api_base_url: str

    @property
    def can_send(self) -> bool:
        return bool(self.username and self.api_key)


@dataclass(frozen=True)
class RetentionPeriods:
    """How long after its case is resolved Sauti keeps what could identify a reporter: their
    number (to answer them), then the texts of the report (for the panel's record). Counts,
    times, the audit chain and the trust index are kept for good."""

    number_days: int = 90
    text_days: int = 730

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RetentionPeriods:
        return cls(
            number_days=int(env.get("SAUTI_RETAIN_NUMBER_DAYS") or cls.number_days),
            text_days=int(env.get("SAUTI_RETAIN_TEXT_DAYS") or cls.text_days),
        )


@dataclass(frozen=True)
class PublicContact:
    """How the public page tells residents to reach Sauti: the SMS number or short code, the
    USSD code and the SMS keywords, as posters in the area print them."""

    sms_code: str = "22384"
    ussd_code: str = "*384*1#"
    status_keywords: tuple[str, ...] = ("STATUS", "HALI", "XAALAD")
    stop_keywords: tuple[str, ...] = ("STOP", "ACHA", "JOOJI")

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
    # How often the worker's sweeps run.
    sweep_interval_seconds: int = 60
    proxy_hops: int = 0
    production: bool = False
    api_requests_per_minute: int = API_REQUESTS_PER_MINUTE
    lookups_per_hour: int = LOOKUPS_PER_HOUR
    reports_per_minute: int = REPORTS_PER_MINUTE
    public_contact: PublicContact = PublicContact()
    # Sealed attachments go to files in this folder; without it, into the database.
    media_path: Path | None = None
    retention: RetentionPeriods = RetentionPeriods()

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, instance_path: Path | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("SAUTI_INSTANCE_PATH") or instance_path or PROJECT_ROOT / "instance")
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'sauti.db'}"
        production = is_production(env, database_url)
        if production:
            check_production_secrets(env)
        elif env.get("SAUTI_MASTER_KEYS"):
            check_master_keys(env["SAUTI_MASTER_KEYS"])
        instance.mkdir(parents=True, exist_ok=True)
        secret = _secret_source(env, None if production else DevelopmentSecrets(instance / "secrets.json"))
        return cls(
            instance_path=instance,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=secret("SECRET_KEY", "secret_key") or "",
            pepper=(secret("SAUTI_PEPPER", "pepper") or "").encode(),
            master_keys=env.get("SAUTI_MASTER_KEYS") or None,
            master_keys_file=Path(env.get("SAUTI_MASTER_KEYS_FILE") or instance / "master-keys.json"),
            public_base_url=(env.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
            twilio=TwilioSettings(
                account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
                auth_token=secret("TWILIO_AUTH_TOKEN", "twilio_auth_token"),
                sms_from=env.get("TWILIO_SMS_FROM") or None,
                whatsapp_from=_whatsapp_address(env.get("TWILIO_WHATSAPP_FROM")),
                api_base_url=env.get("TWILIO_API_BASE_URL") or None,
                media_hosts=_host_list(env.get("TWILIO_MEDIA_HOSTS")) or TWILIO_MEDIA_HOSTS,
            ),
            africastalking=AfricasTalkingSettings(
                username=env.get("AT_USERNAME") or None,
                api_key=env.get("AT_API_KEY") or None,
                sender_id=env.get("AT_SENDER_ID") or None,
                webhook_secret=secret("AT_WEBHOOK_SECRET", "at_webhook_secret"),
                allowed_ips=frozenset(
                    ip.strip() for ip in env.get("AT_ALLOWED_IPS", "").split(",") if ip.strip()
                ),
                api_base_url=(env.get("AT_API_BASE_URL") or "https://api.africastalking.com").rstrip("/"),
            ),
            sweep_grace_seconds=int(env.get("SAUTI_SWEEP_GRACE_SECONDS", "60")),
            sweep_interval_seconds=int(env.get("SAUTI_SWEEP_INTERVAL_SECONDS") or 60),
            proxy_hops=int(env.get("SAUTI_PROXY_HOPS", "0")),
            production=production,
            api_requests_per_minute=int(env.get("SAUTI_API_REQUESTS_PER_MINUTE") or API_REQUESTS_PER_MINUTE),
            lookups_per_hour=int(env.get("SAUTI_LOOKUPS_PER_HOUR") or LOOKUPS_PER_HOUR),
            reports_per_minute=int(env.get("SAUTI_REPORTS_PER_MINUTE") or REPORTS_PER_MINUTE),
            public_contact=PublicContact.from_env(env),
            media_path=Path(env["SAUTI_MEDIA_PATH"]) if env.get("SAUTI_MEDIA_PATH") else None,
            retention=RetentionPeriods.from_env(env),
        )


def is_production(env: Mapping[str, str], database_url: str) -> bool:
    """Where more than one host may run: PostgreSQL, or an operator who said so."""
    return env.get("SAUTI_ENV", "").strip().lower() == "production" or not database_url.startswith("sqlite")


def check_production_secrets(env: Mapping[str, str]) -> None:
    """Raise ConfigurationError naming every secret that is missing or unusable, and how to make it."""
    problems = {name: why for name, why in REQUIRED_SECRETS.items() if not env.get(name)}
    key_file = env.get("SAUTI_MASTER_KEYS_FILE")
    if key_file and Path(key_file).is_file():
        problems.pop("SAUTI_MASTER_KEYS", None)
    elif key_file and not env.get("SAUTI_MASTER_KEYS"):
        problems["SAUTI_MASTER_KEYS"] = (
            f"SAUTI_MASTER_KEYS_FILE names {key_file}, which does not exist. "
            + (REQUIRED_SECRETS["SAUTI_MASTER_KEYS"])
        )
    if env.get("SAUTI_MASTER_KEYS"):
        try:
            parse_key_list(env["SAUTI_MASTER_KEYS"])
        except ValueError as error:
            problems["SAUTI_MASTER_KEYS"] = f"{error}. " + REQUIRED_SECRETS["SAUTI_MASTER_KEYS"]
    if problems:
        listed = "\n".join(f"  {name}: {why}" for name, why in problems.items())
        raise ConfigurationError(
            "Sauti will not start: on PostgreSQL (DATABASE_URL) or with SAUTI_ENV=production, secrets"
            " are never generated on the spot, because every host and worker must share them.\n"
            f"Set in the environment:\n{listed}\n"
            "Give every web process, worker and command the same values, and keep a copy apart"
            " from the database backups: without them no report can be read."
        )


def check_master_keys(value: str) -> None:
    """Raise ConfigurationError, saying what is wrong and how to make a key, when a
    SAUTI_MASTER_KEYS given in development cannot be read."""
    try:
        parse_key_list(value)
    except ValueError as error:
        raise ConfigurationError(
            f"Sauti will not start: SAUTI_MASTER_KEYS is set but unusable: {error}.\n"
            f"Generate a key with: {MASTER_KEY_COMMAND}\n"
            "Or unset SAUTI_MASTER_KEYS to use the key file in the instance folder."
        ) from None


def _secret_source(
    env: Mapping[str, str], generated: DevelopmentSecrets | None
) -> Callable[[str, str], str | None]:
    """Read a secret from the environment; in development, one generated in the instance folder."""

    def secret(variable: str, name: str) -> str | None:
        if env.get(variable):
            return env[variable]
        return generated.get(name) if generated else None

    return secret


def _whatsapp_address(number: str | None) -> str | None:
    """A WhatsApp sender as Twilio requires it, `whatsapp:+254...`, given with or without the
    prefix (Twilio refuses a bare number as the From of a WhatsApp message, error 21910)."""
    bare = (number or "").strip()
    if bare.lower().startswith("whatsapp:"):
        bare = bare[len("whatsapp:") :].strip()
    return f"whatsapp:{bare}" if bare else None


def _host_list(value: str | None) -> tuple[str, ...]:
    return tuple(host.strip().lower() for host in (value or "").split(",") if host.strip())
