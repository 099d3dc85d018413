"""State badges come from one table per record kind (portal/web/labels.py): every state the
database allows has its label and colour, shown in the reader's language."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

from portal.models import (
    BusinessScale,
    ComplianceState,
    EnrolmentState,
    FundingSource,
    MembershipState,
    ReferralState,
    VerificationState,
)
from portal.web import labels

TABLES = [
    (EnrolmentState, labels.ENROLMENT_BADGES),
    (MembershipState, labels.MEMBERSHIP_BADGES),
    (VerificationState, labels.VERIFICATION_BADGES),
    (ReferralState, labels.REFERRAL_BADGES),
    (ComplianceState, labels.COMPLIANCE_BADGES),
]


@pytest.mark.parametrize(("states", "badges"), TABLES, ids=lambda t: getattr(t, "__name__", ""))
def test_every_state_has_a_badge_and_a_bootstrap_colour(states, badges):
    assert set(badges) == {s.value for s in states}
    colours = {"primary", "secondary", "success", "info", "warning", "danger"}
    assert {colour for _label, colour in badges.values()} <= colours


def test_every_funding_source_and_scale_has_a_name():
    assert set(labels.FUNDING_NAMES) == {s.value for s in FundingSource}
    assert set(labels.SCALE_NAMES) == {s.value for s in BusinessScale}


def test_the_macros_show_the_label_in_the_readers_language(app):
    page = (
        '{% from "bpjs/_state.html" import request_state, membership_state, funding %}'
        '{% from "disperindagkop/_labels.html" import compliance_badge, scale_label %}'
        "{{ request_state('in_review') }}|{{ membership_state('active') }}|{{ funding('apbd') }}"
        "|{{ compliance_badge('withdrawn') }}|{{ scale_label('mikro') }}|{{ request_state('odd') }}"
    )
    with app.test_request_context("/"):
        indonesian = render_template_string(page)
        with force_locale("en"):
            english = render_template_string(page)
    assert english == (
        '<span class="badge text-bg-info">In review</span>'
        '|<span class="badge text-bg-success">Active</span>|APBD'
        '|<span class="badge text-bg-secondary">SP1 withdrawn</span>|Micro'
        '|<span class="badge text-bg-secondary">odd</span>'
    )
    assert '<span class="badge text-bg-success">Aktif</span>' in indonesian
    assert "In review" not in indonesian and "Mikro" in indonesian
