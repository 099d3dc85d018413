"""What every API view shares: who is calling (a bearer token or an Open311 `api_key`, never
a browser session), refusals as data, conditional GETs, and commands that commit once and can
be safely retried with an `Idempotency-Key`.

Sessions never authorise an API call: the API blueprints set the request's user to anonymous
before anything reads the session, and a view's policy (`api_scope`) then sets it to the
calling client's service account. No cookie is read, so the API is exempt from CSRF.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db, login_manager
from ..models import ApiClient
from ..services.api_clients.clients import client_for_token
from ..services.api_clients.idempotency import (
    MAX_KEY_LENGTH,
    claim_key,
    fingerprint,
    keep_answer,
    stored_answer,
)
from ..services.errors import NotAllowed, NotFound, ServiceError, StaleRecord

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ApiPolicy:
    """An API view's access policy: a client token with `scope` (and, when set, of `agency`).

    `credential` is where the token comes from: "bearer" (`Authorization: Bearer …`) or
    "api_key" (Open311's `api_key` parameter). `also`: other scopes that equally allow the
    call (a writer may read what it wrote)."""

    scope: str
    agency: str | None = None
    credential: str = "bearer"
    also: tuple[str, ...] = ()

    @property
    def scopes(self) -> tuple[str, ...]:
        return (self.scope, *self.also)


class ApiRefusal(Exception):
    """An API answer other than success: `status`, a title and (field, message) problems."""

    def __init__(
        self,
        status: int,
        title: str,
        problems: Iterable[tuple[str | None, str]] = (),
        headers: dict[str, str] | None = None,
    ):
        super().__init__(title)
        self.status = status
        self.title = str(title)
        self.problems = [(f, str(m)) for f, m in problems]
        self.headers = headers or {}


def unauthorised() -> ApiRefusal:
    return ApiRefusal(
        401,
        _l("A valid API token is needed."),
        headers={"WWW-Authenticate": 'Bearer realm="portal-api"'},
    )


def refusal_for(error: ServiceError) -> ApiRefusal:
    """A service's refusal as an API answer: 404, 403, 409 (the record's state refused the
    step) or 422 (input refused, each message at its field)."""
    if isinstance(error, NotFound):
        return ApiRefusal(404, error.message)
    if isinstance(error, NotAllowed):
        return ApiRefusal(403, error.message)
    problems = error.problems
    if all(field is None for field, _ in problems):
        return ApiRefusal(409, error.message, problems)
    return ApiRefusal(422, _l("The input was refused."), problems)


# --- Who is calling ------------------------------------------------------------------------


def discard_changes() -> None:
    """A refused call leaves nothing behind."""
    db.session.rollback()


def without_cookie_sessions(app, prefixes: tuple[str, ...]) -> None:
    """Requests under `prefixes` get an empty, read-only session: nothing in them can read a
    logged-in browser's session, and no session cookie is set or refreshed."""
    inner = app.session_interface
    if getattr(inner, "sessionless_prefixes", None) is not None:
        inner.sessionless_prefixes = (*inner.sessionless_prefixes, *prefixes)
        return

    class Sessionless(type(inner)):
        sessionless_prefixes = prefixes

        def open_session(self, app, request):
            if request.path.startswith(self.sessionless_prefixes):
                return self.make_null_session(app)
            return super().open_session(app, request)

    outer = Sessionless.__new__(Sessionless)
    outer.__dict__.update(inner.__dict__)
    app.session_interface = outer


def forget_session_user() -> None:
    """The request acts as nobody until a token says otherwise (blueprint before_request)."""
    g._login_user = login_manager.anonymous_user()
    g.api_client = None


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _api_key() -> str | None:
    return request.args.get("api_key") or request.form.get("api_key")


def rate_key() -> str:
    """Flask-Limiter's key for API calls: the client's token (hashed), else the address."""
    token = _bearer() or _api_key()
    if token:
        return "api-client:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    return "api-ip:" + (request.remote_addr or "-")


def api_rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def current_client() -> ApiClient | None:
    return g.get("api_client")


def api_scope(
    scope: str,
    *,
    agency: str | None = None,
    credential: str = "bearer",
    also: tuple[str, ...] = (),
):
    """Only a registered, unrevoked client with `scope` (or one of `also`; and of `agency`,
    when given) may use the view: 401 without a valid token, 403 for a missing scope or
    another agency."""
    policy = ApiPolicy(scope, agency, credential, tuple(also))

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = _bearer() if credential == "bearer" else _api_key()
            client = client_for_token(token)
            db.session.commit()  # the last-used time, whatever the call does next
            if client is None:
                raise unauthorised()
            if not any(client.has_scope(s) for s in policy.scopes):
                raise ApiRefusal(403, _l("This client may not use %(scope)s.", scope=scope))
            if agency is not None and (client.agency is None or client.agency.code != agency):
                raise ApiRefusal(403, _l("Only the agency's own system may use this."))
            g.api_client = client
            client.user.api_call = True  # authenticated for this request only
            g._login_user = client.user  # services and the audit trail see the client
            return view(*args, **kwargs)

        wrapped.access_policy = policy  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


# --- Request bodies --------------------------------------------------------------------------


def _no_constants(name: str):
    raise ValueError(name)


def json_body() -> Any:
    """The request's JSON (413 over the API's size limit, 415/400 for anything else)."""
    if not request.is_json:
        raise ApiRefusal(415, _l("Send the body as application/json."))
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError):
        raise ApiRefusal(400, _l("The body is not valid JSON.")) from None


# --- Commands --------------------------------------------------------------------------------


def _replay(answer) -> tuple[Any, int, dict[str, str]]:
    return json.loads(answer.body), answer.status, {"Idempotent-Replayed": "true"}


def run_command(
    command: Callable[[], Any],
    render: Callable[[Any], Any] = lambda value: value,
    status: int = 200,
) -> tuple[Any, int, dict]:
    """Run a service command and commit it once; the JSON answer is `render(command())`,
    built after the change is flushed (versions and ids as stored).

    With an `Idempotency-Key` header the answer is stored in the same transaction, and a repeat
    of the same request gets it back (nothing done twice); the same key with another request
    is refused (422). A refusal rolls everything back and is raised as an ApiRefusal.
    """
    client = current_client()
    key = request.headers.get("Idempotency-Key")
    stamp = None
    if key is not None:
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            raise ApiRefusal(
                400, _l("An Idempotency-Key is 1 to 100 printable characters."), [(None, key)]
            )
        stamp = fingerprint(request.method, request.path, request.get_data(cache=True))
        answer = stored_answer(client.id, key)
        if answer is not None:
            if answer.fingerprint != stamp:
                raise ApiRefusal(422, _l("This Idempotency-Key was used for a different request."))
            return _replay(answer)
    try:
        claim = claim_key(client.id, key, stamp) if stamp is not None else None
    except IntegrityError:
        db.session.rollback()  # the same key at the same moment: answer as the winner did
        answer = stored_answer(client.id, key)
        if answer is None or answer.fingerprint != stamp:
            raise ApiRefusal(
                422, _l("This Idempotency-Key was used for a different request.")
            ) from None
        return _replay(answer)
    try:
        result = command()
        db.session.flush()
        value = render(result)
        if claim is not None:
            keep_answer(claim, status, json.dumps(value, ensure_ascii=False))
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise refusal_for(error) from None
    except StaleDataError:
        db.session.rollback()
        raise refusal_for(StaleRecord()) from None
    return value, status, {}
