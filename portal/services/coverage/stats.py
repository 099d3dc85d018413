"""Coverage: active members ÷ estimated workforce, now and month by month.

Counting rule (one rule for every figure on the dashboard). A membership counts in month M
when all of these hold:
- it started on or before the last day of M;
- it has no end date, or its end date is on or after the first day of M;
- it is not lapsed in M: a lapsed membership counts only in the months *before* the month of
  its `lapsed_at` (without a lapse date it never counts); an ended membership without an end
  date never counts.
Members are placed in a kecamatan through their kelurahan (Membership.kelurahan_code →
Region.parent_code), in a sector through their business, in a category by their own category.

The workforce in force for a month is the latest estimate row whose period is on or before
that month (a later row for the same period corrects an earlier one); targets likewise, a
kecamatan's own target before the city's. City-wide coverage
needs an estimate for every kecamatan; without one the percentage is not shown.

Each report runs a fixed number of queries: one grouped query over memberships (month
buckets computed in SQL), one over estimates, one over targets, plus reference lookups.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from ...extensions import db
from ...models import Business, CoverageEstimate, Membership, Region, Sector, Target, WorkerCategory
from ..reference.choices import kecamatan
from ..reference.lookups import setting_int
from .periods import Month, date_bucket, window

CATEGORIES = [c.value for c in WorkerCategory]
NO_SECTOR = "-"  # members without a business (informal, funded batches)
UNKNOWN_AREA = "-"
PROJECTION_MONTHS = 3
_INF = 10**9


@dataclass
class Scope:
    """What a coverage report looks at: the months up to `end`, one kecamatan or the city."""

    end: Month
    months: int = 12
    kecamatan: str | None = None


@dataclass
class Share:
    key: str
    label: str
    members: int
    workforce: int | None

    @property
    def pct(self) -> float | None:
        if not self.workforce:
            return None
        return 100.0 * self.members / self.workforce


@dataclass
class Point(Share):
    target_pct: float | None = None


@dataclass
class SectorSeries:
    """One sector's members and workforce month by month (`points[i].key` is the month)."""

    key: str
    label: str
    points: list[Share]


@dataclass
class Projection:
    target_pct: float
    target_members: int | None
    members: int
    monthly_gain: float
    reached: bool = False
    month: Month | None = None  # None and not reached: "not at this pace"

    @property
    def unknown(self) -> bool:
        return self.target_members is None


@dataclass
class CoverageReport:
    scope: Scope
    area_label: str
    series: list[Point]
    by_kecamatan: list[Share]
    by_sector: list[Share]
    by_category: list[Share]
    category_series: dict[str, list[int]]
    sector_series: list[SectorSeries]
    projection: Projection
    baseline_pct: int
    band_low_pct: int
    band_high_pct: int
    missing_estimates: list[str] = field(default_factory=list)

    @property
    def now(self) -> Point:
        return self.series[-1]


