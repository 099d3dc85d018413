"""Reference data shipped with the product, loaded idempotently.

Rows that exist are left alone (an admin may have edited a display name or a rate); missing
rows are added. Called by `flask seed-reference`, `flask seed-demo` and the test fixtures.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ...extensions import db
from ...models import Agency, ComplaintCategory, RateValue, Region, Sector, Setting

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

AGENCIES = [
    ("disnaker", "Dinas Penanaman Modal dan Tenaga Kerja Kota Singkawang", "Disnaker"),
    (
        "disperindagkop",
        "Dinas Perdagangan, Perindustrian, Koperasi dan UKM Kota Singkawang",
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

# (key, effective_from, value, note). Rates in basis points, amounts in rupiah (DOMAIN.md).
RATES = [
    ("pu_jkk_sangat_rendah", date(2015, 7, 1), 24, "PP 44/2015"),
    ("pu_jkk_rendah", date(2015, 7, 1), 54, "PP 44/2015"),
    ("pu_jkk_sedang", date(2015, 7, 1), 89, "PP 44/2015"),
    ("pu_jkk_tinggi", date(2015, 7, 1), 127, "PP 44/2015"),
    ("pu_jkk_sangat_tinggi", date(2015, 7, 1), 174, "PP 44/2015"),
    ("pu_jkm", date(2015, 7, 1), 30, "PP 44/2015"),
    ("pu_jht_employer", date(2015, 7, 1), 370, "PP 46/2015"),
    ("pu_jht_worker", date(2015, 7, 1), 200, "PP 46/2015"),
    ("pu_jp_employer", date(2015, 7, 1), 200, "PP 45/2015"),
    ("pu_jp_worker", date(2015, 7, 1), 100, "PP 45/2015"),
    ("jp_wage_ceiling", date(2022, 3, 1), 9_077_600, "public sources; verify"),
    ("jp_wage_ceiling", date(2023, 3, 1), 9_559_600, "2023"),
    ("jp_wage_ceiling", date(2024, 3, 1), 10_042_300, "from 1 Mar 2024"),
    ("jp_wage_ceiling", date(2025, 3, 1), 10_547_400, "2025, UNSURE"),
    ("bpu_jkk", date(2015, 7, 1), 100, "1% of declared income"),
    ("bpu_jkm_flat", date(2015, 7, 1), 6_800, "flat per month"),
    ("bpu_jht", date(2015, 7, 1), 200, "2% of declared income, optional"),
    ("bpu_income_min", date(2015, 7, 1), 1_000_000, "lowest declared income"),
    ("bpu_income_max", date(2015, 7, 1), 20_700_000, "highest declared income"),
    ("employer_late_fine", date(2015, 7, 1), 200, "2% per month late"),
]

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

SETTINGS = [
    ("membership_grace_days", "30", "Days after the due date before an unpaid membership lapses"),
    ("complaint_verify_working_days", "3", "Working days for the labour office to verify"),
    ("enrolment_sla_working_days", "5", "Working days for BPJS to decide an enrolment"),
    ("reprimand_number_pattern", "800/{seq:03d}/DPMTK-TEG/{year}", "Reprimand letter number"),
    ("coverage_baseline_pct", "27", "Coverage when the programme started (%)"),
    ("coverage_target_low_pct", "40", "Lower end of the target band (%)"),
    ("coverage_target_high_pct", "50", "Upper end of the target band (%)"),
    ("compliance_fine_bp_per_month", "10", "Late-registration fine, basis points per month"),
    ("business_invitation_days", "14", "Days a business owner's invitation link stays valid"),
    ("upload_retention_days", "30", "Days uploaded files and their rows are kept (personal data)"),
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

    have = set(db.session.scalars(select(Setting.key)))
    for key, value, description in SETTINGS:
        if key not in have:
            db.session.add(Setting(key=key, value=value, description=description))
    db.session.flush()
