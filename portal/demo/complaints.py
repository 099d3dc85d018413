"""Demo records for the complaints area, loaded by `flask seed-demo` (idempotent).

A handful of complaints in different states (one overdue against BPJS) and one reprimand
issued to BPJS citing it. Dates are relative to today so the SLA states stay meaningful.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..domain import clock
from ..domain.clock import WIB, today_wib
from ..extensions import db
from ..models import Agency, Complaint, ComplaintEvent, Reprimand, ReprimandEvent, Role, User
from ..services.reference.lookups import setting, working_calendar
from ..services.reprimands.workflow import format_number

DEMO = [
    # code, agency, category, state, working days ago submitted, subject, hide identity
    (
        "LPR-DEMQ2W7XKA",
        "bpjs",
        "enrolment_slow",
        "submitted",
        1,
        "Pendaftaran BPU belum aktif",
        False,
    ),
    ("LPR-DEMP4H8RZC", "bpjs", "claim_jht", "assigned", 12, "Klaim JHT belum cair", False),
    (
        "LPR-DEMM6T3VNE",
        "bpjs",
        "contribution",
        "waiting_reporter",
        3,
        "Iuran terpotong dua kali",
        True,
    ),
    (
        "LPR-DEMK9F5YSG",
        "disperindagkop",
        "information",
        "resolved",
        6,
        "Syarat pendaftaran UMKM",
        False,
    ),
    ("LPR-DEMJ3B6WQH", "bpjs", "information", "closed", 9, "Jadwal layanan kantor cabang", False),
]


def _user(role: Role) -> User | None:
    return db.session.scalar(
        select(User).where(User.role == role.value, User.active.is_(True)).limit(1)
    )


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    have = set(
        db.session.scalars(
            select(Complaint.tracking_code).where(Complaint.tracking_code.like("LPR-DEM%"))
        )
    )
    agencies = {a.code: a for a in db.session.scalars(select(Agency))}
    if not agencies:
        return
    cal = working_calendar()
    today = today_wib()
    labour = _user(Role.LABOUR_OFFICER)
    officers = {"bpjs": _user(Role.BPJS_OFFICER), "disperindagkop": _user(Role.TRADE_OFFICER)}
    made: dict[str, Complaint] = {}
    for code, agency_code, category, state, ago, subject, hidden in DEMO:
        if code in have:
            continue
        day = today
        while cal.working_days_between(day, today) < ago:
            day -= timedelta(days=1)
        submitted = datetime.combine(day, time(9), WIB)
        budget = {"enrolment_slow": 5, "claim_jht": 5, "contribution": 5, "information": 2}
        complaint = Complaint(
            tracking_code=code,
            reporter_name="Warga Singkawang",
            reporter_phone="081234500000",
            reporter_email="warga@demo.singkawang.id",
            hide_identity=hidden,
            category_code=category,
            agency_id=agencies[agency_code].id,
            subject=subject,
            description=f"{subject}. Sudah beberapa kali ditanyakan ke loket tanpa kejelasan.",
            state=state,
            submitted_at=submitted,
            verify_due=cal.add_working_days(day, 3),
        )
        events = [("submitted", None, "submitted", None, None)]
        if state != "submitted":
            complaint.verified_at = submitted
            complaint.sla_started_on = day
            complaint.sla_due = cal.add_working_days(day, budget[category])
            events.append(("verified", labour, "submitted", "verified", None))
            officer = officers.get(agency_code)
            if officer is not None:
                complaint.assignee_id = officer.id
                events.append(("assigned", officer, "verified", "assigned", None))
        if state == "waiting_reporter":
            complaint.paused_since = submitted + timedelta(days=1)
            events.append(
                ("waiting_reporter", officers[agency_code], "assigned", state, "Mohon kirim KPJ.")
            )
        if state in ("resolved", "closed"):
            complaint.resolved_at = submitted + timedelta(days=1)
            complaint.resolution = "Informasi sudah kami kirim melalui WhatsApp."
            events.append(
                ("resolved", officers[agency_code], "assigned", "resolved", complaint.resolution)
            )
        if state == "closed":
            complaint.closed_at = submitted + timedelta(days=2)
            events.append(("closed", None, "resolved", "closed", None))
        db.session.add(complaint)
        db.session.flush()
        for kind, actor, before, after, note in events:
            db.session.add(
                ComplaintEvent(
                    complaint_id=complaint.id,
                    at=submitted,
                    actor_id=actor.id if actor else None,
                    actor_label=actor.name if actor else "reporter",
                    actor_kind="staff" if actor else "reporter",
                    actor_agency_id=actor.agency_id if actor else None,
                    kind=kind,
                    from_state=before if kind != "submitted" else None,
                    to_state=after,
                    note=note,
                    public=True,
                )
            )
        made[code] = complaint
    _seed_reprimand(agencies, made.get("LPR-DEMP4H8RZC"))


def _seed_reprimand(agencies: dict[str, Agency], overdue: Complaint | None) -> None:
    head = _user(Role.LABOUR_HEAD)
    exists = db.session.scalar(select(Reprimand.id).where(Reprimand.subject.like("[Demo]%")))
    if head is None or overdue is None or exists is not None:
        return
    year = today_wib().year
    seq = (
        max(
            db.session.scalars(select(Reprimand.letter_seq).where(Reprimand.letter_year == year)),
            default=0,
        )
        or 0
    ) + 1
    pattern = setting("reprimand_number_pattern", "800/{seq:03d}/DPMTK-TEG/{year}")
    reprimand = Reprimand(
        letter_number=format_number(pattern, seq, year, 1),
        letter_year=year,
        letter_seq=seq,
        issuing_agency_id=agencies["disnaker"].id,
        addressed_agency_id=agencies["bpjs"].id,
        level=1,
        subject="[Demo] Keterlambatan penyelesaian klaim JHT",
        finding="Pengaduan klaim JHT melewati batas waktu 5 hari kerja tanpa penyelesaian.",
        required_action="Selesaikan klaim dan tetapkan petugas penanggung jawab klaim JHT.",
        deadline=today_wib() + timedelta(days=14),
        state="issued",
        created_by_id=head.id,
        issued_by_id=head.id,
        issued_at=clock.now(),
        complaints=[overdue],
    )
    reprimand.events.append(ReprimandEvent(actor_id=head.id, from_state="draft", to_state="issued"))
    db.session.add(reprimand)