def report_areas(kecamatans: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The report's areas, (code, name) of every kecamatan in code order: `kecamatans` (the
    `choices.kecamatan()` a caller already has) or read now."""
    return sorted(kecamatans if kecamatans is not None else kecamatan())


def band() -> tuple[int, int, int]:
    """(baseline, target low, target high) in percent, from the settings."""
    return (
        setting_int("coverage_baseline_pct", 27),
        setting_int("coverage_target_low_pct", 40),
        setting_int("coverage_target_high_pct", 50),
    )


def _membership_groups(months: list[Month], kecamatan: str | None):
    """One grouped query: member counts by area, sector, category and month buckets.

    Yields (kecamatan, sector, category, first month index, first index no longer
    counted, members); indexes are positions in `months`.
    """
    kec = Region.parent_code
    ended_undated = and_(Membership.state == "ended", Membership.end_date.is_(None))
    stop = case(
        (
            Membership.state == "lapsed",
            date_bucket(func.coalesce(Membership.lapsed_at, Membership.start_date), months, -1),
        ),
        (ended_undated, date_bucket(Membership.start_date, months, -1)),
        else_=None,
    )
    end = case(
        (Membership.end_date.is_(None), None),
        else_=date_bucket(Membership.end_date, months, before=-1),
    )
    inner = (
        select(
            func.coalesce(kec, UNKNOWN_AREA).label("kec"),
            func.coalesce(Business.sector_code, NO_SECTOR).label("sector"),
            Membership.category.label("category"),
            date_bucket(Membership.start_date, months).label("entry"),
            end.label("end_b"),
            stop.label("stop_b"),
        )
        .select_from(Membership)
        .outerjoin(Region, Region.code == Membership.kelurahan_code)
        .outerjoin(Business, Business.id == Membership.business_id)
        .where(Membership.start_date <= months[-1].last_day)
        .where(or_(Membership.end_date.is_(None), Membership.end_date >= months[0].first_day))
    )
    if kecamatan:
        inner = inner.where(kec == kecamatan)
    sub = inner.subquery()
    cols = [sub.c.kec, sub.c.sector, sub.c.category, sub.c.entry, sub.c.end_b, sub.c.stop_b]
    stmt = select(*cols, func.count()).group_by(*cols)
    for kec_code, sector, category, entry, end_b, stop_b, n in db.session.execute(stmt):
        exit_at = _INF if end_b is None else end_b + 1
        if stop_b is not None:
            exit_at = min(exit_at, stop_b)
        yield kec_code, sector, category, entry, exit_at, n


class _Estimates:
    """Estimate rows by (kecamatan, sector, category), resolved for a month on demand."""

    def __init__(self, end: Month, kecamatans: list[str]):
        self._rows: dict[tuple, list[tuple[str, int]]] = defaultdict(list)
        stmt = (
            select(
                CoverageEstimate.kecamatan_code,
                CoverageEstimate.sector_code,
                CoverageEstimate.category,
                CoverageEstimate.period,
                CoverageEstimate.estimated_workforce,
            )
            .where(CoverageEstimate.period <= str(end))
            .where(CoverageEstimate.kecamatan_code.in_(kecamatans))
            .order_by(CoverageEstimate.period, CoverageEstimate.id)
        )
        for kec, sector, category, period, workforce in db.session.execute(stmt):
            self._rows[(kec, sector, category)].append((period, workforce))

    def one(self, month: Month, kec: str, sector=None, category=None) -> int | None:
        found = None
        for period, workforce in self._rows.get((kec, sector, category), ()):
            if period > str(month):
                break
            found = workforce
        return found

    def total(self, month: Month, kecs: list[str], sector=None, category=None) -> int | None:
        values = [self.one(month, k, sector, category) for k in kecs]
        if not values or any(v is None for v in values):
            return None
        return sum(values)


def _targets(end: Month, kecamatan: str | None) -> tuple[list, list]:
    """(kecamatan targets, city targets) as (period, pct) lists, oldest first (one query)."""
    stmt = select(Target.kecamatan_code, Target.period, Target.target_pct).where(
        Target.period <= str(end)
    )
    if kecamatan:
        stmt = stmt.where(or_(Target.kecamatan_code == kecamatan, Target.kecamatan_code.is_(None)))
    else:
        stmt = stmt.where(Target.kecamatan_code.is_(None))
    own, city = [], []
    for code, period, pct in db.session.execute(stmt.order_by(Target.period, Target.id)):
        (own if code else city).append((period, float(pct)))
    return own, city


def _target_for(targets: tuple[list, list], month: Month) -> float | None:
    """The kecamatan's own target in force for `month`, else the city's."""
    for rows in targets:
        found = None
        for period, pct in rows:
            if period > str(month):
                break
            found = pct
        if found is not None:
            return found
    return None


def project(series: list[Point], target_pct: float) -> Projection:
    """When the target is reached at the average monthly net gain of the last 3 months.

    The gain is (members in the last month − members 3 months before) ÷ 3. With no gain the
    answer is "not at this pace" (month None); without a workforce estimate it is unknown.
    """
    last = series[-1]
    before = series[-1 - PROJECTION_MONTHS] if len(series) > PROJECTION_MONTHS else series[0]
    span = min(PROJECTION_MONTHS, len(series) - 1) or 1
    gain = (last.members - before.members) / span
    if not last.workforce:
        return Projection(target_pct, None, last.members, gain)
    needed = math.ceil(target_pct * last.workforce / 100)
    if last.members >= needed:
        return Projection(target_pct, needed, last.members, gain, reached=True, month=None)
    if gain <= 0:
        return Projection(target_pct, needed, last.members, gain)
    months_to_go = math.ceil((needed - last.members) / gain)
    month = Month.parse(last.key).shift(months_to_go)
    return Projection(target_pct, needed, last.members, gain, month=month)


def coverage_report(
    scope: Scope,
    sector_names: dict[str, str] | None = None,
    areas: list[tuple[str, str]] | None = None,
) -> CoverageReport:
    """Coverage for `scope` (read-only). Kecamatan codes must be checked by the caller.

    `areas` is `report_areas()` when the caller already has it (saves a query).
    """
    areas = areas if areas is not None else report_areas()
    area_names = dict(areas)
    in_scope = [scope.kecamatan] if scope.kecamatan else [code for code, _ in areas]
    span = max(scope.months, PROJECTION_MONTHS + 1)
    months = window(scope.end, span)
    last = len(months) - 1

    totals = [0] * len(months)
    by_kec: dict[str, int] = defaultdict(int)
    by_cat: dict[str, int] = defaultdict(int)
    cat_series = {c: [0] * len(months) for c in CATEGORIES}
    sector_months: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for kec, sector, category, entry, exit_at, n in _membership_groups(months, scope.kecamatan):
        for i in range(max(entry, 0), min(exit_at, len(months))):
            totals[i] += n
            sector_months[sector][i] += n
            if category in cat_series:
                cat_series[category][i] += n
        if entry <= last < exit_at:
            by_kec[kec] += n
            by_cat[category] += n

    estimates = _Estimates(scope.end, [code for code, _ in areas])
    targets = _targets(scope.end, scope.kecamatan)
    series = [
        Point(
            key=str(m),
            label=str(m),
            members=totals[i],
            workforce=estimates.total(m, in_scope),
            target_pct=_target_for(targets, m),
        )
        for i, m in enumerate(months)
    ]
    end = scope.end
    kec_rows = [
        Share(code, name, by_kec.get(code, 0), estimates.one(end, code))
        for code, name in areas
        if not scope.kecamatan or code == scope.kecamatan
    ]
    if by_kec.get(UNKNOWN_AREA) and not scope.kecamatan:
        kec_rows.append(Share(UNKNOWN_AREA, "", by_kec[UNKNOWN_AREA], None))
    names = sector_names or {}
    # Members now per sector: the last month of each sector's series.
    by_sector = {code: series_[last] for code, series_ in sector_months.items()}
    sector_keys = list(names) + sorted(set(by_sector) - set(names))
    sector_rows = [
        Share(s, names.get(s, ""), by_sector.get(s, 0), estimates.total(end, in_scope, sector=s))
        for s in sector_keys
        if by_sector.get(s) or estimates.total(end, in_scope, sector=s)
    ]
    cat_rows = [
        Share(c, c, by_cat.get(c, 0), estimates.total(end, in_scope, category=c))
        for c in CATEGORIES
    ]
    shown_months = months[-scope.months :]
    first_shown = len(months) - len(shown_months)
    sector_series = []
    for code in list(names) + sorted(set(sector_months) - set(names)):
        counts = sector_months.get(code, [0] * len(months))[first_shown:]
        points = [
            Share(str(m), str(m), counts[i], estimates.total(m, in_scope, sector=code))
            for i, m in enumerate(shown_months)
        ]
        if any(p.members or p.workforce for p in points):
            sector_series.append(SectorSeries(code, names.get(code, ""), points))
    baseline, low, high = band()
    target_pct = series[-1].target_pct or float(low)
    missing = [
        name for code, name in areas if code in in_scope and estimates.one(end, code) is None
    ]
    shown = series[-scope.months :]
    return CoverageReport(
        scope=scope,
        area_label=area_names.get(scope.kecamatan, "") if scope.kecamatan else "",
        series=shown,
        by_kecamatan=kec_rows,
        by_sector=sector_rows,
        by_category=cat_rows,
        category_series={c: v[-scope.months :] for c, v in cat_series.items()},
        sector_series=sector_series,
        projection=project(series, target_pct),
        baseline_pct=baseline,
        band_low_pct=low,
        band_high_pct=high,
        missing_estimates=missing,
    )


def sector_names(lang: str) -> dict[str, str]:
    """Sector code → display name in `lang` (id or en), in the admin's order."""
    rows = db.session.execute(
        select(Sector.code, Sector.name_id, Sector.name_en).order_by(Sector.sort_order)
    )
    return {code: (name_en if lang == "en" else name_id) for code, name_id, name_en in rows}


def active_members(
    kecamatan: str, month: Month, sector: str | None = None, category: str | None = None
) -> int:
    """Members counted in `month` in a kecamatan (optionally one sector or category).

    The dashboard's counting rule (see the module docstring), so an estimate checked against
    this number never shows more than 100% coverage for that month. One query.
    """
    return sum(
        n
        for _kec, member_sector, member_category, _entry, exit_at, n in _membership_groups(
            [month], kecamatan
        )
        if exit_at > 0
        and (sector is None or member_sector == sector)
        and (category is None or member_category == category)
    )
