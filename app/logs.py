"""Structured logs: one JSON object a line, carrying ids and outcomes, never text or numbers."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from storage.crypto import DecryptionError, MissingMasterKeyError

STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES})
        if record.exc_info and record.exc_info[1] is not None:
            entry.update(_described(record.exc_info[1]))
        return json.dumps(entry, default=str)


def _described(error: BaseException) -> dict[str, object]:
    """The exception's type, and its reason where the reason is known to quote no content:
    messages of database errors can quote parameters, a decryption error's never does."""
    described: dict[str, object] = {"exception": type(error).__name__}
    if isinstance(error, DecryptionError):
        described["reason"] = str(error)
    if isinstance(error, MissingMasterKeyError):
        described["key"] = error.key_id
    return described


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h.formatter, JsonFormatter)]
    root.addHandler(handler)
    root.setLevel(level)
    # Driver and HTTP client loggers may echo SQL parameters or request bodies; Alembic tells
    # of its dialect at every schema check (each /readyz).
    for noisy in ("sqlalchemy", "urllib3", "twilio", "werkzeug", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
