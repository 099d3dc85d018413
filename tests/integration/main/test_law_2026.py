"""The law as it stands in 2026, as dated reference data with its source (issue: the law)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain.contributions import RateMissing, wage_earner
from portal.extensions import db
from portal.models import DayOff, RateValue
from portal.services.membership.dues import RatesMissing, monthly_due
from portal.services.reference.lookups import rate_table, working_calendar
from tests.factories_bpjs import MembershipFactory

JOINT_LEAVE_2026 = [
    date(2026, 2, 16),
    date(2026, 3, 18),
    date(2026, 3, 20),
    date(2026, 3, 23),
    date(2026, 3, 24),
    date(2026, 5, 15),
    date(2026, 5, 28),
    date(2026, 12, 24),
]


def test_joint_leave_days_of_2026_are_days_off_out_of_the_box(app):
    """SKB 3 Menteri on cuti bersama 2026, seeded from the holidays package's government
    category: deadlines skip them without an admin typing them in."""
    days = db.session.scalars(
        select(DayOff.day).where(
            DayOff.kind == "cuti_bersama", DayOff.day.between(date(2026, 1, 1), date(2026, 12, 31))
        )
    ).all()
    assert sorted(days) == JOINT_LEAVE_2026
    assert working_calendar().add_working_days(date(2026, 3, 18), 2) == date(2026, 3, 26)


def test_jp_ceiling_from_march_2026_is_the_circulars(app):
    """Surat Edaran BPJS Ketenagakerjaan B/1226/022026: Rp 11.086.300 from 1 March 2026."""
    row = db.session.scalar(
        select(RateValue).where(
            RateValue.key == "jp_wage_ceiling", RateValue.effective_from == date(2026, 3, 1)
        )
    )
    assert row.value == 11_086_300 and "B/1226/022026" in row.note
    rates = rate_table()
    december = wage_earner(rates, 12_000_000, date(2026, 12, 1)).by_programme()["JP"]
    february = wage_earner(rates, 12_000_000, date(2026, 2, 1)).by_programme()["JP"]
    assert (december.base, december.amount) == (11_086_300, 332_589)
    assert (february.base, february.amount) == (10_547_400, 316_422)


def test_every_seeded_rate_names_its_source(app):
    assert all(note for note in db.session.scalars(select(RateValue.note)))


def test_a_month_without_a_jp_ceiling_is_an_error_never_rp_0(app):
    with pytest.raises(RateMissing):
        wage_earner(rate_table(), 5_000_000, date(2021, 6, 1))
    membership = MembershipFactory(start_date=date(2021, 1, 1))
    with pytest.raises(RatesMissing) as caught:
        monthly_due(membership, date(2021, 6, 1))
    assert "2021-06" in caught.value.message
