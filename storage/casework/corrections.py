"""Labelled examples from the panels' corrections, for the next training of the classifier."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.casework.opening import text_of_reporter
from storage.crypto import DecryptionError, KeyRing
from storage.models import Correction, Report


def corrected_examples(session: Session, keys: KeyRing) -> list[tuple[str, str, str]]:
    """(text, category, urgency) of every report a panel reclassified, with the labels as the
    panel left them. Shredded reports are skipped; their text is gone."""
    corrected = select(Correction.report_id).distinct()
    reports = session.scalars(select(Report).where(Report.id.in_(corrected), Report.category.is_not(None)))
    examples = []
    for report in reports:
        try:
            text = text_of_reporter(session, keys, report)
        except DecryptionError:
            continue
        examples.append((text, report.category or "other", report.urgency or "normal"))
    return examples
