"""The admin is drawn with the portal's own Bootstrap 5 (issue 17, item 8): every admin page
loads the portal's stylesheets and script, no file of Bootstrap 4 (Flask-Admin's default
theme), no Bootstrap 4 data-API markup, and sits in the portal's frame."""

from __future__ import annotations

import re

import pytest
from flask_admin.contrib.sqla import ModelView

from portal.extensions import db
from tests.factories import BusinessFactory

ASSET = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"')
#: Bootstrap 4 itself, its popper, Flask-Admin's Bootstrap 4 helpers and themes.
BOOTSTRAP4 = re.compile(
    r"bootstrap4|/popper|bs4_modal|dropdown-ml-hack|font-awesome|fontawesome", re.IGNORECASE
)
#: Bootstrap 4's data API and classes that Bootstrap 5 dropped or renamed; icon-font glyphs
#: (no icon font is loaded: words instead).
BOOTSTRAP4_MARKUP = re.compile(
    r'\sdata-(?:toggle|target|dismiss)=|class="(?:[^"]*\s)?(?:form-group|form-inline|custom-select'
    r"|custom-control|input-group-append|input-group-prepend|sr-only|float-right|float-left"
    r"|badge-(?:primary|secondary|success|danger|warning|info)|close|ml-\d|mr-\d|pl-\d|pr-\d"
    r'|fa|glyphicon)[\s"]'
)
PORTAL_ASSETS = (
    "/static/vendor/bootstrap/bootstrap.min.css",
    "/static/vendor/bootstrap/bootstrap.bundle.min.js",
    "/static/css/portal.css",
)


def _admin_pages(app) -> list[str]:
    """Every admin page a GET reaches: each view's home, and for model views their create
    form and the edit and details pages of their first record."""
    admin = app.extensions["admin"][0]
    pages = []
    with app.test_request_context():
        for view in admin._views:
            base = view.url.rstrip("/") + "/"
            pages.append(base)
            if not isinstance(view, ModelView):
                continue
            if view.can_create:
                pages.append(base + "new/")
            first = db.session.query(view.model).first()
            if first is None:
                continue
            key = view.get_pk_value(first)
            if view.can_edit:
                pages.append(f"{base}edit/?id={key}")
            if view.can_view_details:
                pages.append(f"{base}details/?id={key}")
    return pages


@pytest.fixture
def admin_client(client, login_as):
    BusinessFactory()  # a business, its owner and an audit trail to list
    db.session.commit()
    login_as("admin")
    return client


def test_every_admin_page_loads_the_portals_bootstrap_5_and_nothing_of_bootstrap_4(
    app, admin_client
):
    pages = _admin_pages(app)
    assert len(pages) >= 30, pages
    problems = []
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assets = [a.split("?", 1)[0] for a in ASSET.findall(body)]
        missing = [a for a in PORTAL_ASSETS if a not in assets]
        old = [a for a in assets if BOOTSTRAP4.search(a)]
        markup = sorted({m.group(0).strip() for m in BOOTSTRAP4_MARKUP.finditer(body)})
        if missing or old or markup:
            problems.append(f"{url}: missing {missing}, Bootstrap 4 {old}, markup {markup}")
        # The portal's frame: its lang, one <h1>, <main>, the portal's navbar and footer.
        assert re.search(r'<html lang="(id|en)">', body), url
        assert body.count("<h1") == 1, url
        assert '<main id="main"' in body, url
        assert 'aria-label="Navigasi utama"' in body or "Main navigation" in body, url
        assert "Disperindagkop · BPJS Ketenagakerjaan Singkawang" in body, url
    assert not problems, "\n".join(problems)


def test_admin_pages_keep_flask_admins_scripts_on_jquery_before_their_users(admin_client):
    """Flask-Admin's filters, actions and forms need jQuery; the shim (static/js/admin.js)
    comes after jQuery and Bootstrap 5 and before Flask-Admin's own scripts."""
    body = admin_client.get("/admin/users/").get_data(as_text=True)
    assets = [a.split("?", 1)[0] for a in ASSET.findall(body)]
    names = [a.rsplit("/", 1)[-1] for a in assets]
    order = ["jquery.min.js", "bootstrap.bundle.min.js", "admin.js", "bs4_filters.js", "actions.js"]
    assert [names.index(n) for n in order] == sorted(names.index(n) for n in order), names
    # The menus are Bootstrap 5 dropdowns on buttons, so a keyboard opens them.
    for label in ("Tambah filter", "Dengan yang dipilih"):
        assert re.search(
            r'<button type="button" class="nav-link[^"]*dropdown-toggle"\s+'
            r'data-bs-toggle="dropdown"[^>]*>\s*' + label,
            body,
        ), label
