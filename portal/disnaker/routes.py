"""Labour-office oversight: every complaint with its SLA state, per-agency figures, overdue."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib, wib_day
from ..exports import ExportTable, export_response
from ..extensions import db
from ..models import Agency, Complaint, ComplaintState, Reprimand, ReprimandState
from ..services.audit.trail import record_event
from ..services.complaints.oversight import agency_performance, overdue_filter
from ..services.complaints.sla import TRIAGE_STATES, sla_status
from ..services.reference.lookups import working_calendar
from ..web.access import LABOUR, require
from ..web.labels import SLA_LABELS, STATE_LABELS
from . import bp
from .forms import OversightFilterForm, PeriodForm

SLA_FILTERS = ("overdue", "escalated", "paused", "verify_overdue")
EXPORT_LIMIT = 20_000


def _paginate(stmt):
    return db.paginate(
        stmt.options(
            joinedload(Complaint.category),
            joinedload(Complaint.agency),
            joinedload(Complaint.assignee),
        ),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def _statuses(items) -> dict:
    today, cal = today_wib(), working_calendar()
    return {c.id: sla_status(c, today, cal) for c in items}


@bp.route("/")
@require(LABOUR)
def index():
    today = today_wib()
    triage = [s.value for s in TRIAGE_STATES]
    counts = db.session.execute(
        select(
            func.count().filter(Complaint.state.in_(triage)),
            func.count().filter(Complaint.state.in_(triage), Complaint.verify_due < today),
            func.count().filter(
                Complaint.escalation_level >= 3,
                Complaint.state.not_in(
                    [
                        ComplaintState.RESOLVED.value,
                        ComplaintState.CLOSED.value,
                        ComplaintState.REJECTED.value,
                    ]
                ),
            ),
        )
    ).one()
    overdue = db.session.scalar(overdue_filter(select(func.count(Complaint.id)), today))
    open_reprimands = db.session.scalar(
        select(func.count(Reprimand.id)).where(
            Reprimand.state.in_(
                [ReprimandState.ISSUED, ReprimandState.ACKNOWLEDGED, ReprimandState.RESPONDED]
            )
        )
    )
    return render_template(
        "disnaker/index.html",
        triage=counts[0],
        verify_late=counts[1],
        escalated=counts[2],
        overdue=overdue,
        open_reprimands=open_reprimands,
    )


def _oversight_query(form: OversightFilterForm):
    """Fill the filter choices and build the filtered query (shared by page and export)."""
    agencies = db.session.scalars(select(Agency).order_by(Agency.id)).all()
    form.agency.choices = [("", _("All agencies"))] + [(a.code, a.short_name) for a in agencies]
    form.state.choices = [("", _("All states"))] + [
        (s.value, str(STATE_LABELS[s.value])) for s in ComplaintState
    ]
    form.sla.choices = [("", _("Any"))] + [(k, str(SLA_LABELS[k][0])) for k in SLA_FILTERS]
    today = today_wib()
    stmt = select(Complaint)
    if form.agency.data:
        stmt = stmt.join(Agency, Complaint.agency_id == Agency.id).where(
            Agency.code == form.agency.data
        )
    if form.state.data:
        stmt = stmt.where(Complaint.state == form.state.data)
    if form.sla.data == "overdue":
        stmt = overdue_filter(stmt, today)
    elif form.sla.data == "escalated":
        stmt = overdue_filter(stmt, today).where(Complaint.escalation_level >= 3)
    elif form.sla.data == "paused":
        stmt = stmt.where(Complaint.state == ComplaintState.WAITING_REPORTER.value)
    elif form.sla.data == "verify_overdue":
        stmt = stmt.where(
            Complaint.state.in_([s.value for s in TRIAGE_STATES]), Complaint.verify_due < today
        )
    return stmt.order_by(Complaint.submitted_at.desc(), Complaint.id.desc())


@bp.route("/oversight")
@require(LABOUR)
def oversight():
    form = OversightFilterForm(request.args)
    page = _paginate(_oversight_query(form))
    filters = {k: v for k, v in request.args.items() if k in ("agency", "state", "sla") and v}
    return render_template(
        "disnaker/oversight.html",
        page=page,
        form=form,
        statuses=_statuses(page.items),
        filters=filters,
    )


@bp.route("/oversight/export")
@require(LABOUR)
def oversight_export():
    """The filtered list as CSV or XLSX (no reporter identity), at most EXPORT_LIMIT rows."""
    form = OversightFilterForm(request.args)
    items = db.session.scalars(
        _oversight_query(form)
        .options(
            joinedload(Complaint.category),
            joinedload(Complaint.agency),
            joinedload(Complaint.assignee),
        )
        .limit(EXPORT_LIMIT)
    ).all()
    statuses = _statuses(items)
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
    fmt = request.args.get("fmt", "csv")
    # Exports carry staff names: who exported what is kept (personal data law).
    record_event(
        "complaints.exported",
        None,
        {"format": fmt, "rows": len(items), "filters": request.args.to_dict()},
    )
    db.session.commit()
    return export_response(table, f"pengaduan-{today_wib().isoformat()}", fmt)


@bp.route("/overdue")
@require(LABOUR)
def overdue():
    stmt = overdue_filter(select(Complaint), today_wib()).order_by(
        Complaint.escalation_level.desc(), Complaint.sla_due, Complaint.id
    )
    page = _paginate(stmt)
    return render_template("disnaker/overdue.html", page=page, statuses=_statuses(page.items))


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
