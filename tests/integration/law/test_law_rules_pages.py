"""Issue 12 (the law as it stands in 2026): each rule through the pages that apply it.

Rule 1 Perpres 109/2013 art. 6, rule 2 PP 44/2015 annex I, rule 3 UU 24/2011 art. 15,
rule 5 PP 45/2015 art. 15, rule 8 (KPJ from BPJS), rule 10 PP 44/2015 jo. PP 82/2019.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Business, Employment, Membership, ProgrammeRequirement
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory, WorkerFactory, make_nik
from tests.factories_bpjs import EnrolmentRequestFactory, MembershipFactory
from tests.factories_employer import business_form


@pytest.fixture
def december_2026(clock):
    clock.now = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # 10:00 WIB
    return clock


def _employee(birth=date(1990, 5, 17), sex="L", serial=4321, **overrides):
    data = {
        "nik": make_nik(birth, sex, serial=serial),
        "full_name": "Ahmad Fauzi",
        "birth_date": birth.isoformat(),
        "sex": sex,
        "kelurahan_code": "61.72.01.1002",
        "occupation": "Juru masak",
        "category": "PU",
        "monthly_amount": "Rp 3.000.000",
        "start_date": "2026-12-01",
    }
    return data | overrides


def _owner_business(login_as, **kw) -> Business:
    owner = login_as("business_owner")
    business = BusinessFactory(owner=owner, **kw)
    db.session.commit()
    return business


def _add(client, business, **overrides):
    response = client.post(
        f"/employer/businesses/{business.id}/employees/new", data=_employee(**overrides)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response, db.session.scalar(select(Employment).order_by(Employment.id.desc()))


# --- Rule 1: programmes by scale (Perpres 109/2013 art. 6) ----------------------------------


def test_perpres_109_2013_micro_business_pays_16_200_for_a_3_million_worker(
    client, login_as, december_2026
):
    """Done-when: micro, risk class sangat rendah, Rp 3.000.000 → Rp 16.200/month."""
    business = _owner_business(login_as, scale="mikro", risk_class="sangat_rendah")
    form = client.get(f"/employer/businesses/{business.id}/employees/new").get_data(as_text=True)
    assert "Perpres 109/2013" in form and "JKK, JKM" in form
    response, employment = _add(client, business)
    assert not employment.with_jht and not employment.with_jp
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="contribution-total"' in page
    assert "Rp 16.200" in page and "Rp 277.200" not in page


def test_perpres_109_2013_voluntary_programmes_are_marked_voluntary(
    client, login_as, december_2026
):
    business = _owner_business(login_as, scale="mikro", risk_class="sangat_rendah")
    response, employment = _add(client, business, with_jht="y")
    assert employment.with_jht and not employment.with_jp
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    programmes = page.split('id="programmes"')[1].split("</dd>")[0]
    assert "JHT" in programmes and "sukarela" in programmes  # Indonesian by default
    # JKK 7.200 + JKM 9.000 + JHT 5.7% of 3.000.000 = 171.000 → Rp 187.200
    assert "Rp 187.200" in page


def test_perpres_109_2013_medium_business_december_2026_jp_is_332_589(
    client, login_as, december_2026
):
    """Done-when: a medium business's Rp 12.000.000 worker in December 2026 pays JP
    Rp 332.589 (3% of the 2026 ceiling Rp 11.086.300)."""
    business = _owner_business(login_as, scale="menengah", risk_class="sangat_rendah")
    response, employment = _add(client, business, monthly_amount="12.000.000")
    assert employment.with_jht and employment.with_jp
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rp 332.589" in page


def test_perpres_109_2013_required_programmes_are_dated_rows_with_their_source(client, login_as):
    login_as("admin")
    html = client.get("/admin/programmes/").get_data(as_text=True)
    assert "Perpres 109/2013 pasal 6" in html and "JKK JKM JHT JP" in html
    assert client.get("/admin/programmes/new/").status_code == 200
    # A typo in the codes is refused next to the field, nothing saved.
    response = client.post(
        "/admin/programmes/new/",
        data={
            "scale": "mikro",
            "effective_from": "2027-01-01",
            "programmes": "JKK JKP",
            "source": "x",
        },
    )
    assert "JKK JKM JHT JP" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProgrammeRequirement)) == 3
    rates = client.get("/admin/rates/?flt1_0=jp_pension_age").get_data(as_text=True)
    assert "PP 45/2015 pasal 15" in rates
    # A later row takes over from its date: the admin changes the law without a release.
    db.session.add(
        ProgrammeRequirement(
            scale="mikro",
            effective_from=date(2027, 1, 1),
            programmes="JKK JKM JHT",
            source="contoh perubahan",
        )
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ProgrammeRequirement)) == 4


# --- Rule 2: the JKK risk class is the business's (PP 44/2015 annex I) -----------------------


def test_pp_44_2015_risk_class_is_chosen_on_the_business_form(client, login_as):
    login_as("business_owner")
    data = {
        "nib": "1234567890123",
        "name": "Bengkel Las Maju",
        "sector_code": "services",
        "scale": "kecil",
        "kelurahan_code": "61.72.01.1001",
        "address": "Jl. Niaga 5",
        "phone": "081234567890",
    }
    response = client.post("/employer/businesses/new", data=data)
    assert response.status_code == 400
    assert 'id="risk_class-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Business.id)) is None
    response = client.post("/employer/businesses/new", data=data | {"risk_class": "sedang"})
    assert response.status_code == 302
    assert db.session.scalar(select(Business.risk_class)) == "sedang"


def test_pp_44_2015_no_enrolment_without_the_business_risk_class(client, login_as):
    business = _owner_business(login_as, risk_class=None)
    EmploymentFactory(business=business)
    db.session.commit()
    page = client.get(f"/employer/businesses/{business.id}").get_data(as_text=True)
    assert 'id="risk-class-missing"' in page and "JKK, JKM" in page
    response = client.post(
        f"/employer/businesses/{business.id}/enrolments",
        data={"submit_all": "1"},
        follow_redirects=True,
    )
    assert "PP 44/2015" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_pp_44_2015_bpjs_reviews_the_risk_class_and_running_dues_follow(client, login_as):
    request = EnrolmentRequestFactory()
    business = request.business
    running = MembershipFactory(business=business, start_date=date(2026, 11, 1))
    db.session.commit()
    officer = login_as("bpjs_officer")
    page = client.get(f"/bpjs/queue/{request.id}").get_data(as_text=True)
    assert 'id="risk-review"' in page
    response = client.post(
        f"/bpjs/queue/{request.id}/risk-class",
        data={"risk_class": "tinggi", "version": business.version},
    )
    assert response.status_code == 302
    db.session.refresh(business)
    db.session.refresh(running)
    assert business.risk_class == "tinggi" and business.risk_class_reviewed_by_id == officer.id
    assert running.risk_class == "tinggi"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "business.risk_class_reviewed")
    )
    assert "sangat_rendah" in event.summary and "tinggi" in event.summary
    # A stale form (the version moved) changes nothing.
    response = client.post(
        f"/bpjs/queue/{request.id}/risk-class", data={"risk_class": "rendah", "version": 1}
    )
    assert response.status_code == 400
    db.session.refresh(business)
    assert business.risk_class == "tinggi"


def test_pp_44_2015_after_bpjs_review_the_owner_cannot_change_the_class(client, login_as):
    business = _owner_business(
        login_as, risk_class="tinggi", risk_class_reviewed_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    response = client.post(
        f"/employer/businesses/{business.id}/edit",
        data=business_form(business, risk_class="sangat_rendah"),
    )
    assert response.status_code == 400
    assert 'id="risk_class-error"' in response.get_data(as_text=True)
    db.session.refresh(business)
    assert business.risk_class == "tinggi"


# --- Rule 3: no BPU for a business's own employees (UU 24/2011 art. 15) ----------------------


def test_uu_24_2011_art_15_bpjs_cannot_enrol_a_business_employee_as_bpu(client, login_as):
    request = EnrolmentRequestFactory(category="BPU", monthly_amount=1_000_000)
    db.session.commit()
    login_as("bpjs_officer")
    response = client.post(f"/bpjs/queue/{request.id}/enrol", data={"kpj": "26300000001"})
    assert response.status_code == 400
    assert "UU 24/2011" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


# --- Rule 5: JP age (PP 45/2015 art. 15) -----------------------------------------------------


@pytest.mark.parametrize(
    ("today", "with_jp"), [(date(2026, 12, 4), True), (date(2026, 12, 5), False)]
)
def test_pp_45_2015_art_15_no_new_jp_from_the_59th_birthday(
    client, login_as, clock, today, with_jp
):
    """Born 5 Dec 1967: 58 on 4 Dec 2026 (JP), 59 on 5 Dec 2026 (pension age 2025–2027)."""
    clock.now = datetime(today.year, today.month, today.day, 3, 0, tzinfo=UTC)
    business = _owner_business(login_as, scale="menengah", risk_class="sangat_rendah")
    form = client.get(f"/employer/businesses/{business.id}/employees/new").get_data(as_text=True)
    assert 'id="pension-age"' in form and ": 59 (PP 45/2015" in form
    response, employment = _add(client, business, birth=date(1967, 12, 5), start_date="2026-11-01")
    assert employment.with_jht and employment.with_jp is with_jp
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("usia pensiun" in page) is not with_jp


def test_pp_45_2015_bpjs_enrols_without_jp_once_the_worker_reached_the_pension_age(
    client, login_as, december_2026
):
    worker = WorkerFactory(birth_date=date(1967, 12, 5))
    employment = EmploymentFactory(
        worker=worker, business=BusinessFactory(scale="menengah"), with_jp=True
    )
    request = EnrolmentRequestFactory(employment=employment, with_jp=True)
    db.session.commit()
    login_as("bpjs_officer")
    response = client.post(f"/bpjs/queue/{request.id}/enrol", data={"kpj": "26300000002"})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership))
    assert membership.with_jht and not membership.with_jp
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.enrolled"))
    assert "PP 45/2015" in event.summary


# --- Rule 8: the KPJ comes from BPJS ---------------------------------------------------------


@pytest.mark.parametrize("kpj", ["", "2630000000", "263000000012", "2630000000x"])
def test_kpj_from_bpjs_needs_the_11_digits_bpjs_issued(client, login_as, kpj):
    request = EnrolmentRequestFactory()
    db.session.commit()
    login_as("bpjs_officer")
    response = client.post(f"/bpjs/queue/{request.id}/enrol", data={"kpj": kpj})
    assert response.status_code == 400
    assert 'id="kpj-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_kpj_from_bpjs_is_read_as_typed_and_a_duplicate_is_refused(client, login_as):
    first, second = EnrolmentRequestFactory(), EnrolmentRequestFactory()
    db.session.commit()
    login_as("bpjs_officer")
    response = client.post(f"/bpjs/queue/{first.id}/enrol", data={"kpj": "263 0000 0003"})
    assert response.status_code == 302
    assert db.session.scalar(select(Membership.kpj)) == "26300000003"
    response = client.post(f"/bpjs/queue/{second.id}/enrol", data={"kpj": "26300000003"})
    assert response.status_code == 400
    assert "26300000003" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_demo_kpjs_are_marked_as_demo(runner, client, login_as):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    memberships = db.session.scalars(select(Membership)).all()
    assert memberships and all(m.kpj_is_demo for m in memberships)
    login_as("bpjs_officer")
    page = client.get(f"/bpjs/memberships/{memberships[0].id}").get_data(as_text=True)
    assert 'id="demo-kpj"' in page and "bukan terbitan BPJS" in page
    real = MembershipFactory()
    db.session.commit()
    assert 'id="demo-kpj"' not in client.get(f"/bpjs/memberships/{real.id}").get_data(as_text=True)


# --- Rule 10: employer arrears are not the worker's lapse (PP 44/2015 jo. PP 82/2019) -------


def test_pp_82_2019_owner_and_bpjs_see_protection_and_employer_arrears_apart(
    client, login_as, auth, december_2026
):
    owner = UserFactory(role="business_owner")
    membership = MembershipFactory(
        business=BusinessFactory(owner=owner),
        start_date=date(2026, 1, 1),
    )
    membership.employment.business = membership.business
    db.session.commit()
    auth.login(owner)
    owner_page = client.get(f"/employer/memberships/{membership.id}").get_data(as_text=True)
    auth.logout()
    login_as("bpjs_officer")
    bpjs_page = client.get(f"/bpjs/memberships/{membership.id}").get_data(as_text=True)
    for page in (owner_page, bpjs_page):
        assert 'id="protection"' in page, page[-3000:]
        protection = page.split('id="protection"')[1].split("</dd>")[0]
        arrears = page.split('id="employer-arrears"')[1].split("</dd>")[0]
        assert "Terlindungi" in protection and "PP 82/2019" in protection
        assert "10 bulan" in arrears  # Jan–Oct 2026 past their due dates
