"""Outreach events: record with linked businesses, list, per-month view."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import OutreachEvent
from portal.services.outreach.events import monthly_summary, parse_nibs
from tests.factories import BusinessFactory
from tests.factories_trade import OutreachEventFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


def _form(**overrides):
    data = {
        "held_on": "2026-03-10",
        "place": "Balai Kelurahan Roban",
        "kelurahan_code": "61.72.01.1001",
        "agencies": ["disperindagkop", "bpjs"],
        "attendance": "40",
        "businesses": "",
        "notes": "Sosialisasi JKK dan JKM",
    }
    data.update(overrides)
    return data


def test_parse_nibs_accepts_lines_commas_and_drops_repeats():
    assert parse_nibs("1, 2\n3;2  1") == ["1", "2", "3"]
    assert parse_nibs(None) == []


def test_officer_records_an_event_with_the_businesses_it_reached(client, officer, audit_actions):
    a, b = BusinessFactory(), BusinessFactory()
    db.session.commit()
    response = client.post(
        "/disperindagkop/outreach/new", data=_form(businesses=f"{a.nib}\n{b.nib}")
    )
    assert response.status_code == 302
    event = db.session.scalar(select(OutreachEvent))
    assert {x.id for x in event.businesses} == {a.id, b.id}
    assert event.agencies_present == "bpjs,disperindagkop"
    assert event.attendance == 40
    assert "outreach.recorded" in audit_actions()
    page = client.get(response.headers["Location"])
    assert a.name in _text(page)


def test_unknown_nibs_are_named_and_nothing_is_saved(client, officer):
    known = BusinessFactory()
    db.session.commit()
    response = client.post(
        "/disperindagkop/outreach/new", data=_form(businesses=f"{known.nib}\n9999999999999")
    )
    assert response.status_code == 400
    assert "9999999999999" in _text(response)
    assert "Balai Kelurahan Roban" in _text(response)  # input kept
    assert db.session.scalar(select(OutreachEvent)) is None


def test_an_event_in_the_future_is_refused(client, officer):
    tomorrow = (today_wib() + timedelta(days=1)).isoformat()
    response = client.post("/disperindagkop/outreach/new", data=_form(held_on=tomorrow))
    assert response.status_code == 400
    assert db.session.scalar(select(OutreachEvent)) is None


def test_missing_agencies_and_negative_attendance_are_refused(client, officer):
    response = client.post("/disperindagkop/outreach/new", data=_form(agencies=[], attendance="-3"))
    assert response.status_code == 400
    assert db.session.scalar(select(OutreachEvent)) is None


def test_month_view_shows_only_that_months_events(client, officer):
    OutreachEventFactory(held_on=date(2026, 3, 5), place="Maret Satu")
    OutreachEventFactory(held_on=date(2026, 4, 5), place="April Satu")
    db.session.commit()
    response = client.get("/disperindagkop/outreach?month=2026-03")
    assert response.status_code == 200
    assert "Maret Satu" in _text(response)
    assert "April Satu" not in _text(response)
    assert client.get("/disperindagkop/outreach?month=2026-13").status_code == 200


def test_monthly_summary_counts_events_attendance_and_distinct_businesses(app):
    shared = BusinessFactory()
    OutreachEventFactory(held_on=date(2026, 3, 5), attendance=10, businesses=[shared])
    OutreachEventFactory(
        held_on=date(2026, 3, 20), attendance=5, businesses=[shared, BusinessFactory()]
    )
    OutreachEventFactory(held_on=date(2026, 5, 1), attendance=7)
    db.session.commit()
    rows = {(r.month): (r.events, r.attendance, r.businesses) for r in monthly_summary(2026)}
    assert rows == {3: (2, 15, 2), 5: (1, 7, 0)}


def test_outreach_list_runs_a_fixed_number_of_queries(client, officer, count_queries):
    def measure() -> int:
        with count_queries() as q:
            assert client.get("/disperindagkop/outreach?year=2026").status_code == 200
        return q.count

    OutreachEventFactory(businesses=[BusinessFactory()])
    db.session.commit()
    small = measure()
    for day in range(1, 20):
        OutreachEventFactory(
            held_on=date(2026, 1 + day % 6, day), businesses=BusinessFactory.create_batch(2)
        )
    db.session.commit()
    assert measure() == small


def test_bpjs_cannot_record_outreach(client, login_as):
    login_as("bpjs_officer")
    assert client.get("/disperindagkop/outreach").status_code == 403
    assert client.post("/disperindagkop/outreach/new", data=_form()).status_code == 403
