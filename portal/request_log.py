"""One structured log line per request, with a request id; never NIK or passwords."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

log = logging.getLogger("portal.request")
_NIK_LIKE = re.compile(r"\b\d{16}\b")
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{8,36}$")


def _mask(text: str) -> str:
    return _NIK_LIKE.sub("****************", text)


class MaskNik(logging.Filter):
    """Masks NIK-like numbers in any record it sees (the dev server logs full URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners and servers swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


_JSON_LINES = _StderrHandler()
_JSON_LINES.setFormatter(logging.Formatter("%(message)s"))
_JSON_LINES.addFilter(MaskNik())


def install_request_logging(app: Flask) -> None:
    """One JSON line per request on stderr (logger `portal.request`, level INFO)."""
    if _JSON_LINES not in log.handlers:
        log.addHandler(_JSON_LINES)
    log.setLevel(logging.INFO)
    log.propagate = False  # the line is complete JSON; no second copy through the root
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskNik) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(MaskNik())

    @app.before_request
    def start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else str(uuid.uuid4())
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        started = g.get("request_started")
        if "page_cache_user" in g:  # a stored page was served: the user was not loaded
            user = g.page_cache_user
        else:
            user = current_user.id if current_user and current_user.is_authenticated else None
        log.info(
            json.dumps(
                {
                    "request_id": g.get("request_id"),
                    "method": request.method,
                    # Paths only (no query string): search terms may hold a NIK.
                    "path": _mask(request.path),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    "user": user,
                }
            )
        )
        return response
