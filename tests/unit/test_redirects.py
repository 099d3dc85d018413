"""`safe_next`: only same-site paths, in every form a browser or a proxy could read."""

from __future__ import annotations

import pytest

from portal.web.redirects import safe_next

FALLBACK = "/fallback"

OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",  # browsers drop the tab: //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\/evil.example",
    "/x\\..\\..\\evil",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " //evil.example",
    "\t//evil.example",
    "evil.example",
    "../evil",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%252F%252Fevil.example",  # decoded twice
    "/%25252F%25252Fevil.example",  # three times
    "/\u200b/evil.example",  # zero-width space
    "/\x00/evil.example",
    "%2F%2Fevil.example",
    "",
    None,
    42,
    ["/"],
    "/" + "a" * 5000,
]

ON_SITE = [
    "/",
    "/auth/login",
    "/dashboard/?page=2&q=toko",
    "/disnaker/reprimands?q=a%2Fb",  # an encoded slash inside a query value
    "/complaints/track/ABC-123",
    "/employer/?q=Kedai%20Ani",
    "/kelurahan/Pasiran?x=1#top",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_never_leaves_the_site(target):
    assert safe_next(target, FALLBACK) == FALLBACK


@pytest.mark.parametrize("target", ON_SITE)
def test_safe_next_keeps_paths_on_this_site(target):
    assert safe_next(target, FALLBACK) == target
