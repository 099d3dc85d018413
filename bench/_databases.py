"""Run one benchmark on PostgreSQL (in a schema of its own, dropped afterwards) and SQLite."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def run_postgres(run: Callable[[str, str], None]) -> None:
    """`run(url, label)` against a fresh schema; skipped with a line when unreachable."""
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional for a local run
        print(f"PostgreSQL skipped: {exc.__class__.__name__}: {str(exc)[:200]}")
        return
    try:
        sep = "&" if "?" in PG_URL else "?"
        run(f"{PG_URL}{sep}options=-csearch_path%3D{schema}", "PostgreSQL")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_on_both(run: Callable[[str, str], None]) -> None:
    """PostgreSQL first: the app's SQLite pragma hook, once installed, applies to every engine."""
    run_postgres(run)
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
