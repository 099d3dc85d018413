"""Demo records of informal workers' own door: the demo worker registered himself and pays
his dues, the demo field agent works in two kelurahan and registered people now in different
states (waiting at BPJS, active and paid, lapsed, returned), with cash waiting for BPJS; the
BPJS demo's funded batch ends within 30 days and one of its members chose to continue
self-paid (BPJS has yet to enter his KPJ). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..domain.clock import today_wib
from ..extensions import db
from ..models import (
    AgentArea,
    CashCollection,
    ContributionPayment,
    EnrolmentChannel,
    Membership,
    MembershipState,
    Role,
    User,
    Worker,
)
from ..services.enrolment.own_account import OwnAccountInput, register_own_account
from ..services.enrolment.queue import enrol, return_for_correction
from ..services.informal.agents import register_person
from ..services.informal.continuation import continue_self_paid
from ..services.membership.common import add_months, period_key

WORKER_EMAIL = "pekerja@demo.singkawang.id"
AGENT_EMAIL = "agen@demo.singkawang.id"
AGENT_AREAS = ("61.72.01.1001", "61.72.01.1002")

#: (NIK, name, birth date, sex, occupation, what happens): the agent's people.
AGENT_PEOPLE = [
    ("6172015203850001", "Nurhayati", date(1985, 3, 12), "P", "pedagang_pasar", "waiting"),
    ("6172010708800002", "Bong Kim Fat", date(1980, 8, 7), "L", "nelayan", "active"),
    ("6172012511920003", "Yohanes Apui", date(1992, 11, 25), "L", "ojek", "lapsed"),
    ("6172016404900004", "Maria Ulfa", date(1990, 4, 24), "P", "usaha_rumahan", "returned"),
]
SELF_NIK = "6172011506880005"


#: Made-up KPJs for the demo people (BPJS issues real ones), flagged `kpj_is_demo`.
DEMO_INFORMAL_KPJS = tuple(f"2600000{n:04d}" for n in range(3001, 3021))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _person(nik, name, birth, sex, occupation, kelurahan, income=1_000_000) -> OwnAccountInput:
    return OwnAccountInput(
        nik=nik,
        full_name=name,
        birth_date=birth,
        sex=sex,
        phone="0812" + nik[-8:],
        kelurahan_code=kelurahan,
        occupation_code=occupation,
        occupation_other="",
        monthly_income=income,
        with_jht=False,
    )


def _backdate(membership: Membership, months: int, paid: int) -> None:
    """Make an enrolled demo membership `months` old with its first `paid` months paid."""
    today = today_wib()
    membership.start_date = add_months(today, -months)
    for i in range(paid):
        db.session.add(
            ContributionPayment(
                membership_id=membership.id,
                period=period_key(add_months(membership.start_date, i)),
                amount=16_800,
                paid_on=add_months(membership.start_date, i) + timedelta(days=9),
                channel="field_agent",
            )
        )


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    worker_user, agent = _user(WORKER_EMAIL), _user(AGENT_EMAIL)
    officer = db.session.scalar(select(User).where(User.role == Role.BPJS_OFFICER).limit(1))
    if worker_user is None or agent is None or officer is None:
        return
    if db.session.scalar(select(Worker.id).where(Worker.nik == SELF_NIK)) is not None:
        return
    for code in AGENT_AREAS:
        db.session.add(AgentArea(agent_id=agent.id, kelurahan_code=code))
    db.session.flush()
    # The worker registered himself; BPJS enrolled him; he paid all but this month.
    own = register_own_account(
        _person(
            SELF_NIK,
            worker_user.name,
            date(1988, 6, 15),
            "L",
            "petani_sawit",
            AGENT_AREAS[0],
            1_500_000,
        ),
        channel=EnrolmentChannel.SELF,
        account=worker_user,
    )
    membership = enrol(own.id, officer, DEMO_INFORMAL_KPJS[0])
    membership.kpj_is_demo = True
    _backdate(membership, 3, 3)
    # The agent's people, one sitting.
    for number, (nik, name, birth, sex, occupation, fate) in enumerate(AGENT_PEOPLE, start=1):
        request = register_person(
            agent,
            _person(nik, name, birth, sex, occupation, AGENT_AREAS[1]),
            consent=True,
            consent_name=name,
        )
        if fate == "returned":
            return_for_correction(request.id, officer, "Foto KTP tidak terbaca, mohon ulangi.")
        elif fate in ("active", "lapsed"):
            member = enrol(request.id, officer, DEMO_INFORMAL_KPJS[number])
            member.kpj_is_demo = True
            if fate == "active":
                _backdate(member, 4, 4)
                db.session.add(
                    CashCollection(
                        agent_id=agent.id,
                        membership_id=member.id,
                        receipt_no="PRS-0001",
                        amount=16_800,
                        first_period=period_key(add_months(today_wib(), 1)),
                        months=1,
                        collected_on=today_wib(),
                    )
                )
            else:
                _backdate(member, 4, 1)
                member.state = MembershipState.LAPSED.value
                member.lapsed_at = today_wib() - timedelta(days=20)
    db.session.flush()
    # One member of the BPJS demo's ending programme chose to go on paying himself: BPJS's
    # batch-choices page waits for the KPJ its system issues.
    funded = db.session.scalar(
        select(Membership)
        .where(
            Membership.funded_batch_id.is_not(None), Membership.state != MembershipState.ENDED.value
        )
        .order_by(Membership.id)
        .limit(1)
    )
    if funded is not None and funded.funded_batch.period_end >= today_wib():
        continue_self_paid(funded, None)
