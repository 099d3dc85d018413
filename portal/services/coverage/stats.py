"""Coverage: BPJS's official active participants ÷ estimated workforce, now and month by
month, and the portal's own contribution beside it.

Coverage uses the official counts (`official.OfficialCounts`): a month has a coverage figure
for an area only when every kecamatan in it has an official count for that month. The
headline is the last such month up to the report's end; when that is not the end month the
page says so and shows its month (never a silent 0).

The portal's contribution: memberships enrolled through the portal, by channel
(`channels.channel_of`), as a share of the official count of the same month.

Counting rule for portal memberships (one rule for every figure on the dashboard). A
membership counts in month M
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
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from ...domain.clock import now
from ...extensions import db
from ...models import Business, Membership, Region, Sector, Target, WorkerCategory
from ..reference.choices import kecamatan
from ..reference.lookups import setting_int
from .channels import CHANNELS, channel_of
from .estimates import Estimates
from .official import OFFICIAL_CATEGORIES, OfficialCounts
from .periods import Month, date_bucket, window

CATEGORIES = [c.value for c in WorkerCategory]  # of memberships and estimates
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
    """`members`: enrolled through the portal; `official`: BPJS's official active
    participants (None: no official count); coverage is official ÷ workforce."""

    key: str
    label: str
    members: int | None
    workforce: int | None
    official: int | None = None

    @property
    def pct(self) -> float | None:
        if not self.workforce or self.official is None:
            return None
        return 100.0 * self.official / self.workforce

    @property
    def portal_pct(self) -> float | None:
        """The portal's members as a share of the official count."""
        if not self.official or self.members is None:
            return None
        return 100.0 * self.members / self.official


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
    """When `target_pct` is reached at the pace of the last months of official counts.

    `month` None and not reached: not by the end of `target_year` at this pace (or no gain).
    `unknown`: no workforce estimate or too few months of official counts to measure a pace.
    """

    target_pct: float
    target_members: int | None
    members: int | None
    monthly_gain: float | None
    target_year: int = 2029
    reached: bool = False
    month: Month | None = None

    @property
    def unknown(self) -> bool:
        return self.target_members is None or self.monthly_gain is None


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
    headline: Point | None = None  # the last month with official counts, up to the end
    projections: list[Projection] = field(default_factory=list)  # low and high target
    by_channel: list[Share] = field(default_factory=list)  # portal members at the headline
    channel_series: dict[str, list[int]] = field(default_factory=dict)
    target_year: int = 2029
    #: When the figures were computed (they may be served from the figures cache).
    computed_at: datetime | None = None

    @property
    def now(self) -> Point:
        """The end month of the report (its official count may be missing)."""
        return self.series[-1]

    @property
    def is_fallback(self) -> bool:
        """The headline month is not the report's end month (no official count there)."""
        return self.headline is not None and self.headline.key != str(self.scope.end)

    @property
    def portal_changes(self) -> list[int | None]:
        """Month-by-month change of the portal's members (None for the first month)."""
        members = [p.members for p in self.series]
        return [None] + [
            None if a is None or b is None else b - a
            for a, b in zip(members, members[1:], strict=False)
        ]


