"""Reply texts and USSD screens, loaded once from `texts.yaml`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "sw")
USSD_SCREEN_LIMIT = 182


@cache
def _texts() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "texts.yaml").read_text())
    return loaded


def sms_text(name: str, language: str, **values: object) -> str:
    return str(_texts()["sms"][name][_known(language)]).format(**values)


def status_text(status: str, language: str) -> str:
    return str(_texts()["statuses"][status][_known(language)])


def ussd_text(name: str, language: str, **values: object) -> str:
    return str(_texts()["ussd"][name][_known(language)]).format(**values)


def ussd_topics() -> list[str]:
    topics: list[str] = _texts()["ussd"]["topic_keys"]
    return topics


def _known(language: str | None) -> str:
    return language if language in LANGUAGES else "en"
