"""Issue 12: a reprimand letter (and an escalation) asks on the server first, and the labour
head who issued it may withdraw it within a day, before it is answered: marked withdrawn on
its page and in its PDF, the letter it escalated back at its step, the addressed heads told."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain.clock import now
from portal.extensions import db
from portal.models import AuditEvent, Notification, Reprimand
from tests.factories import UserFactory
from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory
from tests.pdf_text import pdf_text

from .conftest import reprimand_form

NEW = "/disnaker/reprimands/new?agency=bpjs"


def _reload(reprimand) -> Reprimand:
    db.session.expire_all()
    return db.session.get(Reprimand, reprimand.id)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _unconfirmed(**overrides) -> dict:
    data = reprimand_form(**overrides)
    del data["confirmed"]
    return data


def test_issuing_asks_first_then_the_letter_is_withdrawn(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    data = {**_unconfirmed(), "complaint_ids": [complaint.id]}
    question = client.post(NEW, data=data)
    assert question.status_code == 200
    page = _text(question)
    assert 'id="confirm-summary"' in page and complaint.tracking_code in page
    assert f'name="complaint_ids" value="{complaint.id}"' in page
    assert db.session.scalar(select(Reprimand)) is None
    assert client.post(NEW, data={**data, "confirmed": "yes"}).status_code == 302
    letter = db.session.scalar(select(Reprimand))
    url = f"/disnaker/reprimands/{letter.id}"
    assert 'id="undo-letter"' in _text(client.get(url))
    assert client.post(f"{url}/withdraw").status_code == 302
    letter = _reload(letter)
    assert letter.is_withdrawn and letter.withdrawn_at is not None
    assert _actions()[-1] == "reprimand.withdrawn" and "reprimand.issued" in _actions()
    page = _text(client.get(url))
    assert 'id="letter-withdrawn"' in page and 'id="undo-letter"' not in page
    text = " ".join(pdf_text(client.get(f"{url}/letter.pdf").data).split())
    assert "DITARIK DAN TIDAK BERLAKU" in text
    told = db.session.scalars(select(Notification.message)).all()
    assert sum(letter.letter_number in m for m in told) >= 2  # issued, then withdrawn
    # The addressed head cannot acknowledge a withdrawn letter.
    switch_to(staff["bpjs_head"])
    client.post(f"{url}/acknowledge")
    assert _reload(letter).state == "withdrawn"


def test_withdrawing_an_escalation_puts_the_first_letter_back(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    first = ReprimandFactory(issuer=staff["labour_head"], state="responded", response="Lemah.")
    first.complaints.append(complaint)
    db.session.commit()
    switch_to(staff["labour_head"])
    url = f"/disnaker/reprimands/{first.id}/escalate"
    data = {**_unconfirmed(), "complaint_ids": [complaint.id]}
    question = client.post(url, data=data)
    assert question.status_code == 200 and 'id="confirm-summary"' in _text(question)
    assert _reload(first).state == "responded"
    assert client.post(url, data={**data, "confirmed": "yes"}).status_code == 302
    child = db.session.scalar(select(Reprimand).where(Reprimand.parent_id == first.id))
    assert _reload(first).state == "escalated"
    client.post(f"/disnaker/reprimands/{child.id}/withdraw")
    assert _reload(child).state == "withdrawn"
    first = _reload(first)
    assert first.state == "responded" and first.closed_at is None
    assert _actions()[-2:] == ["reprimand.withdrawn", "reprimand.escalation_withdrawn"]


def test_an_answered_or_day_old_letter_stays(client, staff, switch_to, clock):
    answered = ReprimandFactory(issuer=staff["labour_head"], state="responded", issued_at=now())
    old = ReprimandFactory(issuer=staff["labour_head"], issued_at=now())
    db.session.commit()
    switch_to(staff["labour_head"])
    clock.now = now() + timedelta(hours=1)
    client.post(f"/disnaker/reprimands/{answered.id}/withdraw")
    assert _reload(answered).state == "responded"
    clock.now = now() + timedelta(days=1)
    assert 'id="undo-letter"' not in _text(client.get(f"/disnaker/reprimands/{old.id}"))
    client.post(f"/disnaker/reprimands/{old.id}/withdraw")
    assert _reload(old).state == "issued"


def test_only_its_issuer_withdraws_a_letter(client, staff, switch_to):
    letter = ReprimandFactory(issuer=UserFactory(role="labour_head"), issued_at=now())
    db.session.commit()
    for user in (staff["labour_head"], staff["bpjs_head"]):
        switch_to(user)
        assert 'id="undo-letter"' not in _text(client.get(f"/disnaker/reprimands/{letter.id}"))
        assert client.post(f"/disnaker/reprimands/{letter.id}/withdraw").status_code == 403
    assert _reload(letter).state == "issued"
