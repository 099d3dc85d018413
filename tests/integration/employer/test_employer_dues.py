"""Monthly dues the owner sees: they follow the employee's edited figures, and the home
page's totals cover every business of the owner with a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent, Employment
from portal.services.membership.common import add_months, month_start, period_key
from portal.services.membership.dues import monthly_due
from portal.services.membership.dues import schedule as dues_schedule
from portal.services.membership.payments import record_payment
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import FundedBatchFactory, MembershipFactory
from tests.factories_employer import EnrolmentRequestFactory, business_form


def edit_form(employment: Employment, **overrides) -> dict:
    """The edit form as the owner posts it; an override of None leaves the field out."""
    data = {
        "full_name": employment.full_name,
        "kelurahan_code": employment.kelurahan_code,
        "occupation": employment.occupation,
        "category": employment.category,
        "monthly_amount": str(employment.monthly_amount),
        "start_date": employment.start_date.isoformat(),
        "version": employment.version,
        "with_jht": "y" if employment.with_jht else None,
        "with_jp": "y" if employment.with_jp else None,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def enrolled(business, **figures):
    """A current employee with the membership BPJS created from their figures this month."""
    employment = EmploymentFactory(business=business, **figures)
    membership = MembershipFactory(
        employment=employment,
        category=employment.category,
        monthly_amount=employment.monthly_amount,
        risk_class=business.risk_class,
        with_jht=employment.with_jht,
        with_jp=employment.with_jp,
        funding_source="employer" if employment.category == "PU" else "self",
        start_date=month_start(today_wib()),
    )
    return employment, membership


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- edited figures reach the membership --------------------------------------------------


def test_wage_edit_of_an_enrolled_employee_moves_the_membership_dues(client, business):
    employment, membership = enrolled(business, monthly_amount=3_000_000)
    db.session.commit()
    # Rp 3,000,000, all programmes, sangat rendah: 7,200 + 9,000 + 171,000 + 90,000.
    assert f'data-testid="dues-{membership.id}">Rp 277.200' in _text(
        client.get("/employer/memberships")
    )
    response = client.post(
        f"/employer/employees/{employment.id}/edit",
        data=edit_form(employment, monthly_amount="Rp 5.000.000"),
    )
    assert response.status_code == 302
    db.session.refresh(membership)
    assert membership.monthly_amount == 5_000_000
    # DOMAIN.md: PU Rp 5,000,000, sangat rendah, all programmes → Rp 462,000 a month, the
    # same on the employee's preview, the membership list, its dues schedule and the home page.
    assert "Rp 462.000" in _text(client.get(f"/employer/employees/{employment.id}"))
    assert f'data-testid="dues-{membership.id}">Rp 462.000' in _text(
        client.get("/employer/memberships")
    )
    schedule = _text(client.get(f"/employer/memberships/{membership.id}"))
    assert "Rp 462.000" in schedule and "Rp 277.200" not in schedule
    assert "Rp 462.000" in _text(client.get("/employer/"))
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "membership.terms_changed")
    )
    assert event is not None and "5000000" in event.summary


def test_pp_44_2015_the_business_risk_class_reaches_its_running_memberships(client, business):
    """PP 44/2015 annex I: the JKK class is the business's; changing it on the business form
    (before BPJS reviewed it) moves every running membership's dues from this month on."""
    pu, pu_membership = enrolled(business, monthly_amount=5_000_000)
    db.session.commit()
    response = client.post(
        f"/employer/businesses/{business.id}/edit",
        data=business_form(business, risk_class="tinggi"),
    )
    assert response.status_code == 302
    db.session.refresh(pu_membership)
    assert pu_membership.risk_class == "tinggi"
    page = _text(client.get("/employer/memberships"))
    # JKK 1.27% of 5,000,000 = 63,500 instead of 12,000 → 462,000 + 51,500.
    assert f'data-testid="dues-{pu_membership.id}">Rp 513.500' in page
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "membership.terms_changed")
    )


def test_category_cannot_change_while_the_membership_runs(client, business):
    employment, membership = enrolled(business, monthly_amount=3_000_000)
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/edit",
        data=edit_form(employment, category="BPU", monthly_amount="2000000"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="category-error"' in html
    assert "UU 24/2011" in html  # no BPU for an employer's own worker
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert (employment.category, employment.monthly_amount) == ("PU", 3_000_000)
    assert (membership.category, membership.monthly_amount) == ("PU", 3_000_000)


def test_ended_or_funded_memberships_keep_their_figures(client, business):
    employment = EmploymentFactory(business=business, monthly_amount=3_000_000)
    ended = MembershipFactory(employment=employment, state="ended", end_date=today_wib())
    batch = FundedBatchFactory(period_end=today_wib() + timedelta(days=60))
    funded = MembershipFactory(
        employment=employment, funding_source="apbd", funded_batch=batch, monthly_amount=1_000_000
    )
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/edit",
        data=edit_form(employment, monthly_amount="5000000"),
    )
    assert response.status_code == 302
    db.session.refresh(ended)
    db.session.refresh(funded)
    assert ended.monthly_amount == 3_000_000
    assert funded.monthly_amount == 1_000_000


