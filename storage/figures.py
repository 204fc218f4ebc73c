"""The figures auditors and the public are shown. Over whole months they are read from the
monthly summaries (fast at any size; medians and 90th percentiles within 2%); over any other
window they are computed exactly from the cases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import metrics, trust
from storage.metrics import GROUPS, MEASURES, CountTable, PanelSummary, ResponseTimes
from storage.summaries import Window, bucket_percentiles, month_window, summed_cells
from storage.trust import TrustMonth, TrustPolicy


def response_times(
    session: Session, group_by: str, since: datetime | None = None, until: datetime | None = None
) -> list[ResponseTimes]:
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    window = month_window(since, until)
    if window is None:
        return metrics.response_times(session, group_by, since, until)
    dimension, key = ("all", "month") if group_by == "month" else (group_by, "value")
    spreads = bucket_percentiles(session, dimension, (key,), window, MEASURES)
    return [
        metrics.response_row(cell[key], _counts(cell), spreads.get((cell[key],), {}))
        for cell in (row._mapping for row in summed_cells(session, dimension, (key,), window))
    ]


def trust_index(
    session: Session, policy: TrustPolicy, since: datetime | None = None, until: datetime | None = None
) -> list[TrustMonth]:
    window = month_window(since, until)
    if window is None:
        return trust.trust_index(session, policy, since, until)
    keys = ("value", "month")
    medians = bucket_percentiles(session, "ward", keys, window, ("first_response",))
    months = []
    for row in summed_cells(session, "ward", keys, window):
        cell = row._mapping
        if cell["value"] == metrics.UNKNOWN:
            continue
        median = medians.get((cell["value"], cell["month"]), {}).get("first_response_median")
        months.append(trust.trust_month(_trust_counts(cell), median, policy))
    return months


def monthly_counts(session: Session, dimension: str, since: datetime) -> CountTable:
    """Reports per month and category or ward from ``since`` (the start of a month) on,
    small cells suppressed."""
    rows = summed_cells(session, dimension, ("value", "month"), Window(since.strftime("%Y-%m"), None))
    return metrics.count_table(dimension, {(r.value, r.month): int(r.cases) for r in rows})


def public_panels(session: Session, since: datetime) -> list[PanelSummary]:
    return metrics.public_panels(response_times(session, "panel", since))


def _counts(cell: object) -> dict[str, object]:
    c = dict(cell)  # type: ignore[call-overload]
    return {**c, **{f"{measure}_count": c[measure] for measure in MEASURES}}


def _trust_counts(cell: object) -> dict[str, object]:
    c = dict(cell)  # type: ignore[call-overload]
    return {
        "ward": c["value"],
        "month": c["month"],
        "reports": c["cases"],
        "answer_due": c["answer_due"],
        "on_time": c["answered_on_time"],
        "satisfaction": c["rating_sum"] / c["ratings"] if c["ratings"] else None,
        "ratings": c["ratings"],
        "repeat": c["repeat"],
        "feedback": c["feedback"],
    }
