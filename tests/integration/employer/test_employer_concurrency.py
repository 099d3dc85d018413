"""Two submissions of the same employees at the same moment create one request each."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Business, EnrolmentRequest
from portal.services.enrolment.submission import submit_enrolments
from tests.factories import BusinessFactory, EmploymentFactory


def test_simultaneous_submits_never_duplicate_a_request(app):
    business = BusinessFactory()
    ids = [EmploymentFactory(business=business).id for _ in range(3)]
    db.session.commit()
    business_id = business.id
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            with app.app_context():
                owned = db.session.get(Business, business_id)
                start.wait(timeout=10)
                outcome = submit_enrolments(owned, ids)
                db.session.commit()
                outcomes.append((len(outcome.created), outcome.already))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    count = db.session.scalar(select(func.count(EnrolmentRequest.id)))
    assert count == 3
    assert errors == []
    assert sorted(outcomes) == [(0, 3), (3, 0)]


def test_a_request_the_pre_check_missed_is_caught_by_the_unique_index(app, monkeypatch):
    """The race the pre-check cannot see: the partial unique index answers, not a 500."""
    import portal.services.enrolment.submission as enrolment

    business = BusinessFactory()
    taken = EmploymentFactory(business=business)
    free = EmploymentFactory(business=business)
    db.session.commit()
    assert submit_enrolments(business, [taken.id]).created
    db.session.commit()
    monkeypatch.setattr(enrolment, "BLOCKING_STATES", ("enrolled",))  # blind the pre-check
    outcome = submit_enrolments(business, [taken.id, free.id])
    db.session.commit()
    assert [r.employment_id for r in outcome.created] == [free.id]
    assert outcome.already == 1
    assert db.session.scalar(select(func.count(EnrolmentRequest.id))) == 2
