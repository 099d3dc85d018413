"""One demo account per role, all with the same password (`flask seed-demo`)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Role, User
from ..services.accounts import users as accounts

DEMO_PASSWORD = "Singkawang2026"
DEMO_USERS = [
    ("admin@demo.singkawang.id", "Admin Portal", Role.ADMIN),
    ("pemilik@demo.singkawang.id", "Budi Santoso", Role.BUSINESS_OWNER),
    ("petugas.bpjs@demo.singkawang.id", "Siti Rahma", Role.BPJS_OFFICER),
    ("kepala.bpjs@demo.singkawang.id", "Hendra Wijaya", Role.BPJS_HEAD),
    ("petugas.dagang@demo.singkawang.id", "Lina Marlina", Role.TRADE_OFFICER),
    ("kepala.dagang@demo.singkawang.id", "Agus Salim", Role.TRADE_HEAD),
    ("petugas.naker@demo.singkawang.id", "Dewi Lestari", Role.LABOUR_OFFICER),
    ("kepala.naker@demo.singkawang.id", "Rudi Hartono", Role.LABOUR_HEAD),
    ("pekerja@demo.singkawang.id", "Ahmad Fauzi", Role.WORKER),
    ("agen@demo.singkawang.id", "Sri Wahyuni", Role.FIELD_AGENT),
]

#: NIPs of the demo civil servants (birth date, appointment month, sex, serial): the letters
#: they sign print them.
DEMO_NIPS = {
    "petugas.dagang@demo.singkawang.id": "199003152015032001",
    "kepala.dagang@demo.singkawang.id": "197508121999031002",
    "petugas.naker@demo.singkawang.id": "199207222017042001",
    "kepala.naker@demo.singkawang.id": "197301091998031003",
}


def seed_demo_users() -> list[tuple[str, str]]:
    """One demo account per role (idempotent). Returns (email, role) pairs."""
    for email, name, role in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            user = accounts.create_user(email=email, name=name, role=role, password=DEMO_PASSWORD)
            if email in DEMO_NIPS:
                accounts.set_nip(user, DEMO_NIPS[email])
    return [(email, role.value) for email, _, role in DEMO_USERS]
