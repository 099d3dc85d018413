"""`flask seed-scale`: a realistic city, generated quickly with bulk inserts.

Default size: 100,000 workers, 5,000 businesses, 24 months of memberships and contributions,
3,000 complaints, plus enrolment requests, funded batches, outreach, referrals, reprimands,
workforce estimates and a city target. Rows are built in Python with a seeded random
generator (same seed → same city) and written with Core `insert()` executemany in chunks.
Ids are assigned here (after the current maximum), so it works on an empty or a demo
database; PostgreSQL sequences are moved past them at the end.

Shape of the city (public figures, DOMAIN.md): about 27% of the workforce covered at the
start, growing a few hundred members a month; wage earners (PU) work in businesses,
informal workers (BPU) pay themselves, vulnerable and palm-oil workers are covered by APBD
batches.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from ..domain.clock import today_wib
from ..extensions import db
from ..models import (
    Agency,
    Business,
    Complaint,
    ComplaintCategory,
    ContributionPayment,
    CoverageEstimate,
    Employment,
    EnrolmentRequest,
    FundedBatch,
    Membership,
    OfficialCount,
    OutreachEvent,
    Referral,
    Region,
    Reprimand,
    Sector,
    Target,
    User,
    Worker,
)
from ..services.coverage.periods import Month, current_month, window
from ..services.reference.lookups import working_calendar

NIB_PREFIX = "97"  # NIBs of generated businesses: 97 + 11 digits
SEED_EMAIL = "seed-scale@system.singkawang.id"
CHUNK = 5_000
CATEGORY_WEIGHTS = {"PU": 45, "BPU": 40, "rentan": 12, "sawit": 3}
WIB = timedelta(hours=7)


class ScaleSeedError(Exception):
    pass


@dataclass
class ScaleOptions:
    workers: int = 100_000
    businesses: int = 5_000
    months: int = 24
    complaints: int = 3_000
    seed: int = 2026
    end: Month | None = None


@dataclass
class _Ids:
    """Next free id per table, so rows can reference each other before they are inserted."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def wib_moment(day: date, hour: int = 10) -> datetime:
    """A WIB wall-clock moment on `day`, as UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC) - WIB


def bulk_insert(model, rows: list[dict], chunk: int = CHUNK) -> None:
    """Insert `rows` (dicts with the same keys) into a model's or Core table's table.

    PostgreSQL gets COPY (an order of magnitude faster than INSERT for hundreds of thousands
    of rows), with the columns' Python defaults filled in here; elsewhere Core insert
    executemany in chunks.
    """
    table = getattr(model, "__table__", model)
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(table, rows)
        return
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(table), rows[start : start + chunk])


def _copy(table, rows: list[dict]) -> None:
    names = list(rows[0])
    defaults = [c for c in table.columns if c.name not in names and c.default is not None]
    columns = ", ".join(f'"{name}"' for name in [*names, *(c.name for c in defaults)])
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            extra = [
                c.default.arg(None) if c.default.is_callable else c.default.arg for c in defaults
            ]
            copy.write_row([row[name] for name in names] + extra)


def _max_ids(models) -> _Ids:
    ids = _Ids()
    for model in models:
        current = db.session.scalar(select(func.max(model.id))) or 0
        ids.next[model.__tablename__] = current + 1
    return ids


def _system_user() -> int:
    user_id = db.session.scalar(select(User.id).where(User.email == SEED_EMAIL))
    if user_id:
        return user_id
    agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "disnaker"))
    user = User(
        email=SEED_EMAIL,
        name="Seed scale",
        role="labour_head",
        agency_id=agency_id,
        active=False,  # never logs in; the hash below matches no password
        password_hash="!disabled",
    )
    db.session.add(user)
    db.session.flush()
    return user.id


def seed_city(options: ScaleOptions) -> dict[str, int]:
    """Insert a generated city; returns row counts per table. The caller commits.

    Refuses (ScaleSeedError) when a generated city is already there.
    """
    already = db.session.scalar(
        select(func.count(Business.id)).where(Business.nib.like(NIB_PREFIX + "%"))
    )
    if already:
        raise ScaleSeedError("this database already holds a generated city")
    rng = random.Random(options.seed)
    end = options.end or current_month()
    months = window(end, options.months)
    ids = _max_ids(
        [
            Business,
            Worker,
            Employment,
            Membership,
            ContributionPayment,
            EnrolmentRequest,
            FundedBatch,
            Complaint,
            Reprimand,
            OutreachEvent,
            Referral,
        ]
    )
    user_id = _system_user()
    kelurahan = list(
        db.session.execute(
            select(Region.code, Region.parent_code).where(Region.level == "kelurahan")
        )
    )
    if not kelurahan:
        raise ScaleSeedError("regions are missing: run `flask seed-reference` first")
    sectors = list(db.session.scalars(select(Sector.code)))
    counts: dict[str, int] = {}
    gen = _Generator(rng, ids, months, kelurahan, sectors, user_id)
    counts["businesses"] = gen.businesses(options.businesses)
    counts.update(gen.people(options.workers))
    counts["complaints"] = gen.complaints(options.complaints)
    counts.update(gen.trade_and_reprimands())
    counts.update(gen.estimates_and_target())
    _move_sequences(ids)
    return counts


def _move_sequences(ids: _Ids) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ids.next:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


class _Generator:
    def __init__(self, rng, ids, months, kelurahan, sectors, user_id):
        self.rng = rng
        self.ids = ids
        self.months = months
        self.first = months[0].first_day
        self.last = min(months[-1].last_day, today_wib())
        self.kelurahan = kelurahan
        self.sectors = sectors
        self.user_id = user_id
        self.business_rows: list[tuple[int, str]] = []
        # Each business's JKK risk class: its wage earners' memberships copy it (as BPJS does
        # at enrolment), so their dues can be computed.
        self.business_risk: dict[int, str] = {}
        self.calendar = working_calendar()

    def day_between(self, start: date, stop: date) -> date:
        span = max((stop - start).days, 0)
        return start + timedelta(days=self.rng.randint(0, span))

    def businesses(self, n: int) -> int:
        rows = []
        for i in range(n):
            business_id = self.ids.take("businesses")
            kel, _ = self.rng.choice(self.kelurahan)
            # Two thirds were on the portal before the window; the rest joined during it.
            if self.rng.random() < 0.67:
                joined = self.day_between(date(2020, 1, 1), self.first - timedelta(days=1))
            else:
                joined = self.day_between(self.first, self.last)
            verified = min(joined + timedelta(days=self.rng.randint(1, 10)), self.last)
            rows.append(
                {
                    "id": business_id,
                    "nib": f"{NIB_PREFIX}{i:011d}",
                    "name": f"Usaha Singkawang {i + 1}",
                    "sector_code": self.rng.choice(self.sectors),
                    "scale": self.rng.choices(["mikro", "kecil", "menengah"], [85, 12, 3])[0],
                    "risk_class": self.rng.choices(
                        ["sangat_rendah", "rendah", "sedang", "tinggi"], [50, 30, 15, 5]
                    )[0],
                    "kelurahan_code": kel,
                    "address": f"Jl. Pasar No. {i % 300 + 1}, Singkawang",
                    "verification_state": "verified",
                    "verified_by_id": self.user_id,
                    "verified_at": wib_moment(verified, 11),
                    "created_at": wib_moment(joined, 9),
                    "registered_by_id": self.user_id,
                }
            )
            self.business_rows.append((business_id, kel))
            self.business_risk[business_id] = rows[-1]["risk_class"]
        bulk_insert(Business, rows)
        return n

    def people(self, n: int) -> dict[str, int]:
        """Workers, their employments, memberships, requests, batches and payments."""
        from .scale_people import generate_people

        return generate_people(self, n)

    def complaints(self, n: int) -> int:
        agencies = dict(db.session.execute(select(Agency.code, Agency.id)).all())
        categories = list(
            db.session.execute(select(ComplaintCategory.code, ComplaintCategory.sla_working_days))
        )
        states = [
            "submitted",
            "verified",
            "assigned",
            "in_progress",
            "resolved",
            "closed",
            "rejected",
        ]
        weights = [5, 4, 6, 8, 25, 45, 7]
        rows = []
        for i in range(n):
            day = self.day_between(self.first, self.last)
            code, sla_days = self.rng.choice(categories)
            state = self.rng.choices(states, weights)[0]
            due = self.calendar.add_working_days(day, sla_days + 3)
            resolved = None
            if state in ("resolved", "closed"):
                late = self.rng.random() < 0.25
                took = (
                    self.rng.randint(sla_days + 4, sla_days + 20)
                    if late
                    else self.rng.randint(1, sla_days + 3)
                )
                resolved = min(self.calendar.add_working_days(day, took), self.last)
            agency = self.rng.choices(["bpjs", "disnaker", "disperindagkop"], [70, 20, 10])[0]
            rows.append(
                {
                    "id": self.ids.take("complaints"),
                    "tracking_code": f"SKW-S{i:08d}",
                    "reporter_name": "Pelapor",
                    "hide_identity": True,
                    "category_code": code,
                    "agency_id": agencies[agency],
                    "subject": "Keluhan layanan",
                    "description": "Dibuat oleh flask seed-scale.",
                    "state": state,
                    "submitted_at": wib_moment(day, 9),
                    "sla_due": due,
                    "resolved_at": wib_moment(resolved, 15) if resolved else None,
                    "closed_at": wib_moment(resolved, 16) if state == "closed" else None,
                }
            )
        bulk_insert(Complaint, rows)
        return n

    def trade_and_reprimands(self) -> dict[str, int]:
        from .scale_people import generate_trade_and_reprimands

        return generate_trade_and_reprimands(self)

    def estimates_and_target(self) -> dict[str, int]:
        """Workforce per kecamatan (from the generated workers) and a 40% city target."""
        per_kec = dict(
            db.session.execute(
                select(Region.parent_code, func.count(Worker.id))
                .join(Region, Region.code == Worker.kelurahan_code)
                .group_by(Region.parent_code)
            ).all()
        )
        period = str(self.months[0])
        rows = [
            {
                "kecamatan_code": kec,
                "period": period,
                # Not every registered resident works; the survey figure is a bit lower.
                "estimated_workforce": max(int(n * 0.9), 1),
                "source": "flask seed-scale",
                "created_by_id": self.user_id,
            }
            for kec, n in per_kec.items()
            if kec
        ]
        bulk_insert(CoverageEstimate, rows)
        # BPJS's official participants: 27% of each kecamatan's workforce in the first month,
        # a quarter of a point more each month after (cells already recorded are kept).
        recorded = set(
            db.session.execute(
                select(OfficialCount.period, OfficialCount.kecamatan_code, OfficialCount.category)
            ).all()
        )
        official = [
            {
                "period": str(month),
                "kecamatan_code": row["kecamatan_code"],
                "category": "PU",
                "active_participants": int(row["estimated_workforce"] * (0.27 + 0.0025 * i)),
                "source_document": "flask seed-scale",
                "recorded_by_id": self.user_id,
            }
            for i, month in enumerate(self.months)
            for row in rows
            if (str(month), row["kecamatan_code"], "PU") not in recorded
        ]
        bulk_insert(OfficialCount, official)
        bulk_insert(
            Target,
            [
                {
                    "kecamatan_code": None,
                    "period": period,
                    "target_pct": 40,
                    "created_by_id": self.user_id,
                }
            ],
        )
        return {"estimates": len(rows), "official_counts": len(official), "targets": 1}
