"""Demo records for `flask seed-demo`: a few verified businesses with employees.

Each area adds its own demo records through a function here; all are idempotent.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Business, Role, User, VerificationState

# (NIB, name, sector, scale, kelurahan, JKK risk class of the activity, PP 44/2015 annex I).
# The scale decides the required programmes (Perpres 109/2013 art. 6): the micro shops owe
# JKK + JKM, the small workshop + JHT, the medium plantation + JP.
DEMO_BUSINESSES = [
    ("9120001234561", "Warung Kopi Aming", "food_drink", "mikro", "61.72.01.1001", "sangat_rendah"),
    ("9120001234562", "Toko Kelontong Sinar", "trade", "mikro", "61.72.02.1002", "sangat_rendah"),
    ("9120001234563", "Bengkel Las Jaya", "services", "kecil", "61.72.03.1001", "sedang"),
    ("9120001234564", "CV Sawit Makmur", "agriculture", "menengah", "61.72.05.1001", "tinggi"),
]


def seed_demo_businesses() -> None:
    owner = db.session.scalar(select(User).where(User.role == Role.BUSINESS_OWNER).limit(1))
    if owner is None:
        return
    have = set(db.session.scalars(select(Business.nib)))
    for nib, name, sector, scale, kelurahan, risk_class in DEMO_BUSINESSES:
        if nib in have:
            continue
        db.session.add(
            Business(
                nib=nib,
                name=name,
                owner_id=owner.id,
                sector_code=sector,
                scale=scale,
                risk_class=risk_class,
                kelurahan_code=kelurahan,
                address="Jl. Demo No. 1, Singkawang",
                phone="081234567890",
                verification_state=VerificationState.VERIFIED,
            )
        )
    db.session.flush()


def seed_demo_records() -> None:
    """Every area's demo records, in dependency order."""
    from . import api as api_demo
    from . import bpjs as bpjs_demo
    from . import complaints as complaints_demo
    from . import dashboard as dashboard_demo
    from . import employer as employer_demo
    from . import informal as informal_demo
    from . import trade as trade_demo

    seed_demo_businesses()
    for area in (
        employer_demo,
        trade_demo,
        bpjs_demo,
        informal_demo,
        complaints_demo,
        dashboard_demo,
        api_demo,
    ):
        area.seed()
        db.session.flush()
