"""Helpers for the labour-office tests: staff users, agencies, switching logins."""

from __future__ import annotations

import io

import pytest

from portal.extensions import db
from portal.models import Agency
from tests.factories import UserFactory, agency

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def complaint_form(**overrides) -> dict:
    data = {
        "category": "enrollment_slow",
        "agency": str(agency("bpjs").id),
        "subject": "Pendaftaran pekerja belum diproses",
        "description": "Sudah tiga minggu pendaftaran dua pekerja kami belum diproses.",
        "reporter_name": "Ani Pelapor",
        "reporter_phone": "0812-9876-5432",
        "reporter_email": "ani@example.id",
        "website": "",
    }
    data.update(overrides)
    return data


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


@pytest.fixture
def agencies(app) -> dict[str, Agency]:
    return {code: agency(code) for code in ("bpjs", "disperindagkop", "disnaker")}


@pytest.fixture
def staff(app):
    """One user per staff role, committed."""
    users = {
        role: UserFactory(role=role, name=f"Petugas {role}")
        for role in (
            "bpjs_officer",
            "bpjs_head",
            "trade_officer",
            "trade_head",
            "labour_officer",
            "labour_head",
        )
    }
    db.session.commit()
    return users


@pytest.fixture
def switch_to(auth):
    """Log out whoever is logged in and log in `user`."""

    def _switch(user):
        auth.logout()
        response = auth.login(user)
        assert response.status_code == 302
        return user

    return _switch
