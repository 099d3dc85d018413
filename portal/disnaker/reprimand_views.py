"""Reprimand letters: issue (labour head), read and answer (addressed agency head), close or
escalate (labour head), and the PDF letter."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Reprimand, Role
from ..pdf import pdf_response
from ..services.errors import StaleRecord
from ..services.reprimands import workflow as rw
from ..services.reprimands.letter import letter_pdf
from ..services.reprimands.queries import (
    READERS,
    addressable_agencies,
    candidates,
    escalation_candidates,
    issues_letters,
    letter_view,
    load_reprimand,
    reprimand_page,
    signer,
)
from ..services.undo import undo_window_words
from ..templating import format_day
from ..web.access import require
from ..web.confirmation import Confirmation, confirm_then_run
from ..web.forms import attempt, form_status
from . import bp
from .forms import ReprimandForm, ReprimandNoteForm


@bp.app_template_filter("roman")
def roman(level: int) -> str:
    """A letter's level as it is written: I, II, III."""
    return rw.ROMAN.get(level, str(level))


def _fill_choices(form: ReprimandForm, complaints, enrolments) -> None:
    form.complaint_ids.choices = [
        (c.id, f"{c.tracking_code} · {c.subject} · {c.sla_due.isoformat()}") for c in complaints
    ]
    form.enrolment_ids.choices = [
        (
            e.id,
            f"#{e.id} · {e.business.name if e.business else '-'} · "
            f"{e.sla_due.isoformat() if e.sla_due else '-'}",
        )
        for e in enrolments
    ]


def _draft(form: ReprimandForm, agency_id: int | None) -> rw.ReprimandDraft:
    return rw.ReprimandDraft(
        addressed_agency_id=agency_id,
        level=form.level.data or 1,
        subject=form.subject.data or "",
        finding=form.finding.data or "",
        required_action=form.required_action.data or "",
        deadline=form.deadline.data,
        complaint_ids=list(form.complaint_ids.data or []),
        enrolment_ids=list(form.enrolment_ids.data or []),
        consequence=form.consequence.data,
    )


def _changed_meanwhile(reprimand_id: int):
    flash(_("The letter was changed by someone else. Please check and try again."), "warning")
    return redirect(url_for(".reprimand_detail", reprimand_id=reprimand_id))


@bp.route("/reprimands")
@require(READERS)
def reprimands():
    open_only = request.args.get("open") == "1"
    page = reprimand_page(current_user, request.args.get("page"), open_only=open_only)
    return render_template(
        "disnaker/reprimands.html",
        page=page,
        can_issue=issues_letters(current_user),
        open_only=open_only,
    )


@bp.route("/reprimands/new", methods=["GET", "POST"])
@require(Role.LABOUR_HEAD)
def reprimand_new():
    agencies = addressable_agencies()
    code = request.args.get("agency", "")
    agency = next((a for a in agencies if a.code == code), None)
    if agency is None:
        return render_template("disnaker/reprimand_choose.html", agencies=agencies)
    form = ReprimandForm()
    _fill_choices(form, *candidates(agency))
    step = confirm_then_run(
        form,
        check=lambda: rw.check_issue(_draft(form, agency.id), current_user),
        ask=lambda checked: _letter_question(form, checked, None),
        command=lambda: rw.issue(_draft(form, agency.id), current_user),
    )
    answer = step.answer(_issued, _letter_url)
    if answer:
        return answer
    status = form_status(form)
    return (
        render_template(
            "disnaker/reprimand_new.html",
            form=form,
            agency=agency,
            parent=None,
            cites_enrolments=rw.cites_enrolments(agency),
        ),
        status,
    )


def _issued(letter: Reprimand) -> str:
    return _("Reprimand %(number)s issued.", number=letter.letter_number)


def _letter_url(letter: Reprimand) -> str:
    return url_for(".reprimand_detail", reprimand_id=letter.id)


