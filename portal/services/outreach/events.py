"""Outreach events (*sosialisasi*): recording them and summarising them by month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import Agency, Business, OutreachEvent, Region, User, outreach_event_businesses
from ..access import one_or_404
from ..audit.trail import record_event
from ..businesses.common import TradeError
from ..pages import page_of

MAX_BUSINESSES_PER_EVENT = 500


def parse_nibs(text: str | None) -> list[str]:
    """NIBs typed one per line or separated by commas/spaces, in order, without repeats."""
    seen: dict[str, None] = {}
    for token in re.split(r"[\s,;]+", text or ""):
        if token:
            seen.setdefault(token, None)
    return list(seen)


def record_outreach_event(
    officer: User,
    *,
    held_on: date,
    place: str,
    kelurahan_code: str,
    agencies: list[str],
    attendance: int,
    business_nibs: list[str],
    notes: str | None,
) -> OutreachEvent:
    """Record an outreach event that took place and link the businesses it reached.

    Who: trade_officer or trade_head. Raises TradeError for a date in the future
    (field "held_on"), unknown agencies (field "agencies"), NIBs that are not registered
    (field "businesses", listing them) or a negative attendance (field "attendance").
    """
    if held_on > today_wib():
        raise TradeError("held_on", _("Record an event once it has taken place."))
    if attendance < 0:
        raise TradeError("attendance", _("Attendance cannot be negative."))
    known_agencies = set(db.session.scalars(select(Agency.code).where(Agency.code.in_(agencies))))
    if not agencies or known_agencies != set(agencies):
        raise TradeError("agencies", _("Choose the agencies that were present."))
    if len(business_nibs) > MAX_BUSINESSES_PER_EVENT:
        raise TradeError(
            "businesses", _("At most %(n)d businesses per event.", n=MAX_BUSINESSES_PER_EVENT)
        )
    if any(not (nib.isdigit() and len(nib) == 13) for nib in business_nibs):
        raise TradeError("businesses", _("Each NIB has 13 digits."))
    businesses = list(db.session.scalars(select(Business).where(Business.nib.in_(business_nibs))))
    missing = sorted(set(business_nibs) - {b.nib for b in businesses})
    if missing:
        raise TradeError(
            "businesses",
            _(
                "Not registered on the portal: %(nibs)s. Register them in the field first.",
                nibs=", ".join(missing),
            ),
        )
    event = OutreachEvent(
        held_on=held_on,
        place=place,
        kelurahan_code=kelurahan_code,
        agencies_present=",".join(sorted(known_agencies)),
        attendance=attendance,
        notes=notes or None,
        created_by_id=officer.id,
        businesses=businesses,
    )
    db.session.add(event)
    db.session.flush()
    record_event(
        "outreach.recorded",
        event,
        {
            "held_on": held_on.isoformat(),
            "kelurahan": kelurahan_code,
            "attendance": attendance,
            "businesses": len(businesses),
        },
        actor=officer,
    )
    return event


def events_statement(year: int | None = None, month: int | None = None) -> Select:
    """Events newest first (optionally one month), with kelurahan and businesses loaded."""
    stmt = select(OutreachEvent).options(
        selectinload(OutreachEvent.kelurahan).joinedload(Region.parent),
        selectinload(OutreachEvent.businesses),
    )
    if year and month:
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        stmt = stmt.where(OutreachEvent.held_on >= start, OutreachEvent.held_on < end)
    return stmt.order_by(OutreachEvent.held_on.desc(), OutreachEvent.id.desc())


def event_page(year: int | None = None, month: int | None = None, page: object = 1) -> Pagination:
    """One page of events, newest first (optionally one month)."""
    return page_of(events_statement(year, month), page)


def load_event(event_id: int) -> OutreachEvent:
    """An event with its kelurahan (and kecamatan) and the businesses it reached, with their
    sectors; NotFound when absent."""
    return one_or_404(
        select(OutreachEvent)
        .options(
            joinedload(OutreachEvent.kelurahan).joinedload(Region.parent),
            selectinload(OutreachEvent.businesses).joinedload(Business.sector),
        )
        .where(OutreachEvent.id == event_id)
    )


@dataclass(frozen=True)
class MonthSummary:
    year: int
    month: int
    events: int
    attendance: int
    businesses: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def monthly_summary(year: int) -> list[MonthSummary]:
    """Events, attendance and businesses reached per month of `year` (two SQL queries)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    in_year = (OutreachEvent.held_on >= start, OutreachEvent.held_on < end)
    month_col = extract("month", OutreachEvent.held_on)
    totals = db.session.execute(
        select(
            month_col,
            func.count(OutreachEvent.id),
            func.coalesce(func.sum(OutreachEvent.attendance), 0),
        )
        .where(*in_year)
        .group_by(month_col)
    ).all()
    reached = dict(
        db.session.execute(
            select(month_col, func.count(func.distinct(outreach_event_businesses.c.business_id)))
            .join(
                outreach_event_businesses, outreach_event_businesses.c.event_id == OutreachEvent.id
            )
            .where(*in_year)
            .group_by(month_col)
        ).all()
    )
    rows = [
        MonthSummary(year, int(m), int(n), int(att), int(reached.get(m, 0))) for m, n, att in totals
    ]
    return sorted(rows, key=lambda r: r.month)


def agency_names() -> dict[str, str]:
    return dict(db.session.execute(select(Agency.code, Agency.short_name)).all())
