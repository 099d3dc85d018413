"""The dashboard's tables: one definition feeds the page, the CSV and the XLSX export.

Cells keep their raw values (ints, `Pct`, `Money`) so exports stay numeric; the page formats
them with the `dashboard_cell` filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..exports import ExportTable
from ..services.complaints.performance import ServiceReport
from ..services.coverage.pipeline import Pipeline
from ..services.coverage.stats import PROJECTION_MONTHS, CoverageReport
from ..services.funded_batches.report import BatchRow
from ..services.informal.reports import AgentReport, BpuChannels
from ..services.reference.choices import OFFICIAL_CATEGORY_LABELS


class Pct(float):
    """A percentage (0–100)."""


class Money(int):
    """Whole rupiah."""


def pct(value: float | None) -> Pct | None:
    return None if value is None else Pct(round(value, 2))


@dataclass
class Table:
    name: str  # also the export file name
    title: str
    headers: Sequence[str]
    rows: list[Sequence[object]]

    def export(self) -> ExportTable:
        return ExportTable(self.headers, self.rows, sheet_title=self.title[:31])


def coverage_tables(report: CoverageReport) -> dict[str, Table]:
    area = _("Kecamatan")
    official, portal = _("Official active participants"), _("Enrolled through the portal")
    monthly = Table(
        "coverage-monthly",
        _("Coverage month by month"),
        [
            _("Month"),
            official,
            _("Estimated workforce"),
            _("Coverage %"),
            portal,
            _("Portal share %"),
            _("Target %"),
        ],
        [
            [
                p.key,
                p.official,
                p.workforce,
                pct(p.pct),
                p.members,
                pct(p.portal_pct),
                pct(p.target_pct),
            ]
            for p in report.series
        ],
    )
    by_kec = Table(
        "coverage-kecamatan",
        _("Coverage by kecamatan"),
        [area, official, _("Estimated workforce"), _("Coverage %"), portal],
        [
            [r.label or _("Unknown area"), r.official, r.workforce, pct(r.pct), r.members]
            for r in report.by_kecamatan
        ],
    )
    by_sector = Table(
        "coverage-sector",
        _("Coverage by sector"),
        [_("Sector"), portal, _("Estimated workforce")],
        [
            [r.label or _("No business (informal or funded)"), r.members, r.workforce]
            for r in report.by_sector
        ],
    )
    by_cat = Table(
        "coverage-category",
        _("Coverage by category"),
        [_("Category"), official, _("Estimated workforce"), _("Coverage %"), portal],
        [
            [category_label(r.key), r.official, r.workforce, pct(r.pct), r.members]
            for r in report.by_category
        ],
    )
    channels = list(report.channel_series)
    changes = report.portal_changes
    by_channel = Table(
        "coverage-portal",
        _("The portal's contribution month by month"),
        [
            _("Month"),
            *[channel_label(c) for c in channels],
            portal,
            _("Change"),
            official,
            _("Portal share %"),
        ],
        [
            [
                p.key,
                *[report.channel_series[c][i] for c in channels],
                p.members,
                changes[i],
                p.official,
                pct(p.portal_pct),
            ]
            for i, p in enumerate(report.series)
        ],
    )
    cats = list(report.category_series)
    by_cat_monthly = Table(
        "coverage-category-monthly",
        _("Portal members by category, month by month"),
        [_("Month"), *[category_label(c) for c in cats]],
        [
            [p.key, *[report.category_series[c][i] for c in cats]]
            for i, p in enumerate(report.series)
        ],
    )
    by_sector_monthly = Table(
        "coverage-sector-monthly",
        _("Coverage by sector, month by month"),
        [_("Sector"), _("Month"), portal, _("Estimated workforce")],
        [
            [
                series.label or _("No business (informal or funded)"),
                p.key,
                p.members,
                p.workforce,
            ]
            for series in report.sector_series
            for p in series.points
        ],
    )
    tables = (monthly, by_kec, by_sector, by_cat, by_cat_monthly, by_sector_monthly, by_channel)
    return {t.name: t for t in tables}


CHANNEL_LABELS = {
    "employer": _l("Employers"),
    "self": _l("Self-registration"),
    "field_agent": _l("Field agents"),
    "funded_batch": _l("Funded batches"),
}


def channel_label(code: str) -> str:
    """An enrolment channel's name (the code itself when unknown)."""
    label = CHANNEL_LABELS.get(code)
    return str(label) if label is not None else code


def category_label(code: str) -> str:
    """A worker category's name (the code itself when unknown)."""
    label = OFFICIAL_CATEGORY_LABELS.get(str(code))
    return str(label) if label is not None else code


