"""The owner's arrears: paginated in SQL, totals over every page, fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from portal.domain.clock import today_wib
from portal.domain.money import format_rupiah
from portal.extensions import db
from portal.models import Membership
from portal.services.membership.common import add_months, month_start, period_key
from portal.services.membership.dues import arrears_of, payments_by_membership, schedule
from portal.services.membership.employer_dues import owner_arrears_statement
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import MembershipFactory, PaymentFactory


def member(business, months_ago: int, *, paid: tuple[int, ...] = (), **kwargs) -> Membership:
    """An employer-paid membership started `months_ago` months back, with the months
    `paid` (offsets from this month: -2 is two months ago, 1 is next month) paid."""
    today = today_wib()
    employment = EmploymentFactory(business=business, full_name=kwargs.pop("name", None) or "x")
    membership = MembershipFactory(
        employment=employment, start_date=add_months(today, -months_ago), **kwargs
    )
    for offset in paid:
        PaymentFactory(
            membership=membership,
            period=period_key(add_months(today, offset)),
            amount=277_200,
            paid_on=today,
        )
    return membership


def expected_total(memberships) -> int:
    paid = payments_by_membership(m.id for m in memberships)
    return sum(arrears_of(schedule(m, paid[m.id], today_wib())).total for m in memberships)


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_arrears_are_paginated_with_totals_over_every_page(app, client, owner):
    app.config["PAGE_SIZE"] = 2
    shop = BusinessFactory(owner=owner, name="A Toko Sembako")
    garage = BusinessFactory(owner=owner, name="B Bengkel Motor")
    today = today_wib()
    unpaid = member(shop, 3, name="Ani Belum Bayar", kpj="10000000001")
    paid_up = member(shop, 3, paid=(-3, -2, -1, 0), name="Budi Lunas", kpj="10000000002")
    # Paid ahead (this month and next) but two months ago is still open: still in arrears.
    paid_ahead = member(garage, 3, paid=(-3, 0, 1), name="Cici Bayar Dimuka", kpj="10000000003")
    ended = member(
        garage,
        6,
        name="Dodi Sudah Keluar",
        kpj="10000000004",
        state="ended",
        end_date=add_months(today, -5) + timedelta(days=9),
    )
    member(garage, 0, name="Eka Baru Mulai", kpj="10000000005")  # nothing due yet
    member(shop, 3, name="Fani Mandiri", kpj="10000000006", category="BPU", funding_source="self")
    member(BusinessFactory(owner=UserFactory()), 3, name="Orang Lain", kpj="10000000007")
    db.session.commit()
    in_arrears = [unpaid, paid_ahead, ended]
    total = format_rupiah(expected_total(in_arrears))

    first = _html(client, "/employer/arrears")
    second = _html(client, "/employer/arrears?page=2")
    for html in (first, second):
        assert f'data-testid="arrears-total">{total}<' in html
        for name in ("Budi Lunas", "Eka Baru Mulai", "Fani Mandiri", "Orang Lain"):
            assert name not in html
    assert "Ani Belum Bayar" in first and "Cici Bayar Dimuka" in first
    assert "Dodi Sudah Keluar" not in first
    assert "Dodi Sudah Keluar" in second and "Ani Belum Bayar" not in second
    # The month paid ahead does not hide the open one.
    assert period_key(add_months(today, -2)) in first
    assert paid_up.kpj not in first + second

    only_garage = _html(client, f"/employer/arrears?business={garage.id}")
    assert f'data-testid="arrears-total">{format_rupiah(expected_total([paid_ahead, ended]))}<' in (
        only_garage
    )
    assert "Ani Belum Bayar" not in only_garage


def test_the_sql_filter_finds_exactly_what_the_schedule_finds(owner):
    business = BusinessFactory(owner=owner)
    cases = [
        member(business, 0),
        member(business, 1),
        member(business, 1, paid=(-1,)),
        member(business, 2, paid=(-2,)),
        member(business, 2, paid=(-1, 0)),
        member(business, 4, paid=(-4, -3, -2)),
        member(business, 4, paid=(-4, -3, -2, -1)),
        member(business, 12, paid=tuple(range(-12, 1))),
        member(business, 12, paid=tuple(range(-11, 1))),
        member(business, 3, state="ended", end_date=add_months(today_wib(), -2)),
        member(
            business,
            3,
            paid=(-3, -2),
            state="ended",
            end_date=add_months(today_wib(), -2) + timedelta(days=3),
        ),
    ]
    db.session.commit()
    today = today_wib()
    paid = payments_by_membership(m.id for m in cases)
    by_schedule = {m.id for m in cases if arrears_of(schedule(m, paid[m.id], today)).months}
    assert ids_in_arrears(owner, today) == by_schedule
    assert by_schedule  # the cases do include arrears
    # Around a due date too: before, on and after the 15th of next month.
    for day in (1, 14, 15, 16, 17, 20, 28):
        later = add_months(month_start(today), 1).replace(day=day)
        expected = {m.id for m in cases if arrears_of(schedule(m, paid[m.id], later)).months}
        assert ids_in_arrears(owner, later) == expected, later


def ids_in_arrears(owner, day) -> set[int]:
    return set(
        db.session.scalars(owner_arrears_statement(owner.id, day).with_only_columns(Membership.id))
    )


def test_owner_money_pages_run_a_fixed_number_of_queries(client, owner, count_queries):
    business = BusinessFactory(owner=owner)
    first = member(business, 3)
    db.session.commit()
    urls = ["/employer/arrears", "/employer/memberships", f"/employer/memberships/{first.id}"]

    def measure() -> dict[str, int]:
        counts = {}
        for url in urls:
            client.get(url)
            with count_queries() as q:
                assert client.get(url).status_code == 200
            counts[url] = q.count
        return counts

    small = measure()
    for n in range(8):
        member(BusinessFactory(owner=owner) if n % 2 else business, 3, paid=(-3,))
    db.session.commit()
    assert measure() == small
