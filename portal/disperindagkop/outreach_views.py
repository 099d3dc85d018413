"""Outreach events (*sosialisasi*): list, month view, record, detail."""

from __future__ import annotations

import re
from datetime import date

from flask import render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ..domain.clock import today_wib
from ..services.outreach.events import (
    agency_names,
    event_page,
    load_event,
    monthly_summary,
    parse_nibs,
    record_outreach_event,
)
from ..web.access import TRADE, me, require
from ..web.forms import form_status, submit
from . import bp
from .forms import OutreachForm

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month_arg() -> tuple[int, int] | None:
    match = _MONTH_RE.match(request.args.get("month", ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year, month


@bp.route("/outreach")
@require(TRADE)
def outreach():
    chosen = _month_arg()
    year = chosen[0] if chosen else request.args.get("year", today_wib().year, type=int)
    if not 2000 <= year <= 2100:
        year = today_wib().year
    page = event_page(*(chosen or (None, None)), page=request.args.get("page"))
    return render_template(
        "disperindagkop/outreach_list.html",
        page=page,
        month=chosen,
        year=year,
        summary=monthly_summary(year),
        agencies=agency_names(),
        month_label=month_name(date(*chosen, 1)) if chosen else None,
        month_name=month_name,
    )


def month_name(day: date) -> str:
    return format_date(day, "MMMM yyyy")


@bp.route("/outreach/new", methods=["GET", "POST"])
@require(TRADE)
def new_outreach():
    form = OutreachForm()
    if request.method == "GET":
        form.held_on.data = today_wib()
        form.agencies.data = ["disperindagkop"]
    done = submit(
        form,
        lambda: record_outreach_event(
            me(),
            held_on=form.held_on.data,
            place=form.place.data,
            kelurahan_code=form.kelurahan_code.data,
            agencies=form.agencies.data,
            attendance=form.attendance.data,
            business_nibs=parse_nibs(form.businesses.data),
            notes=form.notes.data,
        ),
        lambda event: _("The outreach event is recorded."),
        lambda event: url_for(".outreach_event", event_id=event.id),
    )
    if done:
        return done
    status = form_status(form)
    return render_template("disperindagkop/outreach_form.html", form=form), status


@bp.route("/outreach/<int:event_id>")
@require(TRADE)
def outreach_event(event_id: int):
    event = load_event(event_id)
    return render_template(
        "disperindagkop/outreach_event.html", event=event, agencies=agency_names()
    )
