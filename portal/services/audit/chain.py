"""The audit chain's seal and its verification.

Every audit event is sealed with HMAC-SHA256 over **all** its columns (`SEALED_COLUMNS`: its
id, the previous event's seal, time, actor id and label, action, record, summary, request id
and address), so an edited row, a deleted or reordered one (the next event names the seal
before it) and a chain recomputed by someone without the key all show.

The key. `AUDIT_KEY` when set, otherwise `SECRET_KEY`, goes through HMAC with a fixed label
(`KEY_LABEL`), so the chain never uses the session-signing secret itself. Set `AUDIT_KEY` in
production: then `SECRET_KEY` can be rotated (to end every session after a leak) without
making the whole history unverifiable. To rotate `SECRET_KEY` on a portal that ran without
`AUDIT_KEY`, set `AUDIT_KEY` to the old `SECRET_KEY` first. Whoever holds the key can rewrite
history: keep it out of the database and its backups.

Deleting the newest events leaves a shorter chain that is still whole, so `flask
audit-verify` (daily, from cron) keeps the last verified head — event id, seal and time,
itself sealed — in the setting `audit_chain_head`; a later check whose chain no longer holds
that event reports the deletion. The head lives in the same database, so someone who can
write there could put back an older head they copied before: the command's output (event id
and seal prefix, in the cron log or mail) is the copy kept outside.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import AuditEvent, Setting
from ...models._common import utcnow

#: Every column of `audit_events` except the seal itself (`hash`). A test keeps it complete.
SEALED_COLUMNS = (
    "id",
    "prev_hash",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "record_type",
    "record_id",
    "summary",
    "request_id",
    "ip",
)
KEY_LABEL = b"singkawang-portal audit chain v1"
HEAD_SETTING = "audit_chain_head"
HEAD_DESCRIPTION = "Last verified audit event, sealed (written by flask audit-verify; do not edit)"
_HEAD_VERSION = "v1"
_BATCH = 2000

# What went wrong (ChainCheck.problem).
ALTERED = "altered"  # the event's seal does not match its columns
UNLINKED = "unlinked"  # the event does not follow the one before it (one deleted or moved)
TRUNCATED = "truncated"  # the last verified event is gone: the newest events were deleted
HEAD_ALTERED = "head_altered"  # the stored head's own seal does not match


def chain_key(config: Mapping[str, Any] | None = None) -> bytes:
    config = config if config is not None else current_app.config
    secret = config.get("AUDIT_KEY") or config["SECRET_KEY"]
    secret_bytes = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(secret_bytes, KEY_LABEL, hashlib.sha256).digest()


_AT = SEALED_COLUMNS.index("at")
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Sealer:
    """Seals events with one key (the HMAC is keyed once, then copied per event)."""

    def __init__(self, key: bytes):
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)

    def seal_values(self, values: Sequence[Any]) -> str:
        """The seal of an event's SEALED_COLUMNS values, in that order."""
        values = list(values)
        # The same instant gives the same text whatever time zone the driver hands back.
        values[_AT] = values[_AT].astimezone(UTC).isoformat()
        mac = self._keyed.copy()
        mac.update(_ENCODE(values).encode())
        return mac.hexdigest()

    def seal(self, row: Mapping[str, Any]) -> str:
        return self.seal_values([row[name] for name in SEALED_COLUMNS])


def event_seal(key: bytes, row: Mapping[str, Any]) -> str:
    """HMAC-SHA256 of every sealed column of an audit event (a mapping of column values)."""
    return Sealer(key).seal(row)


@dataclass(frozen=True)
class Head:
    """The last verified event, as kept in the `audit_chain_head` setting."""

    event_id: int  # 0: the chain was empty
    event_hash: str
    verified_at: datetime
    sealed: bool = True  # False: the stored value does not match its seal (or is unreadable)


def _same(stored: str | None, expected: str) -> bool:
    """Constant-time comparison that also survives non-ASCII garbage in a stored seal."""
    return hmac.compare_digest((stored or "").encode(), expected.encode())


