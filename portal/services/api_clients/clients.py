"""Registering, revoking and recognising API clients.

A token is `skw_` plus 32 random bytes (URL-safe base64); only its SHA-256 is stored, and it is
shown once, when the admin registers the client. Each client gets a service account (a `User`
that cannot log in: inactive, no usable password) of its agency's officer role, so the service
commands it calls apply the same rules, row scopes and audit trail as for a staff member, and
the audit log names the client as the actor.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Agency, ApiClient, ApiScope, Role, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import InvalidInput, NotFound
from ..saving import update_rows

TOKEN_PREFIX = "skw_"
ALL_SCOPES = tuple(s.value for s in ApiScope)
#: The role of a client's service account, by its agency (no agency: an outside channel).
SERVICE_ROLE = {
    "bpjs": Role.BPJS_OFFICER.value,
    "disnaker": Role.LABOUR_OFFICER.value,
    "disperindagkop": Role.TRADE_OFFICER.value,
}
OUTSIDE_ROLE = Role.BUSINESS_OWNER.value  # no staff rights at all
_TOUCH_EVERY = timedelta(minutes=1)
MAX_VALID_DAYS = 3650


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Registered:
    client: ApiClient
    token: str  # shown once; never stored


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "client"


def register_client(
    name: str,
    agency_id: int | None,
    scopes: list[str],
    actor: User | None = None,
    *,
    valid_days: int | None = None,
    token: str | None = None,
) -> Registered:
    """Register a client with `scopes`; returns it with its token (shown once). The token
    expires after `valid_days` (None: it works until revoked). `token` is a fixed one for
    the demo data only; otherwise a new random token is drawn.

    Raises InvalidInput for a missing name, an unknown agency or scope, or no scope at all.
    """
    name = (name or "").strip()
    problems = []
    if not name or len(name) > 120:
        problems.append(("name", str(_l("Give the client a name of at most 120 characters."))))
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency_id and agency is None:
        problems.append(("agency", str(_l("Choose an agency from the list."))))
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        problems.append(("scopes", str(_l("Choose at least one scope from the list."))))
    if valid_days is not None and not 1 <= valid_days <= MAX_VALID_DAYS:
        problems.append(
            ("valid_days", str(_l("From 1 to %(n)d days, or empty.", n=MAX_VALID_DAYS)))
        )
    if problems:
        raise InvalidInput(problems)
    token = token or new_token()
    user = User(
        email=f"api-{secrets.token_hex(4)}.{_slug(name)}@clients.invalid",
        name=f"API: {name}"[:120],
        role=SERVICE_ROLE.get(agency.code, OUTSIDE_ROLE) if agency else OUTSIDE_ROLE,
        agency_id=agency.id if agency else None,
        active=False,  # a service account never logs in
        password_hash="!",  # matches no password
    )
    db.session.add(user)
    db.session.flush()
    client = ApiClient(
        name=name,
        agency_id=agency.id if agency else None,
        scopes=sorted(set(scopes), key=ALL_SCOPES.index),
        token_hash=digest(token),
        token_prefix=token[:12],
        user_id=user.id,
        expires_at=utcnow() + timedelta(days=valid_days) if valid_days else None,
    )
    db.session.add(client)
    db.session.flush()
    record_event(
        "api_client.registered",
        client,
        {
            "name": name,
            "agency": agency.code if agency else None,
            "scopes": client.scopes,
            "expires_at": client.expires_at,
        },
        actor=actor,
    )
    return Registered(client, token)


def revoke_client(client_id: int, actor: User | None = None) -> ApiClient:
    """Stop a client's token from working, for good. Raises NotFound for an unknown client."""
    client = db.session.get(ApiClient, client_id)
    if client is None:
        raise NotFound()
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        record_event("api_client.revoked", client, {"name": client.name}, actor=actor)
    return client


def client_for_token(token: str | None) -> ApiClient | None:
    """The active client holding `token`, or None (unknown, revoked or expired). Notes when
    it was last used (at most once a minute; the caller commits)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == digest(token)))
    now = utcnow()
    if client is None or client.revoked_at is not None:
        return None
    if client.expires_at is not None and client.expires_at <= now:
        return None
    if client.last_used_at is None or now - client.last_used_at > _TOUCH_EVERY:
        update_rows(ApiClient, ApiClient.id == client.id, last_used_at=now)
        client.last_used_at = now
    return client


def client_named(name: str) -> ApiClient | None:
    return db.session.scalar(select(ApiClient).where(ApiClient.name == name).limit(1))


def scope_choices() -> list[tuple[str, str]]:
    return [(s, s) for s in ALL_SCOPES]
