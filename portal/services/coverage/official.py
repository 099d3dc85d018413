"""BPJS's official active participants: recording them (form or file with a dry run) and
reading them for the coverage figures.

One row per month × kecamatan × category (`OfficialCount`). Rules for a count, the same for
the form and every row of a file:
- the month is a real `YYYY-MM`, from 2015-01 up to the current month (never the future);
- the kecamatan is one of the city's (code or name), the category one of `OfficialCategory`;
- the count is a whole number, zero or more;
- the counts of a kecamatan for a month (all categories, after this entry) may not exceed the
  workforce estimate in force for that kecamatan and month, nor a category's count its
  category estimate: coverage above 100% is a typing error;
- a month × kecamatan × category that already has a count is replaced only when the officer
  confirms it; the earlier value stays in the audit trail (who, when, source document).
A command records its audit events, bumps the figures version (the public page's cache) and
does not commit.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...exports import ExportTable, xlsx_bytes
from ...extensions import db
from ...models import AuditEvent, OfficialCategory, OfficialCount, OfficialCountUpload, User
from ...models._common import utcnow
from ..audit.trail import add_recorded, record_event, record_events
from ..cursor import CursorPage, keyset_page
from ..errors import InvalidInput, NotFound, ServiceError
from ..pages import page_of
from ..reference.choices import kecamatan as kecamatan_choices
from ..saving import flush_or_refuse
from ..uploads.confirming import confirm_once
from ..uploads.table import Column, Layout, read_table
from .estimates import Estimates
from .figures_cache import bump_figures_version
from .periods import EARLIEST_PERIOD, Month, PeriodError, current_month

OFFICIAL_CATEGORIES = [c.value for c in OfficialCategory]
#: Category names a file may use instead of the code (lower case).
_CATEGORY_ALIASES = {
    "pu": "PU",
    "penerima upah": "PU",
    "bpu": "BPU",
    "bukan penerima upah": "BPU",
    "jakon": "jakon",
    "jasa konstruksi": "jakon",
    "rentan": "rentan",
    "pekerja rentan": "rentan",
    "sawit": "sawit",
    "kelapa sawit": "sawit",
}
UPLOAD_MAX_BYTES = 2 * 1024 * 1024
UPLOAD_MAX_ROWS = 5_000

LAYOUT = Layout(
    (
        Column("period", "period", aliases=("bulan", "month")),
        Column("kecamatan", "kecamatan", aliases=("kecamatan_code", "kode_kecamatan")),
        Column("category", "category", aliases=("kategori",)),
        Column("active_participants", "active_participants", aliases=("peserta_aktif",)),
    ),
    sheet="official_counts",
)


class OfficialCountError(ServiceError):
    """A count BPJS must correct; `field` names the form field it belongs to."""


@dataclass
class CountRow:
    """One count as typed or read from a file, with what the check found."""

    line: int
    period: str
    kecamatan: str
    category: str
    active_participants: str
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    replaces: int | None = None  # the count it would replace

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        """Every field, the errors as their messages only (as the upload keeps them)."""
        return asdict(self) | {"errors": [m for _f, m in self.errors]}


def _number(text: str) -> int | None:
    """A whole number written with or without thousands separators; None if not one."""
    cleaned = re.sub(r"[.,\s]", "", text or "")
    if re.fullmatch(r"-?\d{1,12}", cleaned):
        return int(cleaned)
    return None


def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_counts(rows: list[CountRow]) -> list[CountRow]:
    """Check every row against the rules (module docstring) with a fixed number of queries.

    Normalises each good row in place (period `YYYY-MM`, kecamatan code, category code,
    count as digits) and fills `errors` and `replaces`.
    """
    areas = kecamatan_choices()
    by_code = {code: code for code, _name in areas}
    by_name = {name.strip().lower(): code for code, name in areas}
    names = dict(areas)
    this_month = str(current_month())
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        try:
            period = str(Month.parse(row.period))
        except PeriodError:
            row.errors.append(("period", str(_l("Write the month as YYYY-MM, e.g. 2026-03."))))
        else:
            if period < EARLIEST_PERIOD:
                row.errors.append(("period", str(_l("The month must be 2015-01 or later."))))
            elif period > this_month:
                row.errors.append(
                    ("period", str(_l("The month %(period)s is in the future.", period=period)))
                )
            row.period = period
        given = (row.kecamatan or "").strip()
        code = by_code.get(given) or by_name.get(given.lower())
        if code is None:
            row.errors.append(
                ("kecamatan_code", str(_l("Unknown kecamatan: %(name)s.", name=given or "–")))
            )
        else:
            row.kecamatan = code
        cat = _CATEGORY_ALIASES.get((row.category or "").strip().lower())
        if cat is None:
            row.errors.append(
                ("category", str(_l("Unknown category: %(name)s.", name=row.category or "–")))
            )
        else:
            row.category = cat
        number = _number(row.active_participants)
        if number is None:
            row.errors.append(("active_participants", str(_l("Enter a whole number."))))
        elif number < 0:
            row.errors.append(("active_participants", str(_l("A count cannot be negative."))))
        else:
            row.active_participants = str(number)
        if row.ok:
            key = (row.period, row.kecamatan, row.category)
            if key in seen:
                row.errors.append(
                    (
                        "period",
                        str(_l("Line %(line)d already gives this count.", line=seen[key])),
                    )
                )
            seen[key] = row.line
    good = [r for r in rows if r.ok]
    if not good:
        return rows
    periods = sorted({r.period for r in good})
    existing = {
        (c.period, c.kecamatan_code, c.category): c.active_participants
        for c in db.session.scalars(select(OfficialCount).where(OfficialCount.period.in_(periods)))
    }
    for r in good:
        r.replaces = existing.get((r.period, r.kecamatan, r.category))
    # Counts after these rows, per kecamatan and month, against the workforce estimate.
    after = dict(existing)
    after.update({(r.period, r.kecamatan, r.category): int(r.active_participants) for r in good})
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (period, kec, _cat), n in after.items():
        totals[(period, kec)] += n
    estimates = Estimates(Month.parse(periods[-1]), sorted(names))
    for r in good:
        month = Month.parse(r.period)
        workforce = estimates.one(month, r.kecamatan)
        total = totals[(r.period, r.kecamatan)]
        if workforce is not None and total > workforce:
            r.errors.append(
                (
                    "active_participants",
                    str(
                        _l(
                            "The official counts for %(area)s in %(period)s would add up to "
                            "%(n)s, above the workforce estimate of %(workforce)s.",
                            area=names[r.kecamatan],
                            period=r.period,
                            n=_group(total),
                            workforce=_group(workforce),
                        )
                    ),
                )
            )
            continue
        cat_workforce = estimates.one(month, r.kecamatan, category=r.category)
        if cat_workforce is not None and int(r.active_participants) > cat_workforce:
            r.errors.append(
                (
                    "active_participants",
                    str(
                        _l(
                            "%(n)s is above the workforce estimate of %(workforce)s for this "
                            "category in %(area)s.",
                            n=_group(int(r.active_participants)),
                            workforce=_group(cat_workforce),
                            area=names[r.kecamatan],
                        )
                    ),
                )
            )
    return rows


def _save(rows: list[CountRow], source: str, user: User) -> tuple[int, int]:
    """Insert or replace the counts of checked rows; (added, replaced). Does not commit."""
    keys = [(r.period, r.kecamatan, r.category) for r in rows]
    current = {
        (c.period, c.kecamatan_code, c.category): c
        for c in db.session.scalars(
            select(OfficialCount).where(OfficialCount.period.in_({k[0] for k in keys}))
        )
    }
    events = []
    added = replaced = 0
    for r, key in zip(rows, keys, strict=True):
        n = int(r.active_participants)
        summary = {
            "period": r.period,
            "kecamatan": r.kecamatan,
            "category": r.category,
            "active_participants": n,
            "source_document": source,
        }
        row = current.get(key)
        if row is None:
            row = OfficialCount(
                period=r.period,
                kecamatan_code=r.kecamatan,
                category=r.category,
                active_participants=n,
                source_document=source,
                recorded_by_id=user.id,
            )
            db.session.add(row)
            added += 1
            action = "coverage.official_count_recorded"
        else:
            summary.update(
                previous=row.active_participants,
                previous_source=row.source_document,
                previous_recorded_by=row.recorded_by_id,
                previous_recorded_at=row.recorded_at.isoformat() if row.recorded_at else None,
            )
            row.active_participants = n
            row.source_document = source
            row.recorded_by_id = user.id
            row.recorded_at = utcnow()
            replaced += 1
            action = "coverage.official_count_replaced"
        events.append((action, row, summary))
    flush_or_refuse(
        taken=OfficialCountError(
            None, _l("Someone else saved a count for the same month at the same time: try again.")
        )
    )
    record_events(events)
    bump_figures_version()
    return added, replaced


def _source(text: str | None) -> str:
    source = (text or "").strip()
    if not source:
        raise OfficialCountError(
            "source_document", _l("Name the BPJS document these figures come from.")
        )
    return source[:200]


@dataclass
class CountInput:
    period: str
    kecamatan_code: str
    category: str
    active_participants: int | str | None
    source_document: str


@dataclass(frozen=True)
class RecordedCount:
    outcome: str  # "added" or "replaced"
    count: OfficialCount

    @property
    def replaced(self) -> bool:
        return self.outcome == "replaced"


def record_official_count(data: CountInput, user: User, *, replace: bool = False) -> RecordedCount:
    """Save one official count. Who: BPJS head or officer (the view checks the role; over
    the API, BPJS's client with `coverage:write`).

    Refuses (OfficialCountError, nothing saved) a count against the rules in the module
    docstring; an existing count for the same month, kecamatan and category is replaced only
    with `replace`. Returns whether it was added or replaced, and the saved row.
    """
    source = _source(data.source_document)
    number = data.active_participants
    row = CountRow(
        1,
        data.period or "",
        data.kecamatan_code or "",
        data.category or "",
        "" if number is None else str(number),
    )
    check_counts([row])
    if row.errors:
        seen, problems = set(), []
        for f, m in row.errors:
            if f not in seen:
                seen.add(f)
                problems.append((f, m))
        raise InvalidInput(problems)
    if row.replaces is not None and not replace:
        raise OfficialCountError(
            "replace",
            _l(
                "%(period)s already has an official count of %(n)s here. Tick “replace” to "
                "replace it.",
                period=row.period,
                n=_group(row.replaces),
            ),
        )
    added, _replaced = _save([row], source, user)
    saved = db.session.scalar(
        select(OfficialCount).where(
            OfficialCount.period == row.period,
            OfficialCount.kecamatan_code == row.kecamatan,
            OfficialCount.category == row.category,
        )
    )
    return RecordedCount("added" if added else "replaced", saved)


# --- Upload: dry run, then confirm --------------------------------------------------------------


def template_workbook() -> bytes:
    """The XLSX template: the four columns and two example lines."""
    month = str(current_month().shift(-1))
    return xlsx_bytes(
        ExportTable(
            LAYOUT.headers,
            [[month, "61.72.01", "PU", 5000], [month, "61.72.01", "BPU", 1200]],
            sheet_title=LAYOUT.sheet,
        )
    )


def receive_count_upload(filename: str, content: bytes, source: str, user: User):
    """Read and check a file (dry run): keeps it for confirmation, saves no count.

    Who: BPJS head or officer. Raises UploadRefused for a file that cannot be read.
    """
    source = _source(source)
    raw = read_table(content, LAYOUT, max_bytes=UPLOAD_MAX_BYTES, max_rows=UPLOAD_MAX_ROWS)
    rows = [
        CountRow(
            r.line_no,
            r.cells.get("period", ""),
            r.cells.get("kecamatan", ""),
            r.cells.get("category", ""),
            r.cells.get("active_participants", ""),
        )
        for r in raw
    ]
    check_counts(rows)
    upload = OfficialCountUpload(
        filename=(filename or "")[:200],
        source_document=source,
        rows=[r.as_json() for r in rows],
        row_count=len(rows),
        error_count=sum(1 for r in rows if not r.ok),
        replace_count=sum(1 for r in rows if r.ok and r.replaces is not None),
        uploaded_by_id=user.id,
    )
    return add_recorded(
        upload,
        "coverage.official_upload_checked",
        {"rows": upload.row_count, "errors": upload.error_count, "replaces": upload.replace_count},
    )


REVIEW_ROWS = 200


def review_rows(upload: OfficialCountUpload) -> tuple[list[dict], int]:
    """The rows the dry-run page shows, those with errors first, at most `REVIEW_ROWS`, and
    how many more there are (a file holds up to `UPLOAD_MAX_ROWS`)."""
    ordered = sorted(upload.rows, key=lambda r: (not r["errors"], r["line"]))
    return ordered[:REVIEW_ROWS], max(len(ordered) - REVIEW_ROWS, 0)


def own_upload(upload_id: int, user: User) -> OfficialCountUpload:
    upload = db.session.get(OfficialCountUpload, upload_id)
    if upload is None or upload.uploaded_by_id != user.id:
        raise NotFound()
    return upload


def confirm_count_upload(upload_id: int, user: User, *, replace: bool) -> tuple[int, int]:
    """Save a clean dry run's counts, all or none; (added, replaced).

    Who: the officer who uploaded it. Rows are checked again against the database as it is
    now; replacing existing counts needs `replace`. A second confirmation is refused.
    """
    upload = own_upload(upload_id, user)
    if upload.error_count:
        raise OfficialCountError(None, _l("Fix the errors and upload the file again."))
    rows = [
        CountRow(r["line"], r["period"], r["kecamatan"], r["category"], r["active_participants"])
        for r in upload.rows
    ]
    check_counts(rows)
    bad = [r for r in rows if not r.ok]
    if bad:
        raise OfficialCountError(
            None,
            _l(
                "Line %(line)d: %(why)s",
                line=bad[0].line,
                why="; ".join(m for _f, m in bad[0].errors),
            ),
        )
    replacing = sum(1 for r in rows if r.replaces is not None)
    if replacing and not replace:
        raise OfficialCountError(
            "replace",
            _l(
                "%(n)d of these counts replace counts already recorded: tick “replace” to confirm.",
                n=replacing,
            ),
        )
    if not confirm_once(upload):
        raise OfficialCountError(None, _l("This file has already been imported."))
    added, replaced = _save(rows, upload.source_document, user)
    record_event(
        "coverage.official_upload_confirmed", upload, {"added": added, "replaced": replaced}
    )
    return added, replaced


# --- Reading ------------------------------------------------------------------------------------


def count_history(page: object = 1) -> Pagination:
    """The recorded counts, latest month first, with kecamatan and author (fixed queries)."""
    stmt = select(OfficialCount).options(
        joinedload(OfficialCount.kecamatan), joinedload(OfficialCount.recorded_by)
    )
    return page_of(
        stmt.order_by(
            OfficialCount.period.desc(), OfficialCount.kecamatan_code, OfficialCount.category
        ),
        page,
    )


def counts_page(month: str | None = None, cursor: str | None = None, limit: int = 50) -> CursorPage:
    """Recorded counts (of one month, when given) in the order they were last recorded,
    cursor-paginated for other systems (`services.cursor`; one query per page)."""
    stmt = select(OfficialCount).options(joinedload(OfficialCount.kecamatan))
    if month:
        try:
            period = Month.parse(month)
        except PeriodError:
            raise ServiceError("month", _l("Write the month as YYYY-MM, e.g. 2026-03.")) from None
        stmt = stmt.where(OfficialCount.period == str(period))
    return keyset_page(stmt, OfficialCount.recorded_at, OfficialCount.id, cursor, limit)


@dataclass(frozen=True)
class CountChange:
    """One replaced official count, from the audit trail."""

    at: object
    by: str
    period: str
    kecamatan: str
    category: str
    previous: int | None
    now: int | None
    source: str | None


def count_changes(page: object = 1) -> tuple[Pagination, list[CountChange]]:
    """Replaced counts, newest first (the audit trail keeps every earlier value; fixed
    queries)."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.action == "coverage.official_count_replaced")
        .order_by(AuditEvent.id.desc())
    )
    events = page_of(stmt, page, 10)
    changes = []
    for event in events.items:
        data = json.loads(event.summary or "{}")
        changes.append(
            CountChange(
                at=event.at,
                by=event.actor_label,
                period=data.get("period", ""),
                kecamatan=data.get("kecamatan", ""),
                category=data.get("category", ""),
                previous=data.get("previous"),
                now=data.get("active_participants"),
                source=data.get("source_document"),
            )
        )
    return events, changes


