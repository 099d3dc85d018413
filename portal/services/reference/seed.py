"""Reference data shipped with the product, loaded idempotently.

Rows that exist are left alone (an admin may have edited a display name or a rate); missing
rows are added. Called by `flask seed-reference`, `flask seed-demo` and the test fixtures.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import holidays
from sqlalchemy import select

from ...extensions import db
from ...models import (
    Agency,
    ComplaintCategory,
    DayOff,
    Occupation,
    ProgrammeRequirement,
    RateValue,
    Region,
    Sector,
    Setting,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

AGENCIES = [
    ("disnaker", "Dinas Penanaman Modal dan Tenaga Kerja Kota Singkawang", "Disnaker"),
    (
        "disperindagkop",
        "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kota Singkawang",
        "Disperindagkop",
    ),
    ("bpjs", "BPJS Ketenagakerjaan Kantor Cabang Singkawang", "BPJS Ketenagakerjaan"),
]

SECTORS = [
    ("trade", "Perdagangan", "Trade"),
    ("food_drink", "Makanan dan minuman", "Food and drink"),
    ("agriculture", "Pertanian / kelapa sawit", "Agriculture / palm oil"),
    ("fisheries", "Perikanan", "Fisheries"),
    ("crafts", "Kerajinan", "Crafts"),
    ("transport", "Transportasi", "Transport"),
    ("services", "Jasa", "Services"),
    ("construction", "Konstruksi", "Construction"),
    ("other", "Lainnya", "Other"),
]

# (key, effective_from, value, source). Rates in basis points, amounts in rupiah; the source
# is the regulation or circular that sets the value (shown in the admin beside the value).
RATES = [
    ("pu_jkk_sangat_rendah", date(2015, 7, 1), 24, "PP 44/2015 lampiran I (JKK 0,24%)"),
    ("pu_jkk_rendah", date(2015, 7, 1), 54, "PP 44/2015 lampiran I (JKK 0,54%)"),
    ("pu_jkk_sedang", date(2015, 7, 1), 89, "PP 44/2015 lampiran I (JKK 0,89%)"),
    ("pu_jkk_tinggi", date(2015, 7, 1), 127, "PP 44/2015 lampiran I (JKK 1,27%)"),
    ("pu_jkk_sangat_tinggi", date(2015, 7, 1), 174, "PP 44/2015 lampiran I (JKK 1,74%)"),
    ("pu_jkm", date(2015, 7, 1), 30, "PP 44/2015 pasal 18 (JKM 0,30%)"),
    ("pu_jht_employer", date(2015, 7, 1), 370, "PP 46/2015 pasal 16 (JHT 3,7% pemberi kerja)"),
    ("pu_jht_worker", date(2015, 7, 1), 200, "PP 46/2015 pasal 16 (JHT 2% pekerja)"),
    ("pu_jp_employer", date(2015, 7, 1), 200, "PP 45/2015 pasal 28 (JP 2% pemberi kerja)"),
    ("pu_jp_worker", date(2015, 7, 1), 100, "PP 45/2015 pasal 28 (JP 1% pekerja)"),
    ("jp_wage_ceiling", date(2022, 3, 1), 9_077_600, "Surat BPJS Ketenagakerjaan 2022"),
    ("jp_wage_ceiling", date(2023, 3, 1), 9_559_600, "Surat BPJS Ketenagakerjaan 2023"),
    ("jp_wage_ceiling", date(2024, 3, 1), 10_042_300, "Surat BPJS Ketenagakerjaan 2024"),
    ("jp_wage_ceiling", date(2025, 3, 1), 10_547_400, "Surat BPJS Ketenagakerjaan 2025"),
    ("jp_wage_ceiling", date(2026, 3, 1), 11_086_300, "Surat Edaran BPJS TK B/1226/022026"),
    ("bpu_jkk", date(2015, 7, 1), 100, "PP 44/2015 pasal 17 (BPU JKK 1%)"),
    ("bpu_jkm_flat", date(2015, 7, 1), 6_800, "PP 44/2015 pasal 19 (BPU JKM Rp 6.800)"),
    ("bpu_jht", date(2015, 7, 1), 200, "PP 46/2015 pasal 17 (BPU JHT 2%)"),
    ("bpu_income_min", date(2015, 7, 1), 1_000_000, "PP 44/2015 lampiran III"),
    ("bpu_income_max", date(2015, 7, 1), 20_700_000, "PP 44/2015 lampiran III"),
    ("employer_late_fine", date(2015, 7, 1), 200, "PP 44/2015 pasal 55 (denda 2%/bulan)"),
    # JP pension age: 56, then 57 from 1 Jan 2019, one more year every three years up to 65.
    *(
        ("jp_pension_age", date(year, 1, 1), age, "PP 45/2015 pasal 15 (usia pensiun)")
        for year, age in [(2015, 56), *((2019 + 3 * i, 57 + i) for i in range(9))]
    ),
]

PERPRES_109_ART_6 = "Perpres 109/2013 pasal 6"
# (scale, effective_from, required programmes, source): the programmes an employer of each
# scale must join (Perpres 109/2013 art. 6, in force since 1 Jan 2014). Large businesses
# follow the medium row (the portal registers micro, small and medium businesses).
PROGRAMME_REQUIREMENTS = [
    ("mikro", date(2014, 1, 1), "JKK JKM", f"{PERPRES_109_ART_6} ayat (3) (usaha mikro)"),
    ("kecil", date(2014, 1, 1), "JKK JKM JHT", f"{PERPRES_109_ART_6} ayat (2) (usaha kecil)"),
    (
        "menengah",
        date(2014, 1, 1),
        "JKK JKM JHT JP",
        f"{PERPRES_109_ART_6} ayat (1) (usaha menengah dan besar)",
    ),
]

#: Years whose joint leave days (cuti bersama) are seeded from the `holidays` package.
CUTI_BERSAMA_YEARS = range(2024, 2031)
CUTI_BERSAMA_SOURCE = "SKB 3 Menteri (paket holidays, kategori government)"

COMPLAINT_CATEGORIES = [
    # (code, name_id, name_en, working days): light 2, normative 5, 14 without oversight, 60.
    ("enrolment_slow", "Pendaftaran lambat", "Enrolment slow", 5),
    ("contribution", "Iuran atau pembayaran", "Contribution or payment", 5),
    ("claim_jht", "Klaim JHT lambat", "JHT claim slow", 5),
    ("claim_jkk", "Klaim JKK lambat", "JKK claim slow", 14),
    ("claim_jkm", "Klaim JKM lambat", "JKM claim slow", 5),
    ("claim_scholarship", "Klaim beasiswa lambat", "Scholarship claim slow", 14),
    ("information", "Permintaan informasi", "Information request", 2),
    ("staff_conduct", "Perilaku petugas", "Staff conduct", 60),
    ("other", "Lainnya", "Other", 14),
]

OCCUPATIONS = [
    # (code, name_id, name_en, asks for text): informal workers' own occupations (BPU).
    ("pedagang_pasar", "Pedagang pasar", "Market trader", False),
    ("ojek", "Ojek / pengemudi", "Ojek rider / driver", False),
    ("nelayan", "Nelayan", "Fisherman", False),
    ("petani_sawit", "Petani / pekebun sawit", "Farmer / palm-oil smallholder", False),
    ("buruh_harian", "Buruh harian", "Day labourer", False),
    ("usaha_rumahan", "Usaha rumahan", "Home-based producer", False),
    ("pedagang_keliling", "Pedagang keliling", "Street vendor", False),
    ("lainnya", "Lainnya", "Other", True),
]

SETTINGS = [
    ("membership_grace_days", "30", "Days after the due date before an unpaid membership lapses"),
    ("complaint_verify_working_days", "3", "Working days for the labour office to verify"),
    ("enrolment_sla_working_days", "5", "Working days for BPJS to decide an enrolment"),
    ("reprimand_number_pattern", "800/{seq:03d}/DPMTK-TEG/{year}", "Reprimand letter number"),
    ("coverage_baseline_pct", "27", "Coverage when the programme started (%)"),
    ("coverage_target_low_pct", "40", "Lower end of the target band (%)"),
    ("coverage_target_high_pct", "50", "Upper end of the target band (%)"),
    ("coverage_target_year", "2029", "Year by which the coverage targets should be reached"),
    ("figures_version", "0", "Changes whenever published figures do (cache key)"),
    ("compliance_fine_bp_per_month", "10", "Late-registration fine, basis points per month"),
    ("business_invitation_days", "14", "Days a business owner's invitation link stays valid"),
    ("upload_retention_days", "30", "Days uploaded files and their rows are kept (personal data)"),
    ("agent_fee_bp", "500", "Field agents' fee on dues collected, basis points (500 = 5%)"),
    ("dues_reminder_days", "3", "Days before the 15th a BPU member is reminded of his dues"),
    ("lapse_warning_days", "7", "Days before lapsing a member with unpaid dues is warned"),
    ("batch_end_notice_days", "30", "Days before a funded batch ends its members are told"),
]


def read_regions() -> list[dict[str, str]]:
    with (DATA_DIR / "singkawang_regions.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_reference_data() -> None:
    """Insert every missing reference row. The caller commits."""
    have = set(db.session.scalars(select(Agency.code)))
    for code, name, short in AGENCIES:
        if code not in have:
            db.session.add(Agency(code=code, name=name, short_name=short))

    have = set(db.session.scalars(select(Region.code)))
    for row in read_regions():  # parents come first in the file
        if row["code"] not in have:
            db.session.add(
                Region(
                    code=row["code"],
                    level=row["level"],
                    name=row["name"],
                    parent_code=row["parent_code"] or None,
                )
            )
            db.session.flush()

    have = set(db.session.scalars(select(Sector.code)))
    for order, (code, name_id, name_en) in enumerate(SECTORS):
        if code not in have:
            db.session.add(Sector(code=code, name_id=name_id, name_en=name_en, sort_order=order))

    have_rates = set(db.session.execute(select(RateValue.key, RateValue.effective_from)).all())
    for key, effective_from, value, note in RATES:
        if (key, effective_from) not in have_rates:
            db.session.add(
                RateValue(key=key, effective_from=effective_from, value=value, note=note)
            )

    have_rules = set(
        db.session.execute(
            select(ProgrammeRequirement.scale, ProgrammeRequirement.effective_from)
        ).all()
    )
    for scale, effective_from, programmes, source in PROGRAMME_REQUIREMENTS:
        if (scale, effective_from) not in have_rules:
            db.session.add(
                ProgrammeRequirement(
                    scale=scale, effective_from=effective_from, programmes=programmes, source=source
                )
            )

    have = set(db.session.scalars(select(Occupation.code)))
    for order, (code, name_id, name_en, asks_text) in enumerate(OCCUPATIONS):
        if code not in have:
            db.session.add(
                Occupation(
                    code=code,
                    name_id=name_id,
                    name_en=name_en,
                    sort_order=order,
                    asks_text=asks_text,
                )
            )

    have = set(db.session.scalars(select(ComplaintCategory.code)))
    for order, (code, name_id, name_en, days) in enumerate(COMPLAINT_CATEGORIES):
        if code not in have:
            db.session.add(
                ComplaintCategory(
                    code=code,
                    name_id=name_id,
                    name_en=name_en,
                    sla_working_days=days,
                    sort_order=order,
                )
            )

    load_joint_leave_days()

    have = set(db.session.scalars(select(Setting.key)))
    for key, value, description in SETTINGS:
        if key not in have:
            db.session.add(Setting(key=key, value=value, description=description))
    db.session.flush()


def load_joint_leave_days(years: Iterable[int] = CUTI_BERSAMA_YEARS) -> int:
    """Add the government's joint leave days (cuti bersama) to the admin's days off, so every
    deadline skips them out of the box; days already there (an admin may have edited or
    added one) are left alone. Returns the number of days added. The caller commits."""
    known = holidays.country_holidays("ID", years=list(years), categories=("government",))
    have = set(db.session.scalars(select(DayOff.day)))
    added = 0
    for day, name in sorted(known.items()):
        if day not in have:
            db.session.add(
                DayOff(
                    day=day,
                    kind="cuti_bersama",
                    description=f"{name} ({CUTI_BERSAMA_SOURCE})"[:200],
                )
            )
            added += 1
    return added
