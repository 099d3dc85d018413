"""Employer compliance (PP 86/2013): BPJS's steps, the trade office's withholding and lifting,
and what the owner sees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import ComplianceCase
from portal.services.compliance.cases import compute_fine
from tests.factories import BusinessFactory, UserFactory, make_nik
from tests.factories_trade import ComplianceCaseFactory, MembershipFactory, PaymentFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


def _post(client, case, step, **data):
    db.session.refresh(case)
    return client.post(
        f"/bpjs/compliance/{case.id}/{step}",
        data={"version": case.version, "confirmed": "yes", **data},
    )


def _trade_post(client, case, step, **data):
    db.session.refresh(case)
    return client.post(
        f"/disperindagkop/compliance/{case.id}/{step}",
        data={"version": case.version, "confirmed": "yes", **data},
    )


@pytest.mark.parametrize(
    ("due", "days", "expected"),
    [
        (10_000_000, 30, 10_000),  # 0.1% of the contributions due for a full month
        (10_000_000, 45, 10_000),  # never more than 30 days
        (10_000_000, 15, 5_000),
        (1_000_000, 1, 33),  # 33.33 → 33
        (1_500_000, 1, 50),  # exactly 50
        (1_000_000, 0, 0),
    ],
)
def test_fine_is_point_one_percent_per_month_for_at_most_thirty_days(due, days, expected):
    assert compute_fine(due, days) == expected


def test_bpjs_issues_sp1_with_a_ten_working_day_deadline(client, bpjs_officer, audit_actions):
    business = BusinessFactory()
    db.session.commit()
    response = client.post(
        "/bpjs/compliance/new",
        data={
            "confirmed": "yes",
            "nib": business.nib,
            "finding": "6 pekerja tidak didaftarkan",
            "worker_niks": make_nik(),
            "issued_on": "2026-02-02",
        },
    )
    assert response.status_code == 302
    case = db.session.scalar(select(ComplianceCase))
    assert case.state == "warning_1"
    # Mon 2 Feb + 10 working days: Mon 16 Feb is joint leave (cuti bersama) and Tue 17 Feb
    # Chinese New Year, so the tenth working day is Wed 18 Feb.
    assert case.sp1_due == date(2026, 2, 18)
    assert "compliance.sp1" in audit_actions()


def test_a_second_open_case_for_the_same_business_is_refused(client, bpjs_officer):
    case = ComplianceCaseFactory()
    db.session.commit()
    response = client.post(
        "/bpjs/compliance/new",
        data={
            "confirmed": "yes",
            "nib": case.business.nib,
            "finding": "lagi",
            "issued_on": "2026-02-02",
        },
    )
    assert response.status_code == 400


def test_unknown_nib_is_refused_next_to_the_field(client, bpjs_officer):
    response = client.post(
        "/bpjs/compliance/new",
        data={
            "confirmed": "yes",
            "nib": "9999999999999",
            "finding": "x",
            "issued_on": "2026-02-02",
        },
    )
    assert response.status_code == 400
    assert "9999999999999" in _text(response)


def test_sp2_before_the_sp1_deadline_is_refused(client, bpjs_officer):
    case = ComplianceCaseFactory()  # SP1 due 16 Feb 2026
    db.session.commit()
    response = _post(client, case, "sp2", issued_on="2026-02-16")
    assert response.status_code == 400
    db.session.refresh(case)
    assert case.state == "warning_1"


def test_full_sequence_sp1_sp2_fine_request_withhold_lift(client, auth, audit_actions):
    bpjs = UserFactory(role="bpjs_officer")
    trade = UserFactory(role="trade_officer")
    case = ComplianceCaseFactory()
    db.session.commit()
    auth.login(bpjs)
    assert _post(client, case, "sp2", issued_on="2026-02-17").status_code == 302
    db.session.refresh(case)
    assert case.sp2_due == date(2026, 3, 3)
    # Fine before the SP2 deadline is out of order.
    assert (
        _post(client, case, "fine", contributions_due="9000000", fined_on="2026-03-03").status_code
        == 400
    )
    assert (
        _post(client, case, "fine", contributions_due="9000000", fined_on="2026-03-18").status_code
        == 302
    )
    db.session.refresh(case)
    assert (case.state, case.fine_days, case.fine_amount) == ("fined", 15, 4_500)
    # The trade office cannot withhold before BPJS asks.
    auth.logout()
    auth.login(trade)
    response = _trade_post(
        client, case, "withhold", services=["business_permit"], withheld_on="2026-03-20"
    )
    assert response.status_code == 400
    auth.logout()
    auth.login(bpjs)
    assert (
        _post(
            client, case, "request-withholding", services=["business_permit", "tender_permit"]
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.requested_services == "business_permit,tender_permit"
    auth.logout()
    auth.login(trade)
    action_list = _text(client.get("/disperindagkop/compliance"))
    assert case.business.name in action_list
    response = _trade_post(
        client,
        case,
        "withhold",
        services=["business_permit"],
        withheld_on=today_wib().isoformat(),
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == "services_withheld"
    assert case.withheld_by_id == trade.id
    # Lifting needs registration and payment.
    response = _trade_post(client, case, "lift", note="Sudah bayar")
    assert response.status_code == 400
    membership = MembershipFactory(business=case.business)
    PaymentFactory(membership=membership, paid_on=date(2026, 3, 25))
    db.session.commit()
    # Registered and paid, but the fine is not recorded as paid yet (PP 86/2013, rule 7).
    assert _trade_post(client, case, "lift", note="Terdaftar").status_code == 400
    auth.logout()
    auth.login(bpjs)
    paid = {"amount": "Rp 4.500", "paid_on": "25-03-2026", "receipt_no": "KW-2026-0042"}
    assert _post(client, case, "fine-paid", **paid).status_code == 302
    auth.logout()
    auth.login(trade)
    assert _trade_post(client, case, "lift", note="Terdaftar dan lunas").status_code == 302
    db.session.refresh(case)
    assert case.state == "cleared"
    assert case.cleared_by_id == trade.id
    actions = audit_actions()
    for action in (
        "compliance.sp2",
        "compliance.fined",
        "compliance.withholding_requested",
        "compliance.services_withheld",
        "compliance.cleared",
    ):
        assert action in actions


def test_bpjs_cannot_lift_withheld_services(client, bpjs_officer):
    case = ComplianceCaseFactory(
        state="services_withheld", withholding_requested_on=date(2026, 3, 1)
    )
    PaymentFactory(membership=MembershipFactory(business=case.business))
    db.session.commit()
    assert _post(client, case, "clear", note="x").status_code == 400


def test_bpjs_clears_a_case_once_the_employer_registered_and_paid(client, bpjs_officer):
    case = ComplianceCaseFactory()
    db.session.commit()
    assert _post(client, case, "clear", note="x").status_code == 400
    PaymentFactory(membership=MembershipFactory(business=case.business), paid_on=date(2026, 2, 10))
    db.session.commit()
    assert _post(client, case, "clear", note="Sudah daftar").status_code == 302
    db.session.refresh(case)
    assert case.state == "cleared"


def test_a_payment_before_sp1_does_not_clear(client, bpjs_officer):
    case = ComplianceCaseFactory()
    PaymentFactory(membership=MembershipFactory(business=case.business), paid_on=date(2026, 1, 10))
    db.session.commit()
    assert _post(client, case, "clear", note="x").status_code == 400


def test_steps_cannot_be_skipped(client, bpjs_officer):
    case = ComplianceCaseFactory()
    db.session.commit()
    assert (
        _post(client, case, "fine", contributions_due="100", fined_on="2026-03-18").status_code
        == 400
    )
    assert (
        _post(client, case, "request-withholding", services=["business_permit"]).status_code == 400
    )
    db.session.refresh(case)
    assert case.state == "warning_1"


def test_a_stale_form_changes_nothing(client, bpjs_officer):
    case = ComplianceCaseFactory()
    db.session.commit()
    response = client.post(
        f"/bpjs/compliance/{case.id}/sp2",
        data={"version": case.version + 1, "issued_on": "2026-02-17", "confirmed": "yes"},
    )
    assert response.status_code == 400
    db.session.refresh(case)
    assert case.state == "warning_1"


def test_owner_sees_own_compliance_state_and_what_to_do(client, login_as):
    owner = login_as("business_owner")
    mine = ComplianceCaseFactory(
        business=BusinessFactory(owner=owner, name="Usaha Saya"), state="fined", fine_amount=4500
    )
    ComplianceCaseFactory(business=BusinessFactory(name="Usaha Orang Lain"))
    db.session.commit()
    page = _text(client.get("/employer/compliance"))
    assert "Usaha Saya" in page
    assert "Usaha Orang Lain" not in page
    assert mine.finding in page
    assert "BPJS" in page  # the instructions name where to register and pay
    assert "Bayar denda" in page  # the fine is part of what to do


def test_owner_is_told_the_current_deadline(client, login_as):
    owner = login_as("business_owner")
    ComplianceCaseFactory(business=BusinessFactory(owner=owner))  # SP1 due 16 Feb 2026
    db.session.commit()
    page = _text(client.get("/employer/compliance"))
    assert "paling lambat 16 Feb 2026" in page


@pytest.mark.parametrize("role", ["business_owner", "labour_officer", "trade_officer"])
def test_only_bpjs_records_warnings(client, login_as, role):
    login_as(role)
    case = ComplianceCaseFactory()
    db.session.commit()
    assert _post(client, case, "sp2", issued_on="2026-02-17").status_code == 403


def test_bpjs_cannot_record_withholding(client, bpjs_officer):
    case = ComplianceCaseFactory(state="fined", withholding_requested_on=date(2026, 3, 1))
    db.session.commit()
    response = _trade_post(
        client, case, "withhold", services=["business_permit"], withheld_on="2026-03-02"
    )
    assert response.status_code == 403


def test_compliance_lists_run_a_fixed_number_of_queries(client, officer, count_queries):
    def measure() -> int:
        with count_queries() as q:
            assert client.get("/disperindagkop/compliance?view=all").status_code == 200
        return q.count

    ComplianceCaseFactory()
    db.session.commit()
    small = measure()
    ComplianceCaseFactory.create_batch(10)
    db.session.commit()
    assert measure() == small
