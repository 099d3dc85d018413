"""Busy list and figure pages rendered once and served again until the data they show changes.

A page marked `@cached_page` is stored, after a normal render, in its worker process together
with the set of tables its SQL read and the *version* each of those tables had. The next
identical request (same page and query string, same user and login session, same language,
same WIB day, within `PAGE_CACHE_SECONDS`) gets the stored page if none of those tables has
changed since; otherwise the page is rendered again.

Which tables a page read and which ones a transaction wrote are taken from the SQL itself (an
engine hook sees every statement, ORM or not, lazy loads and flushes included), so there is no
dependency list to keep up to date by hand. A committed transaction that wrote a table bumps
that table's version once the database has committed: in Redis (`REDIS_URL`, shared by every
worker and server, so a write in one process is seen by the others at once) or, without Redis
(one process: development, tests), in the process. Writes made outside the SQLAlchemy session
(none in the portal; the scale seed's COPY runs before a server starts) are not seen; like a
Redis outage, they can only make a page at most `PAGE_CACHE_SECONDS` late.

Access is decided before the cache is asked (the view's `@require` wraps this), the login
session is checked on every request by the user loader, and a request with a pending flash
message, a non-GET request, a response other than 200, or a render that changed the session
(other than creating the CSRF token the page's forms carry) is never stored.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache, wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..domain import clock
from ..extensions import db
from ..services.tokens import token_digest

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

_WRITE_START = re.compile(
    r"^\s*(?:with\b.*?\b)?(insert|update|delete|truncate|alter|drop|create)\b",
    re.IGNORECASE | re.DOTALL,
)
HIT_HEADER = "X-Page-Cache"
_UNSHARED = {"set-cookie", "content-length", "vary"}  # per response, never replayed
_WROTE = "<write>"  # marks a render that wrote: such a page is never stored
# Session keys a render may add without the page depending on them: the CSRF token of the
# page's forms (part of the key) and Flask-Login's freshness mark for a visitor.
_PAGE_NEUTRAL = {"csrf_token", "_fresh"}


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.written: set[str] = set()  # tables written in the open transaction
        self.reading: set[str] | None = None  # tables read by the page being rendered


_state = _ThreadState()


@cache
def _all_tables() -> tuple[str, ...]:
    """The portal's tables (the schema is fixed once the models are imported)."""
    return tuple(sorted(db.metadata.tables))


