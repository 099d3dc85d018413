"""Browser: the dashboard's charts and their tables render, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from portal.demo.scale import ScaleOptions, seed_city
from portal.extensions import db
from portal.services.coverage.periods import current_month
from tests.conftest import PASSWORD
from tests.factories import UserFactory


@pytest.fixture
def city(app):
    seed_city(ScaleOptions(workers=400, businesses=30, months=12, complaints=40))
    user = UserFactory(role="labour_officer")
    db.session.commit()
    return user


def test_coverage_charts_and_their_tables_render(live_server, page, browser_login, city):
    browser_login(page, live_server, city.email, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    chart = page.locator("svg#chart-coverage")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg#chart-coverage .target-band").count() == 1
    assert page.locator("svg#chart-coverage .baseline").count() == 1
    assert page.locator("svg#chart-kecamatan rect").count() >= 5
    rows = page.locator("#table-coverage-monthly tbody tr")
    assert rows.count() == 12
    assert rows.last.locator("th").inner_text() == str(current_month())
    # The chart and the table show the same month count, and the headline figures (official
    # participants, members through the portal) are one month's row of the table: the last
    # month with an official count.
    coverage_line = page.locator("svg#chart-coverage g.series").first
    assert coverage_line.locator("circle").count() == 12
    table = [[cell.inner_text() for cell in row.locator("td").all()] for row in rows.all()]
    headline = (
        page.locator("#kpi-official").inner_text(),
        page.locator("#kpi-members").inner_text(),
    )
    assert headline in [(cells[0], cells[3]) for cells in table]


def test_other_dashboard_pages_render_charts_with_tables(live_server, page, browser_login, city):
    browser_login(page, live_server, city.email, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/pipeline")
    assert page.locator("svg#chart-pipeline").is_visible()
    assert page.locator("#table-pipeline-monthly tbody tr").count() == 12
    page.goto(f"{live_server.url}/dashboard/service")
    assert page.locator("svg#chart-complaints").is_visible()
    assert page.locator("#table-complaints tbody tr").count() >= 1


def test_filters_change_the_report_and_bad_ones_explain(live_server, page, browser_login, city):
    browser_login(page, live_server, city.email, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.select_option("select[name=kecamatan]", "61.72.02")
    page.select_option("select[name=months]", "6")
    with page.expect_navigation():
        page.click("form[aria-label] button[type=submit]")
    assert "kecamatan=61.72.02" in page.url
    assert page.locator("#table-coverage-monthly tbody tr").count() == 6
    assert page.locator("#table-coverage-kecamatan tbody tr").count() == 1
    page.goto(f"{live_server.url}/dashboard/?kecamatan=61.72.99")
    assert page.locator("#kecamatan-error").is_visible()


def test_public_page_fits_a_phone_screen(live_server, phone_page, city):
    phone_page.goto(f"{live_server.url}/dashboard/public")
    assert phone_page.locator("svg#chart-coverage").is_visible()
    assert phone_page.locator("#table-coverage-monthly").count() == 1
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
