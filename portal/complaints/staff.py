"""Staff side of complaints: the agency queue, one complaint's page and its workflow steps."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..domain.clock import today_wib
from ..domain.workflow import TransitionError
from ..extensions import db
from ..models import (
    Agency,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintState,
    User,
)
from ..services.complaints import workflow as flow
from ..services.complaints.sla import TRIAGE_STATES, sla_status
from ..services.reference.lookups import working_calendar
from ..web.access import STAFF, require
from ..web.labels import STATE_LABELS
from . import bp
from .forms import AssignForm, NoteForm, QueueFilterForm, RerouteForm, StaffNoteForm

NOTE_STEPS = {
    "verify": flow.verify,
    "hold": flow.hold,
    "reject": flow.reject,
    "wait": flow.wait_for_reporter,
    "resolve": flow.resolve,
}
PLAIN_STEPS = {"start": flow.start_work}


def scope_complaints(stmt: Select, user: User) -> Select:
    """Labour office: every complaint. Other staff: their agency's complaints only."""
    if flow.can_triage(user):
        return stmt
    return stmt.where(Complaint.agency_id == user.agency_id)


def _complaint_or_404(complaint_id: int) -> Complaint:
    complaint = db.session.scalar(
        scope_complaints(
            select(Complaint).where(Complaint.id == complaint_id), current_user
        ).options(
            joinedload(Complaint.category),
            joinedload(Complaint.agency),
            joinedload(Complaint.assignee),
            selectinload(Complaint.events).joinedload(ComplaintEvent.actor_agency),
            selectinload(Complaint.attachments).options(defer(ComplaintAttachment.data)),
        )
    )
    if complaint is None:
        abort(404)
    return complaint


