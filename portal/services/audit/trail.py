"""The one function that writes audit events.

Events are chained and sealed (`chain.py`: each stores the previous event's seal and an
HMAC-SHA256 over all its columns, with a key the database does not hold), so a deleted or
edited row shows. Ids are given here, under the lock, because the seal covers them. On
PostgreSQL a transaction-scoped advisory lock serialises writers so the chain has no forks;
SQLite serialises writers by itself.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, inspect, select, text

from ...extensions import db
from ...models import AuditEvent, User
from ...models._common import utcnow
from .chain import Sealer, chain_key
from .chain import verify_chain as verify_chain  # re-exported: callers import it from here

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


def add_recorded(
    record: Any, action: str, summary: dict[str, Any] | None = None, **who: Any
) -> Any:
    """Add a new `record` to the session with the audit event of its creation (`action`,
    `summary`; `who` as for `record_event`) and return it, flushed: it has its id."""
    db.session.add(record)
    record_event(action, record, summary, **who)
    return record


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
    last = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    next_id, prev = (last.id + 1, last.hash) if last is not None else (1, None)
    sealer = Sealer(chain_key())
    common = {
        "actor_id": actor.id if actor is not None else None,
        "actor_label": actor_label or (actor.email if actor is not None else "system"),
        "request_id": g.get("request_id") if has_request_context() else None,
        "ip": request.remote_addr if has_request_context() else None,
    }
    rows = []
    for (action, _record, summary), (record_type, record_id) in zip(items, records, strict=True):
        row = common | {
            "id": next_id,
            "at": utcnow(),
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "summary": json.dumps(_clean(summary), sort_keys=True, ensure_ascii=False, default=str),
            "prev_hash": prev,
        }
        row["hash"] = prev = sealer.seal(row)
        rows.append(row)
        next_id += 1
    return rows
