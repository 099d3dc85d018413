"""`flask seed-scale` generates a realistic city quickly, once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.domain.nik import cross_check
from portal.extensions import db
from portal.models import CoverageEstimate, FundedBatchMember, Membership, Target, Worker
from portal.services.coverage.periods import current_month
from portal.services.coverage.stats import Scope, coverage_report

ARGS = [
    "seed-scale",
    "--workers",
    "800",
    "--businesses",
    "50",
    "--months",
    "12",
    "--complaints",
    "40",
]


def test_seed_scale_generates_a_city_and_reports_its_size(runner):
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "workers" in result.output and "800" in result.output
    assert db.session.scalar(select(func.count(Worker.id))) == 800
    assert db.session.scalar(select(func.count(CoverageEstimate.id))) == 5
    assert db.session.scalar(select(func.count(Target.id))) == 1
    funded = db.session.scalar(
        select(func.count(Membership.id)).where(Membership.funded_batch_id.is_not(None))
    )
    assert funded == db.session.scalar(select(func.count(FundedBatchMember.id))) > 0


def test_generated_city_starts_near_the_baseline_and_grows(runner):
    runner.invoke(args=ARGS)
    report = coverage_report(Scope(current_month(), months=12))
    first, last = report.series[0], report.series[-1]
    assert 15 <= first.pct <= 40
    assert last.members > first.members


def test_generated_workers_have_valid_niks_matching_birth_date_and_sex(runner):
    runner.invoke(args=ARGS)
    for worker in db.session.scalars(select(Worker).limit(200)):
        assert cross_check(worker.nik, worker.birth_date, worker.sex) == []


def test_seed_scale_refuses_to_generate_a_second_city(runner):
    assert runner.invoke(args=ARGS).exit_code == 0
    again = runner.invoke(args=ARGS)
    assert again.exit_code != 0
    assert "already holds a generated city" in again.output
    assert db.session.scalar(select(func.count(Worker.id))) == 800


def test_seed_scale_rejects_a_bad_end_month(runner):
    result = runner.invoke(args=[*ARGS, "--end", "2026-13"])
    assert result.exit_code != 0 and "YYYY-MM" in result.output


def test_generated_wage_earners_carry_their_business_risk_class_so_owners_pages_open(
    runner, client, auth
):
    """BPJS copies the business's JKK risk class onto a wage earner's membership at
    enrolment; without it the owner's dues (and start page) cannot be computed."""
    from portal.models import Business
    from tests.factories import UserFactory

    runner.invoke(args=ARGS)
    rows = db.session.execute(
        select(Membership.risk_class, Business.risk_class)
        .join(Business, Business.id == Membership.business_id)
        .where(Membership.category == "PU")
    ).all()
    assert rows and all(mine == theirs and mine for mine, theirs in rows)
    owner = UserFactory(role="business_owner")
    business = db.session.scalar(
        select(Business).join(Membership, Membership.business_id == Business.id).limit(1)
    )
    business.owner_id = owner.id
    db.session.commit()
    auth.login(owner)
    assert client.get("/employer/").status_code == 200