@bp.route("/staff")
@require(STAFF)
def queue():
    form = QueueFilterForm(request.args)
    form.state.choices = [("", _("All open"))] + [
        (s.value, str(STATE_LABELS[s.value])) for s in ComplaintState
    ]
    form.category.choices = [("", _("All"))] + [
        (c.code, c.name_id)
        for c in db.session.scalars(
            select(ComplaintCategory).order_by(ComplaintCategory.sort_order)
        )
    ]
    stmt = select(Complaint)
    if flow.can_triage(current_user):  # own agency's work plus everything awaiting triage
        stmt = stmt.where(
            or_(
                Complaint.agency_id == current_user.agency_id,
                Complaint.state.in_([s.value for s in TRIAGE_STATES]),
            )
        )
    else:
        stmt = scope_complaints(stmt, current_user)
    if form.state.data:
        stmt = stmt.where(Complaint.state == form.state.data)
    else:
        stmt = stmt.where(
            Complaint.state.not_in([ComplaintState.CLOSED.value, ComplaintState.REJECTED.value])
        )
    if form.category.data:
        stmt = stmt.where(Complaint.category_code == form.category.data)
    if form.mine.data:
        stmt = stmt.where(Complaint.assignee_id == current_user.id)
    page = db.paginate(
        stmt.options(
            joinedload(Complaint.category),
            joinedload(Complaint.agency),
            joinedload(Complaint.assignee),
        ).order_by(Complaint.sla_due.is_(None), Complaint.sla_due, Complaint.id),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    today, cal = today_wib(), working_calendar()
    statuses = {c.id: sla_status(c, today, cal) for c in page.items}
    return render_template(
        "complaints/queue.html",
        page=page,
        form=form,
        statuses=statuses,
        can_triage=flow.can_triage(current_user),
    )


def _forms(complaint: Complaint) -> dict:
    assign = AssignForm(prefix="assign")
    assign.assignee.choices = [(u.id, u.name) for u in flow.assignable_staff(complaint.agency_id)]
    reroute = RerouteForm(prefix="reroute")
    reroute.agency.choices = [
        (a.id, a.name)
        for a in db.session.scalars(select(Agency).order_by(Agency.id))
        if a.id != complaint.agency_id
    ]
    return {
        "note_form": NoteForm(prefix="step"),
        "assign_form": assign,
        "reroute_form": reroute,
        "staff_note_form": StaffNoteForm(prefix="memo"),
    }


def _render(complaint: Complaint, status: int = 200, **overrides):
    forms = _forms(complaint)
    forms.update(overrides)
    user = current_user
    return (
        render_template(
            "complaints/staff_detail.html",
            complaint=complaint,
            sla=sla_status(complaint, today_wib(), working_calendar()),
            can_triage=flow.can_triage(user),
            can_handle=flow.can_handle(user, complaint),
            show_identity=flow.can_see_identity(user, complaint),
            **forms,
        ),
        status,
    )


@bp.route("/staff/<int:complaint_id>")
@require(STAFF)
def staff_detail(complaint_id: int):
    return _render(_complaint_or_404(complaint_id))


def _finish(complaint: Complaint, run, form, field_name: str, form_key: str):
    """Run a step; commit and redirect, or re-render with the message next to the field."""
    try:
        run()
        db.session.commit()
    except flow.NotAllowed:
        db.session.rollback()
        abort(403)
    except flow.ComplaintActionError as exc:
        db.session.rollback()
        target = getattr(form, exc.field, None) or getattr(form, field_name)
        target.errors.append(exc.message)
        return _render(_complaint_or_404(complaint.id), 400, **{form_key: form})
    except TransitionError:
        db.session.rollback()
        getattr(form, field_name).errors.append(
            _("This step is not possible while the complaint is in its current state.")
        )
        return _render(_complaint_or_404(complaint.id), 400, **{form_key: form})
    except StaleDataError:
        db.session.rollback()
        flash(
            _("The complaint was changed by someone else. Please check and try again."), "warning"
        )
        return redirect(url_for(".staff_detail", complaint_id=complaint.id))
    flash(_("Saved."), "success")
    return redirect(url_for(".staff_detail", complaint_id=complaint.id))


@bp.route("/staff/<int:complaint_id>/step/<step>", methods=["POST"])
@require(STAFF)
def staff_step(complaint_id: int, step: str):
    complaint = _complaint_or_404(complaint_id)
    if step not in NOTE_STEPS and step not in PLAIN_STEPS:
        abort(404)
    form = NoteForm(prefix="step")
    if not form.validate_on_submit():
        return _render(complaint, 400, note_form=form)
    if step in PLAIN_STEPS:
        return _finish(
            complaint, lambda: PLAIN_STEPS[step](complaint, current_user), form, "note", "note_form"
        )
    return _finish(
        complaint,
        lambda: NOTE_STEPS[step](complaint, current_user, form.note.data),
        form,
        "note",
        "note_form",
    )


@bp.route("/staff/<int:complaint_id>/assign", methods=["POST"])
@require(STAFF)
def staff_assign(complaint_id: int):
    complaint = _complaint_or_404(complaint_id)
    form = _forms(complaint)["assign_form"]
    if not form.validate_on_submit():
        return _render(complaint, 400, assign_form=form)
    return _finish(
        complaint,
        lambda: flow.assign(complaint, current_user, form.assignee.data),
        form,
        "assignee",
        "assign_form",
    )


@bp.route("/staff/<int:complaint_id>/reroute", methods=["POST"])
@require(STAFF)
def staff_reroute(complaint_id: int):
    complaint = _complaint_or_404(complaint_id)
    form = _forms(complaint)["reroute_form"]
    if not form.validate_on_submit():
        return _render(complaint, 400, reroute_form=form)
    return _finish(
        complaint,
        lambda: flow.reroute(complaint, current_user, form.agency.data, form.note.data),
        form,
        "agency",
        "reroute_form",
    )


@bp.route("/staff/<int:complaint_id>/note", methods=["POST"])
@require(STAFF)
def staff_note(complaint_id: int):
    complaint = _complaint_or_404(complaint_id)
    form = StaffNoteForm(prefix="memo")
    if not form.validate_on_submit():
        return _render(complaint, 400, staff_note_form=form)
    return _finish(
        complaint,
        lambda: flow.add_note(complaint, current_user, form.note.data, form.public.data),
        form,
        "note",
        "staff_note_form",
    )


@bp.route("/staff/<int:complaint_id>/attachments/<int:attachment_id>")
@require(STAFF)
def staff_attachment(complaint_id: int, attachment_id: int):
    complaint = db.session.scalar(
        scope_complaints(select(Complaint.id).where(Complaint.id == complaint_id), current_user)
    )
    attachment = db.session.scalar(
        select(ComplaintAttachment).where(
            ComplaintAttachment.id == attachment_id,
            ComplaintAttachment.complaint_id == complaint_id,
        )
    )
    if complaint is None or attachment is None:
        abort(404)
    return Response(
        attachment.data,
        mimetype=attachment.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{attachment.filename}"',
            "X-Content-Type-Options": "nosniff",
            # Personal evidence: never kept by a shared cache or the browser's disk cache,
            # and never run as a page even if a browser ignored the download.
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
