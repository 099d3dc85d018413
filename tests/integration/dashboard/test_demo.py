"""`flask seed-demo`'s dashboard part: estimates per kecamatan and a city target, once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo import dashboard as demo
from portal.extensions import db
from portal.models import CoverageEstimate, Target
from portal.services.coverage.periods import current_month
from portal.services.coverage.stats import Scope, coverage_report


def test_demo_seed_gives_every_kecamatan_an_estimate_and_the_city_a_target(app):
    demo.seed()
    demo.seed()  # idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count(CoverageEstimate.id))) == 5
    assert db.session.scalar(select(func.count(Target.id))) == 1
    report = coverage_report(Scope(current_month(), months=6))
    assert report.now.workforce == demo.CITY_WORKFORCE
    assert report.missing_estimates == []
    assert report.series[-1].target_pct == 40
