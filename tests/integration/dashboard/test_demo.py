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


def test_demo_official_counts_reproduce_the_articles_27_percent(app):
    from portal.models import OfficialCount

    demo.seed()
    demo.seed()  # idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count(OfficialCount.id))) == 12 * 5 * 5
    report = coverage_report(Scope(current_month(), months=12))
    # The current month is not reported yet: the page falls back to last month, ~24,300 of
    # ~90,000, spread over every kecamatan and category.
    assert report.is_fallback and report.headline.key == str(current_month().shift(-1))
    assert report.headline.official == demo.OFFICIAL_LATEST
    assert round(report.headline.pct) == 27
    assert all(row.official for row in report.by_kecamatan if row.key != "-")
    assert all(row.official for row in report.by_category)
    assert all(p.month is None and not p.unknown for p in report.projections)  # not by 2029
