"""The JSON API (`/api/v1/`, documented at `/api/openapi.json`) and Open311 GeoReport v2
(`/open311/v2/`): thin adapters over the same service commands and queries as the pages.

Callers are registered systems with a token (`portal.web.api`); a browser session never
authorises a call, so no cookie matters here and both blueprints are exempt from CSRF.
"""

from __future__ import annotations

from flask import Blueprint, current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..extensions import csrf, limiter
from ..services.errors import ServiceError
from ..web.api import (
    ApiRefusal,
    api_rate_limit,
    discard_changes,
    forget_session_user,
    rate_key,
    refusal_for,
    without_cookie_sessions,
)

bp = Blueprint("api", __name__, url_prefix="/api")
open311_bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

PROBLEM_TYPE = "about:blank"


def _limit_body() -> None:
    """The API takes small JSON documents: a larger body is refused before it is read."""
    limit = current_app.config.get("API_MAX_BODY_BYTES", 64 * 1024)
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def _as_refusal(error: Exception) -> ApiRefusal:
    if isinstance(error, ApiRefusal):
        return error
    if isinstance(error, ServiceError):
        return refusal_for(error)
    if isinstance(error, HTTPException):
        titles = {
            404: _("Not found."),
            405: _("This resource cannot be used with this method."),
            413: _("The body is larger than the API accepts."),
            429: _("Too many calls: wait a little and try again."),
        }
        return ApiRefusal(error.code or 500, titles.get(error.code, error.name))
    return ApiRefusal(500, _("An unexpected error happened. It has been logged."))


def problem_response(error: ApiRefusal):
    """RFC 9457 problem details; field-level messages in `errors`."""
    body = {"type": PROBLEM_TYPE, "title": error.title, "status": error.status}
    if error.problems:
        body["errors"] = [{"field": f, "message": m} for f, m in error.problems]
        body["detail"] = "; ".join(m for _f, m in error.problems)
    body["instance"] = request.path
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=error.status)
    response.mimetype = "application/problem+json"
    response.headers.update(error.headers)
    return response


def open311_errors(error: ApiRefusal):
    """Open311's error format: an array of {code, description}; refused input is a 400."""
    if error.status == 422:
        error.status = 400
    items = [
        {"code": error.status, "description": f"{f}: {m}" if f else m} for f, m in error.problems
    ] or [{"code": error.status, "description": error.title}]
    response = current_app.response_class(
        json.dumps(items, ensure_ascii=False), status=error.status, mimetype="application/json"
    )
    response.headers.update(error.headers)
    return response


def _install(blueprint: Blueprint, render, sessionless: tuple[str, ...]) -> None:
    """`sessionless`: the paths that never see the cookie session (all but the docs page,
    an ordinary page of the site)."""
    csrf.exempt(blueprint)  # no cookie session: nothing for a forged request to ride on
    blueprint.record_once(lambda state: without_cookie_sessions(state.app, sessionless))
    limiter.limit(api_rate_limit, key_func=rate_key)(blueprint)
    blueprint.before_request(forget_session_user)
    blueprint.before_request(_limit_body)

    @blueprint.errorhandler(ApiRefusal)
    @blueprint.errorhandler(ServiceError)
    @blueprint.errorhandler(HTTPException)
    def _refused(error):
        discard_changes()
        return render(_as_refusal(error))


_install(bp, problem_response, ("/api/v1/", "/api/openapi.json"))
_install(open311_bp, open311_errors, ("/open311/",))

from . import (  # noqa: E402,F401  (routes)
    complaint_views,
    coverage_views,
    docs_views,
    enrolment_views,
    membership_views,
    open311_views,
)