class OfficialCounts:
    """Official counts up to a month, by period, kecamatan and category (one query)."""

    def __init__(self, end: Month, kecamatans: list[str]):
        self._cells: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        stmt = select(
            OfficialCount.period,
            OfficialCount.kecamatan_code,
            OfficialCount.category,
            OfficialCount.active_participants,
        ).where(OfficialCount.period <= str(end), OfficialCount.kecamatan_code.in_(kecamatans))
        for period, kec, category, n in db.session.execute(stmt):
            self._cells[period][(kec, category)] = n

    def complete(self, month: Month, kecs: list[str]) -> bool:
        """Every kecamatan in `kecs` has a count for `month` (else the month has no figure)."""
        have = {kec for kec, _cat in self._cells.get(str(month), {})}
        return bool(kecs) and all(k in have for k in kecs)

    def total(self, month: Month, kecs: list[str], category: str | None = None) -> int | None:
        """Official participants in `kecs` in `month` (one category or all); None when some
        kecamatan has no count that month."""
        if not self.complete(month, kecs):
            return None
        wanted = set(kecs)
        return sum(
            n
            for (kec, cat), n in self._cells[str(month)].items()
            if kec in wanted and (category is None or cat == category)
        )

    def latest(self, kecs: list[str]) -> Month | None:
        """The last month (up to the end) with a count for every kecamatan in `kecs`."""
        for period in sorted(self._cells, reverse=True):
            if self.complete(Month.parse(period), kecs):
                return Month.parse(period)
        return None