def _head_seal(key: bytes, event_id: int, event_hash: str, verified_at: str) -> str:
    message = f"audit head|{event_id}|{event_hash}|{verified_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def load_head(key: bytes | None = None) -> Head | None:
    """The recorded head, or None when the chain was never verified."""
    setting = db.session.get(Setting, HEAD_SETTING)
    if setting is None or not setting.value:
        return None
    key = key or chain_key()
    try:
        version, raw_id, event_hash, verified_at, seal = setting.value.split(" ")
        event_id = int(raw_id)
        when = datetime.fromisoformat(verified_at)
    except ValueError:
        return Head(0, "", setting.updated_at, sealed=False)
    expected = _head_seal(key, event_id, event_hash, verified_at)
    sealed = version == _HEAD_VERSION and _same(seal, expected)
    return Head(event_id, event_hash, when, sealed=sealed)


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of walking the whole chain (`check_chain`)."""

    events: int  # events read before the verdict
    last_id: int | None  # the newest event that verified
    last_hash: str | None
    head: Head | None  # the head the chain was compared with
    problem: str | None = None
    broken_id: int | None = None  # the first broken event (or the missing verified one)
    complete: bool = True  # False: the time budget ran out; events after last_id unchecked

    @property
    def intact(self) -> bool:
        """No problem found (in the part checked, when not complete)."""
        return self.problem is None


def check_chain(time_budget: float | None = None) -> ChainCheck:
    """Walk every event in id order; stop at the first one that is broken.

    With `time_budget` (seconds) the walk stops when it is spent and the result says how far
    it got (`complete=False`): a page must answer, the daily command checks everything.
    """
    deadline = time.perf_counter() + time_budget if time_budget is not None else None
    key = chain_key()
    sealer = Sealer(key)
    head = load_head(key)
    trusted = head if head is not None and head.sealed else None  # a forged head proves nothing
    events = 0
    prev_id: int | None = None
    prev_hash: str | None = None
    table = AuditEvent.__table__
    columns = [table.c[name] for name in SEALED_COLUMNS]
    rows = db.session.execute(
        select(*columns, table.c.hash).order_by(table.c.id).execution_options(yield_per=_BATCH)
    )

    def verdict(problem: str | None = None, broken: int | None = None, complete=True):
        rows.close()
        return ChainCheck(events, prev_id, prev_hash, head, problem, broken, complete)

    for row in rows:
        if deadline is not None and events and time.perf_counter() > deadline:
            return verdict(complete=False)
        *values, seal = row
        event_id = values[0]
        if values[1] != prev_hash:
            return verdict(UNLINKED, event_id)
        if not _same(seal, sealer.seal_values(values)):
            return verdict(ALTERED, event_id)
        events += 1
        prev_id, prev_hash = event_id, seal
        if trusted and event_id == trusted.event_id and seal != trusted.event_hash:
            return verdict(TRUNCATED, trusted.event_id)
    if head is not None and not head.sealed:
        return verdict(HEAD_ALTERED, head.event_id)
    if trusted and trusted.event_id and (prev_id is None or prev_id < trusted.event_id):
        return verdict(TRUNCATED, trusted.event_id)
    return verdict()


def verify_chain() -> int | None:
    """None when the chain is intact, else the id of the first broken event (for deleted
    newest events: the last verified one, now missing)."""
    check = check_chain()
    return None if check.intact else (check.broken_id or 0)


def record_head(check: ChainCheck) -> Head:
    """Keep an intact chain's newest event as the head later checks must still find. The
    caller commits."""
    if not (check.intact and check.complete):
        raise ValueError("only a wholly verified, intact chain has a head worth keeping")
    event_id, event_hash = check.last_id or 0, check.last_hash or "-"
    verified_at = utcnow()
    when = verified_at.isoformat()
    seal = _head_seal(chain_key(), event_id, event_hash, when)
    value = " ".join([_HEAD_VERSION, str(event_id), event_hash, when, seal])
    setting = db.session.get(Setting, HEAD_SETTING)
    if setting is None:
        setting = Setting(key=HEAD_SETTING, description=HEAD_DESCRIPTION)
        db.session.add(setting)
    setting.value = value
    return Head(event_id, event_hash, verified_at)
