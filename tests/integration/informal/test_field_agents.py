"""Field agents: created by BPJS and attached to kelurahan, register people one after another
with the shared fields kept, consent, duplicates named at once, their own people only, cash
recorded once per receipt and confirmed by BPJS, and the monthly report with the fee."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AgentArea, CashCollection, ContributionPayment, EnrolmentRequest, User
from portal.services.enrolment.queue import enrol
from tests.factories import EmploymentFactory, UserFactory, WorkerFactory, make_nik
from tests.factories_informal import AgentAreaFactory, OwnMembershipFactory

KELURAHAN = "61.72.01.1001"
OTHER_KELURAHAN = "61.72.02.1001"


def person(nik: str, name: str, **overrides) -> dict:
    data = {
        "nik": nik,
        "full_name": name,
        "birth_date": "17-05-1990",
        "sex": "L",
        "phone": "081234567890",
        "kelurahan_code": KELURAHAN,
        "occupation_code": "pedagang_pasar",
        "monthly_income": "1000000",
        "consent": "y",
        "consent_name": name,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _login_agent(client, auth, **kwargs):
    area = AgentAreaFactory(**kwargs)
    db.session.commit()
    response = auth.login(area.agent)
    assert response.status_code == 302
    return area.agent


def _requests() -> int:
    return db.session.scalar(select(func.count(EnrolmentRequest.id)))


def test_bpjs_creates_an_agent_attached_to_kelurahan(client, login_as):
    login_as("bpjs_officer")
    response = client.post(
        "/bpjs/agents?lang=en",
        data={
            "name": "Siti Perisai",
            "email": "siti.perisai@example.id",
            "phone": "0812 1111 2222",
            "password": "Kelurahan-Kuat-2026",
            "kelurahan": [KELURAHAN, OTHER_KELURAHAN],
        },
    )
    assert response.status_code == 302
    agent = db.session.scalar(select(User).where(User.email == "siti.perisai@example.id"))
    assert agent.role == "field_agent"
    codes = set(
        db.session.scalars(select(AgentArea.kelurahan_code).where(AgentArea.agent_id == agent.id))
    )
    assert codes == {KELURAHAN, OTHER_KELURAHAN}
    missing = client.post(
        "/bpjs/agents?lang=en",
        data={"name": "X", "email": "x@example.id", "password": "Kelurahan-Kuat-2026"},
    )
    assert missing.status_code == 400 and "Choose at least one kelurahan" in missing.get_data(
        as_text=True
    )


def test_agent_registers_three_people_in_one_sitting_with_shared_fields_kept(client, auth):
    agent = _login_agent(client, auth)
    names = ["Budi Pasar", "Citra Pasar", "Dedi Pasar"]
    for serial, name in enumerate(names, start=1):
        response = client.post(
            "/agent/register",
            data=person(
                make_nik(date(1990, 5, 17), "L", serial=900 + serial),
                name,
                occupation_code="nelayan",
                with_jht="y",
            ),
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        # The next form starts with the shared fields.
        page = client.get("/agent/register").get_data(as_text=True)
        assert f'value="{KELURAHAN}" selected' in page or f'selected value="{KELURAHAN}"' in page
        assert 'value="nelayan" selected' in page or 'selected value="nelayan"' in page
    summary = client.get("/agent/sitting?lang=en").get_data(as_text=True)
    assert 'data-saved-count="3"' in summary and all(n in summary for n in names)
    rows = list(db.session.scalars(select(EnrolmentRequest)))
    assert len(rows) == 3
    assert {r.channel for r in rows} == {"field_agent"}
    assert {r.registered_by_id for r in rows} == {agent.id}
    assert {r.monthly_contribution for r in rows} == {36_800}
    assert {r.consent_name for r in rows} == set(names)


def test_consent_is_required_by_name_or_photo(client, auth):
    _login_agent(client, auth)
    nik = make_nik(date(1990, 5, 17), "L")
    none = client.post("/agent/register?lang=en", data=person(nik, "Eka", consent=None))
    assert "Tick the consent" in none.get_data(as_text=True)
    wrong = client.post("/agent/register?lang=en", data=person(nik, "Eka", consent_name="Ika"))
    assert "exactly as in the form" in wrong.get_data(as_text=True)
    assert _requests() == 0
    import io

    photo = client.post(
        "/agent/register",
        data={
            **person(nik, "Eka", consent=None, consent_name=""),
            "consent_photo": (io.BytesIO(b"\xff\xd8jpeg"), "c.jpg", "image/jpeg"),
        },
        content_type="multipart/form-data",
    )
    assert photo.status_code == 302
    request = db.session.scalar(select(EnrolmentRequest))
    assert request.consent_photo == b"\xff\xd8jpeg"


def test_agent_outside_his_kelurahan_is_refused(client, auth):
    _login_agent(client, auth)
    response = client.post(
        "/agent/register?lang=en",
        data=person(make_nik(date(1990, 5, 17), "L"), "Fajar", kelurahan_code=OTHER_KELURAHAN),
    )
    assert response.status_code == 400
    assert _requests() == 0


def test_duplicates_are_named_at_once_and_never_saved_twice(client, auth):
    agent = _login_agent(client, auth)
    other_agent = AgentAreaFactory().agent
    pending_nik = make_nik(date(1990, 5, 17), "L", serial=501)
    client.post("/agent/register", data=person(pending_nik, "Gani"))
    db.session.commit()
    member = OwnMembershipFactory(
        worker=WorkerFactory(birth_date=date(1990, 5, 17), category="BPU")
    )
    employee = EmploymentFactory(worker=WorkerFactory(birth_date=date(1990, 5, 17)))
    db.session.commit()
    member_nik, employee_nik = member.worker.nik, employee.worker.nik
    business = employee.business.name
    again = client.post("/agent/register?lang=en", data=person(member_nik, "Hadi"))
    assert "already a BPJS Ketenagakerjaan member" in again.get_data(as_text=True)
    covered = client.post("/agent/register?lang=en", data=person(employee_nik, "Indra"))
    assert business in covered.get_data(as_text=True)
    # Another agent tries the pending NIK.
    client.post("/auth/logout")
    auth.login(other_agent)
    taken = client.post("/agent/register?lang=en", data=person(pending_nik, "Gani"))
    assert "registered by another agent" in taken.get_data(as_text=True)
    assert _requests() == 1
    assert agent.id


def test_agent_sees_only_his_own_people_and_who_is_due(client, auth, clock):
    clock.now = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
    agent = _login_agent(client, auth)
    client.post("/agent/register", data=person(make_nik(date(1990, 5, 17), "L"), "Joko Sendiri"))
    request_id = db.session.scalar(select(EnrolmentRequest.id))
    enrol(request_id, UserFactory(role="bpjs_officer"), "26000009002")
    other = OwnMembershipFactory()
    db.session.commit()
    page = client.get("/agent/?lang=en").get_data(as_text=True)
    assert "Joko Sendiri" in page and other.worker.full_name not in page
    assert "data-due" in page  # March's dues are not paid yet
    assert agent.id


def _agent_member(client, auth, clock):
    clock.now = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
    agent = _login_agent(client, auth)
    client.post("/agent/register", data=person(make_nik(date(1990, 5, 17), "L"), "Kiki"))
    membership = enrol(
        db.session.scalar(select(EnrolmentRequest.id)),
        UserFactory(role="bpjs_officer"),
        "26000009003",
    )
    db.session.commit()
    return agent, membership


def test_cash_is_recorded_once_per_receipt_then_confirmed_by_bpjs(client, auth, clock):
    agent, membership = _agent_member(client, auth, clock)
    cash = {
        "membership_id": membership.id,
        "receipt_no": "KW-001",
        "amount": "33.600",
        "first_period": "03-2026",
        "months": "2",
    }
    assert client.post("/agent/cash", data=cash).status_code == 302
    twice = client.post("/agent/cash?lang=en", data=cash)
    assert twice.status_code == 400 and "already recorded" in twice.get_data(as_text=True)
    short = client.post(
        "/agent/cash?lang=en", data={**cash, "receipt_no": "KW-002", "amount": "16800"}
    )
    assert "Rp 33.600" in short.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CashCollection.id))) == 1
    # Outside his people: not found.
    other = OwnMembershipFactory()
    db.session.commit()
    assert client.post(
        "/agent/cash", data={**cash, "membership_id": other.id, "receipt_no": "KW-9"}
    ).status_code in (400, 404)
    client.post("/auth/logout")
    officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(officer)
    collection_id = db.session.scalar(select(CashCollection.id))
    assert (
        client.post(
            "/bpjs/agent-cash", data={"collection_id": collection_id, "action": "confirm"}
        ).status_code
        == 302
    )
    periods = set(
        db.session.scalars(
            select(ContributionPayment.period).where(
                ContributionPayment.membership_id == membership.id
            )
        )
    )
    assert periods == {"2026-03", "2026-04"}
    # A second confirmation pays nothing twice.
    client.post("/bpjs/agent-cash", data={"collection_id": collection_id, "action": "confirm"})
    assert db.session.scalar(select(func.count(ContributionPayment.id))) == 2
    assert agent.id


def test_monthly_report_counts_people_collections_and_the_fee_from_settings(client, auth, clock):
    agent, membership = _agent_member(client, auth, clock)
    client.post(
        "/agent/cash",
        data={
            "membership_id": membership.id,
            "receipt_no": "KW-010",
            "amount": "16800",
            "first_period": "03-2026",
            "months": "1",
        },
    )
    collection = db.session.scalar(select(CashCollection))
    from portal.services.informal.collections import confirm_collection

    confirm_collection(collection.id, UserFactory(role="bpjs_officer"))
    db.session.commit()
    html = client.get("/agent/report?month=2026-03&lang=en").get_data(as_text=True)
    assert "data-registered>1<" in html and "data-active>1<" in html
    assert "Rp 16.800" in html and "Rp 840" in html  # 5% fee
    assert agent.id


def test_agent_pages_run_a_fixed_number_of_queries(client, auth, count_queries, clock):
    clock.now = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
    agent = _login_agent(client, auth)
    officer = UserFactory(role="bpjs_officer")
    client.post(
        "/agent/register", data=person(make_nik(date(1990, 5, 17), "L", serial=301), "Satu")
    )
    enrol(db.session.scalar(select(EnrolmentRequest.id)), officer, "26000009004")
    db.session.commit()
    counts = {}
    for url in ("/agent/", "/agent/cash", "/agent/report", "/agent/sitting"):
        client.get(url)
        with count_queries() as q:
            client.get(url)
        counts[url] = q.count
    for serial in range(302, 308):
        client.post(
            "/agent/register",
            data=person(make_nik(date(1990, 5, 17), "L", serial=serial), f"Orang {serial}"),
        )
    for request_id in db.session.scalars(
        select(EnrolmentRequest.id).where(EnrolmentRequest.state == "submitted")
    ):
        enrol(request_id, officer, f"2600001{request_id:04d}")
    db.session.commit()
    for url, few in counts.items():
        with count_queries() as q:
            client.get(url)
        assert q.count == few, url
    assert agent.id


def test_bpjs_sees_the_consent_photo_and_others_do_not(client, auth, login_as):
    import io

    _login_agent(client, auth)
    client.post(
        "/agent/register",
        data={
            **person(make_nik(date(1990, 5, 17), "L"), "Eka", consent=None, consent_name=""),
            "consent_photo": (io.BytesIO(b"\\x89PNGdemo"), "c.png", "image/png"),
        },
        content_type="multipart/form-data",
    )
    request_id = db.session.scalar(select(EnrolmentRequest.id))
    assert client.get(f"/bpjs/consent/{request_id}").status_code == 403
    client.post("/auth/logout")
    login_as("bpjs_officer")
    photo = client.get(f"/bpjs/consent/{request_id}")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert "Consent photo" in client.get(f"/bpjs/queue/{request_id}?lang=en").get_data(as_text=True)


def test_a_duplicate_nik_is_named_as_soon_as_it_is_typed(client, auth):
    _login_agent(client, auth)
    member = OwnMembershipFactory()
    db.session.commit()
    nik = member.worker.nik
    spaced = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    found = client.get(f"/agent/nik-check?nik={spaced}&lang=en").get_json()
    assert found["duplicate"] and "already a BPJS Ketenagakerjaan member" in found["message"]
    fresh = client.get(f"/agent/nik-check?nik={make_nik(date(1991, 1, 2), 'L')}").get_json()
    assert fresh == {"duplicate": False, "message": ""}
    assert client.get("/agent/nik-check?nik=12").get_json()["duplicate"] is False