def report_areas(kecamatans: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The report's areas, (code, name) of every kecamatan in code order: `kecamatans` (the
    `choices.kecamatan()` a caller already has) or read now."""
    return sorted(kecamatans if kecamatans is not None else kecamatan())


def target_year() -> int:
    """The year by which the labour office wants the targets reached (a setting)."""
    return setting_int("coverage_target_year", 2029)


def band() -> tuple[int, int, int]:
    """(baseline, target low, target high) in percent, from the settings."""
    return (
        setting_int("coverage_baseline_pct", 27),
        setting_int("coverage_target_low_pct", 40),
        setting_int("coverage_target_high_pct", 50),
    )


def _membership_groups(months: list[Month], kecamatan: str | None):
    """One grouped query: member counts by area, sector, category and month buckets.

    Yields (kecamatan, sector, category, channel, first month index, first index no longer
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
            channel_of().label("channel"),
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
    cols = [
        sub.c.kec,
        sub.c.sector,
        sub.c.category,
        sub.c.channel,
        sub.c.entry,
        sub.c.end_b,
        sub.c.stop_b,
    ]
    stmt = select(*cols, func.count()).group_by(*cols)
    for kec_code, sector, category, channel, entry, end_b, stop_b, n in db.session.execute(stmt):
        exit_at = _INF if end_b is None else end_b + 1
        if stop_b is not None:
            exit_at = min(exit_at, stop_b)
        yield kec_code, sector, category, channel, entry, exit_at, n


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


def project(points: list[Point], target_pct: float, year: int) -> Projection:
    """When `target_pct` is reached at the pace of the last `PROJECTION_MONTHS` months.

    `points` are months oldest first; the last one with an official count is the starting
    point. The pace is (official count then − official count `PROJECTION_MONTHS` months
    earlier) ÷ `PROJECTION_MONTHS`; when that earlier month has no count, the nearest earlier
    month with one is used and the pace is divided by the months between. The month found is
    given only up to December of `year`; later (or with no gain) it is "not reached by
    `year` at this pace".
    """
    with_counts = [p for p in points if p.official is not None]
    if not with_counts:
        return Projection(target_pct, None, None, None, year)
    last = with_counts[-1]
    last_month = Month.parse(last.key)
    earlier = [
        p for p in with_counts if Month.parse(p.key).index <= last_month.index - PROJECTION_MONTHS
    ]
    gain = None
    if earlier:
        before = earlier[-1]
        span = last_month.index - Month.parse(before.key).index
        gain = (last.official - before.official) / span
    if not last.workforce:
        return Projection(target_pct, None, last.official, gain, year)
    needed = math.ceil(target_pct * last.workforce / 100)
    if last.official >= needed:
        return Projection(target_pct, needed, last.official, gain, year, reached=True)
    if gain is None or gain <= 0:
        return Projection(target_pct, needed, last.official, gain, year)
    months_to_go = math.ceil((needed - last.official) / gain)
    if months_to_go > (year + 1) * 12:  # far beyond any target year: no month arithmetic
        return Projection(target_pct, needed, last.official, gain, year)
    month = last_month.shift(months_to_go)
    if month.year > year:
        return Projection(target_pct, needed, last.official, gain, year)
    return Projection(target_pct, needed, last.official, gain, year, month=month)


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
    by_kec_months: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    by_cat_months: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    channel_months = {c: [0] * len(months) for c in CHANNELS}
    sector_months: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    groups = _membership_groups(months, scope.kecamatan)
    for kec, sector, category, channel, entry, exit_at, n in groups:
        for i in range(max(entry, 0), min(exit_at, len(months))):
            totals[i] += n
            sector_months[sector][i] += n
            by_kec_months[kec][i] += n
            by_cat_months[category][i] += n
            channel_months.setdefault(channel, [0] * len(months))[i] += n

    estimates = Estimates(scope.end, [code for code, _ in areas])
    official = OfficialCounts(scope.end, [code for code, _ in areas])
    targets = _targets(scope.end, scope.kecamatan)
    series = [
        Point(
            key=str(m),
            label=str(m),
            members=totals[i],
            workforce=estimates.total(m, in_scope),
            official=official.total(m, in_scope),
            target_pct=_target_for(targets, m),
        )
        for i, m in enumerate(months)
    ]
    # The headline: the last month with official counts (the end month, or an earlier one).
    head_month = official.latest(in_scope)
    head_i = months.index(head_month) if head_month in months else None
    headline = None
    if head_month is not None:
        headline = (
            series[head_i]
            if head_i is not None
            else Point(
                key=str(head_month),
                label=str(head_month),
                members=None,
                workforce=estimates.total(head_month, in_scope),
                official=official.total(head_month, in_scope),
                target_pct=_target_for(targets, head_month),
            )
        )
    at = head_month or scope.end  # the month the breakdowns describe

    def members_at(counts: list[int] | None) -> int | None:
        if head_i is None:
            return None if head_month is not None else (counts or [0] * len(months))[last]
        return (counts or [0] * len(months))[head_i]

    kec_rows = [
        Share(
            code,
            name,
            members_at(by_kec_months.get(code)),
            estimates.one(at, code),
            official.total(at, [code]),
        )
        for code, name in areas
        if not scope.kecamatan or code == scope.kecamatan
    ]
    if by_kec_months.get(UNKNOWN_AREA) and not scope.kecamatan:
        kec_rows.append(Share(UNKNOWN_AREA, "", members_at(by_kec_months[UNKNOWN_AREA]), None))
    names = sector_names or {}
    # Members now per sector: the last month of each sector's series.
    by_sector = {code: series_[last] for code, series_ in sector_months.items()}
    sector_keys = list(names) + sorted(set(by_sector) - set(names))
    end = scope.end
    sector_rows = [
        Share(s, names.get(s, ""), by_sector.get(s, 0), estimates.total(end, in_scope, sector=s))
        for s in sector_keys
        if by_sector.get(s) or estimates.total(end, in_scope, sector=s)
    ]
    cat_rows = [
        Share(
            c,
            c,
            members_at(by_cat_months.get(c)),
            estimates.total(at, in_scope, category=c),
            official.total(at, in_scope, category=c),
        )
        for c in OFFICIAL_CATEGORIES
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
    year = target_year()
    upto = series[: head_i + 1] if head_i is not None else ([headline] if headline else [])
    projections = [project(upto, float(pct), year) for pct in (low, high)]
    head_official = headline.official if headline else None
    by_channel = [
        Share(c, c, members_at(channel_months.get(c)), None, head_official)
        for c in list(CHANNELS) + sorted(set(channel_months) - set(CHANNELS))
    ]
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
        category_series={
            c: by_cat_months.get(c, [0] * len(months))[-scope.months :] for c in OFFICIAL_CATEGORIES
        },
        sector_series=sector_series,
        projection=projections[0],
        baseline_pct=baseline,
        band_low_pct=low,
        band_high_pct=high,
        missing_estimates=missing,
        headline=headline,
        projections=projections,
        by_channel=by_channel,
        channel_series={c: v[-scope.months :] for c, v in channel_months.items()},
        target_year=year,
        computed_at=now(),
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
        for _kec, member_sector, member_category, _ch, _entry, exit_at, n in _membership_groups(
            [month], kecamatan
        )
        if exit_at > 0
        and (sector is None or member_sector == sector)
        and (category is None or member_category == category)
    )
