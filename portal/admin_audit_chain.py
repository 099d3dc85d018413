"""The admin page that checks the audit chain now and says "intact" or names the first
broken event (`/admin/audit-chain/`). The check itself is `services.audit.chain`."""

from __future__ import annotations

from flask import current_app
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .admin import AdminOnly
from .extensions import db
from .models import AuditEvent
from .services.audit.chain import (
    ALTERED,
    HEAD_ALTERED,
    TRUNCATED,
    UNLINKED,
    ChainCheck,
    check_chain,
)
from .templating import format_moment


def describe(check: ChainCheck) -> str:
    """What is wrong, in the admin's language (empty when the chain is intact)."""
    if check.problem == ALTERED:
        return _(
            "Event #%(id)d does not match its seal: it was edited after it was written, "
            "or written without the key.",
            id=check.broken_id,
        )
    if check.problem == UNLINKED:
        return _(
            "Event #%(id)d does not follow the event before it: an earlier event was "
            "deleted or moved.",
            id=check.broken_id,
        )
    if check.problem == TRUNCATED:
        return _(
            "Event #%(id)d, verified on %(when)s, is missing or replaced: the newest events "
            "were deleted.",
            id=check.broken_id,
            when=format_moment(check.head.verified_at if check.head else None),
        )
    if check.problem == HEAD_ALTERED:
        return _("The record of the last verification was changed: its seal does not match.")
    return ""


class AuditChainView(AdminOnly, BaseView):
    @expose("/")
    def index(self):
        check = check_chain(time_budget=current_app.config["AUDIT_PAGE_CHECK_SECONDS"])
        broken = db.session.get(AuditEvent, check.broken_id) if check.broken_id else None
        return self.render(
            "admin/audit_chain.html", check=check, problem=describe(check), broken=broken
        )


def audit_chain_view() -> AuditChainView:
    return AuditChainView(
        name=_l("Audit chain"), endpoint="admin_audit_chain", url="/admin/audit-chain"
    )
