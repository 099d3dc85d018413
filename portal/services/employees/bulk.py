"""Bulk employee upload: stage the rows, dry-run them in chunks, save all clean rows or none.

Flow: `stage_upload()` keeps the file's rows server-side under a random token and the file's
SHA-256; `check_chunk()` validates the next chunk of rows (the progress bar polls it);
`confirm_upload()` saves every clean row in batched inserts, or nothing. A row already
registered identically in this business is `unchanged`, so the same file twice saves nothing
the second time.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    Business,
    EmployeeUpload,
    EmployeeUploadRow,
    Employment,
    Region,
    UploadRowOutcome,
    UploadState,
    User,
    Worker,
)
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import ServiceError
from ..reference.lookups import rate_table
from ..saving import update_rows
from ..uploads.table import RawRow, read_table
from .cover import cover
from .rules import EMPLOYMENT_FIELDS, EmployeeInput, Problem, employee_problems, identity_conflicts
from .upload_format import EMPLOYEE_LAYOUT, nik_from_cell, parse_row, staged_cells

CHUNK_ROWS = 1000
UPLOAD_LIFETIME = timedelta(hours=24)
CLEAN = (UploadRowOutcome.NEW.value, UploadRowOutcome.LINK.value)


_STALE_MESSAGES = {
    "hash": _l("This confirmation does not match the checked file. Nothing was saved."),
    "expired": _l("This check is more than a day old. Upload the file again."),
    "done": _l("This file has already been saved (or is still being checked)."),
    "changed": _l(
        "Your employee data changed since the check. Nothing was saved: upload the "
        "file again to check it against the current data."
    ),
}


class UploadStale(ServiceError):
    """The upload cannot be confirmed: wrong token or hash, already saved, expired, or the
    data changed since the dry run (`code` says which; the message says it to the owner)."""

    def __init__(self, code: str):
        super().__init__(None, str(_STALE_MESSAGES[code]))
        self.code = code


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kelurahan_lookup() -> dict[str, str]:
    """Folded kelurahan names and codes → region code."""
    lookup: dict[str, str] = {}
    for code, name in db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kelurahan")
    ):
        lookup[code.casefold()] = code
        lookup[" ".join(name.split()).casefold()] = code
    return lookup


def stage_upload(
    business: Business, user: User, filename: str, sha256: str, rows: list[RawRow]
) -> EmployeeUpload:
    """Keep a read file's rows server-side, all `pending`, for the dry run.

    Caller: the business's owner, after `employer_upload.read_rows` accepted the file.
    Writes `employees.upload_started`. NIKs repeated inside the file are marked here, where
    the whole file is visible.
    """
    discard_stale_uploads(business)
    upload = EmployeeUpload(
        token=secrets.token_urlsafe(32),
        business_id=business.id,
        uploaded_by_id=user.id,
        filename=filename[:200] or "upload",
        sha256=sha256,
        state=UploadState.CHECKING,
        total_rows=len(rows),
    )
    db.session.add(upload)
    db.session.flush()
    first_line: dict[str, int] = {}
    payload = []
    for row in rows:
        cells = staged_cells(row)
        nik = nik_from_cell(cells.get("nik", ""))
        if nik:
            if nik in first_line:
                cells["_dup_of"] = str(first_line[nik])
            else:
                first_line[nik] = row.line_no
        payload.append(
            {
                "upload_id": upload.id,
                "line_no": row.line_no,
                "cells": json.dumps(cells, ensure_ascii=False),
                "outcome": UploadRowOutcome.PENDING.value,
            }
        )
    for start in range(0, len(payload), 5000):
        db.session.execute(insert(EmployeeUploadRow), payload[start : start + 5000])
    record_event(
        "employees.upload_started",
        upload,
        {"business_id": business.id, "rows": len(rows), "sha256": sha256},
    )
    return upload


def receive_upload(
    business: Business, user: User, filename: str | None, stream, *, check_now: bool
) -> EmployeeUpload:
    """Read an uploaded employee file (within the configured size and row limits) and stage
    its rows for the dry run; `check_now` runs the whole dry run at once (a browser without
    JavaScript gets its report in one go, others poll `check_chunk`).

    Caller: the business's owner. Raises UploadRefused (field `file`) for a file that cannot
    be read safely; nothing is stored then. Writes what `stage_upload` and `check_chunk` do.
    """
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    rows = read_table(
        data, EMPLOYEE_LAYOUT, max_bytes=limit, max_rows=current_app.config["UPLOAD_MAX_ROWS"]
    )
    upload = stage_upload(business, user, filename or "upload", file_sha256(data), rows)
    if check_now:
        check_all(upload)
    return upload


def discard_stale_uploads(business: Business) -> int:
    """Forget the staged rows of this business's uploads left unconfirmed past their lifetime.

    The staged cells hold NIKs and birth dates: they are kept no longer than needed.
    """
    stale_ids = list(
        db.session.scalars(
            select(EmployeeUpload.id).where(
                EmployeeUpload.business_id == business.id,
                EmployeeUpload.state.in_([UploadState.CHECKING, UploadState.CHECKED]),
                EmployeeUpload.created_at < utcnow() - UPLOAD_LIFETIME,
            )
        )
    )
    if stale_ids:
        db.session.execute(
            delete(EmployeeUploadRow).where(EmployeeUploadRow.upload_id.in_(stale_ids))
        )
        update_rows(EmployeeUpload, EmployeeUpload.id.in_(stale_ids), state=UploadState.DISCARDED)
    return len(stale_ids)


def _existing(niks: list[str], business_id: int):
    """Workers with these NIKs, and this business's employments of them: two queries."""
    workers = (
        {w.nik: w for w in db.session.scalars(select(Worker).where(Worker.nik.in_(niks)))}
        if niks
        else {}
    )
    employments = {}
    if workers:
        employments = {
            e.worker_id: e
            for e in db.session.scalars(
                select(Employment).where(
                    Employment.business_id == business_id,
                    Employment.worker_id.in_([w.id for w in workers.values()]),
                )
            )
        }
    return workers, employments


