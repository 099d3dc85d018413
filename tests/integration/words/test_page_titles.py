"""Every page's <title> tells it apart: the pages one role reaches (the endpoint sweep's
walk, without URL parameters) never share a title, and the list, detail, new and escalate
pages of complaints and reprimands are named after what they show."""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape

import pytest

from portal.extensions import db
from tests import factories
from tests.integration.security.test_endpoint_sweep import _request_for, _sweep_rules

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
ROLES = ["bpjs_officer", "trade_officer", "labour_head", "business_owner", "worker"]
#: Endpoints that are one page under two addresses (the same view, shown on purpose).
SAME_PAGE: set[frozenset[str]] = set()


def title_of(response) -> str | None:
    match = _TITLE.search(response.get_data(as_text=True))
    return " ".join(unescape(match.group(1)).split()) if match else None


@pytest.mark.parametrize("role", ROLES)
def test_pages_a_role_reaches_have_distinct_titles(app, client, auth, role):
    user = factories.UserFactory(role=role)
    db.session.commit()
    assert auth.login(user).status_code == 302
    by_title: dict[str, set[str]] = defaultdict(set)
    for rule in _sweep_rules(app):
        if rule.arguments or rule.endpoint.startswith(("admin", "static", "api.", "open311.")):
            continue
        if rule.endpoint == "auth.logout":
            continue
        method, url = _request_for(app, rule)
        if method != "GET":
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        title = title_of(response)
        if title:
            by_title[title].add(rule.endpoint)
    shared = {
        title: sorted(endpoints)
        for title, endpoints in by_title.items()
        if len(endpoints) > 1 and frozenset(endpoints) not in SAME_PAGE
    }
    assert not shared, f"pages sharing a title as {role}: {shared}"


def test_complaint_and_reprimand_pages_are_titled_after_what_they_show(client, staff, switch_to):
    from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory

    complaint = OpenComplaintFactory(subject="Klaim JHT belum cair")
    reprimand = ReprimandFactory(issuer=staff["labour_head"], state="responded")
    db.session.commit()

    switch_to(staff["bpjs_officer"])
    queue = title_of(client.get("/complaints/staff"))
    detail = title_of(client.get(f"/complaints/staff/{complaint.id}"))
    assert detail.startswith(f"Pengaduan {complaint.tracking_code}: Klaim JHT belum cair")
    assert queue != detail

    switch_to(staff["labour_head"])
    titles = {
        url: title_of(client.get(url))
        for url in (
            "/disnaker/reprimands",
            "/disnaker/reprimands/new",
            "/disnaker/reprimands/new?agency=bpjs",
            f"/disnaker/reprimands/{reprimand.id}",
            f"/disnaker/reprimands/{reprimand.id}/escalate",
        )
    }
    assert len(set(titles.values())) == len(titles), titles
    assert titles["/disnaker/reprimands/new?agency=bpjs"].startswith(
        "Terbitkan teguran kepada BPJS Ketenagakerjaan"
    )
    assert titles[f"/disnaker/reprimands/{reprimand.id}/escalate"].startswith(
        f"Tingkatkan teguran {reprimand.letter_number}"
    )
