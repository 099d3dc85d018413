"""Reprimand letters: issue (labour head), read and answer (addressed agency head), close or
escalate (labour head), and the PDF letter."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..domain.clock import today_wib
from ..domain.workflow import TransitionError
from ..extensions import db
from ..models import (
    OPEN_ENROLMENT_STATES,
    Agency,
    Complaint,
    EnrolmentRequest,
    Reprimand,
    ReprimandEvent,
    Role,
    User,
)
from ..pdf import pdf_response
from ..services.complaints.oversight import overdue_filter
from ..services.reprimands import workflow as rw
from ..services.reprimands.letter import letter_pdf
from ..web.access import LABOUR, require
from . import bp
from .forms import ReprimandForm, ReprimandNoteForm

READERS = LABOUR | {Role.BPJS_HEAD.value, Role.TRADE_HEAD.value}


def scope_reprimands(stmt: Select, user: User) -> Select:
    """Labour office: all letters. An agency head: letters addressed to their agency only."""
    if user.role in LABOUR:
        return stmt
    return stmt.where(Reprimand.addressed_agency_id == user.agency_id)


def _reprimand_or_404(reprimand_id: int) -> Reprimand:
    reprimand = db.session.scalar(
        scope_reprimands(
            select(Reprimand).where(Reprimand.id == reprimand_id), current_user
        ).options(
            joinedload(Reprimand.issuing_agency),
            joinedload(Reprimand.addressed_agency),
            joinedload(Reprimand.parent),
            selectinload(Reprimand.escalations),
            selectinload(Reprimand.complaints),
            selectinload(Reprimand.enrolment_requests).joinedload(EnrolmentRequest.business),
            selectinload(Reprimand.events).joinedload(ReprimandEvent.actor),
        )
    )
    if reprimand is None:
        abort(404)
    return reprimand


def _candidates(agency: Agency) -> tuple[list[Complaint], list[EnrolmentRequest]]:
    today = today_wib()
    complaints = db.session.scalars(
        overdue_filter(select(Complaint), today)
        .where(Complaint.agency_id == agency.id)
        .order_by(Complaint.sla_due)
        .limit(200)
    ).all()
    enrolments: list[EnrolmentRequest] = []
    if agency.code == "bpjs":
        enrolments = db.session.scalars(
            select(EnrolmentRequest)
            .where(
                EnrolmentRequest.state.in_([s.value for s in OPEN_ENROLMENT_STATES]),
                EnrolmentRequest.sla_due < today,
            )
            .options(joinedload(EnrolmentRequest.business))
            .order_by(EnrolmentRequest.sla_due)
            .limit(200)
        ).all()
    return complaints, enrolments


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


@bp.route("/reprimands")
@require(READERS)
def reprimands():
    page = db.paginate(
        scope_reprimands(select(Reprimand), current_user)
        .options(joinedload(Reprimand.addressed_agency))
        .order_by(Reprimand.issued_at.desc(), Reprimand.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("disnaker/reprimands.html", page=page)


@bp.route("/reprimands/new", methods=["GET", "POST"])
@require(Role.LABOUR_HEAD)
def reprimand_new():
    agencies = db.session.scalars(select(Agency).order_by(Agency.id)).all()
    code = request.args.get("agency", "")
    agency = next((a for a in agencies if a.code == code and a.code in rw.HEAD_OF), None)
    if agency is None:
        return render_template("disnaker/reprimand_choose.html", agencies=agencies)
    complaints, enrolments = _candidates(agency)
    form = ReprimandForm()
    _fill_choices(form, complaints, enrolments)
    if form.validate_on_submit():
        try:
            reprimand = rw.issue(_draft(form, agency.id), current_user)
            db.session.commit()
        except rw.ReprimandError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.subject).errors.append(exc.message)
        else:
            flash(_("Reprimand %(number)s issued.", number=reprimand.letter_number), "success")
            return redirect(url_for(".reprimand_detail", reprimand_id=reprimand.id))
    status = 400 if form.errors else 200
    return (
        render_template("disnaker/reprimand_new.html", form=form, agency=agency, parent=None),
        status,
    )


def _timeline(reprimand: Reprimand) -> list[tuple[Reprimand, ReprimandEvent]]:
    """Every step of the letter's whole chain (level I → its escalations), oldest first.

    An escalation is a new letter (parent_id), so a chain has at most three letters; a
    letter on its own costs no query beyond the page's, a chain one more.
    """
    chain = [reprimand]
    while chain[0].parent is not None:
        chain.insert(0, chain[0].parent)
    while chain[-1].escalations:
        chain.append(min(chain[-1].escalations, key=lambda r: r.id))
    if len(chain) == 1:
        return [(reprimand, e) for e in reprimand.events]
    letters = {r.id: r for r in chain}
    events = db.session.scalars(
        select(ReprimandEvent)
        .where(ReprimandEvent.reprimand_id.in_(letters))
        .options(joinedload(ReprimandEvent.actor).joinedload(User.agency))
        .order_by(ReprimandEvent.at, ReprimandEvent.id)
    ).all()
    return [(letters[e.reprimand_id], e) for e in events]


def _render_detail(reprimand: Reprimand, form: ReprimandNoteForm | None = None, status=200):
    user = current_user
    timeline = _timeline(reprimand)
    head_role = rw.HEAD_OF.get(reprimand.addressed_agency.code)
    return (
        render_template(
            "disnaker/reprimand_detail.html",
            r=reprimand,
            timeline=timeline,
            chained=any(letter.id != reprimand.id for letter, _e in timeline),
            form=form or ReprimandNoteForm(),
            is_addressed_head=user.role == head_role
            and user.agency_id == reprimand.addressed_agency_id,
            is_labour_head=user.role == Role.LABOUR_HEAD,
            deadline_passed=today_wib() > reprimand.deadline,
        ),
        status,
    )


@bp.route("/reprimands/<int:reprimand_id>")
@require(READERS)
def reprimand_detail(reprimand_id: int):
    return _render_detail(_reprimand_or_404(reprimand_id))


@bp.route("/reprimands/<int:reprimand_id>/letter.pdf")
@require(READERS)
def reprimand_letter(reprimand_id: int):
    reprimand = _reprimand_or_404(reprimand_id)
    signer = db.session.get(User, reprimand.issued_by_id) if reprimand.issued_by_id else None
    name = f"teguran-{reprimand.id}.pdf"
    return pdf_response(letter_pdf(reprimand, signer), name, inline=True)


STEPS = {
    "acknowledge": lambda r, u, note: rw.acknowledge(r, u),
    "respond": rw.respond,
    "close": rw.close,
}


@bp.route("/reprimands/<int:reprimand_id>/<step>", methods=["POST"])
@require(READERS)
def reprimand_step(reprimand_id: int, step: str):
    reprimand = _reprimand_or_404(reprimand_id)
    if step not in STEPS:
        abort(404)
    form = ReprimandNoteForm()
    if not form.validate_on_submit():
        return _render_detail(reprimand, form, 400)
    try:
        STEPS[step](reprimand, current_user, form.note.data)
        db.session.commit()
    except rw.NotAllowed:
        db.session.rollback()
        abort(403)
    except rw.ReprimandError as exc:
        db.session.rollback()
        form.note.errors.append(exc.message)
        return _render_detail(_reprimand_or_404(reprimand_id), form, 400)
    except TransitionError:
        db.session.rollback()
        form.note.errors.append(_("This step is not possible in the letter's current state."))
        return _render_detail(_reprimand_or_404(reprimand_id), form, 400)
    except StaleDataError:
        db.session.rollback()
        flash(_("The letter was changed by someone else. Please check and try again."), "warning")
        return redirect(url_for(".reprimand_detail", reprimand_id=reprimand_id))
    flash(_("Saved."), "success")
    return redirect(url_for(".reprimand_detail", reprimand_id=reprimand_id))


@bp.route("/reprimands/<int:reprimand_id>/escalate", methods=["GET", "POST"])
@require(Role.LABOUR_HEAD)
def reprimand_escalate(reprimand_id: int):
    parent = _reprimand_or_404(reprimand_id)
    complaints, enrolments = _candidates(parent.addressed_agency)
    # Letters cited by the parent stay citable even if no longer overdue.
    complaints = list({c.id: c for c in [*parent.complaints, *complaints]}.values())
    enrolments = list({e.id: e for e in [*parent.enrolment_requests, *enrolments]}.values())
    form = ReprimandForm()
    _fill_choices(form, complaints, enrolments)
    if request.method == "GET":
        form.subject.data = parent.subject
        form.complaint_ids.data = [c.id for c in parent.complaints]
        form.enrolment_ids.data = [e.id for e in parent.enrolment_requests]
    form.level.data = min(parent.level + 1, 3)
    if form.validate_on_submit():
        try:
            child = rw.escalate(parent, current_user, _draft(form, parent.addressed_agency_id))
            db.session.commit()
        except rw.ReprimandError as exc:
            db.session.rollback()
            getattr(form, exc.field, form.subject).errors.append(exc.message)
        except TransitionError:
            db.session.rollback()
            form.subject.errors.append(_("This letter cannot be escalated in its current state."))
        except StaleDataError:
            db.session.rollback()
            flash(
                _("The letter was changed by someone else. Please check and try again."), "warning"
            )
            return redirect(url_for(".reprimand_detail", reprimand_id=reprimand_id))
        else:
            flash(_("Reprimand %(number)s issued.", number=child.letter_number), "success")
            return redirect(url_for(".reprimand_detail", reprimand_id=child.id))
    status = 400 if form.errors else 200
    return (
        render_template(
            "disnaker/reprimand_new.html", form=form, agency=parent.addressed_agency, parent=parent
        ),
        status,
    )
