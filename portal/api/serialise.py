"""Records as the API shows them (JSON-ready dicts; the shapes are the OpenAPI schemas)."""

from __future__ import annotations

from datetime import date, datetime

from ..models import Business, Complaint, EnrolmentRequest, Membership, OfficialCount, Worker
from ..services.complaints.feed import open311_status
from ..services.complaints.workflow import can_see_identity


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def business(b: Business | None) -> dict | None:
    return None if b is None else {"id": b.id, "nib": b.nib, "name": b.name}


def worker(w: Worker) -> dict:
    return {"nik": w.nik, "full_name": w.full_name, "birth_date": _iso(w.birth_date)}


def enrolment_request(r: EnrolmentRequest) -> dict:
    return {
        "id": r.id,
        "state": r.state,
        "category": r.category,
        "worker": worker(r.worker),
        "business": business(r.business),
        "with_jht": r.with_jht,
        "with_jp": r.with_jp,
        "monthly_amount": r.monthly_amount,
        "monthly_contribution": r.monthly_contribution,
        "submitted_at": _iso(r.submitted_at),
        "sla_due": _iso(r.sla_due),
        "decided_at": _iso(r.decided_at),
        "kpj": r.kpj,
        "return_reason": r.return_reason,
        "reject_reason": r.reject_reason,
        "updated_at": _iso(r.updated_at),
        "version": r.version,
    }


def membership(m: Membership) -> dict:
    return {
        "id": m.id,
        "kpj": m.kpj,
        "state": m.state,
        "category": m.category,
        "funding_source": m.funding_source,
        "with_jht": m.with_jht,
        "with_jp": m.with_jp,
        "monthly_amount": m.monthly_amount,
        "start_date": _iso(m.start_date),
        "end_date": _iso(m.end_date),
        "enrolment_request_id": m.enrolment_request_id,
        "worker": worker(m.worker),
        "business": business(m.business),
    }


def official_count(c: OfficialCount) -> dict:
    return {
        "id": c.id,
        "month": c.period,
        "kecamatan_code": c.kecamatan_code,
        "kecamatan": c.kecamatan.name,
        "category": c.category,
        "count": c.active_participants,
        "source": c.source_document,
        "recorded_at": _iso(c.recorded_at),
        "version": c.version,
    }


def complaint(c: Complaint, user) -> dict:
    shown = can_see_identity(user, c)
    return {
        "id": c.id,
        "tracking_code": c.tracking_code,
        "state": c.state,
        "category": c.category_code,
        "agency": c.agency.code,
        "subject": c.subject,
        "description": c.description,
        "submitted_at": _iso(c.submitted_at),
        "verify_due": _iso(c.verify_due),
        "sla_due": _iso(c.sla_due),
        "resolved_at": _iso(c.resolved_at),
        "resolution": c.resolution,
        "version": c.version,
        "reporter": {"name": c.reporter_name, "phone": c.reporter_phone, "email": c.reporter_email}
        if shown
        else None,
    }


def open311_request(c: Complaint, english: bool) -> dict:
    """GeoReport v2 fields; no personal data (no name, contact, description or subject)."""
    return {
        "service_request_id": str(c.id),
        "status": open311_status(c),
        "status_notes": None,
        "service_name": c.category.name_en if english else c.category.name_id,
        "service_code": c.category_code,
        "description": None,
        "agency_responsible": c.agency.short_name,
        "service_notice": None,
        "requested_datetime": _iso(c.submitted_at),
        "updated_datetime": _iso(c.resolved_at or c.closed_at),
        "expected_datetime": _end_of_wib_day(c.sla_due),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _end_of_wib_day(day: date | None) -> str | None:
    return None if day is None else f"{day.isoformat()}T23:59:59+07:00"
