"""A refused form, as a screen reader meets it: the title says "Galat", a summary links each
field, help and error are both described, a radio group is marked invalid with its error."""

from __future__ import annotations

import re

from portal.extensions import db
from tests import factories


def _tag(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match, pattern
    return match.group(0)


def _employee_form_refused(client, login_as):
    user = login_as("business_owner")
    business = factories.BusinessFactory(owner=user)
    db.session.commit()
    url = f"/employer/businesses/{business.id}/employees/new"
    response = client.post(url, data={"nik": "123", "full_name": ""})
    assert response.status_code == 400  # refused input: the form again, with messages
    return response.get_data(as_text=True)


def test_refused_form_has_a_linked_summary_and_an_error_title(client, login_as):
    page = _employee_form_refused(client, login_as)
    assert re.search(r"<title>\s*Galat: ", page)
    summary = _tag(page, r"<div [^>]*data-error-summary.*?</div>")
    assert 'tabindex="-1"' in summary
    links = dict(re.findall(r'<a class="alert-link" href="#([\w-]+)">(.*?)</a>', summary))
    assert {"nik", "full_name", "sex-0", "category-0"} <= set(links)
    assert links["full_name"].startswith("Nama lengkap")


def test_help_and_error_are_both_described(client, login_as):
    page = _employee_form_refused(client, login_as)
    nik = _tag(page, r'<input[^>]*id="nik"[^>]*>')
    assert 'aria-describedby="nik-help nik-error"' in nik
    assert 'aria-invalid="true"' in nik
    assert 'id="nik-help"' in page and 'id="nik-error"' in page


def test_radio_group_is_an_invalid_fieldset_tied_to_its_error(client, login_as):
    page = _employee_form_refused(client, login_as)
    fieldset = _tag(page, r'<fieldset[^>]*aria-describedby="sex-error"[^>]*>')
    assert 'aria-invalid="true"' in fieldset and 'role="radiogroup"' in fieldset
    assert 'id="sex-error"' in page


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, login_as):
    user = login_as("business_owner")
    business = factories.BusinessFactory(owner=user)
    db.session.commit()
    page = client.get(f"/employer/businesses/{business.id}/employees/new").get_data(as_text=True)
    assert "data-error-summary" not in page
    assert "Galat" not in page.split("</title>")[0]
