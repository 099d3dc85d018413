"""The one function that writes audit events.

Events are hash-chained (each stores the previous event's hash) so a deleted or edited row
shows. On PostgreSQL a transaction-scoped advisory lock serialises writers so the chain has
no forks; SQLite serialises writers by itself.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, inspect, select, text

from ...extensions import db
from ...models import AuditEvent, User
from ...models._common import utcnow

_AUDIT_LOCK_KEY = 727_201  # arbitrary constant naming the audit chain's advisory lock
SENSITIVE_KEYS = frozenset({"nik", "password", "password_hash", "token"})


def _clean(summary: dict[str, Any] | None) -> dict[str, Any]:
    """Drop values that must never reach the log (NIK, passwords, tokens)."""
    if not summary:
        return {}
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if key in SENSITIVE_KEYS:
            out[key] = "***"
        elif isinstance(value, dict):
            out[key] = _clean(value)
        elif isinstance(value, datetime):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _record_key(record: Any) -> str:
    """The record's primary key as text (composite keys joined by ":")."""
    state = inspect(record)
    if state.identity is None:
        db.session.flush()  # a new row needs its key before we can name it
    return ":".join(str(part) for part in inspect(record).identity)[:40]


def _event_hash(prev: str | None, at: datetime, action: str, record: str, summary: str) -> str:
    payload = "|".join([prev or "", at.isoformat(), action, record, summary])
    return hashlib.sha256(payload.encode()).hexdigest()


def record_event(
    action: str,
    record: Any = None,
    summary: dict[str, Any] | None = None,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits).

    `record` is a model instance (its class name and id are stored) or None. `summary` holds
    before/after values; NIK, passwords and tokens are masked here, whatever the caller passes.
    """
    (row,) = _chained_rows([(action, record, summary)], actor, actor_label)
    event = AuditEvent(**row)
    db.session.add(event)
    return event


def record_events(items: list[tuple[str, Any, dict[str, Any] | None]]) -> None:
    """Add one audit event per (action, record, summary) in one go: the bulk form of
    `record_event`, for imports of thousands of rows.

    `record` is a model instance or a (type name, id) pair. The events are chained and
    masked exactly as `record_event` does (`_chained_rows`) and inserted with one
    executemany; the caller commits.
    """
    if items:
        db.session.flush()  # events added one by one so far come first in the chain
        # Core executemany, in list order: ids follow the chain's order.
        db.session.execute(insert(AuditEvent.__table__), _chained_rows(items, None, None))


def _chained_rows(
    items: list[tuple[str, Any, dict[str, Any] | None]],
    actor: User | None,
    actor_label: str | None,
) -> list[dict[str, Any]]:
    """The rows of new audit events, each chained to the one before: the one place that
    decides what an event holds (actor, request, masked summary, hash)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    records = []
    for _action, record, _summary in items:
        if record is None:
            records.append((None, None))
        elif isinstance(record, tuple):
            records.append((record[0], str(record[1])))
        else:
            records.append((type(record).__name__, _record_key(record)))

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    common = {
        "actor_id": actor.id if actor is not None else None,
        "actor_label": actor_label or (actor.email if actor is not None else "system"),
        "request_id": g.get("request_id") if has_request_context() else None,
        "ip": request.remote_addr if has_request_context() else None,
    }
    rows = []
    for (action, _record, summary), (record_type, record_id) in zip(items, records, strict=True):
        at = utcnow()
        body = json.dumps(_clean(summary), sort_keys=True, ensure_ascii=False, default=str)
        digest = _event_hash(prev, at, action, f"{record_type}:{record_id}", body)
        rows.append(
            common
            | {
                "at": at,
                "action": action,
                "record_type": record_type,
                "record_id": record_id,
                "summary": body,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows


def verify_chain() -> int | None:
    """Return the id of the first event whose hash does not match, or None if intact."""
    prev: str | None = None
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        expected = _event_hash(
            prev, event.at, event.action, f"{event.record_type}:{event.record_id}", event.summary
        )
        if event.prev_hash != prev or event.hash != expected:
            return event.id
        prev = event.hash
    return None
