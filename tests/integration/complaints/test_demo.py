"""The complaints demo data: different states, one overdue, one reprimand; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo.accounts import seed_demo_users
from portal.demo.complaints import seed
from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import Complaint, Reprimand
from portal.services.complaints.sla import sla_status
from portal.services.reference.lookups import working_calendar


def test_demo_seed_is_idempotent_and_has_an_overdue_complaint_and_a_reprimand(app):
    seed_demo_users()
    seed()
    db.session.commit()
    seed()
    db.session.commit()
    assert db.session.scalar(select(func.count(Complaint.id))) == 5
    states = set(db.session.scalars(select(Complaint.state)))
    assert {"submitted", "assigned", "waiting_reporter", "resolved", "closed"} <= states
    codes = {
        c.tracking_code: sla_status(c, today_wib(), working_calendar()).code
        for c in db.session.scalars(select(Complaint))
    }
    assert codes["LPR-DEMP4H8RZC"] in {"overdue", "escalated"}
    reprimand = db.session.scalar(select(Reprimand))
    assert reprimand.addressed_agency.code == "bpjs" and reprimand.state == "issued"
    assert db.session.scalar(select(func.count(Reprimand.id))) == 1
