"""Enrolment requests for BPJS's own system: read the queue, record the result."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..models import ApiScope
from ..services.enrolment import queue
from ..services.enrolment.feed import STATE_FILTERS, changes_page
from ..services.enrolment.reports import load_request
from ..services.membership.queries import membership_for_request
from ..web.api import api_scope, run_command
from . import bp, serialise
from .common import answer, body_for, choice_arg, instant_arg, limit_arg

READ = ApiScope.ENROLMENT_READ.value
WRITE = ApiScope.ENROLMENT_WRITE.value


@bp.route("/v1/enrolment-requests")
@api_scope(READ)
def enrolment_requests():
    page = changes_page(
        state=choice_arg("state", STATE_FILTERS, "open"),
        updated_since=instant_arg("updated_since"),
        cursor=request.args.get("cursor"),
        limit=limit_arg(),
    )
    return answer(
        {
            "items": [serialise.enrolment_request(r) for r in page.items],
            "next_cursor": page.next_cursor,
        }
    )


@bp.route("/v1/enrolment-requests/<int:request_id>")
@api_scope(READ)
def enrolment_request(request_id: int):
    return answer(serialise.enrolment_request(load_request(request_id)))


def _record(request_id: int, body: dict) -> dict:
    """The BPJS queue page's commands, by the outcome BPJS's system reports."""
    actor = current_user._get_current_object()
    outcome = body["outcome"]
    if outcome == "enrolled":
        queue.enrol(request_id, actor, body.get("kpj") or None)
    elif outcome == "returned":
        queue.return_for_correction(request_id, actor, body.get("reason", ""))
    else:
        queue.reject(request_id, actor, body.get("reason", ""))
    req = load_request(request_id)
    membership = membership_for_request(request_id)
    return {
        "request": serialise.enrolment_request(req),
        "membership": serialise.membership(membership) if membership else None,
    }


@bp.route("/v1/enrolment-requests/<int:request_id>/result", methods=["POST"])
@api_scope(WRITE)
def enrolment_result(request_id: int):
    body = body_for("EnrolmentResult")
    load_request(request_id)  # 404 before anything else
    value, status, headers = run_command(lambda: _record(request_id, body))
    return answer(value, status, headers, etag=False)
