"""The funded-batch page: period and kecamatan filters run in SQL (paging counts agree) and the
CSV/XLSX exports hold every filtered row, not only the page on screen."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.services.coverage.periods import Month
from portal.services.funded_batches.report import BatchFilter, batch_page, batch_rows
from tests.factories_dashboard import BatchFactory, BatchMemberFactory

TENGAH, BARAT, TIMUR = "61.72.01.1001", "61.72.02.1001", "61.72.03.1001"
FEBRUARY_FILLERS = 28


def _member(batch, kelurahan: str):
    return BatchMemberFactory(
        batch=batch,
        membership__kelurahan_code=kelurahan,
        start_date=batch.period_start,
        end_date=batch.period_end,
    )


@pytest.fixture
def batches(app):
    """Hand-made batches (by period and where their members live):

    | batch       | period                  | members            | running in        |
    |-------------|-------------------------|--------------------|-------------------|
    | Rentan 2025 | 2025-07-01 – 2025-11-30 | Tengah 2, Barat 1  | 2025-07 … 2025-11 |
    | Rentan 2026 | 2025-12-15 – 2026-04-30 | Barat 1            | 2025-12 … 2026-04 |
    | Sawit 2026  | 2026-01-01 – 2026-12-31 | Timur 1            | 2026-01 … 2026-12 |
    | Feb 01…28   | 2026-02-01 – 2026-02-28 | none               | 2026-02           |

    Running in 2026-02: Rentan 2026, Sawit 2026 and the 28 February batches = 30 (two pages
    of 25). With members in Barat: Rentan 2025 and Rentan 2026.
    """
    old = BatchFactory(
        name="Rentan 2025", period_start=date(2025, 7, 1), period_end=date(2025, 11, 30)
    )
    for kelurahan in (TENGAH, TENGAH, BARAT):
        _member(old, kelurahan)
    new = BatchFactory(
        name="Rentan 2026", period_start=date(2025, 12, 15), period_end=date(2026, 4, 30)
    )
    _member(new, BARAT)
    sawit = BatchFactory(
        name="Sawit 2026",
        category="sawit",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    _member(sawit, TIMUR)
    for n in range(1, FEBRUARY_FILLERS + 1):
        BatchFactory(
            name=f"Feb {n:02d}", period_start=date(2026, 2, 1), period_end=date(2026, 2, 28)
        )
    db.session.commit()


def _names(rows) -> list[str]:
    return sorted(r.batch.name for r in rows)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (BatchFilter(month=Month(2025, 11)), ["Rentan 2025"]),
        (BatchFilter(month=Month(2025, 12)), ["Rentan 2026"]),  # starts 15 December
        (BatchFilter(month=Month(2026, 5)), ["Sawit 2026"]),  # Rentan 2026 ended in April
        (BatchFilter(kecamatan="61.72.01"), ["Rentan 2025"]),
        (BatchFilter(kecamatan="61.72.02"), ["Rentan 2025", "Rentan 2026"]),
        (BatchFilter(month=Month(2026, 1), kecamatan="61.72.02"), ["Rentan 2026"]),
        (BatchFilter(month=Month(2026, 1), kecamatan="61.72.04"), []),
    ],
)
def test_period_and_kecamatan_pick_the_batches(batches, flt, expected):
    pagination, rows = batch_page(1, flt=flt)
    assert _names(rows) == expected
    assert pagination.total == len(expected)  # counted by the database, not after paging
    assert _names(batch_rows(flt)) == expected


def test_filters_are_applied_before_paging(batches):
    february = BatchFilter(month=Month(2026, 2))
    first, rows = batch_page(1, flt=february)
    assert (first.total, first.pages, len(rows)) == (30, 2, 25)
    second, more = batch_page(2, flt=february)
    assert len(more) == 5
    assert set(_names(rows)).isdisjoint(_names(more))
    assert "Rentan 2025" not in _names(rows) + _names(more)


def test_kecamatan_filter_adds_that_kecamatans_member_counts(batches):
    rows = {r.batch.name: r for r in batch_rows(BatchFilter(kecamatan="61.72.02"))}
    old = rows["Rentan 2025"]
    assert (old.members, old.area_members) == (3, 1)  # the batch's 3, of them 1 in Barat
    assert old.used == 3 * 5 * 16_800  # July–November, budget figures stay the batch's own
    assert (rows["Rentan 2026"].members, rows["Rentan 2026"].area_members) == (1, 1)
    assert batch_rows()[0].area_members is None  # no kecamatan, no extra columns


def _table_rows(page: str) -> list[str]:
    table = page.split('id="table-funded-batches"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row">([^<]*)</th>', table)


def test_the_page_shows_one_page_of_the_filtered_batches(client, login_as, batches):
    login_as("bpjs_officer")
    page = client.get("/dashboard/batches?period=2026-02").get_data(as_text=True)
    assert len(_table_rows(page)) == 25 and "Rentan 2025" not in _table_rows(page)
    assert "Total 30" in page  # the pager counts the filtered batches
    second = client.get("/dashboard/batches?period=2026-02&page=2").get_data(as_text=True)
    assert len(_table_rows(second)) == 5
    # The export links carry the filters.
    assert "/dashboard/export/funded-batches.csv?period=2026-02" in page
    barat = client.get("/dashboard/batches?kecamatan=61.72.02").get_data(as_text=True)
    assert sorted(_table_rows(barat)) == ["Rentan 2025", "Rentan 2026"]
    assert "Peserta di Singkawang Barat" in barat


def test_exports_hold_every_filtered_row_not_only_the_first_page(client, login_as, batches):
    login_as("labour_officer")
    csv = client.get("/dashboard/export/funded-batches.csv?period=2026-02")
    assert csv.status_code == 200
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    names = sorted(line.split(",")[0] for line in lines[1:])
    assert len(names) == 30
    assert names[:2] == ["Feb 01", "Feb 02"] and "Rentan 2026" in names and "Sawit 2026" in names
    assert "Rentan 2025" not in names

    xlsx = client.get("/dashboard/export/funded-batches.xlsx?period=2026-02")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 31  # header + 30

    everything = client.get("/dashboard/export/funded-batches.csv")
    assert len(everything.get_data(as_text=True).lstrip("\ufeff").splitlines()) == 1 + 31


def test_export_with_a_kecamatan_adds_its_member_columns(client, login_as, batches):
    login_as("labour_officer")
    xlsx = client.get("/dashboard/export/funded-batches.xlsx?kecamatan=61.72.02")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.values)
    header, data = rows[0], {r[0]: r for r in rows[1:]}
    members = header.index("Peserta di Singkawang Barat")
    assert sorted(data) == ["Rentan 2025", "Rentan 2026"]
    assert data["Rentan 2025"][members - 2] == 3  # the batch's members …
    assert data["Rentan 2025"][members] == 1  # … of them living in Barat