@cache
def _table_names() -> re.Pattern[str]:
    names = sorted(_all_tables(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?!\w)")


def _tables_in(sql: str) -> set[str]:
    """Every table of the portal's schema named in a statement (a column sharing a table's
    name over-counts, which only costs a page render)."""
    return set(_table_names().findall(sql))


def _before_cursor_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    reading = _state.reading
    is_write = _WRITE_START.match(statement) is not None
    if not is_write and reading is None:
        return
    tables = _tables_in(statement)
    if is_write:
        _state.written |= tables
    if reading is not None:
        reading |= tables
        if is_write:
            reading.add(_WROTE)


class LocalVersions:
    """Table versions for one process (no Redis configured)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}

    def get(self, tables: Iterable[str]) -> tuple[int, ...] | None:
        with self._lock:
            return tuple(self._versions.get(t, 0) for t in tables)

    def bump(self, tables: Iterable[str]) -> None:
        with self._lock:
            for t in tables:
                self._versions[t] = self._versions.get(t, 0) + 1


class RedisVersions:
    """Table versions in Redis: one counter per table, shared by every process."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._prefix = f"{prefix}:page-version:"

    def get(self, tables: Iterable[str]) -> tuple[int, ...] | None:
        keys = [self._prefix + t for t in tables]
        if not keys:
            return ()
        try:
            values = self._redis.mget(keys)
        except Exception:  # Redis down: render the page, never guess
            log.warning("page cache: Redis unreachable, rendering without the cache")
            return None
        return tuple(int(v or 0) for v in values)

    def bump(self, tables: Iterable[str]) -> None:
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for t in tables:
                    pipe.incr(self._prefix + t)
                pipe.execute()
        except Exception:
            log.warning("page cache: Redis unreachable, a change may show late")


class PageStore:
    """Rendered pages of one process, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple, tuple]
        self._pages = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple):
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: tuple) -> None:
        size = len(entry[3])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[3])
            self._pages[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped[3])

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


def _extension() -> tuple[LocalVersions | RedisVersions, PageStore] | None:
    if not has_app_context():  # a session used outside any app (a script's own engine)
        return None
    return current_app.extensions.get("page_cache")


def _after_commit(_session) -> None:
    written, _state.written = _state.written, set()
    if written and (ext := _extension()) is not None:
        ext[0].bump(sorted(written))


def _after_rollback(_session) -> None:
    _state.written = set()


def install_page_cache(app: Flask) -> None:
    """Hook the engine and the session; keep the stores on the app."""
    if app.config.get("PAGE_CACHE_SECONDS", 0) <= 0:
        return
    url = app.config.get("PAGE_CACHE_REDIS_URL")
    prefix = app.config.get("RATELIMIT_KEY_PREFIX") or "portal"
    versions = RedisVersions(url, prefix) if url else LocalVersions()
    app.extensions["page_cache"] = (versions, PageStore(app.config["PAGE_CACHE_MAX_BYTES"]))
    if not event.contains(Engine, "before_cursor_execute", _before_cursor_execute):
        event.listen(Engine, "before_cursor_execute", _before_cursor_execute)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)


def clear() -> None:
    """Forget this process's stored pages (tests)."""
    if (ext := _extension()) is not None:
        ext[1].clear()


def _session_key() -> tuple[str, ...]:
    return tuple(sorted(k for k in session.keys() if k not in _PAGE_NEUTRAL))


def _login() -> str | None:
    """The login session the cookie names (Flask-Login's user id is the session's token),
    hashed: the store never keeps a usable token."""
    token = session.get("_user_id")
    return token_digest(token) if isinstance(token, str) else None


def _page_key(seconds: int) -> tuple:
    return (
        request.endpoint,
        request.full_path,
        request.headers.get("Accept", ""),
        _login(),
        session.get("csrf_token"),
        str(get_locale()),
        clock.today_wib(),
        int(clock.now().timestamp()) // seconds,  # an entry lives at most `seconds`
    )


def cached_page(view: F) -> F:
    """Serve the view's page from the store while the tables it read are unchanged.

    Put it above the view's access policy (`@require`): a stored page is kept for the login
    session that passed the policy, and depends on the `login_sessions` and `users` rows the
    user loader read, so a logout, a deactivation or a role change (each a write to those
    tables) is a render, where the policy and the user loader decide again. A hit needs no
    database connection at all: one Redis read of the versions.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        ext = _extension()
        seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
        if ext is None or request.method != "GET" or "_flashes" in session:
            return view(*args, **kwargs)
        versions, store = ext
        entry = store.get(_page_key(seconds))
        if entry is not None:
            tables, seen, ends, body, headers, user_id = entry
            if (ends is None or clock.now() < ends) and versions.get(tables) == seen:
                g.page_cache_user = user_id  # for the request log, without loading the user
                response = Response(body, headers=headers)
                response.headers[HIT_HEADER] = "hit"
                return response
        # Every table's version before the render: a change committed while the page renders
        # makes the stored page look older than it is (rendered again next time), never newer.
        everything = _all_tables()
        before_render = versions.get(everything)
        before = _session_key()
        # Objects loaded before the view count as read by the page (normally none: the user
        # loader runs inside, under the access policy).
        reading = {type(obj).__table__.name for obj in db.session.identity_map.values()}
        _state.reading = reading
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            _state.reading = None
        if (
            response.status_code == 200
            and not response.direct_passthrough
            and _session_key() == before
            and "_flashes" not in session
            and before_render is not None
            and _WROTE not in reading
        ):
            version_of = dict(zip(everything, before_render, strict=True))
            tables = tuple(sorted(t for t in reading if t in version_of))
            seen = tuple(version_of[t] for t in tables)
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _UNSHARED]
            user = current_user if _login() is not None else None
            ends = getattr(user, "login_session_ends", None)
            user_id = user.id if user is not None and user.is_authenticated else None
            store.put(
                _page_key(seconds), (tables, seen, ends, response.get_data(), headers, user_id)
            )
        return response

    return wrapped  # type: ignore[return-value]
