"""Helpers for the complaints tests: valid form data and uploaded files.

The staff, agencies and switch_to fixtures live in tests/integration/conftest.py.
"""

from __future__ import annotations

import io

from PIL import Image

from tests.factories import agency


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()  # a real image: attachments are opened, not only sniffed
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def complaint_form(**overrides) -> dict:
    data = {
        "category": "enrolment_slow",
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
