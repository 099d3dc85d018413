"""`flask sla-sweep`: the escalation ladder, idempotence, and pages showing the same state."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent, Complaint, Notification
from portal.services.complaints.escalation import sweep
from portal.services.complaints.sla import sla_status
from portal.services.reference.lookups import working_calendar
from tests.factories_complaints import OpenComplaintFactory


def _started_days_ago(working_days: int, budget: int = 5):
    """Start and due dates so that `working_days` of `budget` have passed today."""
    cal = working_calendar()
    start = today_wib()
    while cal.working_days_between(start, today_wib()) < working_days:
        start -= timedelta(days=1)
    return start, cal.add_working_days(start, budget)


def _notices(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_on_track_complaints_get_nothing(staff):
    start, due = _started_days_ago(1)
    OpenComplaintFactory(sla_started_on=start, sla_due=due, assignee_id=staff["bpjs_officer"].id)
    db.session.commit()
    report = sweep()
    assert report.checked == 1 and report.notices == 0


def test_reminder_to_the_assignee_at_three_quarters(staff):
    start, due = _started_days_ago(4)
    complaint = OpenComplaintFactory(
        sla_started_on=start, sla_due=due, assignee_id=staff["bpjs_officer"].id
    )
    db.session.commit()
    sweep()
    db.session.commit()
    assert _notices(staff["bpjs_officer"]) == ["reminder"]
    assert _notices(staff["bpjs_head"]) == []
    assert db.session.get(Complaint, complaint.id).escalation_level == 1


def test_overdue_goes_to_the_head_then_the_labour_office(staff, runner):
    complaint = OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id)  # due March 2026
    db.session.commit()
    result = runner.invoke(args=["sla-sweep"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 open complaints" in result.output
    db.session.expire_all()
    assert _notices(staff["bpjs_officer"]) == ["reminder"]
    assert _notices(staff["bpjs_head"]) == ["overdue"]
    assert _notices(staff["labour_head"]) == ["escalated"]
    assert _notices(staff["trade_head"]) == []
    assert db.session.get(Complaint, complaint.id).escalation_level == 3
    levels = db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "complaint.escalated")
    ).all()
    assert len(levels) == 3


def test_the_sweep_is_idempotent(staff, runner):
    OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id)
    db.session.commit()
    runner.invoke(args=["sla-sweep"])
    second = runner.invoke(args=["sla-sweep"])
    assert "0 notifications" in second.output
    assert db.session.query(Notification).count() == 3
    assert (
        db.session.query(AuditEvent).filter(AuditEvent.action == "complaint.escalated").count() == 3
    )


def test_paused_and_closed_complaints_are_not_escalated(staff):
    from portal.models._common import utcnow

    OpenComplaintFactory(state="waiting_reporter", paused_since=utcnow())
    OpenComplaintFactory(state="closed", resolved_at=utcnow())
    db.session.commit()
    report = sweep()
    assert report.notices == 0 and report.raised == {}


def test_unassigned_reminder_goes_to_the_agency_head(staff):
    start, due = _started_days_ago(4)
    OpenComplaintFactory(state="verified", sla_started_on=start, sla_due=due)
    db.session.commit()
    sweep()
    db.session.commit()
    assert _notices(staff["bpjs_head"]) == ["reminder"]


def test_the_queue_page_shows_the_same_state_the_sweep_uses(client, staff, switch_to):
    complaint = OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id)
    db.session.commit()
    status = sla_status(complaint, today_wib(), working_calendar())
    assert status.code == "escalated"
    switch_to(staff["bpjs_officer"])
    body = client.get("/complaints/staff").get_data(as_text=True)
    # Indonesian label of "Overdue – labour office" (or the English msgid before compiling).
    assert "Terlambat – Disnaker" in body or "Overdue – labour office" in body


def test_late_verification_is_flagged_to_the_labour_heads_once(staff):
    from tests.factories_complaints import ComplaintFactory

    ComplaintFactory()  # verify_due in March 2026, still submitted
    db.session.commit()
    sweep()
    db.session.commit()
    sweep()
    db.session.commit()
    assert _notices(staff["labour_head"]) == ["overdue"]
    assert _notices(staff["bpjs_head"]) == []


def test_labour_queue_shows_triage_and_its_own_agency_only(client, staff, switch_to):
    from tests.factories_complaints import ComplaintFactory

    waiting = ComplaintFactory()
    bpjs_work = OpenComplaintFactory()
    own = OpenComplaintFactory(agency_code="disnaker")
    db.session.commit()
    switch_to(staff["labour_officer"])
    body = client.get("/complaints/staff").get_data(as_text=True)
    assert waiting.tracking_code in body and own.tracking_code in body
    assert bpjs_work.tracking_code not in body  # that one is on the oversight pages


def test_a_reopened_complaint_that_goes_overdue_again_is_escalated_again(staff):
    from portal.models._common import utcnow
    from portal.services.complaints.reporter import reopen

    complaint = OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id)  # due March 2026
    db.session.commit()
    sweep()
    db.session.commit()
    first_due = complaint.sla_due
    complaint.state = "resolved"
    complaint.resolved_at = utcnow() - timedelta(days=3)
    db.session.commit()

    reopen(complaint, "Pekerja kami masih belum terdaftar.")
    db.session.commit()
    assert complaint.escalation_level == 0 and complaint.sla_due > first_due

    report = sweep()
    db.session.commit()
    assert report.raised == {1: 1, 2: 1, 3: 1}
    assert _notices(staff["bpjs_head"]) == ["overdue", "overdue"]
    assert _notices(staff["labour_head"]) == ["escalated", "escalated"]
    assert db.session.get(Complaint, complaint.id).escalation_level == 3
