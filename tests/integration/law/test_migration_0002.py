"""Migration 0002 (issue 12) on a database with rows: the JKK risk class moves onto the
business from what owners chose explicitly (PP 44/2015 annex I: never the old silent
default), running memberships keep a class, demo KPJs are flagged, and it runs both ways."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.extensions import db
from tests.integration.test_migrations import (  # noqa: F401 (fixtures)
    empty_database_url,
    keep_logging,
    migration_app,
)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
NOW = "2026-01-01 00:00:00"
# (employment id, business id, class the owner picked for that employee under 0001)
EMPLOYMENTS = [
    (1, 1, "sangat_rendah"),
    (2, 1, "sangat_rendah"),
    (3, 2, "rendah"),
    (4, 2, "tinggi"),
    (5, 3, "sedang"),
    (6, 3, "sangat_rendah"),
]


def _rows_under_0001() -> None:
    run = lambda sql, **p: db.session.execute(text(sql), p)  # noqa: E731
    run(
        "INSERT INTO sectors (code, name_id, name_en, sort_order, active)"
        " VALUES ('trade', 'P', 'T', 0, true)"
    )
    for code, level, parent in [
        ("61", "provinsi", None),
        ("61.72", "kota", "61"),
        ("61.72.01", "kecamatan", "61.72"),
        ("61.72.01.1001", "kelurahan", "61.72.01"),
    ]:
        run(
            "INSERT INTO regions (code, level, name, parent_code) VALUES (:c, :l, :c, :p)",
            c=code,
            l=level,
            p=parent,
        )
    for i, scale in enumerate(["mikro", "kecil", "menengah"], start=1):
        run(
            "INSERT INTO businesses (id, nib, name, sector_code, scale, kelurahan_code, address,"
            " verification_state, created_at, updated_at, version) VALUES (:i, :nib, :name,"
            " 'trade', :scale, '61.72.01.1001', 'x', 'verified', :t, :t, 1)",
            i=i,
            nib=str(9120000000000 + i),
            name=f"Usaha {i}",
            scale=scale,
            t=NOW,
        )
    for employment_id, business_id, risk in EMPLOYMENTS:
        run(
            "INSERT INTO workers (id, nik, full_name, birth_date, sex, category, created_at)"
            " VALUES (:i, :nik, 'W', '1990-05-15', 'L', 'PU', :t)",
            i=employment_id,
            nik=str(6172011505900000 + employment_id),
            t=NOW,
        )
        run(
            "INSERT INTO employments (id, business_id, worker_id, full_name, kelurahan_code,"
            " occupation, category, monthly_amount, risk_class, with_jht, with_jp, start_date,"
            " created_at, updated_at, version) VALUES (:i, :b, :i, 'n', '61.72.01.1001', 'o',"
            " 'PU', 3000000, :r, true, true, '2026-01-01', :t, :t, 1)",
            i=employment_id,
            b=business_id,
            r=risk,
            t=NOW,
        )
    for membership_id, employment_id, business_id, kpj, risk in [
        (1, 4, 2, "26000001001", None),  # a demo KPJ, enrolled without a class
        (2, 5, 3, "12000000002", "sedang"),
    ]:
        run(
            "INSERT INTO memberships (id, worker_id, kpj, category, with_jht, with_jp,"
            " monthly_amount, risk_class, funding_source, business_id, employment_id,"
            " start_date, state, created_at, version) VALUES (:i, :e, :kpj, 'PU', true, true,"
            " 3000000, :r, 'employer', :b, :e, '2026-01-01', 'active', :t, 1)",
            i=membership_id,
            e=employment_id,
            b=business_id,
            kpj=kpj,
            r=risk,
            t=NOW,
        )
    db.session.commit()


@pytest.mark.usefixtures("migration_app")
def test_migration_0002_moves_the_explicit_risk_class_onto_the_business():
    upgrade(revision="0001")
    _rows_under_0001()
    upgrade(revision="0002")
    classes = dict(db.session.execute(text("SELECT id, risk_class FROM businesses")).all())
    # Only the default everywhere → none (the owner chooses); else the highest explicit one.
    assert classes == {1: None, 2: "tinggi", 3: "sedang"}
    memberships = db.session.execute(
        text("SELECT kpj, risk_class, kpj_is_demo FROM memberships ORDER BY id")
    ).all()
    assert [(k, r, bool(d)) for k, r, d in memberships] == [
        ("26000001001", "tinggi", True),
        ("12000000002", "sedang", False),
    ]
    db.session.commit()
    downgrade(revision="0001")
    restored = dict(db.session.execute(text("SELECT id, risk_class FROM employments")).all())
    assert restored[1] == "sangat_rendah" and restored[4] == "tinggi"
    db.session.commit()
    upgrade(revision="0002")