def _same_as(employment: Employment, data: EmployeeInput) -> bool:
    return employment.is_current and all(
        getattr(employment, name) == getattr(data, name) for name in EMPLOYMENT_FIELDS
    )


def _judge(cells, data, problems, workers, employments) -> tuple[str, list[Problem]]:
    if cells.get("_dup_of"):
        problems.append(Problem("nik", "duplicate_in_file", {"line": int(cells["_dup_of"])}))
    if problems:
        return UploadRowOutcome.ERROR.value, problems
    worker = workers.get(data.nik)
    if worker is None:
        return UploadRowOutcome.NEW.value, problems
    conflicts = identity_conflicts(worker, data)
    if conflicts:
        return UploadRowOutcome.ERROR.value, conflicts
    employment = employments.get(worker.id)
    if employment is None:
        return UploadRowOutcome.LINK.value, problems
    if _same_as(employment, data):
        return UploadRowOutcome.UNCHANGED.value, problems
    return UploadRowOutcome.ERROR.value, [Problem("nik", "changed_here")]


def _validate(
    cells: dict, kelurahan: dict, rates, today, scale: str
) -> tuple[EmployeeInput, list[Problem]]:
    data, problems = parse_row(cells, kelurahan)
    seen = {(p.field, p.code) for p in problems}
    for problem in employee_problems(data, rates, today):
        field = "kelurahan" if problem.field == "kelurahan_code" else problem.field
        # A cell that could not be read is reported once, not again as "required".
        if problem.code == "required" and any(f == field for f, _ in seen):
            continue
        problems.append(Problem(field, problem.code, problem.params))
    if not problems:  # the programmes of the business's scale, JP by age (as on the form)
        data.with_cover(
            cover(scale, data.birth_date, today, add_jht=data.with_jht, add_jp=data.with_jp)
        )
    return data, problems


def check_chunk(upload: EmployeeUpload, size: int = CHUNK_ROWS) -> bool:
    """Dry-run the next `size` pending rows; True when the whole file has been checked.

    Caller: the upload's owner (views scope the upload). Saves only the verdicts on the
    staged rows and the upload's counters; writes `employees.upload_checked` when done.
    Safe to call twice at once: counters are recounted from the rows, not incremented.
    """
    if upload.state != UploadState.CHECKING:
        return True
    rows = db.session.scalars(
        select(EmployeeUploadRow)
        .where(
            EmployeeUploadRow.upload_id == upload.id,
            EmployeeUploadRow.outcome == UploadRowOutcome.PENDING,
        )
        .order_by(EmployeeUploadRow.line_no)
        .limit(size)
    ).all()
    if rows:
        kelurahan, rates, today = kelurahan_lookup(), rate_table(), today_wib()
        parsed = []
        for row in rows:
            cells = json.loads(row.cells)
            data, problems = _validate(cells, kelurahan, rates, today, upload.business.scale)
            parsed.append((row, cells, data, problems))
        niks = [d.nik for _, _, d, p in parsed if d.nik and not any(x.field == "nik" for x in p)]
        workers, employments = _existing(niks, upload.business_id)
        verdicts = []
        for row, cells, data, problems in parsed:
            outcome, problems = _judge(cells, data, problems, workers, employments)
            verdicts.append(
                {
                    "id": row.id,
                    "outcome": outcome,
                    "problems": json.dumps([p.as_list() for p in problems]) if problems else None,
                }
            )
        db.session.execute(update(EmployeeUploadRow), verdicts)
    counts = dict(
        db.session.execute(
            select(EmployeeUploadRow.outcome, func.count())
            .where(EmployeeUploadRow.upload_id == upload.id)
            .group_by(EmployeeUploadRow.outcome)
        ).all()
    )
    upload.new_rows = counts.get(UploadRowOutcome.NEW.value, 0)
    upload.link_rows = counts.get(UploadRowOutcome.LINK.value, 0)
    upload.unchanged_rows = counts.get(UploadRowOutcome.UNCHANGED.value, 0)
    upload.error_rows = counts.get(UploadRowOutcome.ERROR.value, 0)
    upload.checked_rows = upload.total_rows - counts.get(UploadRowOutcome.PENDING.value, 0)
    done = counts.get(UploadRowOutcome.PENDING.value, 0) == 0
    if done:
        upload.state = UploadState.CHECKED
        upload.checked_at = utcnow()
        record_event(
            "employees.upload_checked",
            upload,
            {
                "new": upload.new_rows,
                "link": upload.link_rows,
                "unchanged": upload.unchanged_rows,
                "errors": upload.error_rows,
            },
        )
    db.session.flush()
    return done


