"""Gaps found in review: a pattern that cannot number letters, the escalation chain as one
timeline, every reprimand step from every state, and letter numbers under a real race."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.workflow import REPRIMAND
from portal.extensions import db
from portal.models import Reprimand, ReprimandEvent, ReprimandState, Setting
from tests.conftest import AuthActions
from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory
from tests.pdf_text import pdf_text
from tests.races import logged_in_clients, needs_postgres, race

from .conftest import reprimand_form


@pytest.mark.parametrize(
    "pattern", ["800/TEG/DPMTK", "TEG-{seq:03d}", "{year}/" + "X" * 80 + "/{seq}", "{seq}/{oops}"]
)
def test_a_pattern_that_cannot_number_letters_uniquely_falls_back_to_the_default(
    client, staff, switch_to, pattern
):
    db.session.get(Setting, "reprimand_number_pattern").value = pattern
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    for _ in range(2):
        response = client.post(
            "/disnaker/reprimands/new?agency=bpjs",
            data={**reprimand_form(), "complaint_ids": [complaint.id]},
        )
        assert response.status_code == 302
    numbers = db.session.scalars(select(Reprimand.letter_number).order_by(Reprimand.id)).all()
    year = date.today().year
    assert numbers == [f"800/001/DPMTK-TEG/{year}", f"800/002/DPMTK-TEG/{year}"]


def test_issue_escalate_and_close_read_as_one_timeline_on_every_letter(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(), "complaint_ids": [complaint.id]},
    )
    first = db.session.scalar(select(Reprimand))
    switch_to(staff["bpjs_head"])
    client.post(f"/disnaker/reprimands/{first.id}/acknowledge")
    client.post(f"/disnaker/reprimands/{first.id}/respond", data={"note": "Rencana pertama."})
    switch_to(staff["labour_head"])
    response = client.post(
        f"/disnaker/reprimands/{first.id}/escalate",
        data={**reprimand_form(subject="Teguran lanjutan"), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 302
    second = db.session.scalar(select(Reprimand).where(Reprimand.parent_id == first.id))
    switch_to(staff["bpjs_head"])
    client.post(f"/disnaker/reprimands/{second.id}/acknowledge")
    client.post(f"/disnaker/reprimands/{second.id}/respond", data={"note": "Rencana kedua."})
    switch_to(staff["labour_head"])
    assert (
        client.post(f"/disnaker/reprimands/{second.id}/close", data={"note": "Diterima."})
    ).status_code == 302

    for letter in (first, second):
        body = client.get(f"/disnaker/reprimands/{letter.id}").get_data(as_text=True)
        timeline = body[body.index("list-group mb-3") :]
        order = [
            timeline.index(text)
            for text in ("Rencana pertama.", second.letter_number, "Rencana kedua.", "Diterima.")
        ]
        assert order == sorted(order), f"letter {letter.id}: the chain is out of order"
        assert f'data-letter="{first.id}"' in timeline and f'data-letter="{second.id}"' in timeline
    # The level II letter rests on the level I letter.
    text = pdf_text(client.get(f"/disnaker/reprimands/{second.id}/letter.pdf").data)
    assert f"Surat Teguran I Nomor {first.letter_number}" in " ".join(text.split())


STEPS = {  # step → (target state, who posts it)
    "acknowledge": (ReprimandState.ACKNOWLEDGED, "bpjs_head"),
    "respond": (ReprimandState.RESPONDED, "bpjs_head"),
    "close": (ReprimandState.CLOSED, "labour_head"),
}


@pytest.mark.parametrize("state", [s.value for s in ReprimandState if s != ReprimandState.DRAFT])
def test_every_reprimand_step_from_every_state_through_the_pages(app, staff, state):
    clients = {}
    for role in ("bpjs_head", "labour_head"):
        clients[role] = app.test_client()
        assert AuthActions(clients[role]).login(staff[role]).status_code == 302
    for step, (target, role) in STEPS.items():
        reprimand = ReprimandFactory(state=state)
        db.session.commit()
        response = clients[role].post(
            f"/disnaker/reprimands/{reprimand.id}/{step}", data={"note": "Rencana perbaikan."}
        )
        db.session.expire_all()
        after = db.session.get(Reprimand, reprimand.id)
        events = db.session.scalar(
            select(func.count(ReprimandEvent.id)).where(ReprimandEvent.reprimand_id == reprimand.id)
        )
        if target in REPRIMAND[state]:
            assert response.status_code == 302 and after.state == target
        else:
            assert response.status_code == 400, f"{step} from {state}"
            assert (after.state, events) == (state, 0), f"{step} from {state} changed it"
    # Escalation from a closed or already escalated letter is refused and issues nothing.
    if state in ("closed", "escalated"):
        complaint = OpenComplaintFactory()
        letter = ReprimandFactory(state=state)
        letter.complaints.append(complaint)
        db.session.commit()
        response = clients["labour_head"].post(
            f"/disnaker/reprimands/{letter.id}/escalate",
            data={**reprimand_form(), "complaint_ids": [complaint.id]},
        )
        assert response.status_code == 400
        assert db.session.scalar(select(Reprimand).where(Reprimand.parent_id == letter.id)) is None


@needs_postgres[0]
@needs_postgres[1]
def test_two_heads_issuing_at_the_same_moment_get_different_numbers(app):
    complaint = OpenComplaintFactory()
    db.session.commit()
    clients = logged_in_clients(app, "labour_head", 3, name="Kepala")
    data = {**reprimand_form(), "complaint_ids": [complaint.id]}
    responses = race(clients, [("/disnaker/reprimands/new?agency=bpjs", data)] * 3)
    assert [r.status_code for r in responses] == [302, 302, 302]
    db.session.expire_all()
    numbers = db.session.scalars(select(Reprimand.letter_number)).all()
    year = date.today().year
    assert sorted(numbers) == [f"800/00{n}/DPMTK-TEG/{year}" for n in (1, 2, 3)]
