"""The owner's whole journey in a real browser on a 360 px phone.

Sign up, register a business, (the trade office verifies it), add an employee by form,
upload a file with good and bad rows, fix it, save, submit for enrolment, see the states
BPJS sets (returned with a reason, enrolled with a KPJ) and resubmit the returned one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Business, EnrolmentRequest
from portal.services.businesses.verification import verify_business
from tests.e2e.conftest import login_in_browser
from tests.factories import UserFactory, make_nik
from tests.factories_employer import row, xlsx_bytes

PASSWORD = "Kopi-Singkawang-2026"


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"page is {width}px wide at {page.url}"


def test_owner_journey_from_sign_up_to_enrolment_states(live_server, phone_page, tmp_path):
    page = phone_page
    base = live_server.url

    # Sign up.
    page.goto(f"{base}/auth/signup")
    page.fill("#name", "Budi Pemilik")
    page.fill("#email", "budi@usaha.id")
    page.fill("#phone", "081255500011")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # The same "check your email" for any address (it never says one is taken); log in next.
    assert "Periksa email Anda" in page.inner_text("main")
    no_sideways_scroll(page)
    login_in_browser(page, live_server, "budi@usaha.id", PASSWORD)
    assert page.url.endswith("/employer/")
    no_sideways_scroll(page)

    # Register a business; a wrong NIB first shows the error next to the field.
    page.get_by_role("link", name="Daftarkan usaha").click()
    page.fill("#nib", "12345")
    page.fill("#name", "Warung Kopi Budi")
    page.select_option("#sector_code", "food_drink")
    page.select_option("#scale", "menengah")  # every programme required (Perpres 109/2013)
    page.select_option("#kelurahan_code", "61.72.01.1001")
    page.select_option("#risk_class", "sangat_rendah")  # the business's JKK class
    page.fill("#address", "Jl. Diponegoro 12")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "NIB harus tepat 13 angka" in page.inner_text("#nib-error")
    assert page.input_value("#name") == "Warung Kopi Budi"
    page.fill("#nib", "9120009876543")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#not-verified").is_visible()
    no_sideways_scroll(page)

    # The trade office verifies it (its queue is another area: a direct service call).
    business = db.session.scalar(select(Business).where(Business.nib == "9120009876543"))
    verify_business(business, UserFactory(role="trade_officer"))
    db.session.commit()
    page.reload()
    assert page.locator("#not-verified").count() == 0

    # Add an employee by form; a birth date that disagrees with the NIK is explained first.
    page.get_by_role("link", name="Tambah karyawan").click()
    page.fill("#nik", make_nik(date(1990, 5, 17), "L", serial=77))
    page.fill("#full_name", "Ahmad Fauzi")
    page.fill("#birth_date", "1990-06-17")
    page.check("#sex-0")
    page.select_option("#kelurahan_code", "61.72.01.1002")
    page.fill("#occupation", "Barista")
    page.check("#category-0")
    page.fill("#monthly_amount", "5.000.000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "17-05-90" in page.inner_text("#birth_date-error")
    page.fill("#birth_date", "1990-05-17")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Rp 462.000" in page.inner_text("[data-testid=contribution-total]")
    no_sideways_scroll(page)

    # Upload a file with good and bad rows: the report names the problems, nothing saved.
    bad = row(2, **{"Tanggal Lahir (DD-MM-YYYY)": "09-03-1992"})
    rows = [
        row(1),
        bad,
        row(3, **{"Upah/Penghasilan per Bulan (Rp)": "3000000"}),
    ]
    first = tmp_path / "karyawan.xlsx"
    first.write_bytes(xlsx_bytes(rows))
    page.goto(f"{base}/employer/businesses/{business.id}/upload")
    page.set_input_files("#file", str(first))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("#summary")
    assert page.inner_text("[data-testid=error-rows]") == "1"
    assert "Tanggal lahir tidak cocok dengan NIK" in page.inner_text("#report")
    no_sideways_scroll(page)

    # Fix the file and upload it again: all clean, then save.
    rows[1] = row(2)
    fixed = tmp_path / "karyawan-perbaikan.xlsx"
    fixed.write_bytes(xlsx_bytes(rows))
    page.get_by_role("link", name="Unggah berkas lain").click()
    page.set_input_files("#file", str(fixed))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("#summary")
    assert page.inner_text("[data-testid=error-rows]") == "0"
    assert page.inner_text("[data-testid=clean-rows]") == "3"
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan 3 baris yang benar").click()
    assert page.locator("#employees tbody tr").count() == 4

    # Submit all not yet enrolled; a second click creates nothing twice.
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan semua yang belum terdaftar").click()
    assert "4 karyawan diajukan ke BPJS" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan semua yang belum terdaftar").click()
    assert db.session.scalar(select(db.func.count(EnrolmentRequest.id))) == 4
    assert page.locator("#employees >> text=Diajukan").count() == 4

    # BPJS (its own issue) returns one request and enrols another.
    requests = db.session.scalars(select(EnrolmentRequest).order_by(EnrolmentRequest.id)).all()
    requests[0].state, requests[0].return_reason = "returned", "Upah tidak sesuai slip gaji"
    requests[1].state, requests[1].kpj = "enrolled", "26012345678"
    db.session.commit()
    page.goto(f"{base}/employer/")
    assert "Upah tidak sesuai slip gaji" in page.inner_text("main")
    page.goto(f"{base}/employer/enrolments")
    text = page.inner_text("main")
    assert "Dikembalikan" in text and "Terdaftar" in text and "26012345678" in text

    # Correct and resubmit the returned one.
    employment_id = requests[0].employment_id
    page.goto(f"{base}/employer/employees/{employment_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajukan ulang ke BPJS").click()
    assert "dikirim kembali ke BPJS" in page.inner_text("main")
    db.session.expire_all()
    assert db.session.get(EnrolmentRequest, requests[0].id).state == "submitted"
    no_sideways_scroll(page)
