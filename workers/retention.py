"""The daily retention job: erase the numbers and texts the retention periods say are due."""

from __future__ import annotations

import logging
from dataclasses import asdict

from storage.models import utcnow
from storage.retention import apply_retention
from workers.runtime import current

log = logging.getLogger(__name__)


def apply_retention_policy() -> dict[str, int]:
    """Erase what is due today. Safe to run any number of times: what is erased stays so."""
    runtime = current()
    settings = runtime.settings
    erased = apply_retention(runtime.store, settings.retention, settings.media_path, utcnow())
    log.info("retention.applied", extra=asdict(erased))
    return asdict(erased)