def test_wage_edit_refreshes_the_request_waiting_at_bpjs(client, business):
    employment = EmploymentFactory(business=business, monthly_amount=3_000_000)
    request = EnrolmentRequestFactory(employment=employment, state="in_review")
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/edit",
        data=edit_form(employment, monthly_amount="5000000"),
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.state == "in_review"
    assert request.monthly_amount == 5_000_000
    assert (request.monthly_contribution, request.employer_share, request.worker_share) == (
        462_000,
        312_000,
        150_000,
    )
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "enrolment.figures_changed")
    )


# --- the home page covers every business ----------------------------------------------------


def test_home_totals_cover_every_business_not_just_the_first_page(app, client, owner):
    app.config["PAGE_SIZE"] = 1  # one business per page: the totals must still add up both
    first = BusinessFactory(owner=owner, name="A Warung Kopi")
    second = BusinessFactory(owner=owner, name="B Bengkel")
    enrolled(first, monthly_amount=5_000_000)  # Rp 462,000
    EmploymentFactory(business=first)  # not enrolled
    enrolled(second, monthly_amount=3_000_000)  # Rp 277,200
    EmploymentFactory(business=second, end_date=today_wib() + timedelta(days=10))  # leaving
    EmploymentFactory(business=second, end_date=today_wib() - timedelta(days=1))  # gone
    returned = EmploymentFactory(business=second, full_name="Siti Perlu Koreksi")
    EnrolmentRequestFactory(employment=returned, state="returned", return_reason="KTP buram")
    stranger = BusinessFactory(owner=UserFactory(), name="Usaha Orang Lain")
    enrolled(stranger, monthly_amount=9_000_000)
    EmploymentFactory(business=stranger)
    db.session.commit()
    html = _text(client.get("/employer/"))
    # The business list is paginated …
    assert f'href="/employer/businesses/{first.id}"' in html
    assert f'href="/employer/businesses/{second.id}"' not in html
    assert 'data-testid="total-employees">5<' in html  # … the totals are not
    assert "2 / 3" in html  # enrolled / not enrolled
    assert "Rp 739.200" in html  # 462,000 + 277,200
    assert "Siti Perlu Koreksi" in html and "KTP buram" in html  # to-do from page 2's business
    second_page = _text(client.get("/employer/?page=2"))
    assert f'href="/employer/businesses/{second.id}"' in second_page
    assert "Rp 739.200" in second_page


def test_home_runs_a_fixed_number_of_queries_whatever_the_businesses(client, owner, count_queries):
    def measure() -> int:
        client.get("/employer/")
        with count_queries() as q:
            assert client.get("/employer/").status_code == 200
        return q.count

    def grow(n: int) -> None:
        for _ in range(n):
            business = BusinessFactory(owner=owner)
            enrolled(business, monthly_amount=4_000_000)
            EmploymentFactory(business=business)
            returned = EmploymentFactory(business=business)
            EnrolmentRequestFactory(employment=returned, state="returned", return_reason="x")
        db.session.commit()

    grow(2)
    small = measure()
    grow(8)
    assert measure() == small


# --- a raise does not change what earlier months owe ----------------------------------------


def test_a_wage_raise_applies_from_its_month_and_earlier_months_keep_their_dues(
    client, business, owner
):
    this_month = month_start(today_wib())
    employment, membership = enrolled(business, monthly_amount=3_000_000)
    membership.start_date = add_months(this_month, -3)  # three months unpaid before this one
    db.session.commit()

    for wage in ("Rp 5.000.000", "Rp 4.000.000"):  # two edits in the same month
        db.session.refresh(employment)
        response = client.post(
            f"/employer/employees/{employment.id}/edit",
            data=edit_form(employment, monthly_amount=wage),
        )
        assert response.status_code == 302
    db.session.refresh(membership)
    # One earlier set of figures: the wage in force before this month.
    assert [(t["until"], t["monthly_amount"]) for t in membership.past_terms] == [
        (period_key(this_month), 3_000_000)
    ]
    dues = {row.period: row.amount for row in dues_schedule(membership, {})}
    # DOMAIN.md rates, all programmes, sangat rendah: Rp 3,000,000 → 277,200 a month;
    # Rp 4,000,000 → 0.24% + 0.30% + 5.7% + 3.0% = 369,600.
    assert dues == {
        period_key(add_months(this_month, -3)): 277_200,
        period_key(add_months(this_month, -2)): 277_200,
        period_key(add_months(this_month, -1)): 277_200,
        period_key(this_month): 369_600,
    }
    # BPJS accepts last month's payment at the amount that month was owed.
    officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    last_month = period_key(add_months(this_month, -1))
    record_payment(membership.kpj, last_month, 277_200, today_wib(), "bank", officer)
    db.session.commit()
    assert monthly_due(membership, this_month) == 369_600
    page = _text(client.get(f"/employer/memberships/{membership.id}"))
    assert "Rp 277.200" in page and "Rp 369.600" in page
