"""Rule 7 (PP 86/2013): a compliance case clears only when every worker it names is
registered and a fine, once imposed, is recorded as paid (amount, date, receipt)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, ComplianceCase, ComplianceCaseWorker
from tests.factories import BusinessFactory, UserFactory, WorkerFactory, make_nik
from tests.factories_trade import ComplianceCaseFactory, MembershipFactory, PaymentFactory

NIK_A = make_nik(date(1990, 5, 17), "L", serial=101)
NIK_B = make_nik(date(1992, 8, 1), "P", serial=102)


@pytest.fixture
def bpjs(client, auth):
    user = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(user)
    return user


def _post(client, case, step, **data):
    db.session.refresh(case)
    return client.post(
        f"/bpjs/compliance/{case.id}/{step}",
        data={"version": case.version, "confirmed": "yes", **data},
    )


def _case(**kwargs) -> ComplianceCase:
    case = ComplianceCaseFactory(**kwargs)
    for nik in (NIK_A, NIK_B):
        case.named_workers.append(ComplianceCaseWorker(nik=nik))
    return case


def _register(case, nik, business=None, state="active"):
    worker = WorkerFactory(nik=nik)
    membership = MembershipFactory(worker=worker, business=business or case.business, state=state)
    PaymentFactory(membership=membership, paid_on=date(2026, 3, 15))
    return membership


def test_sp1_names_the_workers_typed_as_clerks_type_them(client, bpjs):
    business = BusinessFactory()
    db.session.commit()
    typed = f"{NIK_A[:4]} {NIK_A[4:8]} {NIK_A[8:12]} {NIK_A[12:]}\n{NIK_B[:6]}.{NIK_B[6:]}\n\n"
    response = client.post(
        "/bpjs/compliance/new",
        data={
            "confirmed": "yes",
            "nib": business.nib,
            "finding": "2 pekerja tidak didaftarkan",
            "worker_niks": typed,
            "issued_on": "02-02-2026",
        },
    )
    assert response.status_code == 302
    case = db.session.scalar(select(ComplianceCase))
    assert [w.nik for w in case.named_workers] == [NIK_A, NIK_B]


@pytest.mark.parametrize("bad", [NIK_A + "1", "6172", "9712011705900001"])
def test_sp1_refuses_a_nik_that_is_not_one(client, bpjs, bad):
    business = BusinessFactory()
    db.session.commit()
    response = client.post(
        "/bpjs/compliance/new",
        data={"nib": business.nib, "finding": "x", "worker_niks": bad, "issued_on": "02-02-2026"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="worker_niks-error"' in html and bad in html
    assert db.session.scalar(select(ComplianceCase)) is None


def test_sp1_must_name_a_worker(client, bpjs):
    business = BusinessFactory()
    db.session.commit()
    response = client.post(
        "/bpjs/compliance/new",
        data={"nib": business.nib, "finding": "x", "worker_niks": "", "issued_on": "02-02-2026"},
    )
    assert response.status_code == 400
    assert 'id="worker_niks-error"' in response.get_data(as_text=True)


def test_one_registered_worker_of_two_named_does_not_clear(client, bpjs):
    case = _case()
    _register(case, NIK_A)
    db.session.commit()
    response = _post(client, case, "clear", note="Sudah daftar")
    assert response.status_code == 400
    assert "1 dari pekerja" in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.is_open


def test_a_named_worker_registered_elsewhere_does_not_count(client, bpjs):
    case = _case()
    _register(case, NIK_A)
    _register(case, NIK_B, business=BusinessFactory())
    db.session.commit()
    assert _post(client, case, "clear", note="x").status_code == 400


def test_every_named_worker_registered_clears_an_unfined_case(client, bpjs):
    case = _case()
    _register(case, NIK_A)
    _register(case, NIK_B)
    db.session.commit()
    page = client.get(f"/bpjs/compliance/{case.id}").get_data(as_text=True)
    assert 'id="gaps-none"' in page
    assert _post(client, case, "clear", note="Semua terdaftar").status_code == 302
    db.session.refresh(case)
    assert case.is_cleared


def _fined_case():
    case = _case(
        state="fined",
        sp2_issued_on=date(2026, 2, 17),
        sp2_due=date(2026, 3, 3),
        contributions_due=9_000_000,
        fine_days=15,
        fine_amount=4_500,
        fined_on=date(2026, 3, 18),
    )
    _register(case, NIK_A)
    _register(case, NIK_B)
    return case


def test_a_fined_case_with_everyone_registered_stays_open_until_the_fine_is_paid(client, bpjs):
    case = _fined_case()
    db.session.commit()
    response = _post(client, case, "clear", note="x")
    assert response.status_code == 400
    assert "Denda belum tercatat lunas." in response.get_data(as_text=True)
    paid = {"amount": "Rp 4.500", "paid_on": "20-03-2026", "receipt_no": "KW-0042"}
    assert _post(client, case, "fine-paid", **paid).status_code == 302
    db.session.refresh(case)
    assert (case.fine_paid_amount, case.fine_paid_on, case.fine_receipt_no) == (
        4_500,
        date(2026, 3, 20),
        "KW-0042",
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "compliance.fine_paid"))
    assert _post(client, case, "clear", note="Lunas").status_code == 302
    db.session.refresh(case)
    assert case.is_cleared


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", "4.499"),
        ("amount", "abc"),
        ("paid_on", "17-03-2026"),  # before the fine
        ("paid_on", "31-02-2026"),
        ("receipt_no", ""),
    ],
)
def test_a_fine_payment_that_does_not_add_up_is_refused_next_to_its_field(
    client, bpjs, field, value
):
    case = _fined_case()
    db.session.commit()
    paid = {"amount": "4.500", "paid_on": "20-03-2026", "receipt_no": "KW-0042", field: value}
    response = _post(client, case, "fine-paid", **paid)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    db.session.refresh(case)
    assert case.fine_paid_on is None


def test_case_page_runs_a_fixed_number_of_queries(client, bpjs, count_queries):
    case = _fined_case()
    db.session.commit()
    with count_queries() as few:
        client.get(f"/bpjs/compliance/{case.id}")
    for n in range(5):
        nik = make_nik(date(1991, 1, 1 + n), "L", serial=200 + n)
        case.named_workers.append(ComplianceCaseWorker(nik=nik))
    db.session.commit()
    with count_queries() as many:
        client.get(f"/bpjs/compliance/{case.id}")
    assert many.count == few.count
