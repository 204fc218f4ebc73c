"""Metrics benchmark: a million reports with cases in PostgreSQL, then every grouping of the
response-time metrics and the trust index, timed warm.

Creates its own database on 127.0.0.1:5432 (user postgres), loads it with COPY, prints the
figures and the peak RSS of this process, and drops the database at the end.

    .venv/bin/python bench/metrics.py [--reports 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import create_database, drop_database  # noqa: E402
from storage import Case, Report, audit  # noqa: E402
from storage.reporting.exact import GROUPS  # noqa: E402
from storage.reporting.figures import response_times, trust_index  # noqa: E402
from storage.reporting.summaries import refresh_summaries  # noqa: E402
from storage.reporting.trust import load_trust_policy  # noqa: E402
from triage import load_routing, load_sla_policy  # noqa: E402

CHUNK = 50_000
START = np.datetime64("2024-11-01T00:00:00", "s")
SPAN_SECONDS = 730 * 86400
END = datetime(2026, 11, 1, tzinfo=UTC)
LAST_MONTH = datetime(2026, 10, 1, tzinfo=UTC)
WARDS = ["Airbase", "California", "Eastleigh North", "Eastleigh South", "Pumwani"]
CATEGORIES = {
    "killing": 0.01,
    "disappearance": 0.02,
    "arrest_detention": 0.22,
    "violence_abuse": 0.12,
    "extortion_harassment": 0.30,
    "recruitment_concern": 0.03,
    "returnee_support": 0.02,
    "community_tension": 0.05,
    "feedback": 0.15,
    "other": 0.08,
}
URGENCIES = {"critical": 0.05, "high": 0.2, "normal": 0.55, "low": 0.2}


def main() -> None:
    options = parse_args()
    url = create_database("sauti_bench_metrics")
    try:
        load(url, options.reports)
        builds = build_summaries(url)
        timings = time_queries(url, options.runs)
    finally:
        drop_database(url)
    print_figures(options.reports, builds, timings)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument(
        "--runs", type=int, default=5, help="warm runs of each query (the first run is not counted)"
    )
    return parser.parse_args()


def load(url: str, reports: int) -> None:
    """Panels, reporters, reports and cases through COPY, in chunks, with a progress bar."""
    rng = np.random.default_rng(5)
    routing, sla = load_routing(), load_sla_policy()
    panels = [panel.key for panel in routing.panels]
    reporters = max(reports * 3 // 10, 1)
    started = time.perf_counter()
    with psycopg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    ) as db:
        with db.cursor() as cursor:
            for number, key in enumerate(panels, 1):
                cursor.execute(
                    "INSERT INTO panels (id, key, name, name_sw, description, active) "
                    "VALUES (%s, %s, %s, '', '', true)",
                    (number, key, key),
                )
            copy_rows(
                cursor, "reporters (id, pseudonym, language, created_at, last_seen_at)", reporters, _reporters
            )
            offset = 0
            while offset < reports:
                size = min(CHUNK, reports - offset)
                reports_text, cases_text = _chunk(rng, offset, size, reporters, panels, sla)
                with cursor.copy(f"COPY reports ({REPORT_COLUMNS}) FROM STDIN") as copy:
                    copy.write(reports_text)
                with cursor.copy(f"COPY cases ({CASE_COLUMNS}) FROM STDIN") as copy:
                    copy.write(cases_text)
                offset += size
                progress("reports and cases", offset, reports, started)
            cursor.execute("SELECT setval('cases_id_seq', %s)", (reports,))
            cursor.execute("SELECT setval('reporters_id_seq', %s)", (reporters,))
        db.commit()
        db.autocommit = True
        db.execute("VACUUM ANALYZE")
    print(f"\nloaded {reports:,} reports and cases in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def copy_rows(cursor: psycopg.Cursor, table: str, count: int, lines: Callable[[int, int], str]) -> None:
    for offset in range(0, count, CHUNK):
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            copy.write(lines(offset, min(CHUNK, count - offset)))


def _reporters(offset: int, size: int) -> str:
    return "".join(
        f"{n}\tbench-{n}\tsw\t2024-11-01 00:00:00+00\t2024-11-01 00:00:00+00\n"
        for n in range(offset + 1, offset + size + 1)
    )


REPORT_COLUMNS = (
    "id, ref, reporter_id, channel, status, received_at, language, category, urgency, ward, "
    "rating, needs_translation, needs_human_review"
)
CASE_COLUMNS = (
    "id, report_id, panel_id, status, route_rule, opened_at, acknowledge_due_at, resolve_due_at, "
    "acknowledged_at, first_response_at, resolved_at, overdue, escalation_level"
)


def _chunk(
    rng: np.random.Generator, offset: int, size: int, reporters: int, panels: list[str], sla
) -> tuple[str, str]:
    """One chunk of reports and their cases, with timings that look like a working desk:
    most cases acknowledged within their deadline, a long tail, some never answered."""
    received = START + np.sort(rng.integers(0, SPAN_SECONDS, size)).astype("timedelta64[s]")
    urgency = rng.choice(list(URGENCIES), size, p=list(URGENCIES.values()))
    category = rng.choice(list(CATEGORIES), size, p=list(CATEGORIES.values()))
    ward = rng.choice([*WARDS, None], size, p=[0.18, 0.14, 0.26, 0.22, 0.12, 0.08])
    reporter = (reporters * rng.random(size) ** 2).astype(int) + 1
    ack_allow = np.array([sla.deadlines[u].acknowledge.total_seconds() for u in urgency])
    resolve_allow = np.array([sla.deadlines[u].resolve.total_seconds() for u in urgency])
    ack_after = ack_allow * rng.lognormal(-0.6, 0.8, size)
    acknowledged = rng.random(size) < 0.92
    responded = acknowledged & (rng.random(size) < 0.8)
    response_after = ack_after + ack_allow * rng.lognormal(0.5, 0.9, size)
    resolved = responded & (rng.random(size) < 0.65)
    resolve_after = response_after + resolve_allow * rng.lognormal(-1.2, 0.9, size)
    overdue = ~acknowledged | (ack_after > ack_allow) | (resolved & (resolve_after > resolve_allow))
    escalation = np.where(overdue, rng.integers(1, 3, size), 0)
    rating = np.where(responded & (rng.random(size) < 0.15), rng.integers(1, 6, size), 0)
    panel = np.array([_panel(c, u, panels) for c, u in zip(category, urgency, strict=True)])
    report_lines, case_lines = io.StringIO(), io.StringIO()
    for i in range(size):
        number = offset + i + 1
        report_id = uuid.UUID(int=number)
        at = received[i]
        status = (
            "resolved"
            if resolved[i]
            else "responded"
            if responded[i]
            else "acknowledged"
            if acknowledged[i]
            else "open"
        )
        report_lines.write(
            f"{report_id}\tB{number:09d}\t{reporter[i]}\ttwilio_sms\ttriaged\t{_t(at)}\tsw\t{category[i]}\t"
            f"{urgency[i]}\t{ward[i] or chr(92) + 'N'}\t{rating[i] or chr(92) + 'N'}\tf\tf\n"
        )
        case_lines.write(
            f"{number}\t{report_id}\t{panel[i]}\t{status}\tbench\t{_t(at)}\t{_t(at, ack_allow[i])}\t"
            f"{_t(at, resolve_allow[i])}\t{_t(at, ack_after[i], acknowledged[i])}\t"
            f"{_t(at, response_after[i], responded[i])}\t{_t(at, resolve_after[i], resolved[i])}\t"
            f"{'t' if overdue[i] else 'f'}\t{escalation[i]}\n"
        )
    return report_lines.getvalue(), case_lines.getvalue()


def _panel(category: str, urgency: str, panels: list[str]) -> int:
    if urgency == "critical" or category in ("killing", "disappearance"):
        key = "emergency-desk"
    elif category in ("recruitment_concern", "returnee_support", "community_tension"):
        key = "peace-committee"
    elif category == "feedback":
        key = "feedback-desk"
    else:
        key = "police-accountability"
    return panels.index(key) + 1


def _t(at: np.datetime64, after: float = 0.0, present: bool = True) -> str:
    if not present:
        return "\\N"
    return f"{(at + np.timedelta64(int(after), 's')).astype(str).replace('T', ' ')}+00"


def progress(label: str, done: int, total: int, started: float) -> None:
    width = 40
    filled = int(width * done / total)
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(
        f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {rate:,.0f}/s",
        end="",
        file=sys.stderr,
    )


def build_summaries(url: str) -> dict[str, float]:
    """The first build of the monthly summaries, then an incremental refresh after a
    thousand cases of the last month were acknowledged (each with its audit event)."""
    engine = create_engine(url)
    figures: dict[str, float] = {}
    with Session(engine) as session:
        started = time.perf_counter()
        months = refresh_summaries(session, END)
        session.commit()
        figures[f"first build ({len(months)} months)"] = (time.perf_counter() - started) * 1000
        session.execute(text("ANALYZE metric_cells, metric_buckets"))
        touched = session.scalars(
            select(Case).join(Report).where(Report.received_at >= LAST_MONTH).limit(1000)
        ).all()
        for case in touched:
            case.acknowledged_at = END
            audit.record(session, "case.acknowledged", subject=f"case:{case.id}")
        session.commit()
        started = time.perf_counter()
        months = refresh_summaries(session, END)
        session.commit()
        changed = ", ".join(sorted(months))
        figures[f"refresh after 1,000 changes ({changed})"] = (time.perf_counter() - started) * 1000
    engine.dispose()
    return figures


def time_queries(url: str, runs: int) -> dict[str, list[float]]:
    engine = create_engine(url)
    policy = load_trust_policy()
    quarter = (datetime(2026, 8, 1, tzinfo=UTC), END)
    ragged = (datetime(2026, 8, 10, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC))
    queries: dict[str, Callable[[Session], object]] = {
        **{f"by {g}, all months": (lambda s, g=g: response_times(s, g)) for g in GROUPS},
        "by panel, Aug-Oct 2026": lambda s: response_times(s, "panel", *quarter),
        "trust index, all months": lambda s: trust_index(s, policy),
        "by panel, 10 Aug-20 Oct 2026 (exact, from cases)": lambda s: response_times(s, "panel", *ragged),
    }
    timings = {}
    with Session(engine) as session:
        for name, query in queries.items():
            query(session)
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                query(session)
                samples.append((time.perf_counter() - started) * 1000)
            timings[name] = samples
            session.rollback()
    engine.dispose()
    return timings


def print_figures(reports: int, builds: dict[str, float], timings: dict[str, list[float]]) -> None:
    print(f"\nMonthly summaries over {reports:,} reports with cases on PostgreSQL:")
    for name, elapsed in builds.items():
        print(f"  {name:<60} {elapsed:9.1f} ms")
    runs = len(next(iter(timings.values())))
    print(f"Queries as the API and the pages run them (warm, median of {runs} runs):")
    for name, samples in timings.items():
        median = statistics.median(samples)
        verdict = "ok" if median < 300 else "over 300 ms"
        print(f"  {name:<52} median {median:7.1f} ms   best {min(samples):7.1f} ms   {verdict}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak RSS of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
