"""What the auditor's pages show: the filters they understand, and the tables and charts
built from `storage.metrics` and `storage.trust` for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app.audit.charts import Series, bar_chart, line_chart
from app.audit.tables import (
    DIMENSIONS,
    SCORE_HEADERS,
    Table,
    quiet_wards_table,
    response_table,
    trust_table,
)
from app.context import transaction
from app.labels import dimension_label
from storage.reporting.exact import GROUPS, ResponseTimes
from storage.reporting.figures import panel_names, response_times, trust_index
from storage.reporting.trust import COMPONENTS, TrustMonth, load_trust_policy, with_every_ward
from storage.wording import N_, RefusalError, Words, word
from triage.places import default_gazetteer

PanelNames = dict[str, tuple[str, str]]
# The units a chart of durations is drawn in, as its axis writes them.
HOURS, MINUTES = " h", " min"
# A window ends on the first day after its last month, which for December 9999 no datetime holds.
LAST_MONTH = datetime(9999, 12, 1, tzinfo=UTC)


class FilterError(RefusalError, ValueError):
    """A filter the pages cannot use; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    """Whole months, as the monthly summaries hold them; ``until`` is included."""

    group_by: str = "panel"
    since: str | None = None
    until: str | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> Filters:
        group_by = args.get("group_by") or "panel"
        if group_by not in GROUPS:
            raise FilterError(N_("group by one of %(choices)s"), choices=Words("value", GROUPS))
        since, until = _month(args.get("since"), "since"), _month(args.get("until"), "until")
        if since and until and _first_day(since) > _first_day(until):
            raise FilterError(
                N_("since (%(since)s) is after until (%(until)s): no month is in between"),
                since=since,
                until=until,
            )
        return cls(group_by, since, until)

    @property
    def start(self) -> datetime | None:
        return _first_day(self.since) if self.since else None

    @property
    def end(self) -> datetime | None:
        """The first day after the `until` month."""
        if not self.until:
            return None
        first = _first_day(self.until)
        return datetime(first.year + first.month // 12, first.month % 12 + 1, 1, tzinfo=UTC)

    def query(self) -> dict[str, str]:
        values = {"group_by": self.group_by, "since": self.since, "until": self.until}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Dashboard:
    """Tables and charts; `names` names the panels in the reader's language."""

    tables: list[Table]
    charts: list[Markup]
    names: PanelNames


def dashboard(filters: Filters) -> Dashboard:
    with transaction() as session:
        grouped = response_times(session, filters.group_by, filters.start, filters.end)
        monthly = response_times(session, "month", filters.start, filters.end)
        names = panel_names(session)
    tables = [response_table(grouped, filters.group_by)]
    if filters.group_by != "month":
        tables.append(response_table(monthly, "month", name="monthly"))
    charts = group_charts(grouped, filters.group_by, names) + month_charts(monthly)
    return Dashboard(tables, charts, names)


def trust(filters: Filters) -> Dashboard:
    """The wards that reported, newest month first, and for each month one line naming the
    wards where no one did: a row of blanks for each of those would bury the rest on a phone."""
    months = trust_months(filters)
    reported = sorted((m for m in months if m.reports), key=lambda m: m.ward)
    tables = [trust_table(sorted(reported, key=lambda m: m.month, reverse=True))]
    quiet = quiet_wards_table(months)
    if quiet.rows:
        tables.append(quiet)
    return Dashboard(tables, trust_charts(months), {})


def trust_months(filters: Filters) -> list[TrustMonth]:
    """Every ward of the gazetteer in each month shown, those with no report included."""
    policy = load_trust_policy()
    with transaction() as session:
        months = trust_index(session, policy, filters.start, filters.end)
    return with_every_ward(months, default_gazetteer().wards, policy)


def table_named(name: str, filters: Filters) -> Table | None:
    """The table behind a CSV link, by its name. The trust index's CSV has a row for every
    ward in every month, quiet ones included, as a spreadsheet wants it."""
    if name == "trust-index":
        return trust_table(trust_months(filters))
    if name == "quiet-wards":
        return quiet_wards_table(trust_months(filters))
    if name not in ("response-times", "monthly"):
        return None
    with transaction() as session:
        if name == "monthly":
            return response_table(
                response_times(session, "month", filters.start, filters.end), "month", "monthly"
            )
        return response_table(
            response_times(session, filters.group_by, filters.start, filters.end), filters.group_by
        )


def group_charts(rows: list[ResponseTimes], group_by: str, names: PanelNames) -> list[Markup]:
    labels = [dimension_label(row.group, group_by, names) for row in rows]
    by = _(DIMENSIONS[group_by])
    medians = [
        Series(_("to acknowledge"), [r.acknowledge.median for r in rows]),
        Series(_("to first response"), [r.first_response.median for r in rows]),
        Series(_("to resolution"), [r.resolution.median for r in rows]),
    ]
    p90s = [
        Series(_("to acknowledge"), [r.acknowledge.p90 for r in rows]),
        Series(_("to first response"), [r.first_response.p90 for r in rows]),
        Series(_("to resolution"), [r.resolution.p90 for r in rows]),
    ]
    charts = [
        _duration_chart(
            {
                HOURS: _("Median hours by %(group)s", group=by),
                MINUTES: _("Median minutes by %(group)s", group=by),
            },
            labels,
            medians,
        ),
        _duration_chart(
            {
                HOURS: _("90th percentile hours by %(group)s", group=by),
                MINUTES: _("90th percentile minutes by %(group)s", group=by),
            },
            labels,
            p90s,
        ),
        bar_chart(_("SLA compliance by %(group)s", group=by), labels, compliance(rows), "%", 100),
        bar_chart(
            _("Overdue and escalated cases by %(group)s", group=by),
            labels,
            [
                Series(_("overdue"), [r.overdue for r in rows]),
                Series(_("escalated"), [r.escalated for r in rows]),
            ],
            counts=True,
        ),
    ]
    return charts


def month_charts(rows: list[ResponseTimes]) -> list[Markup]:
    labels = [row.group for row in rows]
    return [
        line_chart(_("Cases by month"), labels, [Series(_("cases"), [r.cases for r in rows])], counts=True),
        line_chart(_("SLA compliance by month"), labels, compliance(rows), "%", 100),
    ]


def trust_charts(months: list[TrustMonth]) -> list[Markup]:
    labels = sorted({m.month for m in months})
    wards = sorted({m.ward for m in months})
    by_key = {(m.ward, m.month): m for m in months}

    def per_ward(value: str, title: str, scale: float) -> Markup:
        series = [
            Series(ward, [_figure(by_key.get((ward, month)), value) for month in labels]) for ward in wards
        ]
        return line_chart(title, labels, series, scale=scale)

    charts = [per_ward("composite", _("Trust index (0-100) by ward"), 100)]
    charts += [
        per_ward(f"score:{name}", _("%(score)s (0-1)", score=_(SCORE_HEADERS[name])), 1)
        for name in COMPONENTS
    ]
    return charts


def compliance(rows: list[ResponseTimes]) -> list[Series]:
    return compliance_shares([r.acknowledged_on_time for r in rows], [r.resolved_on_time for r in rows])


def compliance_shares(acknowledged: list[float | None], resolved: list[float | None]) -> list[Series]:
    """On-time shares as percentages, one series for each deadline."""
    return [
        Series(_("acknowledged on time"), [_percent(share) for share in acknowledged]),
        Series(_("resolved on time"), [_percent(share) for share in resolved]),
    ]


def _figure(month: TrustMonth | None, value: str) -> float | None:
    if month is None:
        return None
    if value.startswith("score:"):
        return month.scores[value.removeprefix("score:")]
    return month.composite


def _duration_chart(titles: dict[str, str], labels: list[str], in_seconds: list[Series]) -> Markup:
    """Bars of durations under the title that names the unit they are drawn in."""
    series, unit = _durations(in_seconds)
    return bar_chart(titles[unit], labels, series, unit)


def _durations(in_seconds: list[Series]) -> tuple[list[Series], str]:
    """The series in hours, or in minutes when none reaches an hour: a 4-minute median
    against a 15-minute deadline must not read as a sliver of an hour."""
    longest = max((v for one in in_seconds for v in one.values if v is not None), default=0.0)
    per, unit = (3600, HOURS) if longest >= 3600 else (60, MINUTES)
    scaled = [Series(one.name, [None if v is None else v / per for v in one.values]) for one in in_seconds]
    return scaled, unit


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _month(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        first = _first_day(value)
    except ValueError:
        raise FilterError(N_("%(field)s must be a month like 2026-03"), field=word("field", name)) from None
    if first >= LAST_MONTH:
        raise FilterError(
            N_("%(field)s must be a month before %(month)s"),
            field=word("field", name),
            month=f"{LAST_MONTH:%Y-%m}",
        )
    return value


def _first_day(month: str) -> datetime:
    return datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
