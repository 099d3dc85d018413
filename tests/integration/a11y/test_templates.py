"""Template structure that assistive technology and browsers depend on."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    ("path", "first_header"),
    [("/dashboard/estimates", "Kecamatan"), ("/dashboard/targets", "Wilayah")],
)
def test_history_pages_keep_their_table_header_in_the_table(client, login_as, path, first_header):
    """The history table's header used to fill the layout's `head` block: it was printed
    above the navbar (inside <head>) and replaced the dashboard stylesheet."""
    login_as("labour_officer")
    page = client.get(path).get_data(as_text=True)
    head = page.split("</head>", 1)[0]
    assert "<th" not in head
    assert "css/dashboard.css" in head
    thead = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert first_header in thead
