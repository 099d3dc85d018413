"""Who may use what: the one place access is decided.

Every view declares a policy with `@require(...)` or `@public`; a test walks `app.url_map`
and fails on any endpoint without one. Which rows a user may see is decided in the services
(`portal.services.access`): an owner's query only ever returns the owner's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from ..services.access import (
    ALL_ROLES,
    BPJS,
    FIELD_AGENT,
    LABOUR,
    OWNER,
    SELF_REGISTRANTS,
    STAFF,
    TRADE,
    WORKER,
)

__all__ = [
    "ALL_ROLES",
    "BPJS",
    "FIELD_AGENT",
    "LABOUR",
    "OWNER",
    "SELF_REGISTRANTS",
    "STAFF",
    "TRADE",
    "WORKER",
    "public",
    "require",
]

F = TypeVar("F", bound=Callable[..., Any])


PUBLIC = "public"


def me():
    """The signed-in user itself (not the request's proxy), to hand to a service."""
    return current_user._get_current_object()


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def public(view: F) -> F:
    """Anyone, logged in or not, may use this view."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def require(*roles: str | Iterable[str]) -> Callable[[F], F]:
    """Only logged-in users with one of `roles` may use the view.

    Anonymous callers are sent to the login page (401 for JSON); other roles get 403.
    """
    allowed: set[str] = set()
    for r in roles:
        allowed.update([r] if isinstance(r, str) else r)
    unknown = allowed - ALL_ROLES
    if unknown or not allowed:
        raise ValueError(f"unknown or empty roles in policy: {sorted(unknown)}")
    frozen = frozenset(allowed)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if _wants_json():
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in frozen:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_policy = frozen  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def policy_of(view: Callable[..., Any]) -> str | frozenset[str] | None:
    return getattr(view, "access_policy", None)
