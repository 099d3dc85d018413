"""The busy lists stay cheap per row (issue 16): the words a list looks up grow by a small,
fixed number per row. A state macro that builds a dict of every translated label on each call
(7 lookups a row on the memberships list before) fails this; no timing is asserted."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask_babel import Domain

import portal.i18n
from portal.extensions import db
from tests.factories import BusinessFactory
from tests.factories_bpjs import EnrolmentRequestFactory, MembershipFactory
from tests.factories_complaints import OpenComplaintFactory

#: Word lookups a row may add: a complaint row has two badges and its deadline's two words.
PER_ROW = 4
MORE = 10


@pytest.fixture
def count_words(monkeypatch):
    """`with count_words() as n: ...; n[0]`: catalog lookups by templates
    (`request_translations`) and by Python's gettext and lazy labels (Flask-Babel's domain)."""
    calls = [0]
    template_lookup = portal.i18n.request_translations
    domain_lookup = Domain.get_translations

    def counted_template():
        calls[0] += 1
        return template_lookup()

    def counted_domain(self):
        calls[0] += 1
        return domain_lookup(self)

    monkeypatch.setattr(portal.i18n, "request_translations", counted_template)
    monkeypatch.setattr(Domain, "get_translations", counted_domain)

    @contextmanager
    def _count():
        calls[0] = 0
        yield calls
        calls[0] = 0

    return _count


PAGES = {
    "bpjs_officer /bpjs/memberships": (
        "bpjs_officer",
        "/bpjs/memberships",
        lambda user: MembershipFactory(),
    ),
    "bpjs_officer /bpjs/queue": (
        "bpjs_officer",
        "/bpjs/queue",
        lambda user: EnrolmentRequestFactory(),
    ),
    "trade_officer /disperindagkop/directory": (
        "trade_officer",
        "/disperindagkop/directory",
        lambda user: BusinessFactory(),
    ),
    "bpjs_officer /complaints/staff": (
        "bpjs_officer",
        "/complaints/staff",
        lambda user: OpenComplaintFactory(assignee_id=user.id, agency_id=user.agency_id),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_list_looks_up_a_few_words_per_row(client, login_as, count_words, page):
    role, url, make_row = PAGES[page]
    user = login_as(role)
    make_row(user)
    db.session.commit()
    client.get(url)  # first view: templates compile, caches fill
    with count_words() as few:
        assert client.get(url).status_code == 200
        few = few[0]
    for _ in range(MORE):
        make_row(user)
    db.session.commit()
    with count_words() as many:
        html = client.get(url).get_data(as_text=True)
        many = many[0]
    assert html.count("<tr") >= MORE + 2, "the rows were not on the page"
    per_row = (many - few) / MORE
    print(f"{page}: {few} lookups with one row, {per_row:.1f} per row more")
    assert per_row <= PER_ROW, f"{page}: {per_row:.1f} word lookups per row"