def _letter_question(form: ReprimandForm, checked, parent: Reprimand | None) -> Confirmation:
    """What issuing the letter does, restated before it is numbered and sent."""
    agency, complaints, enrolments = checked
    level = parent.level + 1 if parent else form.level.data
    cited = [c.tracking_code for c in complaints] + [f"#{e.id}" for e in enrolments]
    facts = [
        (_("Addressed to"), agency.name),
        (_("Level"), roman(level)),
        (_("Subject"), form.subject.data),
        (_("Cited"), ", ".join(cited)),
        (_("Deadline"), format_day(form.deadline.data)),
    ]
    if parent is not None:
        facts.append((_("Escalates"), parent.letter_number or "-"))
    return Confirmation(
        question=_(
            "Issue reprimand level %(level)s to %(agency)s?",
            level=roman(level),
            agency=agency.short_name,
        ),
        facts=facts,
        consequence=_(
            "The letter is numbered and sent: the heads of %(agency)s are told at once and "
            "must answer by the deadline.",
            agency=agency.short_name,
        ),
        undo=_(
            "You can withdraw the letter within %(window)s, before it is answered.",
            window=undo_window_words(),
        ),
        confirm_label=_("Yes, issue the letter"),
        cancel_url=url_for(
            ".reprimand_detail" if parent else ".reprimands",
            **({"reprimand_id": parent.id} if parent else {}),
        ),
    )


def _render_detail(reprimand: Reprimand, form: ReprimandNoteForm | None = None, status=200):
    return (
        render_template(
            "disnaker/reprimand_detail.html",
            r=reprimand,
            view=letter_view(reprimand, current_user),
            form=form or ReprimandNoteForm(),
        ),
        status,
    )


@bp.route("/reprimands/<int:reprimand_id>")
@require(READERS)
def reprimand_detail(reprimand_id: int):
    return _render_detail(load_reprimand(reprimand_id, current_user))


@bp.route("/reprimands/<int:reprimand_id>/letter.pdf")
@require(READERS)
def reprimand_letter(reprimand_id: int):
    reprimand = load_reprimand(reprimand_id, current_user)
    name = f"teguran-{reprimand.id}.pdf"
    return pdf_response(letter_pdf(reprimand, signer(reprimand)), name, inline=True)


STEPS = {
    "withdraw": lambda r, u, note: rw.withdraw(r, u),
    "acknowledge": lambda r, u, note: rw.acknowledge(r, u),
    "respond": rw.respond,
    "close": rw.close,
}


@bp.route("/reprimands/<int:reprimand_id>/<step>", methods=["POST"])
@require(READERS)
def reprimand_step(reprimand_id: int, step: str):
    reprimand = load_reprimand(reprimand_id, current_user)
    if step not in STEPS:
        abort(404)
    form = ReprimandNoteForm()
    if not form.validate_on_submit():
        return _render_detail(reprimand, form, 400)
    outcome = attempt(lambda: STEPS[step](reprimand, current_user, form.note.data), form)
    if outcome:
        flash(_("Saved."), "success")
        return redirect(url_for(".reprimand_detail", reprimand_id=reprimand_id))
    if isinstance(outcome.error, StaleRecord):
        return _changed_meanwhile(reprimand_id)
    return _render_detail(load_reprimand(reprimand_id, current_user), form, 400)


@bp.route("/reprimands/<int:reprimand_id>/escalate", methods=["GET", "POST"])
@require(Role.LABOUR_HEAD)
def reprimand_escalate(reprimand_id: int):
    parent = load_reprimand(reprimand_id, current_user)
    form = ReprimandForm()
    _fill_choices(form, *escalation_candidates(parent))
    if request.method == "GET":
        form.subject.data = parent.subject
        form.complaint_ids.data = [c.id for c in parent.complaints]
        form.enrolment_ids.data = [e.id for e in parent.enrolment_requests]
    form.level.data = min(parent.level + 1, 3)
    step = confirm_then_run(
        form,
        check=lambda: rw.check_escalation(
            parent, current_user, _draft(form, parent.addressed_agency_id)
        ),
        ask=lambda checked: _letter_question(form, checked, parent),
        command=lambda: rw.escalate(parent, current_user, _draft(form, parent.addressed_agency_id)),
    )
    answer = step.answer(_issued, _letter_url)
    if answer:
        return answer
    if isinstance(step.error, StaleRecord):
        return _changed_meanwhile(reprimand_id)
    if step.error is not None:
        parent = load_reprimand(reprimand_id, current_user)
    status = form_status(form)
    return (
        render_template(
            "disnaker/reprimand_new.html",
            form=form,
            agency=parent.addressed_agency,
            parent=parent,
            cites_enrolments=rw.cites_enrolments(parent.addressed_agency),
        ),
        status,
    )
