"""Informal workers on a 360 px phone: a worker signs up, registers himself (the contribution
updates as he types) and, once BPJS enrols him, sees his dues; a field agent registers three
people in one sitting and sees "all saved"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrolmentRequest, User
from portal.services.enrolment.queue import enrol
from tests.e2e.conftest import login_in_browser
from tests.factories import PASSWORD, UserFactory, make_nik
from tests.factories_informal import AgentAreaFactory

KELURAHAN = "61.72.01.1001"


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _fill_person(page, nik: str, name: str, birth: str = "17-05-1990") -> None:
    page.fill("input[name=nik]", nik)
    page.fill("input[name=full_name]", name)
    page.fill("input[name=birth_date]", birth)
    page.check("input[name=sex][value=L]")


def test_worker_registers_himself_on_a_phone_and_sees_his_dues(live_server, phone_page):
    from playwright.sync_api import expect  # only where the browser tests run

    page, base = phone_page, live_server.url
    page.goto(f"{base}/worker/signup")
    _no_sideways_scroll(page)
    page.fill("input[name=name]", "Ahmad Nelayan")
    page.fill("input[name=email]", "ahmad.nelayan@example.id")
    page.fill("input[name=phone]", "0812 3456 7890")
    page.fill("input[name=password]", "Laut-Biru-2026x")
    page.fill("input[name=confirm]", "Laut-Biru-2026x")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("ahmad.nelayan@example.id")
    login_in_browser(page, live_server, "ahmad.nelayan@example.id", "Laut-Biru-2026x")
    page.goto(f"{base}/worker/register")
    _no_sideways_scroll(page)
    _fill_person(page, make_nik(date(1990, 5, 17), "L"), "Ahmad Nelayan")
    page.select_option("select[name=kelurahan_code]", KELURAHAN)
    page.select_option("select[name=occupation_code]", "nelayan")
    page.fill("input[name=monthly_income]", "1.000.000")
    expect(page.locator("#bpu-preview")).to_contain_text("16.800")
    page.check("input[name=with_jht]")
    expect(page.locator("#bpu-preview")).to_contain_text("36.800")
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert "/worker/" in page.url
    # BPJS enrols him; he sees his membership and this month's dues.
    request_id = db.session.scalar(select(EnrolmentRequest.id))
    enrol(request_id, UserFactory(role="bpjs_officer"), "26000009005")
    db.session.commit()
    page.reload()
    _no_sideways_scroll(page)
    dues = page.inner_text("[data-dues]")
    assert "36.800" in dues


def test_agent_registers_three_people_in_one_sitting_on_a_phone(live_server, phone_page):
    area = AgentAreaFactory()
    db.session.commit()
    page, base = phone_page, live_server.url
    login_in_browser(page, live_server, area.agent.email, PASSWORD)
    page.goto(f"{base}/agent/register")
    _no_sideways_scroll(page)
    names = ["Budi Pasar", "Citra Pasar", "Dedi Pasar"]
    for serial, name in enumerate(names, start=1):
        _fill_person(page, make_nik(date(1990, 5, 17), "L", serial=700 + serial), name)
        if serial == 1:  # shared fields: chosen once, kept for the next person
            page.select_option("select[name=kelurahan_code]", KELURAHAN)
            page.select_option("select[name=occupation_code]", "pedagang_pasar")
            page.fill("input[name=monthly_income]", "1000000")
        else:
            assert page.input_value("select[name=kelurahan_code]") == KELURAHAN
            assert page.input_value("select[name=occupation_code]") == "pedagang_pasar"
        page.check("input[name=consent]")
        page.fill("input[name=consent_name]", name)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert page.locator(".alert-success").count() >= 1
    with page.expect_navigation():
        page.click("a[href$='/agent/sitting']")
    assert page.get_attribute("[data-saved-count]", "data-saved-count") == "3"
    for name in names:
        assert name in page.inner_text("main") or name in page.content()
    _no_sideways_scroll(page)
    assert db.session.scalar(select(User.id).where(User.id == area.agent_id))
