"""Businesses the trade office meets in the field, and the one-time link that gives them an
owner.

The link carries a random token; only its SHA-256 is stored. Accepting it signs the owner up
and attaches the business in one transaction; the invitation is consumed with a conditional
UPDATE so two simultaneous uses cannot both succeed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import has_request_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from ...domain import clock
from ...extensions import db
from ...models import Business, BusinessInvitation, User
from ..accounts.passwords import password_problem
from ..accounts.users import AccountError, sign_up_owner
from ..audit.trail import record_event
from ..notifications.mailer import queue_mail
from ..reference.lookups import setting_int
from ..saving import flush_or_refuse, update_rows, update_usable_links
from ..tokens import token_digest
from .common import TradeError
from .registration import BusinessInput, pending_business

INVITATION_DAYS_SETTING = "business_invitation_days"
DEFAULT_INVITATION_DAYS = 14


def _nib_taken() -> TradeError:
    return TradeError("nib", _("A business with this NIB is already registered."))


def register_business_in_field(
    officer: User,
    *,
    nib: str,
    name: str,
    sector_code: str,
    scale: str,
    kelurahan_code: str,
    address: str,
    phone: str | None,
) -> Business:
    """Register a business met in the field; it has no owner until the invitation is used.

    Who: trade_officer or trade_head. The business starts pending; the registering officer is
    stored as `registered_by` (maker-checker: another officer verifies). Raises
    TradeError(field="nib") when the NIB already exists (also when a concurrent registration
    wins the race: the database's unique constraint decides).
    """
    if db.session.scalar(select(Business.id).where(Business.nib == nib)) is not None:
        raise _nib_taken()
    data = BusinessInput(nib, name, sector_code, scale, kelurahan_code, address, phone)
    business = pending_business(data, owner=None, registered_by=officer)
    flush_or_refuse(business, taken=_nib_taken())
    record_event(
        "business.field_registered",
        business,
        {"nib": nib, "name": name, "kelurahan": kelurahan_code},
        actor=officer,
    )
    return business


def create_invitation(business: Business, officer: User, email: str | None = None) -> str:
    """Make a one-time sign-up link for the owner of a field-registered business.

    Who: trade_officer or trade_head. Returns the raw token (shown once, never stored).
    Earlier links for the business that are still outstanding stop working. With an email
    address the link is also mailed to the owner once the transaction commits. Raises
    TradeError when the business already has an owner.
    """
    if business.owner_id is not None:
        raise TradeError(None, _("This business already has an owner account."))
    now = clock.now()
    # A new link replaces any earlier one still outstanding: only the latest works.
    update_usable_links(
        BusinessInvitation, BusinessInvitation.business_id == business.id, now=now, expires_at=now
    )
    token = secrets.token_urlsafe(32)
    days = setting_int(INVITATION_DAYS_SETTING, DEFAULT_INVITATION_DAYS)
    invitation = BusinessInvitation(
        business_id=business.id,
        token_hash=token_digest(token),
        email=(email or "").strip().lower() or None,
        created_by_id=officer.id,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    record_event(
        "business.invitation_created",
        business,
        {"invitation_id": invitation.id, "expires_at": invitation.expires_at},
        actor=officer,
    )
    _mail_invitation(invitation, business, token)
    return token


def _mail_invitation(invitation: BusinessInvitation, business: Business, token: str) -> None:
    if not invitation.email or not has_request_context():
        return
    link = url_for("disperindagkop.accept_invitation", token=token, _external=True)
    body = _(
        "The trade office (Disperindagkop) registered %(name)s for you on the Jamsostek "
        "Singkawang portal. Open this link to create your owner account and register your "
        "employees for BPJS Ketenagakerjaan. The link works once, until %(date)s:",
        name=business.name,
        date=format_date(invitation.expires_at, "long"),
    )
    subject = _("Your business %(name)s on the Jamsostek Singkawang portal", name=business.name)
    queue_mail(invitation.email, subject, f"{body}\n\n{link}")


def _already_used() -> TradeError:
    # Most often the owner's own second click: tell them their account exists.
    return TradeError(
        None,
        _(
            "This invitation link has already been used. If you created your account with it, "
            "log in with the email and password you chose."
        ),
    )


def usable_invitation(token: str) -> BusinessInvitation:
    """The invitation behind `token` if it can still be used.

    Raises TradeError for an unknown, used or expired link, or a business that meanwhile got
    an owner.
    """
    invitation = db.session.scalar(
        select(BusinessInvitation).where(BusinessInvitation.token_hash == token_digest(token))
    )
    if invitation is None:
        raise TradeError(
            None, _("This invitation link is not valid. Ask the trade office for a new one.")
        )
    if invitation.used_at is not None:
        raise _already_used()
    if invitation.expires_at <= clock.now():
        raise TradeError(
            None, _("This invitation link has expired. Ask the trade office for a new one.")
        )
    if invitation.business.owner_id is not None:
        raise TradeError(None, _("This business already has an owner account."))
    return invitation


def accept_invitation(token: str, *, name: str, email: str, phone: str, password: str) -> User:
    """Sign the owner up and attach the invited business to the new account.

    Who: anyone holding the link (public page). Raises TradeError(field="password") for a
    password the portal's rule refuses, TradeError(field="email") when the email is taken, and
    TradeError (no field) when the link is unknown, used, expired or consumed concurrently.
    On any error the caller rolls back: nothing is kept. (After a refusal the caller asks
    `usable_invitation` again: a double-click's first click may have used the link meanwhile.)
    """
    invitation = usable_invitation(token)
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise TradeError("password", problem)
    try:
        user = sign_up_owner(name, email, phone, password)
    except AccountError:
        raise TradeError("email", _("An account with this email already exists.")) from None
    now = clock.now()
    consumed = update_usable_links(
        BusinessInvitation,
        BusinessInvitation.id == invitation.id,
        now=now,
        used_at=now,
        used_by_id=user.id,
    )
    if consumed != 1:
        raise _already_used()
    attached = update_rows(
        Business,
        Business.id == invitation.business_id,
        Business.owner_id.is_(None),
        owner_id=user.id,
        version=Business.version + 1,
        updated_at=now,
    )
    if attached != 1:
        raise TradeError(None, _("This business already has an owner account."))
    business = db.session.get(Business, invitation.business_id)
    db.session.refresh(business)
    record_event(
        "business.invitation_used",
        business,
        {"invitation_id": invitation.id, "owner_id": user.id},
        actor=user,
    )
    return user
