"""What Sauti says to residents, from one catalogue (`reporter_texts.yaml`), and which language
to say it in: English, Kiswahili or Somali."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from storage.models import Panel, Report
from storage.segments import as_gsm7, fits_one_segment, shorten_to_fit

CATALOGUE = Path(__file__).with_suffix(".yaml")
LANGUAGES = ("en", "sw", "so")
DEFAULT_LANGUAGE = "en"
SECTIONS = ("sms", "statuses", "outcomes", "ussd")


class CatalogueError(ValueError):
    """The catalogue lacks a section, or a text lacks one of the languages."""


def reporter_text(name: str, language: str, **values: object) -> str:
    """An SMS to a resident, with its placeholders filled in. A panel's name, the one value
    an admin may make as long as they like, is made GSM-7 and shortened until the SMS fits one
    segment. (A panel's reply is never cut here: one too long is refused before it is sent.)"""
    template = _text("sms", name, language)
    if "{panel}" in template:
        values["panel"] = _fitted_panel_name(template, str(values["panel"]), values)
    return template.format(**values)


def status_text(status: str, language: str) -> str:
    return _text("statuses", status, language)


def outcome_text(outcome: str, language: str) -> str:
    return _text("outcomes", outcome, language)


def ussd_text(name: str, language: str, **values: object) -> str:
    return _text("ussd", name, language).format(**values)


def ussd_topics() -> list[str]:
    """The taxonomy keys of the USSD topic menu, in menu order."""
    topics: list[str] = catalogue()["ussd_topic_keys"]
    return topics


def reporter_language(report: Report) -> str:
    """The language to write to a report's reporter in: the report's own, else the one the
    reporter chose, else English."""
    for language in (report.language, report.reporter.language):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def known_language(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def panel_name(panel: Panel, language: str) -> str:
    """The panel's name as the reporter reads it (panels have no Somali name: English)."""
    return panel.name_sw if language == "sw" and panel.name_sw else panel.name


def emergency_acknowledgement(report: Report, panel: Panel) -> str:
    """The reporter's news that their report went to a panel as an emergency."""
    language = reporter_language(report)
    return reporter_text(
        "acknowledgement_critical", language, ref=report.ref, panel=panel_name(panel, language)
    )


def _fitted_panel_name(template: str, name: str, values: dict[str, object]) -> str:
    """As much of the panel's name as one segment has room for: in GSM-7, so that a dash or an
    accent in it does not make the whole SMS UCS-2 and cut its room from 160 to 70."""

    def fits(panel: str) -> bool:
        return fits_one_segment(template.format(**{**values, "panel": panel}))

    return shorten_to_fit(as_gsm7(name), fits)


def _text(section: str, name: str, language: str) -> str:
    return str(catalogue()[section][name][known_language(language)])


@cache
def catalogue() -> dict[str, Any]:
    """The catalogue, loaded and checked once: every text in every language."""
    loaded: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for section in SECTIONS:
        entries = loaded.get(section)
        if not isinstance(entries, dict):
            raise CatalogueError(f"{CATALOGUE.name}: no section {section!r}")
        for name, texts in entries.items():
            missing = [language for language in LANGUAGES if not (texts or {}).get(language)]
            if missing:
                raise CatalogueError(f"{CATALOGUE.name}: {section}.{name} has no {', '.join(missing)} text")
    return loaded
