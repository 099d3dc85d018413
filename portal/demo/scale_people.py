"""The people half of `flask seed-scale` (see scale_seed.py): workers and everything that
hangs off them, then the trade office's field work and the reprimands.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Agency,
    ContributionPayment,
    Employment,
    EnrolmentRequest,
    FundedBatch,
    FundedBatchMember,
    Membership,
    OutreachEvent,
    Referral,
    Reprimand,
    Worker,
    outreach_event_businesses,
)
from ..services.coverage.periods import Month
from .scale import bulk_insert, wib_moment

PU_MEMBER_SHARE = 0.55
BPU_MEMBER_SHARE = 0.25
JOINED_BEFORE_WINDOW = 0.72  # gives ~27% coverage at the start of the window
FIRST_MEMBER_DAY = date(2016, 1, 1)
PREMIUM = 16_800


def _batches(gen) -> dict[str, dict]:
    end: Month = gen.months[-1]
    # Five-month batches back to back (like Dec 2025–Apr 2026); the current one ends this
    # month, so the dashboard shows it due for renewal.
    old_start, old_end = end.shift(-9).first_day, end.shift(-5).last_day
    cur_start, cur_end = end.shift(-4).first_day, end.last_day
    sawit_start, sawit_end = end.shift(-9).first_day, end.shift(2).last_day
    specs = {
        "rentan_old": ("Pekerja Rentan APBD tahap 1", "rentan", old_start, old_end, 8_000, None),
        "rentan": ("Pekerja Rentan APBD tahap 2", "rentan", cur_start, cur_end, 8_000, "old"),
        "sawit": ("Pekerja Sawit APBD", "sawit", sawit_start, sawit_end, 1_000, None),
    }
    rows, out = [], {}
    old_id = None
    for key, (name, category, start, stop, quota, renews) in specs.items():
        batch_id = gen.ids.take("funded_batches")
        months = Month.of(stop).index - Month.of(start).index + 1
        rows.append(
            {
                "id": batch_id,
                "name": name,
                "funder_type": "apbd",
                "funder_name": "Pemerintah Kota Singkawang",
                "category": category,
                "period_start": start,
                "period_end": stop,
                "quota": quota,
                "monthly_premium": PREMIUM,
                "budget": quota * PREMIUM * months,
                "renewed_from_id": old_id if renews else None,
                "created_by_id": gen.user_id,
            }
        )
        if key == "rentan_old":
            old_id = batch_id
        out[key] = {"id": batch_id, "start": start, "end": stop}
    bulk_insert(FundedBatch, rows)
    return out


def generate_people(gen, n: int) -> dict[str, int]:
    rng = gen.rng
    batches = _batches(gen)
    workers, employments, members, requests, payments = [], [], [], [], []
    batch_members = []
    window_start, today = gen.first, gen.last
    for i in range(n):
        worker_id = gen.ids.take("workers")
        kel, kec = rng.choice(gen.kelurahan)
        category = rng.choices(["PU", "BPU", "rentan", "sawit"], [45, 40, 12, 3])[0]
        sex = rng.choice("LP")
        birth = date(1960, 1, 1) + timedelta(days=i % 15_000)
        day = birth.day + (40 if sex == "P" else 0)
        serial = 5_000 + i // 15_000
        workers.append(
            {
                "id": worker_id,
                "nik": f"6172{kec[-2:]}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
                f"{serial:04d}",
                "full_name": f"Pekerja {i + 1}",
                "birth_date": birth,
                "sex": sex,
                "kelurahan_code": kel,
                "category": category,
                "occupation": "Pekerja",
            }
        )
        employment_id = business_id = None
        amount = rng.choice([1_000_000, 1_000_000, 2_000_000])
        if category == "PU":
            business_id, _ = rng.choice(gen.business_rows) if gen.business_rows else (None, None)
            amount = rng.randrange(2_500_000, 6_000_000, 50_000)
            if business_id:
                employment_id = gen.ids.take("employments")
                employments.append(
                    {
                        "id": employment_id,
                        "business_id": business_id,
                        "worker_id": worker_id,
                        "full_name": f"Pekerja {i + 1}",
                        "kelurahan_code": kel,
                        "occupation": "Pekerja",
                        "category": "PU",
                        "monthly_amount": amount,
                        "start_date": date(2015, 1, 1) + timedelta(days=rng.randint(0, 3_000)),
                    }
                )
        member = _membership(gen, rng, category, batches, window_start, today)
        if member is None:
            if category in ("PU", "BPU") and rng.random() < 0.08:
                requests.append(
                    _open_request(
                        gen,
                        rng,
                        worker_id,
                        business_id,
                        employment_id,
                        category,
                        amount,
                        window_start,
                        today,
                    )
                )
            continue
        start, end, state, lapsed_at, batch = member
        membership_id = gen.ids.take("memberships")
        request_id = None
        if batch is None and start >= window_start:
            request_id = gen.ids.take("enrolment_requests")
            submitted = start - timedelta(days=rng.randint(1, 12))
            requests.append(
                _request_row(
                    request_id,
                    worker_id,
                    business_id,
                    employment_id,
                    category,
                    amount,
                    "enrolled",
                    submitted,
                    start,
                    f"88{membership_id:09d}",
                )
            )
        members.append(
            {
                "id": membership_id,
                "worker_id": worker_id,
                "kpj": f"88{membership_id:09d}",
                "kpj_is_demo": True,  # made up for the demo: never a number BPJS issued
                "category": category,
                "monthly_amount": amount,
                "funding_source": "apbd" if batch else ("employer" if category == "PU" else "self"),
                "risk_class": gen.business_risk.get(business_id) if business_id else None,
                "business_id": business_id,
                "employment_id": employment_id,
                "funded_batch_id": batch,
                "enrolment_request_id": request_id,
                "kelurahan_code": kel,
                "start_date": start,
                "end_date": end,
                "state": state,
                "lapsed_at": lapsed_at,
            }
        )
        if batch:
            batch_members.append(
                {
                    "batch_id": batch,
                    "membership_id": membership_id,
                    "start_date": start,
                    "end_date": end,
                    "added_by_id": gen.user_id,
                }
            )
        payments.extend(
            _payments(
                membership_id, category, amount, batch, start, end, lapsed_at, window_start, today
            )
        )
    bulk_insert(Worker, workers)
    bulk_insert(Employment, employments)
    bulk_insert(EnrolmentRequest, requests)
    bulk_insert(Membership, members)
    bulk_insert(FundedBatchMember, batch_members)
    bulk_insert(ContributionPayment, payments, chunk=10_000)
    return {
        "workers": len(workers),
        "employments": len(employments),
        "memberships": len(members),
        "enrolment_requests": len(requests),
        "contribution_payments": len(payments),
        "funded_batches": len(batches),
    }


def _membership(gen, rng, category, batches, window_start, today):
    """(start, end, state, lapsed_at, batch id) or None when the worker is not a member."""
    if category in ("rentan", "sawit"):
        roll = rng.random()
        key = None
        if category == "sawit" and roll < 0.6:
            key = "sawit"
        elif category == "rentan" and roll < 0.5:
            key = "rentan"
        elif category == "rentan" and roll < 0.85:
            key = "rentan_old"
        if key is None or batches[key]["start"] > today:
            return None
        batch = batches[key]
        ended = batch["end"] < today
        return batch["start"], batch["end"], "ended" if ended else "active", None, batch["id"]
    share = PU_MEMBER_SHARE if category == "PU" else BPU_MEMBER_SHARE
    if rng.random() >= share:
        return None
    if rng.random() < JOINED_BEFORE_WINDOW:
        start = gen.day_between(FIRST_MEMBER_DAY, window_start - timedelta(days=1))
    else:
        start = gen.day_between(window_start, today)
    fate = rng.random()
    if fate < 0.08:
        lapse = gen.day_between(start + timedelta(days=30), today + timedelta(days=400))
        if lapse <= today:
            return start, None, "lapsed", lapse, None
    elif fate < 0.12:
        stop = gen.day_between(start + timedelta(days=30), today + timedelta(days=400))
        if stop <= today:
            return start, stop, "ended", None, None
    return start, None, "active", None, None


def _payments(membership_id, category, amount, batch, start, end, lapsed_at, first, today):
    rows = []
    month = Month.of(max(start, first))
    stop = Month.of(min(d for d in (end, lapsed_at, today) if d is not None))
    if lapsed_at is not None:
        stop = stop.shift(-1)
    due = PREMIUM if batch or category != "PU" else amount * 1024 // 10_000
    while month <= stop:
        paid_on = (
            month.shift(1).first_day + timedelta(days=9)
            if category == "PU"
            else (month.first_day + timedelta(days=11))
        )
        if paid_on > today:
            break
        rows.append(
            {
                "membership_id": membership_id,
                "period": str(month),
                "amount": due,
                "paid_on": paid_on,
                "channel": "apbd" if batch else "bank",
            }
        )
        month = month.shift(1)
    return rows


def _request_row(
    request_id,
    worker_id,
    business_id,
    employment_id,
    category,
    amount,
    state,
    submitted: date,
    decided: date | None,
    kpj=None,
) -> dict:
    contribution = amount * 1024 // 10_000 if category == "PU" else PREMIUM
    return {
        "id": request_id,
        "business_id": business_id,
        "worker_id": worker_id,
        "employment_id": employment_id,
        "category": category,
        "monthly_amount": amount,
        "monthly_contribution": contribution,
        "state": state,
        "submitted_at": wib_moment(submitted, 9),
        "decided_at": wib_moment(decided, 14) if decided else None,
        "kpj": kpj,
    }


def _open_request(
    gen, rng, worker_id, business_id, employment_id, category, amount, first, today
) -> dict:
    state = rng.choices(["submitted", "in_review", "returned", "rejected"], [30, 10, 25, 35])[0]
    submitted = gen.day_between(first, today)
    decided = None
    if state in ("returned", "rejected"):
        decided = min(submitted + timedelta(days=rng.randint(1, 10)), today)
    return _request_row(
        gen.ids.take("enrolment_requests"),
        worker_id,
        business_id,
        employment_id,
        category,
        amount,
        state,
        submitted,
        decided,
    )


def generate_trade_and_reprimands(gen) -> dict[str, int]:
    rng = gen.rng
    agencies = dict(db.session.execute(select(Agency.code, Agency.id)).all())
    events, links, referrals, reprimands = [], [], [], []
    business_ids = [b for b, _ in gen.business_rows]
    in_progress: set[int] = set()
    for month in gen.months:
        for _ in range(8):
            day = gen.day_between(month.first_day, min(month.last_day, gen.last))
            if day > gen.last:
                continue
            event_id = gen.ids.take("outreach_events")
            kel, _kec = rng.choice(gen.kelurahan)
            events.append(
                {
                    "id": event_id,
                    "held_on": day,
                    "place": "Aula kelurahan",
                    "kelurahan_code": kel,
                    "agencies_present": "disperindagkop,bpjs",
                    "attendance": rng.randint(10, 60),
                    "created_by_id": gen.user_id,
                }
            )
            for business_id in rng.sample(business_ids, min(len(business_ids), 8)):
                links.append({"event_id": event_id, "business_id": business_id})
        for _ in range(30):
            if not business_ids:
                break
            day = gen.day_between(month.first_day, min(month.last_day, gen.last))
            state = rng.choices(["open", "contacted", "registered", "declined"], [20, 20, 45, 15])[
                0
            ]
            business_id = rng.choice(business_ids)
            if state in ("open", "contacted"):
                # One referral in progress per business (a partial unique index says so).
                if business_id in in_progress:
                    state = "declined"
                in_progress.add(business_id)
            done = state in ("registered", "declined")
            referrals.append(
                {
                    "id": gen.ids.take("referrals"),
                    "business_id": business_id,
                    "referred_by_id": gen.user_id,
                    "reason": "Belum mendaftarkan pekerja",
                    "contact_person": "Pemilik usaha",
                    "state": state,
                    "workers_enrolled": rng.randint(1, 8) if state == "registered" else 0,
                    "outcome_by_id": gen.user_id if done else None,
                    "outcome_at": wib_moment(min(day + timedelta(days=10), gen.last), 11)
                    if done
                    else None,
                    "created_at": wib_moment(day, 10),
                }
            )
        for k in range(2):
            day = gen.day_between(month.first_day, min(month.last_day, gen.last))
            state = rng.choices(
                ["issued", "acknowledged", "responded", "closed"], [15, 15, 20, 50]
            )[0]
            answered = state in ("responded", "closed")
            reprimands.append(
                {
                    "id": gen.ids.take("reprimands"),
                    "letter_number": f"800/S{month.index:05d}{k}/DPMTK-TEG/{month.year}",
                    "issuing_agency_id": agencies["disnaker"],
                    "addressed_agency_id": agencies["bpjs"],
                    "level": 1,
                    "subject": "Keterlambatan layanan",
                    "finding": "Pengaduan melewati batas waktu.",
                    "required_action": "Selesaikan pengaduan yang terlambat.",
                    "deadline": gen.calendar.add_working_days(day, 10),
                    "state": state,
                    "created_by_id": gen.user_id,
                    "issued_by_id": gen.user_id,
                    "issued_at": wib_moment(day, 10),
                    "responded_at": wib_moment(min(day + timedelta(days=7), gen.last), 11)
                    if answered
                    else None,
                    "closed_at": wib_moment(min(day + timedelta(days=12), gen.last), 12)
                    if state == "closed"
                    else None,
                }
            )
    bulk_insert(OutreachEvent, events)
    bulk_insert(outreach_event_businesses, links)
    bulk_insert(Referral, referrals)
    bulk_insert(Reprimand, reprimands)
    return {
        "outreach_events": len(events),
        "referrals": len(referrals),
        "reprimands": len(reprimands),
    }
