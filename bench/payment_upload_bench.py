"""BPJS payment file: 10,000 rows (one month for 10,000 members) checked, reviewed and imported.

Prints seconds for reading + checking the file at upload, one view of the review page's check
(the stored rows checked against the database again), and the import on confirmation. Runs
on PostgreSQL (if reachable) and SQLite. Nothing asserts timing.

    .venv/bin/python bench/payment_upload_bench.py
    BENCH_ROWS=2000 .venv/bin/python bench/payment_upload_bench.py
"""

from __future__ import annotations

import functools
import io
import os
import sys
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PORTAL_ENV", "testing")

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bench._databases import run_on_both  # noqa: E402
from portal import create_app  # noqa: E402
from portal.domain.clock import today_wib
from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    BpjsUploadKind,
    ContributionPayment,
    Membership,
    Role,
    User,
    Worker,
)
from portal.services.membership import uploads as bpjs_uploads  # noqa: E402
from portal.services.membership.common import add_months, month_start, period_key
from portal.services.reference.seed import load_reference_data  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
# Last month's payments for members who joined last month: the usual month-end file (no one
# is in arrears, so no membership changes state).
LAST_MONTH = add_months(month_start(today_wib()), -1)
PERIOD = period_key(LAST_MONTH)
DUE = 16_800  # BPU, Rp 1,000,000 declared, JKK + JKM (DOMAIN.md)


def kpj(i: int) -> str:
    return f"26{i:09d}"


def make_file(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Iuran")
    sheet.append(list(bpjs_uploads.PAYMENT_COLUMNS))
    for i in range(rows):
        sheet.append([kpj(i), PERIOD, DUE, LAST_MONTH.replace(day=10), "bank"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def seed_members(rows: int) -> None:
    db.session.execute(
        insert(Worker),
        [
            {
                "nik": f"6172{i:012d}",
                "full_name": f"Pekerja {i}",
                "birth_date": date(1980, 1 + i % 12, 1 + i % 28),
                "sex": "L",
                "category": "BPU",
            }
            for i in range(rows)
        ],
    )
    workers = db.session.scalars(select(Worker.id).order_by(Worker.id)).all()
    db.session.execute(
        insert(Membership),
        [
            {
                "worker_id": worker_id,
                "kpj": kpj(i),
                "category": "BPU",
                "monthly_amount": 1_000_000,
                "funding_source": "self",
                "start_date": LAST_MONTH,
            }
            for i, worker_id in enumerate(workers)
        ],
    )
    db.session.commit()


def run(content: bytes, url: str, label: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_MAX_ROWS": max(ROWS, 20_000)})
    with app.app_context(), app.test_request_context():
        db.create_all()
        load_reference_data()
        officer = User(
            email=f"bench-{uuid.uuid4().hex[:6]}@example.id",
            name="Bench",
            role=Role.BPJS_OFFICER,
            password_hash="x",
        )
        db.session.add(officer)
        db.session.commit()
        seed_members(ROWS)

        started = time.perf_counter()
        reports = bpjs_uploads.dry_run(BpjsUploadKind.PAYMENTS, content)
        upload = bpjs_uploads.store_upload(
            BpjsUploadKind.PAYMENTS, "iuran.xlsx", content, reports, officer
        )
        db.session.commit()
        upload_s = time.perf_counter() - started

        started = time.perf_counter()
        again = bpjs_uploads.check_rows(upload.kind, upload.rows)
        review_s = time.perf_counter() - started

        started = time.perf_counter()
        imported = bpjs_uploads.confirm(upload, officer)
        db.session.commit()
        confirm_s = time.perf_counter() - started
        payments = db.session.scalar(select(func.count(ContributionPayment.id)))
        print(
            f"{label:<10} rows={len(reports):>6} errors={upload.error_count}  "
            f"upload(read+check)={upload_s:6.2f}s  review_check={review_s:6.2f}s "
            f"({sum(1 for r in again if not r.ok)} errors)  confirm={confirm_s:6.2f}s  "
            f"imported={imported}  payments={payments}"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    content = make_file(ROWS)
    print(f"file: {ROWS} rows, {len(content) / 1024:.0f} KiB")
    run_on_both(functools.partial(run, content))


if __name__ == "__main__":
    main()
