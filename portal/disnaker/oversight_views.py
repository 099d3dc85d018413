"""Labour-office oversight: every complaint with its SLA state, per-agency figures, overdue."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..domain.clock import today_wib, wib_day
from ..exports import ExportTable, export_response
from ..services.complaints.intake import verify_working_days
from ..services.complaints.oversight import (
    SLA_FILTERS,
    OversightFilter,
    agency_performance,
    export_oversight,
    overdue_page,
    oversight_page,
    start_counts,
)
from ..services.complaints.queries import sla_statuses
from ..services.complaints.sla import ESCALATE_TO_LABOUR_AFTER
from ..services.reference import choices
from ..services.reprimands.queries import open_letter_count
from ..web.access import LABOUR, require
from ..web.forms import PeriodForm, attempt
from ..web.labels import SLA_LABELS, STATE_LABELS, complaint_state_choices
from . import bp
from .forms import OversightFilterForm

FILTER_ARGS = ("agency", "state", "sla")


@bp.route("/")
@require(LABOUR)
def index():
    counts = start_counts()
    return render_template(
        "disnaker/index.html",
        triage=counts.triage,
        verify_late=counts.verify_late,
        escalated=counts.escalated,
        overdue=counts.overdue,
        open_reprimands=open_letter_count(),
        verify_days=verify_working_days(),
    )


def _listed(template: str, page, **context):
    """A page of complaints, each with its deadline status."""
    return render_template(template, page=page, statuses=sla_statuses(page.items), **context)


def _read_filters() -> tuple[OversightFilterForm, OversightFilter]:
    """The filter form with its choices, and the filters it carries (page and export)."""
    form = OversightFilterForm(request.args)
    form.agency.choices = choices.with_blank(choices.agency_codes(), _("All agencies"))
    form.state.choices = choices.with_blank(complaint_state_choices(), _("All states"))
    form.sla.choices = choices.with_blank(
        [(k, str(SLA_LABELS[k][0])) for k in SLA_FILTERS], _("Any")
    )
    flt = OversightFilter(
        agency=form.agency.data or None, state=form.state.data or None, sla=form.sla.data or None
    )
    return form, flt


@bp.route("/oversight")
@require(LABOUR)
def oversight():
    form, flt = _read_filters()
    page = oversight_page(flt, request.args.get("page"))
    filters = {k: v for k, v in request.args.items() if k in FILTER_ARGS and v}
    return _listed("disnaker/oversight.html", page, form=form, filters=filters)


@bp.route("/oversight/export")
@require(LABOUR)
def oversight_export():
    """The filtered list as CSV or XLSX (no reporter identity), at most EXPORT_LIMIT rows."""
    _form, flt = _read_filters()
    fmt = request.args.get("fmt", "csv")
    saved, items = attempt(lambda: export_oversight(flt, fmt, request.args.to_dict()))
    if not saved:
        return redirect(url_for(".oversight"))
    statuses = sla_statuses(items)
    table = ExportTable(
        headers=[
            _("Code"),
            _("Submitted"),
            _("Agency"),
            _("Category"),
            _("State"),
            _("Deadline"),
            _("Deadline status"),
            _("Working days late"),
            _("Assignee"),
            _("Escalation level"),
        ],
        rows=[
            (
                c.tracking_code,
                wib_day(c.submitted_at),
                c.agency.short_name,
                c.category.name_id,
                str(STATE_LABELS[c.state]),
                statuses[c.id].due,
                str(SLA_LABELS[statuses[c.id].code][0]),
                statuses[c.id].days_overdue,
                c.assignee.name if c.assignee else "",
                c.escalation_level,
            )
            for c in items
        ],
        sheet_title=_("Complaints"),
    )
    return export_response(table, f"pengaduan-{today_wib().isoformat()}", fmt)


@bp.route("/overdue")
@require(LABOUR)
def overdue():
    page = overdue_page(request.args.get("page"))
    return _listed("disnaker/overdue.html", page, escalate_after=ESCALATE_TO_LABOUR_AFTER)


@bp.route("/performance")
@require(LABOUR)
def performance():
    form = PeriodForm(request.args)
    form.validate()
    end = form.end.data or today_wib()
    start = form.start.data or end - timedelta(days=90)
    if start > end:
        form.start.errors = [_("The start must not be after the end.")]
        start, end = end - timedelta(days=90), end
    rows = agency_performance(start, end)
    status = 400 if form.start.errors or form.end.errors else 200
    return (
        render_template("disnaker/performance.html", form=form, rows=rows, start=start, end=end),
        status,
    )