def pipeline_tables(report: Pipeline) -> dict[str, Table]:
    monthly = Table(
        "pipeline-monthly",
        _("Enrolment pipeline month by month"),
        [
            _("Month"),
            _("Submitted"),
            _("Enrolled"),
            _("Returned"),
            _("Rejected"),
            _("Median working days to enrol"),
        ],
        [
            [str(m.month), m.submitted, m.enrolled, m.returned, m.rejected, m.median_days]
            for m in report.months
        ],
    )
    totals, r = report.funnel_totals, report.referrals
    funnel = Table(
        "trade-funnel",
        _("Trade office outreach stages"),
        [_("Step"), _("Count")],
        [
            [_("Businesses reached by outreach"), totals["reached"]],
            [_("Businesses registered on the portal"), totals["registered"]],
            [_("Businesses verified"), totals["verified"]],
            [_("Businesses with newly enrolled workers"), totals["with_enrolled_workers"]],
            [_("Workers newly enrolled in those businesses"), totals["workers_enrolled"]],
            [_("Businesses referred to BPJS"), r.total],
            [_("Referrals registered"), r.registered],
            [_("Referrals declined"), r.declined],
        ],
    )
    detail = Table(
        "trade-funnel-detail",
        _("Trade office outreach stages by kecamatan and sector"),
        [
            _("Kecamatan"),
            _("Sector"),
            _("Reached"),
            _("Registered"),
            _("Verified"),
            _("With enrolled workers"),
            _("Workers enrolled"),
        ],
        [list(row.as_tuple()) for row in report.funnel],
    )
    return {t.name: t for t in (monthly, funnel, detail)}


def service_tables(report: ServiceReport) -> dict[str, Table]:
    complaints = Table(
        "complaints",
        _("Complaints by agency and category"),
        [
            _("Agency"),
            _("Category"),
            _("Received"),
            _("Resolved"),
            _("Resolved on time"),
            _("On-time rate %"),
            _("Open and overdue"),
        ],
        [
            [
                r.agency,
                r.category,
                r.received,
                r.resolved,
                r.on_time,
                pct(r.on_time_pct),
                r.open_overdue,
            ]
            for r in report.complaints
        ],
    )
    reprimands = Table(
        "reprimands",
        _("Reprimands by addressed agency"),
        [_("Agency"), _("Issued"), _("Answered"), _("Closed"), _("Open past deadline")],
        [[r.agency, r.issued, r.answered, r.closed, r.open_overdue] for r in report.reprimands],
    )
    return {t.name: t for t in (complaints, reprimands)}


def batch_table(rows: list[BatchRow], area: str | None = None) -> Table:
    """Funded batches; with a kecamatan (`area`, its name) two columns count its members."""
    area_headers = (
        [
            _("Members in %(kecamatan)s", kecamatan=area),
            _("Active members in %(kecamatan)s", kecamatan=area),
        ]
        if area
        else []
    )
    return Table(
        "funded-batches",
        _("Funded batches"),
        [
            _("Batch"),
            _("Funder"),
            _("Category"),
            _("Start"),
            _("End"),
            _("Quota"),
            _("Members"),
            _("Active members"),
            *area_headers,
            _("Budget"),
            _("Budget used"),
            _("Remaining"),
            _("Renewal due"),
        ],
        [
            [
                r.batch.name,
                r.batch.funder_name,
                category_label(r.batch.category),
                r.batch.period_start,
                r.batch.period_end,
                r.batch.quota,
                r.members,
                r.active,
                *([r.area_members, r.area_active] if area else []),
                Money(r.batch.budget),
                Money(r.used),
                Money(r.remaining),
                _("yes") if r.renewal_due else _("no"),
            ]
            for r in rows
        ],
    )


def projection_text(projection) -> str:
    """The projection in plain words (the pages, the PDF and the public page)."""
    target = f"{projection.target_pct:g}"
    if projection.reached:
        return _("The %(pct)s%% target is reached.", pct=target)
    if projection.target_members is None:
        return _("%(pct)s%%: unknown (no workforce estimate or official count).", pct=target)
    if projection.monthly_gain is None:
        return _(
            "%(pct)s%%: unknown (fewer than %(n)d months of official counts).",
            pct=target,
            n=PROJECTION_MONTHS,
        )
    if projection.month is None:
        return _(
            "%(pct)s%%: not reached by %(year)d at this pace.",
            pct=target,
            year=projection.target_year,
        )
    return _(
        "%(pct)s%%: reached in %(month)s at this pace.",
        pct=target,
        month=format_month(projection.month),
    )


def format_month(month) -> str:
    """A month in words in the page's language, e.g. "September 2026"."""
    return format_date(month.first_day, "MMMM yyyy")


def informal_tables(channels: BpuChannels, agents: list[AgentReport]) -> dict[str, Table]:
    """BPU members on their own account by channel, and field agents' results."""
    by_channel = Table(
        "informal-channels",
        _("BPU members on their own account, by how they registered"),
        [_("Channel"), _("Members"), _("Active members")],
        [
            [_("Self-registered"), channels.self_registered, channels.self_active],
            [_("Registered by a field agent"), channels.agent_registered, channels.agent_active],
        ],
    )
    retention = Table(
        "informal-retention",
        _("Retention: paid in each of the first 3 months"),
        [_("Members counted"), _("Retained"), _("Retention %")],
        [
            [
                channels.retention.eligible,
                channels.retention.retained,
                pct(None if channels.retention.share is None else channels.retention.share * 100),
            ]
        ],
    )
    by_agent = Table(
        "informal-agents",
        _("Field agents' results"),
        [
            _("Agent"),
            _("Registered in the month"),
            _("Registered in all"),
            _("Active members"),
            _("Retained after 3 months"),
            _("Members counted"),
            _("Dues collected"),
            _("Fee due"),
        ],
        [
            [
                r.agent.name,
                r.registered,
                r.registered_total,
                r.active,
                r.retention.retained,
                r.retention.eligible,
                Money(r.collected),
                Money(r.fee),
            ]
            for r in agents
        ],
    )
    return {t.name: t for t in (by_channel, retention, by_agent)}
