"""Staff side of complaints: the agency queue, one complaint's page and its workflow steps."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Complaint
from ..services.complaints import workflow as flow
from ..services.complaints.queries import (
    load_attachment,
    load_for_staff,
    queue_page,
    sla_statuses,
    staff_view,
)
from ..services.errors import StaleRecord
from ..services.reference import choices
from ..web.access import STAFF, require
from ..web.forms import attempt
from ..web.labels import complaint_state_choices
from ..web.page_cache import cached_page
from . import bp
from .forms import AssignForm, NoteForm, QueueFilterForm, RerouteForm, StaffNoteForm

NOTE_STEPS = {
    "verify": flow.verify,
    "hold": flow.hold,
    "reject": flow.reject,
    "wait": flow.wait_for_reporter,
    "resolve": flow.resolve,
    "start": flow.start_work,  # the note, if any, is kept with the step
}


@bp.route("/staff")
@cached_page
@require(STAFF)
def queue():
    form = QueueFilterForm(request.args)
    form.state.choices = choices.with_blank(complaint_state_choices(), _("All open"))
    form.category.choices = choices.with_blank(choices.complaint_categories(), _("All"))
    page = queue_page(
        current_user,
        state=form.state.data or None,
        category=form.category.data or None,
        mine=bool(form.mine.data),
        page=request.args.get("page"),
    )
    return render_template(
        "complaints/queue.html",
        page=page,
        form=form,
        statuses=sla_statuses(page.items),
        can_triage=flow.can_triage(current_user),
    )


def _forms(complaint: Complaint) -> dict:
    assign = AssignForm(prefix="assign")
    assign.assignee.choices = [(u.id, u.name) for u in flow.assignable_staff(complaint.agency_id)]
    reroute = RerouteForm(prefix="reroute")
    reroute.agency.choices = [
        (agency_id, name)
        for agency_id, name in choices.agencies()
        if agency_id != complaint.agency_id
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
    return (
        render_template(
            "complaints/staff_detail.html",
            complaint=complaint,
            view=staff_view(complaint, current_user),
            **forms,
        ),
        status,
    )


@bp.route("/staff/<int:complaint_id>")
@require(STAFF)
def staff_detail(complaint_id: int):
    return _render(load_for_staff(complaint_id, current_user))


def _finish(complaint: Complaint, run, form, form_key: str):
    """Validate `form` and run the step; commit and redirect, or re-render with the message
    next to the field."""
    if not form.validate_on_submit():
        return _render(complaint, 400, **{form_key: form})
    outcome = attempt(run, form)
    if outcome:
        flash(_("Saved."), "success")
        return redirect(url_for(".staff_detail", complaint_id=complaint.id))
    if isinstance(outcome.error, StaleRecord):
        flash(
            _("The complaint was changed by someone else. Please check and try again."), "warning"
        )
        return redirect(url_for(".staff_detail", complaint_id=complaint.id))
    return _render(load_for_staff(complaint.id, current_user), 400, **{form_key: form})


@bp.route("/staff/<int:complaint_id>/step/<step>", methods=["POST"])
@require(STAFF)
def staff_step(complaint_id: int, step: str):
    complaint = load_for_staff(complaint_id, current_user)
    if step not in NOTE_STEPS:
        abort(404)
    form = NoteForm(prefix="step")
    return _finish(
        complaint,
        lambda: NOTE_STEPS[step](complaint, current_user, form.note.data),
        form,
        "note_form",
    )


@bp.route("/staff/<int:complaint_id>/assign", methods=["POST"])
@require(STAFF)
def staff_assign(complaint_id: int):
    complaint = load_for_staff(complaint_id, current_user)
    form = _forms(complaint)["assign_form"]
    return _finish(
        complaint,
        lambda: flow.assign(complaint, current_user, form.assignee.data),
        form,
        "assign_form",
    )


@bp.route("/staff/<int:complaint_id>/reroute", methods=["POST"])
@require(STAFF)
def staff_reroute(complaint_id: int):
    complaint = load_for_staff(complaint_id, current_user)
    form = _forms(complaint)["reroute_form"]
    return _finish(
        complaint,
        lambda: flow.reroute(complaint, current_user, form.agency.data, form.note.data),
        form,
        "reroute_form",
    )


@bp.route("/staff/<int:complaint_id>/note", methods=["POST"])
@require(STAFF)
def staff_note(complaint_id: int):
    complaint = load_for_staff(complaint_id, current_user)
    form = StaffNoteForm(prefix="memo")
    return _finish(
        complaint,
        lambda: flow.add_note(complaint, current_user, form.note.data, form.public.data),
        form,
        "staff_note_form",
    )


@bp.route("/staff/<int:complaint_id>/attachments/<int:attachment_id>")
@require(STAFF)
def staff_attachment(complaint_id: int, attachment_id: int):
    attachment = load_attachment(complaint_id, attachment_id, current_user)
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
