"""Issue 12: the compliance letters and sanctions and the referral letter ask on the server
first (nothing changes until the confirmation is posted), and their author may take them back
within a day; after that, or for anyone else, the service refuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.domain.clock import now, today_wib
from portal.extensions import db
from portal.models import ComplianceCase, Referral
from tests.factories import BusinessFactory, UserFactory, make_nik
from tests.factories_trade import ComplianceCaseFactory, ReferralFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


def _sp1(business, **extra):
    return {
        "nib": business.nib,
        "finding": "6 pekerja tidak didaftarkan",
        "worker_niks": make_nik(),
        "issued_on": "2026-02-02",
        **extra,
    }


def _cases() -> int:
    return db.session.scalar(select(func.count(ComplianceCase.id)))


def test_sp1_asks_first_and_keeps_the_input(client, bpjs_officer, audit_actions):
    business = BusinessFactory()
    db.session.commit()
    data = _sp1(business)
    question = client.post("/bpjs/compliance/new", data=data)
    assert question.status_code == 200
    page = _text(question)
    assert 'id="confirm-summary"' in page and business.name in page
    assert 'name="confirmed" value="yes"' in page
    # Every value typed travels with the confirmation, as hidden inputs.
    assert f'name="nib" value="{business.nib}"' in page
    assert 'name="issued_on" value="2026-02-02"' in page
    assert _cases() == 0 and "compliance.sp1" not in audit_actions()
    # "Back" shows the form again with the input, still nothing issued.
    back = client.post("/bpjs/compliance/new", data={**data, "confirmed": "change"})
    assert back.status_code == 200
    assert "6 pekerja tidak didaftarkan" in _text(back) and 'id="confirm-summary"' not in _text(
        back
    )
    assert _cases() == 0
    # Cancel is a link back: it posts nothing.
    assert 'href="/bpjs/compliance" id="confirm-cancel"' in page
    assert client.post("/bpjs/compliance/new", data={**data, "confirmed": "yes"}).status_code == 302
    assert _cases() == 1 and audit_actions().count("compliance.sp1") == 1


def test_the_sp1_date_is_not_prefilled(client, bpjs_officer):
    page = _text(client.get("/bpjs/compliance/new"))
    field = page.split('name="issued_on"', 1)[1].split(">", 1)[0]
    assert 'value=""' in field or "value=" not in field


def test_a_refused_sp1_is_refused_before_the_question(client, bpjs_officer):
    response = client.post(
        "/bpjs/compliance/new", data=_sp1(BusinessFactory.build(nib="9999999999999"))
    )
    assert response.status_code == 400
    assert 'id="confirm-summary"' not in _text(response)


def test_sp1_withdrawn_within_a_day_frees_the_business(client, bpjs_officer, audit_actions):
    business = BusinessFactory()
    db.session.commit()
    client.post("/bpjs/compliance/new", data=_sp1(business, confirmed="yes"))
    case = db.session.scalar(select(ComplianceCase))
    page = _text(client.get(f"/bpjs/compliance/{case.id}"))
    assert 'id="undo-step"' in page
    response = client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == "withdrawn" and not case.is_open
    assert audit_actions()[-1] == "compliance.sp1_withdrawn"
    assert "compliance.sp1" in audit_actions()  # the letter's own event stays
    page = _text(client.get(f"/bpjs/compliance/{case.id}"))
    assert 'id="case-withdrawn"' in page and 'id="undo-step"' not in page
    assert case.business.name not in _text(client.get("/bpjs/compliance"))  # open cases only
    # A new SP1 for the same business is possible again.
    assert (
        client.post("/bpjs/compliance/new", data=_sp1(business, confirmed="yes")).status_code == 302
    )
    assert _cases() == 2


def _step_case(state: str, **kwargs) -> ComplianceCase:
    base = {"sp1_issued_on": date(2026, 2, 2), "sp1_due": date(2026, 2, 16)}
    if state in ("warning_2", "fined"):
        base.update(sp2_issued_on=date(2026, 2, 17), sp2_due=date(2026, 3, 3))
    return ComplianceCaseFactory(state=state, **base, **kwargs)


STEPS = [
    # (state before, url, form, state after, audit action, undo action)
    (
        "warning_1",
        "sp2",
        {"issued_on": "2026-02-17"},
        "warning_2",
        "compliance.sp2",
        "compliance.sp2_withdrawn",
    ),
    (
        "warning_2",
        "fine",
        {"contributions_due": "9000000", "fined_on": "2026-03-18"},
        "fined",
        "compliance.fined",
        "compliance.fine_undone",
    ),
]


@pytest.mark.parametrize(("before", "step", "form", "after", "action", "undone"), STEPS)
def test_bpjs_step_asks_acts_and_is_taken_back(
    client, bpjs_officer, audit_actions, before, step, form, after, action, undone
):
    case = _step_case(before)
    db.session.commit()
    url = f"/bpjs/compliance/{case.id}/{step}"
    question = client.post(url, data={"version": case.version, **form})
    assert question.status_code == 200 and 'id="confirm-summary"' in _text(question)
    db.session.refresh(case)
    assert case.state == before and action not in audit_actions()
    confirmed = client.post(url, data={"version": case.version, "confirmed": "yes", **form})
    assert confirmed.status_code == 302
    db.session.refresh(case)
    assert case.state == after and audit_actions()[-1] == action
    assert (
        client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version}).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.state == before and audit_actions()[-1] == undone
    assert case.fine_amount is None and (before != "warning_1" or case.sp2_due is None)


def test_the_fine_question_states_the_amount(client, bpjs_officer):
    case = _step_case("warning_2")
    db.session.commit()
    page = _text(
        client.post(
            f"/bpjs/compliance/{case.id}/fine",
            data={
                "version": case.version,
                "contributions_due": "9000000",
                "fined_on": "2026-03-18",
            },
        )
    )
    assert "Rp" in page and "4.500" in page


def test_withholding_request_and_withholding_are_taken_back(client, auth, audit_actions):
    bpjs = UserFactory(role="bpjs_officer")
    trade = UserFactory(role="trade_officer")
    case = _step_case(
        "fined",
        contributions_due=9_000_000,
        fine_days=15,
        fine_amount=4_500,
        fined_on=date(2026, 3, 18),
    )
    db.session.commit()
    auth.login(bpjs)
    url = f"/bpjs/compliance/{case.id}/request-withholding"
    form = {"version": case.version, "services": ["business_permit"]}
    assert client.post(url, data=form).status_code == 200
    db.session.refresh(case)
    assert case.withholding_requested_on is None
    assert client.post(url, data={**form, "confirmed": "yes"}).status_code == 302
    db.session.refresh(case)
    assert case.awaits_withholding
    client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version})
    db.session.refresh(case)
    assert case.awaits_withholding_request and case.requested_services is None
    assert audit_actions()[-1] == "compliance.withholding_request_withdrawn"
    # Asked again; the trade office withholds (asked first), then takes it back.
    client.post(
        url, data={"version": case.version, "services": ["business_permit"], "confirmed": "yes"}
    )
    auth.logout()
    auth.login(trade)
    db.session.refresh(case)
    withhold = f"/disperindagkop/compliance/{case.id}/withhold"
    data = {
        "version": case.version,
        "services": ["business_permit"],
        "withheld_on": today_wib().isoformat(),
    }
    question = client.post(withhold, data=data)
    assert question.status_code == 200 and 'id="confirm-summary"' in _text(question)
    db.session.refresh(case)
    assert case.state == "fined"
    assert client.post(withhold, data={**data, "confirmed": "yes"}).status_code == 302
    db.session.refresh(case)
    assert case.state == "services_withheld"
    # BPJS cannot take back the trade office's step.
    auth.logout()
    auth.login(bpjs)
    assert (
        client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version}).status_code
        == 403
    )
    auth.logout()
    auth.login(trade)
    assert 'id="undo-step"' in _text(client.get(f"/disperindagkop/compliance/{case.id}"))
    assert (
        client.post(
            f"/disperindagkop/compliance/{case.id}/undo", data={"version": case.version}
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.state == "fined" and case.services_withheld is None and case.awaits_withholding
    assert audit_actions()[-1] == "compliance.withholding_undone"
    assert "compliance.services_withheld" in audit_actions()


def test_after_a_day_the_step_stays(client, bpjs_officer, clock, audit_actions):
    case = _step_case("warning_1")
    db.session.commit()
    client.post(
        f"/bpjs/compliance/{case.id}/sp2",
        data={"version": case.version, "issued_on": "2026-02-17", "confirmed": "yes"},
    )
    clock.now = now() + timedelta(days=1, minutes=1)
    db.session.refresh(case)
    assert 'id="undo-step"' not in _text(client.get(f"/bpjs/compliance/{case.id}"))
    response = client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.state == "warning_2" and audit_actions()[-1] == "compliance.sp2"


def test_another_officer_cannot_take_a_step_back(client, auth, login_as, audit_actions):
    login_as("bpjs_officer")
    case = _step_case("warning_1")
    db.session.commit()
    client.post(
        f"/bpjs/compliance/{case.id}/sp2",
        data={"version": case.version, "issued_on": "2026-02-17", "confirmed": "yes"},
    )
    auth.logout()
    login_as("bpjs_head")
    db.session.refresh(case)
    assert 'id="undo-step"' not in _text(client.get(f"/bpjs/compliance/{case.id}"))
    response = client.post(f"/bpjs/compliance/{case.id}/undo", data={"version": case.version})
    assert response.status_code == 403
    db.session.refresh(case)
    assert case.state == "warning_2"


def test_a_paid_fine_is_not_taken_back(client, bpjs_officer):
    case = _step_case("warning_2")
    db.session.commit()
    url = f"/bpjs/compliance/{case.id}"
    client.post(
        f"{url}/fine",
        data={
            "version": case.version,
            "contributions_due": "9000000",
            "fined_on": "2026-03-18",
            "confirmed": "yes",
        },
    )
    db.session.refresh(case)
    client.post(
        f"{url}/fine-paid",
        data={
            "version": case.version,
            "amount": "4500",
            "paid_on": "2026-03-19",
            "receipt_no": "K-1",
        },
    )
    db.session.refresh(case)
    assert case.fine_is_paid
    assert 'id="undo-step"' not in _text(client.get(url))
    client.post(f"{url}/undo", data={"version": case.version})
    db.session.refresh(case)
    assert case.state == "fined" and case.fine_amount == 4_500


# --- The referral letter -----------------------------------------------------------------------

REFER = {"reason": "Tujuh pekerja belum terdaftar", "contact_person": "Pak Acong"}


def _referrals() -> int:
    return db.session.scalar(select(func.count(Referral.id)))


def test_referral_asks_first_then_is_withdrawn_within_a_day(client, officer, audit_actions):
    business = BusinessFactory()
    db.session.commit()
    url = f"/disperindagkop/businesses/{business.id}/refer"
    question = client.post(url, data=REFER)
    assert question.status_code == 200 and "Tujuh pekerja belum terdaftar" in _text(question)
    assert _referrals() == 0
    assert client.post(url, data={**REFER, "confirmed": "yes"}).status_code == 302
    referral = db.session.scalar(select(Referral))
    page = _text(client.get(f"/disperindagkop/referrals/{referral.id}"))
    assert 'id="undo-referral"' in page
    response = client.post(
        f"/disperindagkop/referrals/{referral.id}/withdraw", data={"version": referral.version}
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert referral.is_withdrawn and audit_actions()[-1] == "referral.withdrawn"
    assert 'id="referral-withdrawn"' in _text(
        client.get(f"/disperindagkop/referrals/{referral.id}")
    )
    # The business may be referred again.
    assert client.post(url, data={**REFER, "confirmed": "yes"}).status_code == 302


def test_a_referral_bpjs_acted_on_or_a_day_old_stays(client, officer, clock):
    acted = ReferralFactory(referred_by=officer, state="contacted")
    old = ReferralFactory(referred_by=officer)
    db.session.commit()
    for referral in (acted, old):
        if referral is old:
            clock.now = now() + timedelta(days=1, minutes=1)
        assert 'id="undo-referral"' not in _text(
            client.get(f"/disperindagkop/referrals/{referral.id}")
        )
        client.post(
            f"/disperindagkop/referrals/{referral.id}/withdraw", data={"version": referral.version}
        )
        db.session.refresh(referral)
        assert not referral.is_withdrawn


def test_another_trade_officer_cannot_withdraw_a_referral(client, login_as):
    author = UserFactory(role="trade_officer")
    referral = ReferralFactory(referred_by=author)
    db.session.commit()
    login_as("trade_officer")
    response = client.post(
        f"/disperindagkop/referrals/{referral.id}/withdraw", data={"version": referral.version}
    )
    assert response.status_code == 403
    db.session.refresh(referral)
    assert referral.state == "open"


def test_the_promise_and_the_refusal_name_the_undo_window(client, bpjs_officer, clock, monkeypatch):
    """The sentences are written from services.undo.UNDO_WINDOW, never a number of their own:
    a 2-hour window would be promised, and refused, as 2 hours."""
    case = _step_case("warning_1")
    db.session.commit()
    question = _text(
        client.post(
            f"/bpjs/compliance/{case.id}/sp2",
            data={"version": case.version, "issued_on": "2026-02-17"},
        )
    )
    assert "dalam 1 hari setelah mengonfirmasinya" in question
    monkeypatch.setattr("portal.services.undo.UNDO_WINDOW", timedelta(hours=2))
    question = _text(
        client.post(
            f"/bpjs/compliance/{case.id}/sp2",
            data={"version": case.version, "issued_on": "2026-02-17"},
        )
    )
    assert "dalam 2 jam setelah mengonfirmasinya" in question
    client.post(
        f"/bpjs/compliance/{case.id}/sp2",
        data={"version": case.version, "issued_on": "2026-02-17", "confirmed": "yes"},
    )
    clock.now = now() + timedelta(hours=3)  # the login (12 hours) still runs
    db.session.refresh(case)
    refused = client.post(
        f"/bpjs/compliance/{case.id}/undo", data={"version": case.version}, follow_redirects=True
    )
    assert "Sudah lewat 2 jam: tindakan ini tidak dapat dibatalkan lagi." in _text(refused)
