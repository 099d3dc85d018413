"""The public "Cek kepesertaan": only active / lapsed / unknown and the paid-through month;
an unknown NIK and a wrong birth date answer the same, with the same queries."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from tests.factories_bpjs import FundedBatchFactory, PaymentFactory
from tests.factories_informal import BpuWorkerFactory, OwnMembershipFactory

CHECK = "/membership-check?lang=en"


def _ask(client, nik: str, birth: str):
    return client.post(CHECK, data={"nik": nik, "birth_date": birth})


def _member(**kwargs):
    worker = BpuWorkerFactory(birth_date=date(1988, 7, 9), sex="L")
    return OwnMembershipFactory(worker=worker, **kwargs)


def test_active_member_sees_only_state_and_paid_through_month(client):
    m = _member()
    PaymentFactory(membership=m, period="2026-01", amount=16_800)
    PaymentFactory(membership=m, period="2026-02", amount=16_800)
    db.session.commit()
    html = _ask(client, m.worker.nik, "09-07-1988").get_data(as_text=True)
    assert "Active." in html and "Paid through 2026-02." in html
    assert m.kpj not in html and m.worker.full_name not in html


def test_lapsed_member_is_told_lapsed_without_a_month(client):
    m = _member(state="lapsed", lapsed_at=date(2026, 3, 20))
    PaymentFactory(membership=m, period="2026-01", amount=16_800)
    db.session.commit()
    html = _ask(client, m.worker.nik, "09-07-1988").get_data(as_text=True)
    assert "Lapsed" in html and "Paid through" not in html


def test_funded_member_is_paid_through_the_batch_end(client):
    batch = FundedBatchFactory(period_start=date(2025, 12, 1), period_end=date(2026, 4, 30))
    m = _member(funding_source="apbd", funded_batch=batch)
    db.session.commit()
    html = _ask(client, m.worker.nik, "09-07-1988").get_data(as_text=True)
    assert "Paid through 2026-04." in html


def test_unknown_nik_and_wrong_birth_date_answer_alike_with_the_same_queries(client, count_queries):
    nik = _member().worker.nik
    db.session.commit()
    _ask(client, "6172010101900998", "10-07-1988")  # warm the app's caches first
    with count_queries() as wrong_date:
        wrong = _ask(client, nik, "10-07-1988").get_data(as_text=True)
    with count_queries() as unknown_nik:
        unknown = _ask(client, "6172010101900999", "10-07-1988").get_data(as_text=True)
    assert "No membership found" in wrong and "No membership found" in unknown
    assert wrong_date.count == unknown_nik.count
    assert wrong_date.statements == unknown_nik.statements


def test_the_check_is_rate_limited_like_complaint_tracking(app, client):
    app.config["MEMBERSHIP_CHECK_RATE_LIMIT"] = "3 per minute"
    data = {"nik": "6172010101900999", "birth_date": "01-01-1990"}
    statuses = [
        client.post(CHECK, data=data, environ_base={"REMOTE_ADDR": "10.7.0.9"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
