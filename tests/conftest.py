"""Shared fixtures: an app per test on a clean database, a client, logins and query counting.

The database is SQLite in a temporary file by default; with TEST_DATABASE_URL set
(PostgreSQL) each test session works in its own schema and drops only that schema.
Tests build the schema from the models (fast); tests/integration/test_migrations.py proves
the migrations produce the same schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask import g
from sqlalchemy import create_engine, event, text

os.environ["PORTAL_ENV"] = "testing"

from portal import create_app  # noqa: E402
from portal.domain.clock import frozen  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.i18n import compile_catalogs  # noqa: E402
from portal.services.reference.seed import load_reference_data  # noqa: E402

from . import factories  # noqa: E402

PASSWORD = "Rahasia-Kuat-2026"


def pytest_configure(config) -> None:
    # A bare `pytest` sees the same Indonesian pages as `make test`.
    compile_catalogs()


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"test_{worker}_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin_engine.dispose()


@pytest.fixture(scope="session")
def _schema(database_url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if _is_postgres(str(db.engine.url)):
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def _fresh_request_globals() -> None:
    """Start every request with an empty `g`, as in production.

    The `app` fixture keeps an app context pushed for the whole test, and Flask reuses it
    for test-client requests, so `g` (Flask-Login's cached user, per-request caches) would
    otherwise leak from one request into the next and hide session bugs.
    """
    for key in list(g):
        g.pop(key)


_extra_apps: list = []


def make_app(database_url: str, **overrides):
    """An app on `database_url`; its connections are closed after the test."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    _extra_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_app_connections():
    """Dispose every engine a test's apps opened: an unclosed psycopg connection found by
    the garbage collector later would fail an unrelated test (warnings are errors)."""
    yield
    while _extra_apps:
        extra = _extra_apps.pop()
        with extra.app_context():
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def app(database_url: str, _schema: None):
    app = make_app(database_url)
    with app.app_context():
        _empty_all_tables()
        load_reference_data()
        db.session.commit()
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.rollback()
    db.session.remove()
    ctx.pop()
    with app.app_context():
        db.engine.dispose()


class SettableClock:
    """`portal.domain.clock` for a test: real time until `now` is set, then that instant."""

    def __init__(self):
        self.now = None

    def __call__(self):
        return self.now or datetime.now(UTC)


@pytest.fixture
def clock():
    """Move the portal's one clock: `clock.now = datetime(..., tzinfo=UTC)`."""
    settable = SettableClock()
    with frozen(settable):
        yield settable


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real login form."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD, follow: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post(
            "/auth/login",
            data={"email": email, "password": password},
            follow_redirects=follow,
        )

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as(client, auth):
    """`login_as("bpjs_officer")` creates a user with that role, logs in, returns the user."""

    def _login(role: str, **kwargs):
        user = factories.UserFactory(role=role, **kwargs)
        db.session.commit()
        response = auth.login(user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...; q.count` counts SQL statements sent to the database."""

    @contextmanager
    def _count():
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return _count
