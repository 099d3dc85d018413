"""The one-page printable summary for the mayor's office (fpdf2 through PortalPDF).

Read-only: it lays out figures the dashboard services computed; nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ...domain.money import format_rupiah
from ...pdf import FONT, PortalPDF
from ..complaints.performance import ServiceReport
from .pipeline import Pipeline
from .stats import CoverageReport


@dataclass
class BatchSummary:
    batches: int
    members: int
    budget: int
    used: int
    renewals_due: int


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%".replace(".", ",")


def _num(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def summary_pdf(
    title: str,
    subtitle: str,
    coverage: CoverageReport,
    pipeline: Pipeline,
    service: ServiceReport,
    batches: BatchSummary,
    projection_text: str,
) -> PortalPDF:
    """Build the summary page from reports the caller computed (read-only)."""
    pdf = PortalPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    now = coverage.headline or coverage.now
    _heading(pdf, _("Coverage"))
    _pairs(
        pdf,
        [
            (_("Month of the official count"), now.key if coverage.headline else "–"),
            (_("Official active participants"), _num(now.official)),
            (_("Estimated workforce"), _num(now.workforce)),
            (_("Coverage"), _pct(now.pct)),
            (_("Enrolled through the portal"), _num(now.members)),
            (_("Portal share"), _pct(now.portal_pct)),
            (
                _("Baseline / target band"),
                f"{coverage.baseline_pct}% / {coverage.band_low_pct}–{coverage.band_high_pct}%",
            ),
            (_("Projection"), projection_text),
        ],
    )
    _bars(pdf, [(r.label or "–", r.pct) for r in coverage.by_kecamatan], coverage)

    _heading(pdf, _("Enrolment pipeline"))
    _pairs(
        pdf,
        [
            (_("Submitted"), _num(pipeline.total("submitted"))),
            (_("Enrolled"), _num(pipeline.total("enrolled"))),
            (_("Returned"), _num(pipeline.total("returned"))),
            (_("Rejected"), _num(pipeline.total("rejected"))),
            (
                _("Median working days to enrol"),
                "–" if pipeline.median_days is None else f"{pipeline.median_days:g}",
            ),
            (_("Businesses reached by the trade office"), _num(pipeline.funnel_totals["reached"])),
            (_("Businesses referred to BPJS"), _num(pipeline.referrals.total)),
        ],
    )

    totals = service.totals
    _heading(pdf, _("Service performance"))
    _pairs(
        pdf,
        [
            (_("Complaints received"), _num(totals.received)),
            (_("On-time rate"), _pct(totals.on_time_pct)),
            (_("Open and overdue today"), _num(totals.open_overdue)),
            (
                _("Reprimands issued / answered / closed"),
                " / ".join(
                    _num(sum(getattr(r, k) for r in service.reprimands))
                    for k in ("issued", "answered", "closed")
                ),
            ),
        ],
    )

    _heading(pdf, _("Funded batches"))
    _pairs(
        pdf,
        [
            (_("Batches"), _num(batches.batches)),
            (_("Members"), _num(batches.members)),
            (_("Budget"), format_rupiah(batches.budget)),
            (_("Budget used"), format_rupiah(batches.used)),
            (_("Remaining"), format_rupiah(batches.budget - batches.used)),
            (_("Renewals due"), _num(batches.renewals_due)),
        ],
    )
    return pdf


def _heading(pdf: PortalPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 11)
    pdf.set_fill_color(230, 238, 250)
    pdf.cell(0, 7, text, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)


def _pairs(pdf: PortalPDF, pairs: list[tuple[str, str]]) -> None:
    for label, value in pairs:
        pdf.cell(80, 5.5, label)
        pdf.cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT")


def _bars(pdf: PortalPDF, rows: list[tuple[str, float | None]], coverage: CoverageReport) -> None:
    """Coverage per kecamatan as horizontal bars, 0–100%, target band shaded."""
    pdf.ln(1)
    left, width = pdf.l_margin + 45, 110
    top = pdf.get_y()
    height = 5 * len(rows)
    pdf.set_fill_color(209, 231, 221)
    x_low = left + width * coverage.band_low_pct / 100
    x_high = left + width * coverage.band_high_pct / 100
    pdf.rect(x_low, top, x_high - x_low, height, style="F")
    pdf.set_fill_color(13, 110, 253)
    for i, (label, value) in enumerate(rows):
        y = top + i * 5
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(45, 5, label[:28])
        if value is not None:
            pdf.rect(left, y + 1, width * min(value, 100) / 100, 3, style="F")
        pdf.set_xy(left + width + 2, y)
        pdf.cell(20, 5, _pct(value))
    pdf.set_draw_color(108, 117, 125)
    x_base = left + width * coverage.baseline_pct / 100
    pdf.line(x_base, top, x_base, top + height)
    pdf.set_y(top + height + 1)
