"""Who may use what: the one place access is decided.

Every view declares a policy with `@require(...)` or `@public`; a test walks `app.url_map`
and fails on any endpoint without one. Row-level scoping lives here too: an owner's query
only ever returns the owner's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from ..extensions import db
from ..models import Business, Employment, Role, User

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES: frozenset[str] = frozenset(r.value for r in Role)
BPJS = frozenset({Role.BPJS_OFFICER.value, Role.BPJS_HEAD.value})
TRADE = frozenset({Role.TRADE_OFFICER.value, Role.TRADE_HEAD.value})
LABOUR = frozenset({Role.LABOUR_OFFICER.value, Role.LABOUR_HEAD.value})
STAFF = BPJS | TRADE | LABOUR
OWNER = frozenset({Role.BUSINESS_OWNER.value})

PUBLIC = "public"


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


def user_in(user: User, roles: Iterable[str]) -> bool:
    return user.is_authenticated and user.role in set(roles)


# --- Row-level scoping -----------------------------------------------------------------------


def scope_businesses(stmt: Select, user: User) -> Select:
    """Restrict a query over Business to what `user` may see (owners: their own only)."""
    if user.role == Role.BUSINESS_OWNER:
        return stmt.where(Business.owner_id == user.id)
    if user.role in STAFF or user.role == Role.ADMIN:
        return stmt
    return stmt.where(False)


def owned_business_or_404(business_id: int, user: User) -> Business:
    """The business with this id if `user` may see it; 404 otherwise (never 403: no leak)."""
    business = db.session.scalar(
        scope_businesses(select(Business).where(Business.id == business_id), user)
    )
    if business is None:
        abort(404)
    return business


def scope_employments(stmt: Select, user: User) -> Select:
    """Restrict a query over Employment to businesses `user` may see."""
    if user.role == Role.BUSINESS_OWNER:
        return stmt.join(Business, Employment.business_id == Business.id).where(
            Business.owner_id == user.id
        )
    if user.role in STAFF or user.role == Role.ADMIN:
        return stmt
    return stmt.where(False)


def owned_employment_or_404(employment_id: int, user: User) -> Employment:
    employment = db.session.scalar(
        scope_employments(select(Employment).where(Employment.id == employment_id), user)
    )
    if employment is None:
        abort(404)
    return employment