def check_all(upload: EmployeeUpload) -> None:
    while not check_chunk(upload):
        pass


def check_upload(upload: EmployeeUpload, *, whole: bool) -> None:
    """Go on with the dry run: the next chunk (the progress bar's step) or, `whole`, to the end."""
    if whole:
        check_all(upload)
    else:
        check_chunk(upload)


def confirm_upload(upload: EmployeeUpload, sha256: str) -> int:
    """Save every clean row of a checked upload — all of them or none. Returns rows saved.

    The upload moves `checked → confirmed` with a conditional UPDATE, so a second confirm
    (double click, another tab) saves nothing. Clean rows are checked again against the
    database; if anything changed since the dry run, UploadStale("changed") is raised and
    the caller rolls back. Caller: the upload's owner. Writes `employees.uploaded`.
    Raises UploadStale: `hash` (token and file do not match), `expired`, `done`, `changed`.
    """
    if not secrets.compare_digest(upload.sha256, sha256 or ""):
        raise UploadStale("hash")
    if upload.created_at < utcnow() - UPLOAD_LIFETIME:
        raise UploadStale("expired")
    claimed = update_rows(
        EmployeeUpload,
        EmployeeUpload.id == upload.id,
        EmployeeUpload.state == UploadState.CHECKED,
        EmployeeUpload.sha256 == sha256,
        state=UploadState.CONFIRMED,
        confirmed_at=utcnow(),
    )
    if claimed != 1:
        raise UploadStale("done")
    kelurahan, rates, today = kelurahan_lookup(), rate_table(), today_wib()
    rows = db.session.execute(
        select(EmployeeUploadRow.line_no, EmployeeUploadRow.cells)
        .where(
            EmployeeUploadRow.upload_id == upload.id,
            EmployeeUploadRow.outcome.in_(CLEAN),
        )
        .order_by(EmployeeUploadRow.line_no)
    ).all()
    saved = new_workers = 0
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = []
        for _, cells_json in rows[start : start + CHUNK_ROWS]:
            cells = json.loads(cells_json)
            data, problems = _validate(cells, kelurahan, rates, today, upload.business.scale)
            if problems:
                raise UploadStale("changed")
            chunk.append(data)
        workers, employments = _existing([d.nik for d in chunk], upload.business_id)
        fresh = [d for d in chunk if d.nik not in workers]
        for data in chunk:
            worker = workers.get(data.nik)
            if worker is not None and (
                worker.birth_date != data.birth_date
                or worker.sex != data.sex
                or worker.id in employments
            ):
                raise UploadStale("changed")
        try:
            if fresh:
                now = utcnow()
                db.session.execute(
                    insert(Worker),
                    [
                        {
                            "nik": d.nik,
                            "full_name": d.full_name,
                            "birth_date": d.birth_date,
                            "sex": d.sex,
                            "kelurahan_code": d.kelurahan_code,
                            "category": d.category,
                            "created_at": now,
                        }
                        for d in fresh
                    ],
                )
            ids = dict(
                db.session.execute(
                    select(Worker.nik, Worker.id).where(Worker.nik.in_([d.nik for d in chunk]))
                ).all()
            )
            now = utcnow()
            db.session.execute(
                insert(Employment),
                [
                    {
                        "business_id": upload.business_id,
                        "worker_id": ids[d.nik],
                        "full_name": d.full_name,
                        "phone": d.phone,
                        "kelurahan_code": d.kelurahan_code,
                        "occupation": d.occupation,
                        "category": d.category,
                        "monthly_amount": d.monthly_amount,
                        "with_jht": d.with_jht,
                        "with_jp": d.with_jp,
                        "start_date": d.start_date,
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                    for d in chunk
                ],
            )
        except IntegrityError as exc:
            raise UploadStale("changed") from exc
        saved += len(chunk)
        new_workers += len(fresh)
    update_rows(EmployeeUpload, EmployeeUpload.id == upload.id, saved_rows=saved)
    # The staged cells hold NIKs and birth dates: keep them no longer than needed.
    db.session.execute(delete(EmployeeUploadRow).where(EmployeeUploadRow.upload_id == upload.id))
    record_event(
        "employees.uploaded",
        upload,
        {
            "business_id": upload.business_id,
            "saved": saved,
            "new_workers": new_workers,
            "linked_workers": saved - new_workers,
            "unchanged": upload.unchanged_rows,
            "errors_left_out": upload.error_rows,
            "sha256": upload.sha256,
        },
    )
    return saved
