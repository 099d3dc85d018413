"""Error pages: HTML for people, JSON for API callers; a 503 page when the database is down."""

from __future__ import annotations

import json
import logging

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager
from .services.errors import NotAllowed, NotFound, ServiceError

log = logging.getLogger("portal.errors")


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("We could not understand what was sent. Please try again.")),
        401: (_("Please log in"), _("You need to log in to see this page.")),
        403: (_("Access denied"), _("Your account does not have access to this page.")),
        404: (_("Page not found"), _("The page you asked for does not exist or is not yours.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        413: (_("File too large"), _("The file you sent is larger than we accept.")),
        422: (_("Cannot be done"), _("The portal cannot do this with the data it has.")),
        429: (
            _("Too many attempts"),
            _("You have tried too many times. Please wait a few minutes and try again."),
        ),
        500: (_("Something went wrong"), _("An unexpected error happened. It has been logged.")),
        503: (
            _("Service temporarily unavailable"),
            _("The database cannot be reached right now. Please try again in a few minutes."),
        ),
    }


def _render(code: int, message: str | None = None):
    title, default_message = _titles().get(code, (str(code), ""))
    if request.path.startswith(("/api/v1/", "/open311/")):
        return _render_for_api(code, title, message or default_message)
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        body = jsonify(error=title, message=message or default_message)
    else:
        body = render_template(
            "errors/error.html", code=code, title=title, message=message or default_message
        )
    response = current_app.make_response(body)
    response.status_code = code
    return response


def _render_for_api(code: int, title: str, message: str):
    """Errors no API view answered (unknown path, wrong method, server error) in the API's
    formats: RFC 9457 problem details, or Open311's array of {code, description}."""
    if request.path.startswith("/open311/"):
        response = jsonify([{"code": code, "description": message}])
    else:
        body = {"type": "about:blank", "title": title, "status": code, "detail": message}
        response = current_app.response_class(
            json.dumps(body, ensure_ascii=False), mimetype="application/problem+json"
        )
    response.status_code = code
    return response


def _rerender_form_view():
    """Run a view marked `keeps_form_on_csrf_error` again: its form reports the failure."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not getattr(view, "keeps_form_on_csrf_error", False):
        return None
    g.csrf_failed = True
    response = current_app.make_response(current_app.ensure_sync(view)(**(request.view_args or {})))
    response.status_code = 400
    return response


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if request.method == "POST" and not request.is_json:
            response = _rerender_form_view()
            if response is not None:
                return response
        return _render(
            400,
            _(
                "This form has expired or did not come from this site. "
                "Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        db.session.rollback()
        return _render(404)

    @app.errorhandler(NotAllowed)
    def not_allowed(error: NotAllowed):
        db.session.rollback()
        return _render(403)

    @app.errorhandler(ServiceError)
    def refused(error: ServiceError):
        """A refusal no view caught (e.g. a figure that needs a rate nobody entered): the
        user reads the service's sentence instead of a server error."""
        db.session.rollback()
        log.warning("service refusal reached the error handler: %s", error.__class__.__name__)
        return _render(422, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code)

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError):
        log.error("database unavailable: %s", error.__class__.__name__)
        try:
            db.session.rollback()
        except OperationalError:
            pass
        # Render as anonymous: loading the logged-in user would need the database again.
        g._login_user = login_manager.anonymous_user()
        response = _render(503)
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        db.session.rollback()
        return _render(500)
