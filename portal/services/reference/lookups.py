"""Read access to reference data for services: rate table, calendar, settings.

Cached on `flask.g` so a request builds each at most once.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from ...domain.calendar import WorkingCalendar
from ...domain.contributions import RateTable
from ...domain.programmes import ProgrammeRules
from ...extensions import db
from ...models import DayOff, ProgrammeRequirement, RateValue, Setting


def _cached(name: str, build):
    if has_app_context():
        if name not in g:
            setattr(g, name, build())
        return getattr(g, name)
    return build()


def rate_table() -> RateTable:
    return _cached(
        "_rate_table",
        lambda: RateTable.from_rows(
            db.session.execute(select(RateValue.key, RateValue.effective_from, RateValue.value))
        ),
    )


def programme_rules() -> ProgrammeRules:
    """Required programmes per business scale, dated (Perpres 109/2013 art. 6)."""
    return _cached(
        "_programme_rules",
        lambda: ProgrammeRules.from_rows(
            db.session.execute(
                select(
                    ProgrammeRequirement.scale,
                    ProgrammeRequirement.effective_from,
                    ProgrammeRequirement.programmes,
                )
            )
        ),
    )


def working_calendar() -> WorkingCalendar:
    return _cached(
        "_working_calendar",
        lambda: WorkingCalendar(db.session.scalars(select(DayOff.day))),
    )


def setting(key: str, default: str | None = None) -> str:
    value = db.session.scalar(select(Setting.value).where(Setting.key == key))
    if value is None:
        if default is None:
            raise KeyError(key)
        return default
    return value


def setting_int(key: str, default: int) -> int:
    try:
        return int(setting(key, str(default)))
    except ValueError:
        return default
