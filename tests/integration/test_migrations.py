"""Migrations are the schema's source of truth: one head, reversible, and equal to the models.

Everything is read at run time (the migration scripts in migrations/versions and the models'
metadata), so the tests keep working when the initial migration is regenerated. They run on
the suite's database backend: SQLite by default, PostgreSQL (in a fresh schema of its own)
when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.config import BASE_DIR
from portal.extensions import db

MIGRATIONS = BASE_DIR / "migrations"
# migrations/env.py (Flask-Migrate's template) tries the deprecated `get_engine()` first.
pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


@pytest.fixture
def keep_logging():
    """Alembic's env.py reconfigures logging from alembic.ini; put pytest's set-up back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {
        name: lg.disabled
        for name, lg in logging.Logger.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in disabled.items():
        logging.getLogger(name).disabled = was


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it, on the same backend as the rest of the suite."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def migration_app(empty_database_url, keep_logging):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_have_a_single_head():
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}; merge them"


def test_upgrade_downgrade_upgrade(migration_app):
    model_tables = {t.name for t in db.metadata.sorted_tables}
    upgrade()
    assert _tables() == model_tables
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == model_tables


def test_models_and_migrations_agree(migration_app):
    upgrade()
    differences = _differences()
    assert not differences, (
        "the models differ from the migrations; regenerate the initial migration "
        "(`flask db migrate` against an empty database) or add one:\n"
        + "\n".join(str(d) for d in differences)
    )
