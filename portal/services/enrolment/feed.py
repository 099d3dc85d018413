"""The enrolment queue as BPJS's own system reads it over the API: by state and changed-since,
oldest change first, cursor-paginated (`services.cursor`). One query per page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import EnrolmentRequest, EnrolmentState
from ..cursor import CursorPage, keyset_page
from .reports import OPEN

#: `state` filter values: every state, "open" (waiting at BPJS) or "all".
STATE_FILTERS = ("open", "all", *(s.value for s in EnrolmentState))


def changes_page(
    state: str = "open",
    updated_since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> CursorPage:
    stmt = select(EnrolmentRequest).options(
        joinedload(EnrolmentRequest.worker), joinedload(EnrolmentRequest.business)
    )
    if state == "open":
        stmt = stmt.where(EnrolmentRequest.state.in_(OPEN))
    elif state != "all":
        stmt = stmt.where(EnrolmentRequest.state == state)
    if updated_since is not None:
        stmt = stmt.where(EnrolmentRequest.updated_at >= updated_since)
    return keyset_page(stmt, EnrolmentRequest.updated_at, EnrolmentRequest.id, cursor, limit)
