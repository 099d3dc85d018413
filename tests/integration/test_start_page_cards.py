"""Every count on the labour office's, BPJS's and the trade office's start pages equals the
length of the list it links to (issue 13: one definition for each figure)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models._common import utcnow
from tests.factories_complaints import ComplaintFactory, OpenComplaintFactory, ReprimandFactory


def card(page: str, card_id: str) -> tuple[int, str]:
    """(number, link) of the card `card_id` on a start page."""
    match = re.search(
        rf'id="{card_id}"\s+href="([^"]+)".*?data-count>(\d+)<', page, flags=re.DOTALL
    )
    assert match, f"no card {card_id}"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def list_length(client, url: str) -> int:
    """Rows in the first table body of the list page (the data stays under one page)."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    tbody = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr\b.*?</tr>", tbody, flags=re.DOTALL)
    return sum(1 for row in rows if "colspan" not in row)


def assert_cards_equal_lists(client, start_url: str, card_ids: dict[str, int]) -> None:
    page = client.get(start_url).get_data(as_text=True)
    for card_id, expected in card_ids.items():
        number, link = card(page, card_id)
        assert number == expected, card_id
        assert list_length(client, link) == number, (card_id, link)


@pytest.fixture
def complaints(app):
    """Complaints in every state the labour office's cards distinguish."""
    soon = date.today() + timedelta(days=30)
    ComplaintFactory(verify_due=soon)  # triage, in time
    ComplaintFactory()  # triage, past its verification deadline (5 March 2026)
    ComplaintFactory(state="on_hold", verify_due=soon)  # triage: on hold counts too
    OpenComplaintFactory()  # overdue (due 9 March 2026), not escalated yet
    OpenComplaintFactory(escalation_level=3)  # overdue and on the oversight list
    # Paused at level 3: neither overdue nor on the oversight list (the clock is stopped).
    OpenComplaintFactory(state="waiting_reporter", paused_since=utcnow(), escalation_level=3)
    OpenComplaintFactory(sla_due=soon)  # running, in time
    ReprimandFactory()  # open letter
    ReprimandFactory(state="closed")
    db.session.commit()


def test_labour_office_cards_equal_their_lists(client, login_as, complaints):
    login_as("labour_officer")
    assert_cards_equal_lists(
        client,
        "/disnaker/",
        {
            "card-triage": 3,
            "card-verify-late": 1,
            "card-overdue": 2,
            "card-escalated": 1,
            "card-reprimands": 1,
        },
    )


def test_a_paused_level_three_complaint_is_neither_overdue_nor_escalated(client, login_as, app):
    OpenComplaintFactory(state="waiting_reporter", paused_since=utcnow(), escalation_level=3)
    db.session.commit()
    login_as("labour_head")
    page = client.get("/disnaker/").get_data(as_text=True)
    assert card(page, "card-overdue")[0] == 0
    assert 'id="card-escalated"' not in page


def test_verification_limit_on_the_start_page_comes_from_the_setting(client, login_as, app):
    from portal.models import Setting

    db.session.get(Setting, "complaint_verify_working_days").value = "5"
    ComplaintFactory()  # verification late
    db.session.commit()
    login_as("labour_officer")
    page = client.get("/disnaker/").get_data(as_text=True)
    assert "(5 " in page and "(3 " not in page


@pytest.fixture
def bpjs_queue(app):
    from portal.models import Role
    from tests.factories import UserFactory
    from tests.factories_bpjs import EnrolmentRequestFactory

    me = UserFactory(role=Role.BPJS_OFFICER.value)
    other = UserFactory(role=Role.BPJS_OFFICER.value)
    late = date.today() - timedelta(days=2)
    EnrolmentRequestFactory()  # unclaimed, in time
    EnrolmentRequestFactory(sla_due=late)  # unclaimed, overdue
    EnrolmentRequestFactory(state="in_review", assignee=me, sla_due=late)  # mine, overdue
    EnrolmentRequestFactory(state="in_review", assignee=other)  # someone else's
    EnrolmentRequestFactory(state="enrolled", sla_due=late)  # decided: counted nowhere
    db.session.commit()
    return me


def test_bpjs_queue_cards_equal_their_lists(client, switch_to, bpjs_queue):
    switch_to(bpjs_queue)
    assert_cards_equal_lists(
        client, "/bpjs/", {"card-unclaimed": 2, "card-mine": 1, "card-overdue": 2}
    )


def test_trade_office_counts_equal_their_lists(client, login_as, app):
    from tests.factories_trade import PendingBusinessFactory, ReferralFactory

    PendingBusinessFactory()
    PendingBusinessFactory()
    ReferralFactory()  # open
    ReferralFactory(state="contacted")
    ReferralFactory(state="registered")  # done: not in progress
    db.session.commit()
    login_as("trade_officer")
    page = client.get("/disperindagkop/").get_data(as_text=True)
    pending = int(re.search(r"(\d+) (?:businesses waiting|usaha menunggu)", page).group(1))
    assert pending == 2 == list_length(client, "/disperindagkop/businesses/pending")
    # The card's link (the navigation's "Referrals" lists every referral).
    link = re.search(r'href="(/disperindagkop/referrals\?[^"]*)"', page).group(1)
    assert re.search(r"(\d+) (?:referrals in progress|rujukan)", page).group(1) == "2"
    assert list_length(client, link.replace("&amp;", "&")) == 2


def test_trade_office_compliance_counts_equal_the_list_it_links_to(client, login_as, app):
    from tests.factories_trade import ComplianceCaseFactory

    asked = date(2026, 3, 2)
    ComplianceCaseFactory(state="fined", withholding_requested_on=asked)  # withholding asked
    ComplianceCaseFactory(state="fined")  # fined, nothing asked yet: not on the card
    ComplianceCaseFactory(state="services_withheld", withholding_requested_on=asked)
    ComplianceCaseFactory()  # first warning
    db.session.commit()
    login_as("trade_officer")
    page = client.get("/disperindagkop/").get_data(as_text=True)
    asked_n, withheld_n = map(
        int,
        re.search(r"(\d+) (?:requests to withhold|permintaan penahanan).*?(\d+) ", page).groups(),
    )
    assert (asked_n, withheld_n) == (1, 1)
    assert list_length(client, "/disperindagkop/compliance") == asked_n + withheld_n
