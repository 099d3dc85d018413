"""A small cache for the published figures, so a news-driven spike of visitors does not run
the city-wide aggregate once per visitor.

Each worker process keeps computed values keyed on (name, arguments) together with the
*figures version*, a number stored in the database (setting `figures_version`) that every
command changing the underlying counts bumps (official counts, workforce estimates, targets).
A value is served while its version is current and it is younger than
`FIGURES_CACHE_SECONDS` (300 by default; 0 turns the cache off). Membership counts change
through the day without bumping: they show at most that many seconds late.

Reading the version is one small query per request; the aggregate runs once per worker, per
filter combination, per version or period.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import Integer, String, cast, select, update

from ...extensions import db
from ...models import Setting

T = TypeVar("T")
VERSION_KEY = "figures_version"
MAX_ENTRIES = 256

_lock = threading.Lock()
_store: dict[Hashable, tuple[int, float, object]] = {}


def figures_version() -> int:
    value = db.session.scalar(select(Setting.value).where(Setting.key == VERSION_KEY))
    try:
        return int(value or 0)
    except ValueError:
        return 0


def bump_figures_version() -> None:
    """Mark every cached figure stale (in this transaction; the caller commits).

    One atomic UPDATE, so two commands committing at once give two new versions (a
    read-then-write could give both the same one and leave a cache built between them).
    """
    bumped = db.session.execute(
        update(Setting)
        .where(Setting.key == VERSION_KEY)
        .values(value=cast(cast(Setting.value, Integer) + 1, String))
        .execution_options(synchronize_session=False)
    ).rowcount
    if not bumped:  # a database from before the setting existed
        db.session.add(
            Setting(key=VERSION_KEY, value="1", description="Changes when published figures do")
        )


def refresh_minutes() -> int:
    """At most how many minutes old a cached figure is (0: figures are never cached)."""
    seconds = current_app.config.get("FIGURES_CACHE_SECONDS", 300)
    return -(-seconds // 60) if seconds else 0


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its value from an earlier call with the same key and figures version."""
    seconds = current_app.config.get("FIGURES_CACHE_SECONDS", 300)
    if not seconds:
        return compute()
    version = figures_version()
    full_key = (id(current_app._get_current_object()), key)
    now = time.monotonic()
    with _lock:
        hit = _store.get(full_key)
    if hit is not None and hit[0] == version and now - hit[1] < seconds:
        return hit[2]  # type: ignore[return-value]
    value = compute()
    with _lock:
        if len(_store) >= MAX_ENTRIES:
            _store.clear()
        _store[full_key] = (version, now, value)
    return value


def clear() -> None:
    with _lock:
        _store.clear()
