"""Demo API clients for `flask seed-demo` (idempotent): BPJS's membership system, an
SP4N-LAPOR! Open311 channel and the open-data team, with fixed, public demo tokens so the
README's curl examples work against a demo portal. Never use these tokens elsewhere."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Agency
from ..services.api_clients.clients import client_named, register_client

DEMO_CLIENTS = [
    (
        "Sistem kepesertaan BPJS (demo)",
        "bpjs",
        ["enrolment:read", "enrolment:write", "coverage:write"],
    ),
    ("SP4N-LAPOR! (demo)", None, ["complaints:write"]),
    ("Tim Satu Data Singkawang (demo)", None, ["coverage:read"]),
]
DEMO_TOKENS = {
    "Sistem kepesertaan BPJS (demo)": "skw_demo-bpjs-000000000000000000000000000000",
    "SP4N-LAPOR! (demo)": "skw_demo-lapor-00000000000000000000000000000",
    "Tim Satu Data Singkawang (demo)": "skw_demo-opendata-000000000000000000000000",
}


def seed() -> None:
    """Register the demo clients that are missing. The caller commits."""
    agencies = {code: id_ for code, id_ in db.session.execute(select(Agency.code, Agency.id))}
    if not agencies:
        return
    for name, agency_code, scopes in DEMO_CLIENTS:
        if client_named(name) is None:
            agency_id = agencies.get(agency_code) if agency_code else None
            register_client(name, agency_id, scopes, token=DEMO_TOKENS[name])
