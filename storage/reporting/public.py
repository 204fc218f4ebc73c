"""What the public may see of the figures: every cell that fewer than five reports stand behind
is withheld, since it could single a reporter out."""

from __future__ import annotations

from dataclasses import dataclass

from storage.reporting.exact import Distribution, ResponseTimes

SMALL_CELL = 5


@dataclass(frozen=True)
class CountTable:
    """Reports per key (category or ward) and month. A cell of fewer than ``SMALL_CELL``
    reports, zero included, is None: it could single a reporter out."""

    dimension: str
    months: list[str]
    keys: list[str]
    cells: dict[tuple[str, str], int | None]


@dataclass(frozen=True)
class PanelSummary:
    """A panel's public figures; None wherever fewer than ``SMALL_CELL`` cases stand behind it."""

    panel: str
    cases: int | None
    acknowledge_median: float | None
    first_response_median: float | None
    resolution_median: float | None
    acknowledged_on_time: float | None
    resolved_on_time: float | None


def count_table(dimension: str, counts: dict[tuple[str, str], int]) -> CountTable:
    """Reports per (key, month), every cell under ``SMALL_CELL`` suppressed."""
    months = sorted({month for _, month in counts})
    keys = sorted({key for key, _ in counts})
    cells = {(k, m): _suppressed(counts.get((k, m), 0)) for k in keys for m in months}
    return CountTable(dimension, months, keys, cells)


def public_panels(rows: list[ResponseTimes]) -> list[PanelSummary]:
    """Per panel: median times and SLA compliance, suppressed where fewer than five cases;
    each on-time share must already be withheld where fewer than five cases stand behind it
    (`response_times(..., fewest=SMALL_CELL)`)."""
    summaries = []
    for row in rows:
        shown = row.cases >= SMALL_CELL
        summaries.append(
            PanelSummary(
                panel=row.group,
                cases=row.cases if shown else None,
                acknowledge_median=_public_median(row.acknowledge) if shown else None,
                first_response_median=_public_median(row.first_response) if shown else None,
                resolution_median=_public_median(row.resolution) if shown else None,
                acknowledged_on_time=row.acknowledged_on_time if shown else None,
                resolved_on_time=row.resolved_on_time if shown else None,
            )
        )
    return summaries


def _suppressed(count: int) -> int | None:
    return count if count >= SMALL_CELL else None


def _public_median(distribution: Distribution) -> float | None:
    return distribution.median if distribution.count >= SMALL_CELL else None
