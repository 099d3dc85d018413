"""Public side of complaints: submit, follow with code + contact, answer, confirm or reopen."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..domain.clock import today_wib
from ..extensions import db, limiter
from ..models import Agency, Complaint, ComplaintCategory, ComplaintEvent, Role
from ..services.complaints import reporter
from ..services.complaints import workflow as flow
from ..services.complaints.intake import IntakeError, Upload, find_for_reporter, submit_complaint
from ..services.complaints.sla import sla_status
from ..services.reference.lookups import working_calendar
from ..web.access import public, require
from . import bp
from .forms import ComplaintForm, EmptyForm, NoteForm, TrackForm

TRACKED = "tracked_complaints"  # complaint ids this browser proved it may follow


def _submit_limit() -> str:
    return current_app.config.get("COMPLAINT_SUBMIT_RATE_LIMIT", "5 per hour")


def _track_limit() -> str:
    return current_app.config.get("COMPLAINT_TRACK_RATE_LIMIT", "10 per 10 minutes")


def _choices(form: ComplaintForm) -> None:
    categories = db.session.scalars(
        select(ComplaintCategory)
        .where(ComplaintCategory.active.is_(True))
        .order_by(ComplaintCategory.sort_order)
    )
    english = str(get_locale()) == "en"
    form.category.choices = [
        ("", _("— choose —")),
        *[(c.code, c.name_en if english else c.name_id) for c in categories],
    ]
    form.agency.choices = [
        (0, _("— choose —")),
        *[(a.id, a.name) for a in db.session.scalars(select(Agency).order_by(Agency.name))],
    ]


def _read_uploads(files) -> list[Upload]:
    """Read the posted files into memory and close them (large ones are spooled to disk)."""
    uploads = []
    for f in files or []:
        if f and getattr(f, "filename", ""):
            try:
                uploads.append(Upload(f.filename, f.read()))
            finally:
                f.close()
    return uploads


@bp.route("/")
@public
def index():
    return render_template("complaints/index.html")


@bp.route("/new", methods=["GET", "POST"])
@public
@limiter.limit(_submit_limit, methods=["POST"], scope="complaint-submit")
def new():
    form = ComplaintForm()
    _choices(form)
    if request.method == "GET" and current_user.is_authenticated:
        form.reporter_name.data = current_user.name
        form.reporter_email.data = current_user.email
        form.reporter_phone.data = current_user.phone
    if form.validate_on_submit():
        if form.website.data:  # honeypot filled: a bot. Say nothing useful, save nothing.
            flash(_("Thank you. Your report has been received."), "success")
            return redirect(url_for(".index"))
        uploads = _read_uploads(form.attachments.data)
        try:
            complaint = submit_complaint(
                category_code=form.category.data,
                agency_id=form.agency.data,
                subject=form.subject.data,
                description=form.description.data,
                reporter_name=form.reporter_name.data,
                reporter_phone=form.reporter_phone.data,
                reporter_email=form.reporter_email.data,
                hide_identity=form.hide_identity.data,
                uploads=uploads,
                reporter_user=current_user if current_user.is_authenticated else None,
            )
        except IntakeError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            session[TRACKED] = [*session.get(TRACKED, [])[-19:], complaint.id]
            session["new_complaint_code"] = complaint.tracking_code
            return redirect(url_for(".submitted"))
    status = 400 if form.errors else 200
    return render_template("complaints/new.html", form=form), status


@bp.route("/submitted")
@public
def submitted():
    code = session.pop("new_complaint_code", None)
    if code is None:
        return redirect(url_for(".track"))
    return render_template("complaints/submitted.html", code=code)


@bp.route("/track", methods=["GET", "POST"])
@public
@limiter.limit(_track_limit, methods=["POST"], scope="complaint-track")
def track():
    form = TrackForm()
    if form.validate_on_submit():
        complaint = find_for_reporter(form.code.data, form.contact.data)
        if complaint is not None:
            session[TRACKED] = [*session.get(TRACKED, [])[-19:], complaint.id]
            return redirect(url_for(".tracked", code=complaint.tracking_code))
        form.code.errors.append(
            _("No complaint matches this code with this phone number or email.")
        )
    status = 400 if form.errors else 200
    return render_template("complaints/track.html", form=form), status


def _reporter_complaint_or_404(code: str) -> Complaint:
    """The complaint if this browser proved the code + contact pair (or it is the user's)."""
    complaint = db.session.scalar(
        select(Complaint)
        .where(Complaint.tracking_code == code)
        .options(joinedload(Complaint.category), joinedload(Complaint.agency))
    )
    if complaint is None:
        abort(404)
    own = current_user.is_authenticated and complaint.reporter_user_id == current_user.id
    if not own and complaint.id not in session.get(TRACKED, []):
        abort(404)
    return complaint


def _render_tracked(complaint: Complaint, form: NoteForm | None = None, status: int = 200):
    events = db.session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.public.is_(True))
        .options(selectinload(ComplaintEvent.actor_agency))
        .order_by(ComplaintEvent.id)
    ).all()
    sla = sla_status(complaint, today_wib(), working_calendar())
    return (
        render_template(
            "complaints/tracked.html",
            complaint=complaint,
            events=events,
            sla=sla,
            form=form or NoteForm(),
            confirm_form=EmptyForm(),
        ),
        status,
    )


@bp.route("/track/<code>")
@public
def tracked(code: str):
    return _render_tracked(_reporter_complaint_or_404(code))


@bp.route("/track/<code>/<step>", methods=["POST"])
@public
def reporter_step(code: str, step: str):
    complaint = _reporter_complaint_or_404(code)
    steps = {"reply": reporter.reporter_reply, "reopen": reporter.reopen}
    user = current_user if current_user.is_authenticated else None
    form = NoteForm() if step in steps else EmptyForm()
    if step not in (*steps, "confirm"):
        abort(404)
    if form.validate_on_submit():
        try:
            if step == "confirm":
                reporter.confirm(complaint, user)
            else:
                steps[step](complaint, form.note.data, user=user)
            db.session.commit()
        except flow.ComplaintActionError as exc:
            db.session.rollback()
            if step == "confirm":
                flash(exc.message, "danger")
                return redirect(url_for(".tracked", code=code))
            form.note.errors.append(exc.message)
            return _render_tracked(_reporter_complaint_or_404(code), form, 400)
        except StaleDataError:
            db.session.rollback()
            flash(
                _("The complaint was changed by someone else. Please check and try again."),
                "warning",
            )
        else:
            flash(_("Thank you. Your answer has been recorded."), "success")
        return redirect(url_for(".tracked", code=code))
    return _render_tracked(complaint, form if isinstance(form, NoteForm) else None, 400)


@bp.route("/mine")
@require(Role.BUSINESS_OWNER)
def mine():
    page = db.paginate(
        select(Complaint)
        .where(Complaint.reporter_user_id == current_user.id)
        .options(joinedload(Complaint.category), joinedload(Complaint.agency))
        .order_by(Complaint.submitted_at.desc(), Complaint.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("complaints/mine.html", page=page)
