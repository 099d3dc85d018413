"""Adding, correcting and ending employees: NIK rules, linking, isolation, audit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Employment, Membership, Worker
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory, make_nik
from tests.factories_employer import EnrolmentRequestFactory, MembershipFactory

BIRTH = date(1990, 5, 17)
CONFIRMED = {"confirmed": "yes"}


def employee_data(**overrides):
    data = {
        "nik": make_nik(BIRTH, "L", serial=4321),
        "full_name": "Ahmad Fauzi",
        "birth_date": "1990-05-17",
        "sex": "L",
        "phone": "081298765432",
        "kelurahan_code": "61.72.01.1002",
        "occupation": "Juru masak",
        "category": "PU",
        "monthly_amount": "Rp 5.000.000",
        "start_date": "2026-01-05",
    }
    data.update(overrides)
    return data


def post_employee(client, business, **overrides):
    return client.post(
        f"/employer/businesses/{business.id}/employees/new", data=employee_data(**overrides)
    )


def test_owner_adds_a_wage_earner_with_all_programmes(client, business):
    response = post_employee(client, business)
    assert response.status_code == 302
    employment = db.session.scalar(select(Employment))
    assert employment.monthly_amount == 5_000_000
    assert employment.with_jht and employment.with_jp
    assert employment.worker.nik == make_nik(BIRTH, "L", serial=4321)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # DOMAIN.md worked example: PU Rp 5,000,000, sangat rendah → Rp 462.000 a month.
    assert "Rp 462.000" in page
    assert "Rp 312.000" in page and "Rp 150.000" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"worker.created", "employment.created"} <= actions


def test_uu_24_2011_art_15_an_owner_cannot_register_his_employee_as_bpu(client, business):
    """UU 24/2011 art. 15: the employer registers its workers as wage earners; the self-paid
    (BPU) scheme is not for a registered business's own employees. Input kept, nothing saved."""
    response = post_employee(client, business, category="BPU", monthly_amount="1500000")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="category-error"' in html and "UU 24/2011" in html
    assert "Ahmad Fauzi" in html
    assert db.session.scalar(select(func.count(Worker.id))) == 0


def test_birth_date_that_disagrees_with_nik_says_which_part(client, business):
    response = post_employee(client, business, birth_date="1990-06-17")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="birth_date-error"' in html
    assert "17-05-90" in html  # the NIK's digits shown so the owner sees the disagreement
    assert "Ahmad Fauzi" in html  # input kept


def test_sex_that_disagrees_with_nik_is_flagged_on_the_sex_field(client, business):
    response = post_employee(client, business, sex="P")
    assert response.status_code == 400
    assert 'id="sex-error"' in response.get_data(as_text=True)


def test_invalid_nik_shapes_are_explained(client, business):
    cases = {
        "123": "nik-error",
        "9972011705900001": "nik-error",  # unknown province
        "6172011705900000": "nik-error",  # serial 0000
        "6172013205900001": "nik-error",  # day 32
    }
    for nik, marker in cases.items():
        response = post_employee(client, business, nik=nik)
        assert response.status_code == 400, nik
        assert f'id="{marker}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Employment.id))) == 0


def test_missing_fields_and_bad_amount_never_cause_a_500(client, business):
    response = client.post(
        f"/employer/businesses/{business.id}/employees/new",
        data={"nik": "", "monthly_amount": "lima juta", "birth_date": "kemarin"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("nik", "full_name", "birth_date", "monthly_amount", "start_date"):
        assert f'id="{field}-error"' in html


def test_existing_nik_links_the_same_worker_without_duplicating(client, owner, business):
    other_business = BusinessFactory(owner=UserFactory())
    worker = Worker(
        nik=make_nik(BIRTH, "L", serial=4321), full_name="Ahmad F.", birth_date=BIRTH, sex="L"
    )
    db.session.add(worker)
    db.session.flush()
    EmploymentFactory(
        business=other_business, worker=worker, full_name="Ahmad Rahasia", occupation="Satpam"
    )
    db.session.commit()
    response = post_employee(client, business)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Worker.id))) == 1
    mine = db.session.scalar(select(Employment).where(Employment.business_id == business.id))
    assert mine.worker_id == worker.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ahmad Fauzi" in page
    assert "Ahmad Rahasia" not in page and "Satpam" not in page


