"""Factories for the employer area: enrolment requests, memberships and upload files."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import factory
from openpyxl import Workbook

from portal.models import EnrolmentRequest, Membership
from portal.models._common import utcnow
from portal.services.employees.upload_format import HEADERS

from .factories import BaseFactory, EmploymentFactory, make_nik


class EnrolmentRequestFactory(BaseFactory):
    class Meta:
        model = EnrolmentRequest

    employment = factory.SubFactory(EmploymentFactory)
    business_id = factory.LazyAttribute(lambda o: o.employment.business_id)
    worker_id = factory.LazyAttribute(lambda o: o.employment.worker_id)
    category = factory.LazyAttribute(lambda o: o.employment.category)
    with_jht = True
    with_jp = True
    monthly_amount = factory.LazyAttribute(lambda o: o.employment.monthly_amount)
    monthly_contribution = 277_200
    employer_share = 187_200
    worker_share = 90_000
    state = "submitted"
    submitted_at = factory.LazyFunction(utcnow)
    sla_due = date(2026, 12, 1)


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    employment = factory.SubFactory(EmploymentFactory)
    worker_id = factory.LazyAttribute(lambda o: o.employment.worker_id)
    business_id = factory.LazyAttribute(lambda o: o.employment.business_id)
    kpj = factory.Sequence(lambda n: f"{26000000000 + n}")
    category = "PU"
    monthly_amount = 3_000_000
    funding_source = "employer"
    start_date = date(2026, 2, 1)
    state = "active"


# --- upload files: good rows, bad rows, bombs ---------------------------------------------


def business_form(business, **overrides) -> dict:
    """The owner's business edit form as posted, from the business's current values."""
    data = {
        "nib": business.nib,
        "name": business.name,
        "sector_code": business.sector_code,
        "scale": business.scale,
        "kelurahan_code": business.kelurahan_code,
        "address": business.address,
        "phone": business.phone,
        "risk_class": business.risk_class,
        "version": business.version,
    }
    return {k: v for k, v in (data | overrides).items() if v is not None}


def row(serial: int, **overrides) -> dict:
    birth = overrides.pop("birth", date(1992, 3, 8))
    sex = overrides.pop("sex", "P")
    cells = {
        "NIK": make_nik(birth, sex, serial=serial),
        "Nama Lengkap (sesuai KTP)": f"Pekerja Unggah {serial}",
        "Tanggal Lahir (DD-MM-YYYY)": birth.strftime("%d-%m-%Y"),
        "Jenis Kelamin (L/P)": sex,
        "Nomor HP": "081200000000",
        "Kelurahan Domisili": "Pasiran",
        "Pekerjaan": "Pelayan",
        "Kategori (PU/BPU)": "PU",
        "Upah/Penghasilan per Bulan (Rp)": "3000000",
        "Ikut JHT (Ya/Tidak)": "Ya",
        "Ikut JP (Ya/Tidak)": "Ya",
        "Tanggal Mulai Kerja (DD-MM-YYYY)": "01-02-2026",
    }
    cells.update(overrides)
    return cells


def xlsx_bytes(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append([cells.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict], encoding: str = "utf-8-sig", sep: str = ",") -> bytes:
    lines = [sep.join(HEADERS)]
    for cells in rows:
        lines.append(sep.join(str(cells.get(h, "")) for h in HEADERS))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def zip_bomb() -> bytes:
    """A valid-looking xlsx whose sheet inflates to 200 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    return out.getvalue()


def xml_bomb() -> bytes:
    """A real workbook whose workbook part carries a billion-laughs entity declaration."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([row(1)])))
    out = io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                if data.startswith(b"<?xml"):
                    data = data.split(b"?>", 1)[1]
                data = laughs.encode() + data
            archive.writestr(info.filename, data)
    return out.getvalue()
