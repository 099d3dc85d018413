"""Complaints of the client's agency: read them, move them through the same workflow."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..models import ApiScope
from ..services.complaints import workflow
from ..services.complaints.feed import STATE_FILTERS, agency_by_code, agency_page
from ..services.complaints.queries import load_for_staff
from ..web.api import api_scope, run_command
from . import bp, serialise
from .common import answer, body_for, choice_arg, limit_arg

READ = ApiScope.COMPLAINTS_READ.value
WRITE = ApiScope.COMPLAINTS_WRITE.value


@bp.route("/v1/complaints")
@api_scope(READ)
def complaints():
    user = current_user._get_current_object()
    page = agency_page(
        user,
        state=choice_arg("state", STATE_FILTERS, "open"),
        cursor=request.args.get("cursor"),
        limit=limit_arg(),
    )
    return answer(
        {
            "items": [serialise.complaint(c, user) for c in page.items],
            "next_cursor": page.next_cursor,
        }
    )


@bp.route("/v1/complaints/<int:complaint_id>")
@api_scope(READ)
def complaint(complaint_id: int):
    user = current_user._get_current_object()
    return answer(serialise.complaint(load_for_staff(complaint_id, user), user))


def _take_step(complaint_id: int, body: dict):
    """The staff page's step functions, by name (each checks who may take it, and when)."""
    user = current_user._get_current_object()
    c = load_for_staff(complaint_id, user)
    note = body.get("note")
    step = body["step"]
    if step == "verify":
        workflow.verify(c, user, note)
    elif step == "hold":
        workflow.hold(c, user, note)
    elif step == "reject":
        workflow.reject(c, user, note)
    elif step == "reroute":
        agency = agency_by_code(body.get("agency") or "")
        workflow.reroute(c, user, agency.id if agency else None, note)
    elif step == "assign":
        workflow.assign(c, user, body.get("assignee_id"))
    elif step == "start":
        workflow.start_work(c, user)
    elif step == "wait":
        workflow.wait_for_reporter(c, user, note)
    elif step == "resolve":
        workflow.resolve(c, user, note)
    else:
        workflow.add_note(c, user, note, bool(body.get("public", False)))
    return c


@bp.route("/v1/complaints/<int:complaint_id>/steps", methods=["POST"])
@api_scope(WRITE)
def complaint_step(complaint_id: int):
    body = body_for("ComplaintStep")
    load_for_staff(complaint_id, current_user._get_current_object())  # 404: not the agency's
    value, status, headers = run_command(
        lambda: _take_step(complaint_id, body),
        lambda c: serialise.complaint(c, current_user._get_current_object()),
    )
    return answer(value, status, headers, etag=False)
