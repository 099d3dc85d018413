"""Bulk employee upload: a 10,000-row XLSX file, dry run and save, on SQLite and PostgreSQL.

Prints rows and seconds for reading the file, the dry run (every row checked against the
rules and the database) and the save (batched inserts). Nothing asserts timing.

    .venv/bin/python bench/upload_bench.py            # SQLite, and PostgreSQL if reachable
    BENCH_ROWS=2000 .venv/bin/python bench/upload_bench.py
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
from sqlalchemy import func, select  # noqa: E402

from bench._databases import run_on_both  # noqa: E402
from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Business, Employment, Role, User  # noqa: E402
from portal.services.employees.bulk import check_all, confirm_upload, file_sha256, stage_upload
from portal.services.employees.upload_format import EMPLOYEE_LAYOUT, HEADERS  # noqa: E402
from portal.services.reference.seed import load_reference_data  # noqa: E402
from portal.services.uploads.table import read_table  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))


def make_file(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Karyawan")
    sheet.append(HEADERS)
    for i in range(rows):
        birth = date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        female = i % 2 == 1
        day = birth.day + (40 if female else 0)
        district = 1 + (i // 9999) % 5
        serial = 1 + i % 9999
        nik = f"6172{district:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
        sheet.append(
            [
                nik,
                f"Pekerja {i}",
                birth.strftime("%d-%m-%Y"),
                "P" if female else "L",
                "081200000000",
                "Pasiran",
                "Pelayan",
                "PU" if i % 3 else "BPU",
                "3500000" if i % 3 else "1500000",
                "sedang",
                "Ya",
                "01-02-2026",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(content: bytes, url: str, label: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_MAX_ROWS": max(ROWS, 20_000)})
    with app.app_context():
        db.create_all()
        load_reference_data()
        owner = User(
            email=f"bench-{uuid.uuid4().hex[:6]}@example.id",
            name="Bench",
            role=Role.BUSINESS_OWNER,
            password_hash="x",
        )
        db.session.add(owner)
        db.session.flush()
        business = Business(
            nib=f"{uuid.uuid4().int % 10**13:013d}",
            name="Bench",
            owner_id=owner.id,
            sector_code="trade",
            scale="kecil",
            kelurahan_code="61.72.01.1001",
            address="Jl. Bench",
            verification_state="verified",
        )
        db.session.add(business)
        db.session.commit()

        started = time.perf_counter()
        rows = read_table(
            content, EMPLOYEE_LAYOUT, max_bytes=10 * 1024 * 1024, max_rows=max(ROWS, 20_000)
        )
        read_s = time.perf_counter() - started

        started = time.perf_counter()
        upload = stage_upload(business, owner, "bench.xlsx", file_sha256(content), rows)
        db.session.commit()
        check_all(upload)
        db.session.commit()
        dry_s = time.perf_counter() - started

        started = time.perf_counter()
        saved = confirm_upload(upload, upload.sha256)
        db.session.commit()
        save_s = time.perf_counter() - started

        started = time.perf_counter()
        again = stage_upload(business, owner, "bench.xlsx", file_sha256(content), rows)
        check_all(again)
        db.session.commit()
        again_s = time.perf_counter() - started
        employments = db.session.scalar(select(func.count(Employment.id)))
        print(
            f"{label:<10} rows={len(rows):>6}  read={read_s:6.2f}s  dry_run={dry_s:6.2f}s  "
            f"save={save_s:6.2f}s  saved={saved}  same_file_again: dry_run={again_s:6.2f}s "
            f"unchanged={again.unchanged_rows}  employments={employments}"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    started = time.perf_counter()
    content = make_file(ROWS)
    print(
        f"file: {ROWS} rows, {len(content) / 1024:.0f} KiB, built in "
        f"{time.perf_counter() - started:.2f}s"
    )
    run_on_both(functools.partial(run, content))


if __name__ == "__main__":
    main()