def test_same_nik_twice_in_one_business_is_refused(client, business):
    assert post_employee(client, business).status_code == 302
    response = post_employee(client, business)
    assert response.status_code == 400
    assert 'id="nik-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Employment.id))) == 1


def test_owner_edits_wage_and_the_change_is_audited(client, business):
    employment = EmploymentFactory(business=business)
    db.session.commit()
    data = employee_data(monthly_amount="4000000", version=employment.version)
    response = client.post(f"/employer/employees/{employment.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(employment)
    assert employment.monthly_amount == 4_000_000
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employment.updated"))
    assert "4000000" in event.summary


def test_stale_edit_is_refused(client, business):
    employment = EmploymentFactory(business=business)
    db.session.commit()
    data = employee_data(version=employment.version + 1)
    response = client.post(f"/employer/employees/{employment.id}/edit", data=data)
    assert response.status_code == 400


def test_ending_employment_ends_its_membership(client, business):
    employment = EmploymentFactory(business=business)
    membership = MembershipFactory(employment=employment)
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/end",
        data={"end_date": "2026-03-31", "reason": "Mengundurkan diri", "version": 1, **CONFIRMED},
    )
    assert response.status_code == 302
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert employment.end_date == date(2026, 3, 31)
    assert membership.state == "ended" and membership.end_date == date(2026, 3, 31)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"employment.ended", "membership.ended"} <= actions


def test_ending_employment_withdraws_its_open_enrolment_request(client, business):
    employment = EmploymentFactory(business=business)
    open_request = EnrolmentRequestFactory(employment=employment, state="in_review")
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/end",
        data={"end_date": "2026-03-31", "reason": "Kontrak selesai", "version": 1, **CONFIRMED},
    )
    assert response.status_code == 302
    db.session.refresh(open_request)
    assert open_request.state == "withdrawn" and open_request.assignee_id is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.withdrawn"))
    assert event is not None and event.record_id == str(open_request.id)
    page = client.get("/employer/enrolments?state=withdrawn").get_data(as_text=True)
    assert "Ditarik" in page and employment.full_name in page


def test_end_date_before_start_is_refused_next_to_the_field(client, business):
    employment = EmploymentFactory(business=business, start_date=date(2026, 1, 1))
    db.session.commit()
    response = client.post(
        f"/employer/employees/{employment.id}/end",
        data={"end_date": "2025-12-31", "version": 1, **CONFIRMED},
    )
    assert response.status_code == 400
    assert 'id="end_date-error"' in response.get_data(as_text=True)
    db.session.refresh(employment)
    assert employment.end_date is None


def test_owner_guessing_another_business_worker_gets_404(client, owner):
    foreign = EmploymentFactory(business=BusinessFactory(owner=UserFactory()))
    db.session.commit()
    eid = foreign.id
    assert client.get(f"/employer/employees/{eid}").status_code == 404
    assert client.get(f"/employer/employees/{eid}/edit").status_code == 404
    assert (
        client.post(f"/employer/employees/{eid}/end", data={"end_date": "2026-03-01"}).status_code
        == 404
    )
    bid = foreign.business_id
    assert client.get(f"/employer/businesses/{bid}/employees/new").status_code == 404
    assert client.get(f"/employer/businesses/{bid}/employees.csv").status_code == 404


def test_export_lists_only_this_business_and_escapes_formulas(client, business):
    EmploymentFactory(business=business, full_name="=HYPERLINK(1)")
    EmploymentFactory(business=BusinessFactory(owner=UserFactory()), full_name="Orang Lain")
    db.session.commit()
    response = client.get(f"/employer/businesses/{business.id}/employees.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text
    assert "Orang Lain" not in text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employees.exported"))


def test_membership_count_untouched_when_ending_fails(client, business):
    employment = EmploymentFactory(business=business)
    MembershipFactory(employment=employment)
    db.session.commit()
    client.post(f"/employer/employees/{employment.id}/end", data={"end_date": "", "version": 1})
    assert db.session.scalar(select(func.count()).where(Membership.state == "active")) == 1


def test_errors_are_indonesian_by_default_and_english_when_chosen(client, business):
    html = post_employee(client, business, birth_date="1990-06-17").get_data(as_text=True)
    assert "Tanggal lahir tidak cocok dengan NIK" in html
    client.post("/language/en", data={"next": "/"})
    html = post_employee(client, business, birth_date="1990-06-17").get_data(as_text=True)
    assert "The birth date does not match the NIK" in html
