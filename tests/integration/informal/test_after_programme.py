"""After a funded programme: BPJS starts the self-paid membership a member chose with the KPJ
its own system issued (from the day after the programme: no gap, no overlap); a field agent
records the choice for his people, who mostly have no account; BPJS's agent list is paged;
`flask purge-uploads` removes consent photos of decided requests."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, BatchContinuation, EnrolmentRequest, Membership
from portal.services.membership.dues import lowest_bpu_dues, monthly_due
from tests.factories import UserFactory
from tests.factories_bpjs import FundedBatchFactory
from tests.factories_informal import (
    AgentAreaFactory,
    BpuWorkerFactory,
    OwnMembershipFactory,
    own_request,
)


def _funded(clock, *, account=None, agent=None) -> Membership:
    """A member of a programme ending 30 April 2026 (today: 5 April), registered by `agent`."""
    clock.now = datetime(2026, 4, 5, 1, 0, tzinfo=UTC)
    batch = FundedBatchFactory(period_start=date(2025, 12, 1), period_end=date(2026, 4, 30))
    worker = BpuWorkerFactory(account_id=account.id if account else None)
    if agent is not None:
        own_request(worker, agent)
    m = OwnMembershipFactory(
        worker=worker,
        funding_source="apbd",
        funded_batch=batch,
        category="rentan",
        start_date=date(2025, 12, 1),
        end_date=date(2026, 4, 30),
    )
    db.session.commit()
    return m


def _chosen(client, auth, clock, login_as, choice: dict) -> tuple[Membership, int]:
    """A member with an account chooses on his page; then a BPJS officer is logged in."""
    account = UserFactory(role="worker")
    funded = _funded(clock, account=account)
    auth.login(account)
    client.post(f"/worker/memberships/{funded.id}/after-programme", data=choice)
    auth.logout()
    login_as("bpjs_officer")
    return funded, db.session.scalar(select(BatchContinuation.id))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_bpjs_starts_the_self_paid_membership_from_the_day_after_the_programme(client, auth, clock):
    account = UserFactory(role="worker")
    funded = _funded(clock, account=account)
    auth.login(account)
    client.post(
        f"/worker/memberships/{funded.id}/after-programme", data={"submit": "1", "with_jht": "y"}
    )
    choice = db.session.scalar(select(BatchContinuation))
    assert choice.is_continue and choice.with_jht and choice.monthly_amount == 1_000_000
    auth.logout()
    officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(officer)
    page = client.get("/bpjs/batch-choices?lang=en").get_data(as_text=True)
    assert f'data-choice="{choice.id}"' in page and "waiting for the KPJ" in page

    response = client.post(
        "/bpjs/batch-choices?lang=en", data={"choice_id": choice.id, "kpj": "2600 0777 001"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.get(Membership, db.session.get(BatchContinuation, choice.id).new_membership_id)
    assert new.kpj == "26000777001"
    assert new.start_date == date(2026, 5, 1)  # the programme's last day was 30 April
    assert (new.funding_source, new.category, new.with_jht) == ("self", "rentan", True)
    assert new.worker_id == funded.worker_id and new.kelurahan_code == funded.kelurahan_code
    # He pays JKK + JKM + JHT on Rp 1.000.000 from May: Rp 16.800 + Rp 20.000.
    assert monthly_due(new, date(2026, 5, 1)) == 36_800
    (event,) = _events("membership.self_paid_after_batch")
    summary = json.loads(event.summary)
    assert summary["from"] == "2026-05-01" and summary["after_membership"] == funded.id
    after = client.get("/bpjs/batch-choices?lang=en").get_data(as_text=True)
    assert "Nobody is waiting for a KPJ." in after and "26000777001" in after
    # The member sees his new membership and its first due month.
    auth.logout()
    auth.login(account)
    home = client.get("/worker/?lang=en").get_data(as_text=True)
    assert "26000777001" in home


def test_a_wrong_used_or_second_kpj_is_refused_next_to_the_field(client, auth, clock, login_as):
    funded, choice_id = _chosen(client, auth, clock, login_as, {"submit": "1"})
    short = client.post(
        "/bpjs/batch-choices?lang=en", data={"choice_id": choice_id, "kpj": "2600077700"}
    )
    body = short.get_data(as_text=True)
    assert short.status_code == 400 and "11 digits" in body
    assert 'value="2600077700"' in body and f'id="kpj-{choice_id}-error"' in body
    used = client.post(
        "/bpjs/batch-choices?lang=en", data={"choice_id": choice_id, "kpj": funded.kpj}
    )
    assert used.status_code == 400 and "already used" in used.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Membership.id))) == 1
    client.post("/bpjs/batch-choices", data={"choice_id": choice_id, "kpj": "26000777002"})
    again = client.post(
        "/bpjs/batch-choices?lang=en", data={"choice_id": choice_id, "kpj": "26000777003"}
    )
    assert again.status_code == 400 and "already started" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Membership.id))) == 2
    unknown = client.post("/bpjs/batch-choices", data={"choice_id": 999999, "kpj": "26000777004"})
    assert unknown.status_code == 404


def test_a_stop_choice_cannot_be_started(client, auth, clock, login_as):
    _funded_membership, choice_id = _chosen(client, auth, clock, login_as, {"stop": "1"})
    response = client.post(
        "/bpjs/batch-choices", data={"choice_id": choice_id, "kpj": "26000777005"}
    )
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Membership.id))) == 1


def test_the_agent_records_the_choice_for_his_people_and_no_one_elses(client, auth, clock):
    agent = AgentAreaFactory().agent
    other = AgentAreaFactory().agent
    funded = _funded(clock, agent=agent)
    auth.login(agent)
    home = client.get("/agent/?lang=en").get_data(as_text=True)
    assert f'data-ending-member="{funded.id}"' in home and "Rp 16.800" in home
    response = client.post(
        f"/agent/memberships/{funded.id}/after-programme?lang=en",
        data={"submit": "1"},
        follow_redirects=True,
    )
    assert "continues self-paid" in response.get_data(as_text=True)
    choice = db.session.scalar(select(BatchContinuation))
    assert choice.is_continue and choice.chosen_by_id == agent.id
    (event,) = _events("membership.continues_self_paid")
    assert json.loads(event.summary)["on_behalf_of_member"] is True
    # Chosen once: a second tap changes nothing.
    client.post(
        f"/agent/memberships/{funded.id}/after-programme", data={"stop": "1", "confirmed": "yes"}
    )
    assert db.session.scalar(select(func.count(BatchContinuation.id))) == 1
    auth.logout()
    auth.login(other)
    assert f'data-ending-member="{funded.id}"' not in client.get("/agent/").get_data(as_text=True)
    refused = client.post(f"/agent/memberships/{funded.id}/after-programme", data={"stop": "1"})
    assert refused.status_code == 404


def test_bpjs_agent_list_is_paged(client, login_as, app, count_queries):
    login_as("bpjs_officer")
    size = app.config["PAGE_SIZE"]
    for i in range(size + 2):
        AgentAreaFactory(agent__name=f"Agen {i:03d}")
    db.session.commit()
    first = client.get("/bpjs/agents").get_data(as_text=True)
    second = client.get("/bpjs/agents?page=2").get_data(as_text=True)
    assert "Agen 000" in first and f"Agen {size + 1:03d}" not in first
    assert f"Agen {size + 1:03d}" in second and "Agen 000" not in second
    with count_queries() as few:
        client.get("/bpjs/agents?page=2")
    for i in range(size + 2, 3 * size):
        AgentAreaFactory(agent__name=f"Agen {i:03d}")
    db.session.commit()
    with count_queries() as many:
        client.get("/bpjs/agents")
    assert many.count == few.count


def test_purge_removes_consent_photos_of_decided_requests_and_keeps_the_digest(
    client, auth, runner, clock
):
    import hashlib

    agent = AgentAreaFactory().agent
    worker_a, worker_b = BpuWorkerFactory(), BpuWorkerFactory()
    photo = b"\x89PNG consent"
    old = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    with_photo = {
        "consent_photo": photo,
        "consent_photo_type": "image/png",
        "consent_photo_sha256": hashlib.sha256(photo).hexdigest(),  # taken at upload
    }
    decided = own_request(worker_a, agent, decided_at=old, **with_photo)
    waiting = own_request(
        worker_b, agent, state="submitted", created_at=old, updated_at=old, **with_photo
    )
    db.session.commit()
    clock.now = datetime(2026, 4, 5, 3, 0, tzinfo=UTC)  # 35 days later; retention is 30
    result = runner.invoke(args=["purge-uploads"])
    assert result.exit_code == 0 and "consent photos: 1 removed" in result.output
    db.session.expire_all()
    gone, kept = (
        db.session.get(EnrolmentRequest, decided.id),
        db.session.get(EnrolmentRequest, waiting.id),
    )
    assert gone.consent_photo is None and gone.consent_photo_purged_at is not None
    assert gone.consent_photo_sha256 == hashlib.sha256(photo).hexdigest()
    assert kept.consent_photo == photo
    (event,) = _events("uploads.purged")
    assert json.loads(event.summary)["consent_photos_removed"] == 1
    officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(officer)
    assert client.get(f"/bpjs/consent/{decided.id}").status_code == 404
    detail_page = client.get(f"/bpjs/queue/{decided.id}?lang=en")
    assert detail_page.status_code == 200, detail_page.status_code
    detail = detail_page.get_data(as_text=True)
    assert "removed 05 Apr 2026 after the retention period" in detail
    assert f"/bpjs/consent/{decided.id}" not in detail
    assert client.get(f"/bpjs/consent/{waiting.id}").status_code == 200
    assert runner.invoke(args=["purge-uploads"]).output.count("consent photos: 0 removed") == 1


def test_an_agents_upload_stores_the_photo_digest(client, auth):
    import hashlib

    from tests.factories import make_nik
    from tests.integration.informal.test_field_agents import _login_agent, person

    _login_agent(client, auth)
    client.post(
        "/agent/register",
        data={
            **person(make_nik(date(1990, 5, 17), "L"), "Eka", consent=None, consent_name=""),
            "consent_photo": (io.BytesIO(b"\xff\xd8jpeg"), "c.jpg", "image/jpeg"),
        },
        content_type="multipart/form-data",
    )
    request = db.session.scalar(select(EnrolmentRequest))
    assert request.consent_photo_sha256 == hashlib.sha256(b"\xff\xd8jpeg").hexdigest()


def test_the_lowest_dues_come_from_the_dated_rates(app):
    # BPU JKK 1% + JKM Rp 6.800 on the lowest declared income, Rp 1.000.000 (DOMAIN.md).
    assert lowest_bpu_dues(date(2026, 5, 1)) == 16_800


def test_an_agents_stop_for_his_person_is_asked_first_and_can_be_taken_back(client, auth, clock):
    """Stopping ends cover: the agent gets the same question page as the member (nothing is
    recorded before he confirms) and may take his own record back within a day."""
    agent = AgentAreaFactory().agent
    funded = _funded(clock, agent=agent)
    auth.login(agent)
    url = f"/agent/memberships/{funded.id}/after-programme?lang=en"
    asked = client.post(url, data={"stop": "1"})
    assert asked.status_code == 200 and "stops BPJS cover when the programme ends" in (
        asked.get_data(as_text=True)
    )
    assert db.session.scalar(select(func.count(BatchContinuation.id))) == 0
    client.post(url, data={"stop": "1", "confirmed": "yes"})
    choice = db.session.scalar(select(BatchContinuation))
    assert not choice.is_continue and choice.chosen_by_id == agent.id
    home = client.get("/agent/?lang=en").get_data(as_text=True)
    assert f'id="undo-stop-{funded.id}"' in home
    client.post(f"/agent/memberships/{funded.id}/after-programme/undo")
    assert db.session.scalar(select(func.count(BatchContinuation.id))) == 0
    assert len(_events("membership.stop_undone")) == 1
    # Another agent can neither ask nor take back for this person.
    auth.logout()
    auth.login(AgentAreaFactory().agent)
    assert client.post(url, data={"stop": "1"}).status_code == 404
    assert client.post(f"/agent/memberships/{funded.id}/after-programme/undo").status_code == 404
