"""Dashboard page times on a generated city, on SQLite and on PostgreSQL.

Seeds a fresh database with `flask seed-scale`'s generator (default 100,000 workers, 5,000
businesses, 24 months, 3,000 complaints), logs in as a labour officer and requests every
dashboard page: one warm-up, then the median of `--repeat` runs, with the number of SQL
queries each page sent. SQLite lives in a temporary file; PostgreSQL in its own schema,
dropped afterwards.

    .venv/bin/python bench/dashboard_bench.py                   # both databases, full size
    .venv/bin/python bench/dashboard_bench.py --workers 20000   # smaller city
    .venv/bin/python bench/dashboard_bench.py --skip-postgres

PostgreSQL URL: BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("PORTAL_ENV", "testing")  # cheap password hashing, no CSRF in forms
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.demo.scale import ScaleOptions, seed_city  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.services.accounts.users import users as accounts  # noqa: E402
from portal.services.reference.seed import load_reference_data  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
EMAIL, PASSWORD = "bench.naker@example.id", "Bench-Rahasia-2026"
PAGES = [
    ("coverage, city, 12 months", "/dashboard/"),
    ("coverage, city, 24 months", "/dashboard/?months=24"),
    ("coverage, one kecamatan", "/dashboard/?kecamatan=61.72.03"),
    ("enrolment pipeline", "/dashboard/pipeline"),
    ("service performance", "/dashboard/service"),
    ("funded batches", "/dashboard/batches"),
    ("workforce estimates", "/dashboard/estimates"),
    ("targets", "/dashboard/targets"),
    ("export coverage XLSX", "/dashboard/export/coverage-monthly.xlsx"),
    ("export complaints CSV", "/dashboard/export/complaints.csv"),
    ("PDF summary", "/dashboard/summary.pdf"),
    ("public page", "/dashboard/public"),
]


def run(url: str, options: ScaleOptions, repeat: int) -> tuple[float, dict[str, tuple]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        load_reference_data()
        accounts.create_user(email=EMAIL, name="Bench", role="labour_officer", password=PASSWORD)
        db.session.commit()
        started = time.perf_counter()
        counts = seed_city(options)
        db.session.commit()
        seed_seconds = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        engine = db.engine
    print(
        f"  seeded in {seed_seconds:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    logging.disable(logging.INFO)  # the per-request log lines would drown the figures

    client = app.test_client()
    client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = {}
    for label, page in PAGES:
        assert client.get(page).status_code == 200, page  # warm-up
        times = []
        for _ in range(repeat):
            statements.clear()
            started = time.perf_counter()
            response = client.get(page)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, page
        results[label] = (statistics.median(times), len(statements))
    with app.app_context():
        db.engine.dispose()
    return seed_seconds, results


def one_database(kind: str, options: ScaleOptions, repeat: int) -> dict:
    """Seed and time one database; returns {"seed": s, "pages": {label: [ms, queries]}}."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            seed, pages = run(f"sqlite:///{tmp}/bench.sqlite3", options, repeat)
        return {"seed": seed, "pages": pages}
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        print(f"  (schema {schema}, dropped afterwards)", file=sys.stderr)
        sep = "&" if "?" in PG_URL else "?"
        seed, pages = run(f"{PG_URL}{sep}options=-csearch_path%3D{schema}", options, repeat)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return {"seed": seed, "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--businesses", type=int, default=5_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--complaints", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = ScaleOptions(args.workers, args.businesses, args.months, args.complaints)
    if args.db:  # child process: one database, result as JSON on the last line
        print(json.dumps(one_database(args.db, options, args.repeat)))
        return
    print(
        f"City: {args.workers:,} workers, {args.businesses:,} businesses, {args.months} months, "
        f"{args.complaints:,} complaints; median of {args.repeat} runs after a warm-up."
    )
    # One process per database: SQLite connection hooks are installed process-wide.
    columns: dict[str, dict] = {}
    kinds = [("SQLite", "sqlite")] + ([] if args.skip_postgres else [("PostgreSQL", "postgresql")])
    for name, kind in kinds:
        print(f"{name}:", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, *sys.argv[1:], "--db", kind],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        lines = child.stdout.rstrip().splitlines()
        print("\n".join(line for line in lines[:-1] if line.startswith("  seeded")))
        columns[name] = json.loads(lines[-1])

    names = list(columns)
    print()
    print(f"| page | {' | '.join(f'{n} ms' for n in names)} | queries |")
    print("|" + "---|" * (len(names) + 2))
    for label, _ in PAGES:
        cells = [f"{columns[n]['pages'][label][0]:.0f}" for n in names]
        queries = sorted({columns[n]["pages"][label][1] for n in names})
        print(f"| {label} | {' | '.join(cells)} | {'/'.join(str(q) for q in queries)} |")
    print("| seed-scale (s) | " + " | ".join(f"{columns[n]['seed']:.1f}" for n in names) + " | |")


if __name__ == "__main__":
    main()
