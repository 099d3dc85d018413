"""Bulk upload: dry run, report, confirm all clean rows or nothing, limits and bombs."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    EmployeeUpload,
    EmployeeUploadRow,
    Employment,
    Worker,
)
from portal.services.audit.trail import verify_chain
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory, WorkerFactory
from tests.factories_employer import csv_bytes, row, xlsx_bytes, xml_bomb, zip_bomb


def upload(client, business, content: bytes, name="karyawan.xlsx", js="0"):
    return client.post(
        f"/employer/businesses/{business.id}/upload",
        data={"file": (io.BytesIO(content), name), "js": js},
        content_type="multipart/form-data",
    )


def latest_upload() -> EmployeeUpload:
    return db.session.scalar(select(EmployeeUpload).order_by(EmployeeUpload.id.desc()))


def confirm(client, up: EmployeeUpload, sha=None):
    return client.post(f"/employer/uploads/{up.token}/confirm", data={"sha256": sha or up.sha256})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_template_has_the_exact_indonesian_headers(client, owner):
    response = client.get("/employer/upload-template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("NIK", "Nama Lengkap (sesuai KTP)", "Tanggal Lahir (DD-MM-YYYY)")
    assert len(header) == 12


def test_dry_run_saves_nothing_and_reports_each_row(client, business):
    rows = [
        row(1),
        row(2, **{"Tanggal Lahir (DD-MM-YYYY)": "09-03-1992"}),  # disagrees with NIK
        row(3, **{"Kategori (PU/BPU)": "BPU", "Upah/Penghasilan per Bulan (Rp)": "500000"}),
        row(1, **{"Nama Lengkap (sesuai KTP)": "Duplikat"}),  # NIK again, line 2
        row(5, **{"Kelurahan Domisili": "Atlantis"}),
    ]
    response = upload(client, business, xlsx_bytes(rows))
    assert response.status_code == 302
    up = latest_upload()
    assert up.state == "checked"
    assert (up.total_rows, up.new_rows, up.error_rows) == (5, 1, 4)
    assert count(Employment) == 0 and count(Worker) == 0
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tanggal lahir tidak cocok dengan NIK" in html  # Indonesian by default
    assert "baris 2" in html
    assert "UU 24/2011" in html  # a BPU row: no self-paid scheme for an employer's worker
    assert "Kelurahan Domisili" in html


def test_a_nik_kept_as_text_with_an_apostrophe_is_still_a_duplicate(client, business):
    first = row(1)
    again = row(1, **{"NIK": "'" + first["NIK"], "Nama Lengkap (sesuai KTP)": "Lagi"})
    upload(client, business, csv_bytes([first, again]), name="karyawan.csv")
    up = latest_upload()
    assert (up.total_rows, up.new_rows, up.error_rows) == (2, 1, 1)
    assert confirm(client, up).status_code == 302
    assert count(Employment) == 1 and count(Worker) == 1


def test_confirm_saves_all_clean_rows_and_the_same_file_again_changes_nothing(client, business):
    content = xlsx_bytes([row(1), row(2), row(3, **{"NIK": "123"})])
    upload(client, business, content)
    first = latest_upload()
    response = confirm(client, first)
    assert response.status_code == 302
    assert count(Employment) == 2 and count(Worker) == 2
    assert count(EmployeeUploadRow) == 0  # staged personal data is not kept
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employees.uploaded"))
    assert verify_chain() is None  # bulk saving keeps the audit chain intact
    upload(client, business, content)
    second = latest_upload()
    assert (second.new_rows, second.unchanged_rows, second.error_rows) == (0, 2, 1)
    assert confirm(client, second).status_code == 302
    assert count(Employment) == 2 and count(Worker) == 2


def test_confirming_twice_saves_once(client, business):
    upload(client, business, xlsx_bytes([row(1)]))
    up = latest_upload()
    confirm(client, up)
    confirm(client, up)
    assert count(Employment) == 1


def test_altered_hash_or_unknown_token_saves_nothing(client, business):
    upload(client, business, xlsx_bytes([row(1)]))
    up = latest_upload()
    response = confirm(client, up, sha="0" * 64)
    assert response.status_code == 302
    assert count(Employment) == 0
    assert (
        client.post("/employer/uploads/forged/confirm", data={"sha256": up.sha256}).status_code
        == 404
    )


def test_data_changed_since_the_dry_run_means_nothing_is_saved(client, business):
    upload(client, business, xlsx_bytes([row(1), row(2)]))
    up = latest_upload()
    # Meanwhile the second worker is added by form with different data.
    cells = row(2)
    worker = WorkerFactory(
        nik=cells["NIK"], birth_date=__import__("datetime").date(1992, 3, 8), sex="P"
    )
    EmploymentFactory(business=business, worker=worker, occupation="Kasir")
    db.session.commit()
    confirm(client, up)
    assert count(Employment) == 1  # only the one added meanwhile; the file saved nothing
    db.session.refresh(up)
    assert up.state == "checked"


def test_existing_worker_of_another_business_is_linked_not_duplicated(client, business):
    cells = row(7)
    worker = WorkerFactory(nik=cells["NIK"], birth_date=date(1992, 3, 8), sex="P")
    EmploymentFactory(business=BusinessFactory(owner=UserFactory()), worker=worker)
    db.session.commit()
    upload(client, business, xlsx_bytes([cells]))
    up = latest_upload()
    assert up.link_rows == 1
    confirm(client, up)
    assert count(Worker) == 1
    assert db.session.scalar(select(func.count()).where(Employment.worker_id == worker.id)) == 2


def test_csv_with_or_without_bom_and_semicolons_is_accepted(client, business):
    upload(client, business, csv_bytes([row(1)]), name="a.csv")
    assert latest_upload().new_rows == 1
    upload(client, business, csv_bytes([row(2)], encoding="utf-8", sep=";"), name="b.txt")
    assert latest_upload().new_rows == 1


def test_csv_not_in_utf8_is_refused_with_a_clear_message(client, business):
    rows = [row(1, **{"Nama Lengkap (sesuai KTP)": "Désirée"})]
    response = upload(client, business, csv_bytes(rows, encoding="cp1252"), name="x.csv")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert count(EmployeeUpload) == 0


def test_zip_bomb_disguised_as_xlsx_is_refused(client, business):
    response = upload(client, business, zip_bomb())
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert count(EmployeeUpload) == 0


def test_xml_bomb_inside_xlsx_is_refused(client, business):
    response = upload(client, business, xml_bomb())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "DTD" in html
    assert count(EmployeeUpload) == 0


def test_type_is_checked_by_content_not_name(client, business):
    for content in (b"\xd0\xcf\x11\xe0" + b"\0" * 600, b"\x89PNG\r\n\x1a\n\0\0\0", b""):
        response = upload(client, business, content, name="karyawan.xlsx")
        assert response.status_code == 400
    assert count(EmployeeUpload) == 0


def test_size_and_row_limits(client, app, business):
    app.config["UPLOAD_MAX_ROWS"] = 3
    response = upload(client, business, csv_bytes([row(i) for i in range(1, 5)]), name="a.csv")
    assert response.status_code == 400
    assert "3" in response.get_data(as_text=True)
    app.config["UPLOAD_MAX_BYTES"] = 100
    response = upload(client, business, csv_bytes([row(1)]), name="a.csv")
    assert response.status_code == 400
    assert count(EmployeeUpload) == 0


def test_missing_columns_are_named(client, business):
    response = upload(client, business, b"NIK,Nama\r\n6172011705900001,Ali\r\n", name="a.csv")
    assert response.status_code == 400
    assert "Tanggal Lahir (DD-MM-YYYY)" in response.get_data(as_text=True)


def test_progress_is_reported_chunk_by_chunk(client, business, monkeypatch):
    import portal.services.employees.bulk as bulk

    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)
    monkeypatch.setattr(bulk.check_chunk, "__defaults__", (2,))
    response = upload(client, business, xlsx_bytes([row(i) for i in range(1, 6)]), js="1")
    up = latest_upload()
    assert up.state == "checking"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="progressbar"' in page
    seen = []
    for _ in range(5):
        data = client.post(
            f"/employer/uploads/{up.token}/check", headers={"Accept": "application/json"}
        ).get_json()
        seen.append(data["percent"])
        if data["state"] == "checked":
            break
    assert seen == [40, 80, 100]
    assert client.get(f"/employer/uploads/{up.token}/progress").get_json()["state"] == "checked"


def test_report_downloads_as_xlsx_with_an_error_column(client, business):
    upload(client, business, xlsx_bytes([row(1), row(2, **{"NIK": "61720"})]))
    up = latest_upload()
    response = client.get(f"/employer/uploads/{up.token}/report.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-1] in ("Kesalahan", "Errors")
    assert rows[1][-1] in ("", None)
    assert "16" in rows[2][-1]


def test_another_owner_cannot_see_or_confirm_my_upload(client, auth, business):
    upload(client, business, xlsx_bytes([row(1)]))
    up = latest_upload()
    auth.logout()
    stranger = UserFactory()
    db.session.commit()
    auth.login(stranger)
    for url in ("", "/progress", "/report.xlsx"):
        assert client.get(f"/employer/uploads/{up.token}{url}").status_code == 404
    assert confirm(client, up).status_code == 404
    assert client.get(f"/employer/businesses/{business.id}/upload").status_code == 404
    assert count(Employment) == 0


def test_unconfirmed_uploads_past_their_lifetime_lose_their_staged_rows(client, business):
    from datetime import timedelta

    from portal.models._common import utcnow

    upload(client, business, xlsx_bytes([row(1)]))
    old = latest_upload()
    old.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert confirm(client, old).status_code == 302
    assert count(Employment) == 0  # too old to confirm
    upload(client, business, xlsx_bytes([row(2)]))
    db.session.refresh(old)
    assert old.state == "discarded"
    assert db.session.scalar(select(func.count()).where(EmployeeUploadRow.upload_id == old.id)) == 0


def test_uploads_are_rate_limited_per_owner(client, app, business):
    app.config["EMPLOYEE_UPLOAD_RATE_LIMIT"] = "2 per hour"
    content = csv_bytes([row(1)])
    assert upload(client, business, content, name="a.csv").status_code == 302
    assert upload(client, business, content, name="a.csv").status_code == 302
    assert upload(client, business, content, name="a.csv").status_code == 429
