"""Cursor pagination for lists other systems follow (the API): stable under inserts.

The cursor names the last row a page returned (its sort key and id), base64-encoded JSON; the
next page starts strictly after it. One query per page (a row more than asked tells whether
another page follows).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_

from ..extensions import db
from .errors import ServiceError

MAX_LIMIT = 200


@dataclass(frozen=True)
class CursorPage:
    items: list[Any]
    next_cursor: str | None


def _bad_cursor() -> ServiceError:
    return ServiceError("cursor", str(_l("This cursor is not one the API gave out.")))


def encode(key: datetime | None, row_id: int) -> str:
    raw = json.dumps([key.isoformat() if key is not None else None, row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, row_id = json.loads(raw)
        if not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError
        return (datetime.fromisoformat(key) if key is not None else None), row_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None


def keyset_page(stmt: Select, key_col, id_col, cursor: str | None, limit: int) -> CursorPage:
    """`stmt` ordered by (`key_col`, `id_col`) from just after `cursor`; `key_col` None orders
    by the id alone. `limit` is cut to 1…MAX_LIMIT."""
    limit = min(max(int(limit), 1), MAX_LIMIT)
    if cursor:
        key, after_id = decode(cursor)
        if key_col is None:
            stmt = stmt.where(id_col > after_id)
        else:
            if key is None:
                raise _bad_cursor()
            stmt = stmt.where(or_(key_col > key, and_(key_col == key, id_col > after_id)))
    order = (id_col,) if key_col is None else (key_col, id_col)
    rows = list(db.session.scalars(stmt.order_by(*order).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        key_value = getattr(last, key_col.key) if key_col is not None else None
        next_cursor = encode(key_value, last.id)
    return CursorPage(rows, next_cursor)
