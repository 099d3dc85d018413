"""The admin reads like the rest of the portal: Indonesian, one <h1>, a <main>, WIB times."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def admin_client(client, login_as):
    login_as("admin")
    return client


def test_flask_admin_own_words_are_indonesian(admin_client):
    page = admin_client.get("/admin/users/").get_data(as_text=True)
    assert "Daftar" in page and "Buat" in page
    for english in (">List<", ">Create<", "Add Filter", "With selected"):
        assert english not in page


@pytest.mark.parametrize("path", ["/admin/", "/admin/users/", "/admin/audit/", "/admin/rates/"])
def test_admin_pages_have_lang_one_h1_and_main(admin_client, path):
    page = admin_client.get(path).get_data(as_text=True)
    assert '<html lang="id">' in page
    assert len(re.findall(r"<h1\b", page)) == 1
    assert '<main id="main"' in page
    assert 'href="#main"' in page


def test_admin_list_titles_say_what_the_page_does(admin_client):
    page = admin_client.get("/admin/users/").get_data(as_text=True)
    assert re.search(r"<title>Daftar: Pengguna", page), page[:500]


def test_admin_times_are_wib_to_the_minute(admin_client):
    page = admin_client.get("/admin/users/").get_data(as_text=True)
    assert " WIB" in page
    assert not re.search(r"\d\d:\d\d:\d\d\.\d{6}", page)  # no raw UTC with microseconds


def test_new_account_role_starts_on_an_empty_choice(admin_client):
    page = admin_client.get("/admin/users/new/").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    assert re.search(r'<select[^>]*>\s*<option value="" selected>', select)
