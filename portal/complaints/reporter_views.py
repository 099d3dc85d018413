"""Public side of complaints: submit, follow with code + contact, answer, confirm or reopen."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..models import Complaint, Role
from ..services.complaints import reporter
from ..services.complaints.intake import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    Upload,
    find_for_reporter,
    submit_complaint,
    verify_working_days,
)
from ..services.complaints.queries import load_for_reporter, reported_page, tracking_view
from ..services.errors import StaleRecord
from ..services.reference import choices
from ..services.reprimands.queries import reads_letters
from ..web.access import public, require
from ..web.forms import EmptyForm, attempt, show_form
from . import bp
from .forms import ComplaintForm, NoteForm, TrackForm

TRACKED = "tracked_complaints"  # complaint ids this browser proved it may follow


def _submit_limit() -> str:
    return current_app.config.get("COMPLAINT_SUBMIT_RATE_LIMIT", "5 per hour")


def _track_limit() -> str:
    return current_app.config.get("COMPLAINT_TRACK_RATE_LIMIT", "10 per 10 minutes")


def _choices(form: ComplaintForm) -> None:
    form.category.choices = choices.with_blank(choices.complaint_categories())
    # The agency select coerces to int: its blank option is 0, which no agency has.
    form.agency.choices = [(0, _("— choose —")), *choices.agencies()]


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


def _user():
    """The logged-in user, or None for the public."""
    return current_user if current_user.is_authenticated else None


def _remember(complaint: Complaint) -> None:
    """This browser may follow the complaint from now on (the last 20 kept)."""
    session[TRACKED] = [*session.get(TRACKED, [])[-19:], complaint.id]


@bp.route("/")
@public
def index():
    return render_template("complaints/index.html", reads_letters=reads_letters(current_user))


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
        saved, complaint = attempt(
            lambda: submit_complaint(
                category_code=form.category.data,
                agency_id=form.agency.data,
                subject=form.subject.data,
                description=form.description.data,
                reporter_name=form.reporter_name.data,
                reporter_phone=form.reporter_phone.data,
                reporter_email=form.reporter_email.data,
                hide_identity=form.hide_identity.data,
                uploads=uploads,
                reporter_user=_user(),
            ),
            form,
        )
        if saved:
            _remember(complaint)
            session["new_complaint_code"] = complaint.tracking_code
            return redirect(url_for(".submitted"))
    return show_form(
        "complaints/new.html",
        form,
        verify_days=verify_working_days(),
        description_min=DESCRIPTION_MIN,
        description_max=DESCRIPTION_MAX,
    )


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
            _remember(complaint)
            return redirect(url_for(".tracked", code=complaint.tracking_code))
        form.code.errors.append(
            _("No complaint matches this code with this phone number or email.")
        )
    return show_form("complaints/track.html", form)


def _reporter_complaint(code: str) -> Complaint:
    """The complaint if this browser proved the code + contact pair (or it is the user's)."""
    return load_for_reporter(code, _user(), session.get(TRACKED, []))


def _render_tracked(complaint: Complaint, form: NoteForm | None = None, status: int = 200):
    return (
        render_template(
            "complaints/tracked.html",
            complaint=complaint,
            view=tracking_view(complaint),
            form=form or NoteForm(),
            confirm_form=EmptyForm(),
        ),
        status,
    )


@bp.route("/track/<code>")
@public
def tracked(code: str):
    return _render_tracked(_reporter_complaint(code))


@bp.route("/track/<code>/<step>", methods=["POST"])
@public
def reporter_step(code: str, step: str):
    complaint = _reporter_complaint(code)
    steps = {"reply": reporter.reporter_reply, "reopen": reporter.reopen}
    user = _user()
    form = NoteForm() if step in steps else EmptyForm()
    if step not in (*steps, "confirm"):
        abort(404)
    if form.validate_on_submit():
        if step == "confirm":
            outcome = attempt(lambda: reporter.confirm(complaint, user), form)
        else:
            outcome = attempt(lambda: steps[step](complaint, form.note.data, user=user), form)
        if outcome:
            flash(_("Thank you. Your answer has been recorded."), "success")
        elif isinstance(outcome.error, StaleRecord):
            flash(
                _("The complaint was changed by someone else. Please check and try again."),
                "warning",
            )
        elif step == "confirm":  # a button only: the message goes above the page
            for _field, message in outcome.error.problems:
                flash(message, "danger")
        else:
            return _render_tracked(_reporter_complaint(code), form, 400)
        return redirect(url_for(".tracked", code=code))
    return _render_tracked(complaint, form if isinstance(form, NoteForm) else None, 400)


@bp.route("/mine")
@require(Role.BUSINESS_OWNER)
def mine():
    page = reported_page(current_user, request.args.get("page"))
    return render_template("complaints/mine.html", page=page)
