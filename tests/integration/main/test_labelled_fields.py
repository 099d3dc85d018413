"""Every form field on every page a role can reach has a label a screen reader announces.

Walks the demo city (`flask seed-demo`) as each demo role: every argument-less page the role may
open, then every same-area link found on those pages (one URL per endpoint, so detail and edit
pages with their forms are covered too). A field passes when a `<label for=…>` names its id,
when it sits inside a `<label>`, or when it carries `aria-label`/`aria-labelledby`.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from portal.demo.accounts import DEMO_PASSWORD
from portal.web.access import PUBLIC, policy_of

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
#: Pages that are not HTML or that end the session.
SKIPPED_PATH_PARTS = ("/export", ".csv", ".xlsx", ".pdf", "/download", "/card", "/template")
DEMO_LOGINS = {
    "business_owner": "pemilik@demo.singkawang.id",
    "bpjs_officer": "petugas.bpjs@demo.singkawang.id",
    "bpjs_head": "kepala.bpjs@demo.singkawang.id",
    "trade_officer": "petugas.dagang@demo.singkawang.id",
    "trade_head": "kepala.dagang@demo.singkawang.id",
    "labour_officer": "petugas.naker@demo.singkawang.id",
    "labour_head": "kepala.naker@demo.singkawang.id",
    "anonymous": None,
}


class _FieldCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_targets: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (attributes.get("type") or "text") in UNLABELLED_INPUT_TYPES:
                return
            self.fields.append({**attributes, "_tag": tag, "_in_label": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1

    def unlabelled(self) -> list[str]:
        return [
            f"<{f['_tag']} name={f.get('name')!r} id={f.get('id')!r}>"
            for f in self.fields
            if not (
                f["_in_label"]
                or f.get("aria-label")
                or f.get("aria-labelledby")
                or (f.get("id") and f["id"] in self.label_targets)
            )
        ]


def _allowed(app, endpoint: str, role: str) -> bool:
    policy = policy_of(app.view_functions[endpoint])
    if policy == PUBLIC:
        return True
    return role != "anonymous" and isinstance(policy, frozenset) and role in policy


def _start_pages(app, role: str) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.startswith("/admin") or rule.endpoint.endswith(".static"):
            continue
        if not _allowed(app, rule.endpoint, role):
            continue
        urls.append(rule.rule)
    return sorted(urls)


def _worth_visiting(path: str) -> bool:
    return (
        path.startswith("/")
        and not path.startswith(("/admin", "/static", "/auth/logout", "/language"))
        and not any(part in path for part in SKIPPED_PATH_PARTS)
    )


def test_the_check_tells_labelled_from_unlabelled_fields():
    page = _FieldCollector()
    page.feed(
        '<label for="a">A</label><input id="a" name="a">'
        '<label>B <select name="b"></select></label>'
        '<textarea name="c" aria-label="C"></textarea>'
        '<input type="hidden" name="csrf_token">'
        '<input name="d" id="d"><label for="x">X</label>'
    )
    assert page.unlabelled() == ["<input name='d' id='d'>"]


@pytest.fixture
def demo_city(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("role", sorted(DEMO_LOGINS))
def test_every_field_on_every_reachable_page_has_a_label(app, client, demo_city, role):
    if DEMO_LOGINS[role]:
        response = client.post(
            "/auth/login", data={"email": DEMO_LOGINS[role], "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
    adapter = app.url_map.bind("localhost")
    queue = _start_pages(app, role)
    seen_endpoints: set[str] = set()
    problems: dict[str, list[str]] = {}
    pages_with_fields = 0
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except Exception:  # noqa: BLE001 - links outside the app or not GET-able
            continue
        if endpoint in seen_endpoints or not _allowed(app, endpoint, role):
            continue
        seen_endpoints.add(endpoint)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = _FieldCollector()
        page.feed(response.get_data(as_text=True))
        pages_with_fields += bool(page.fields)
        if missing := page.unlabelled():
            problems[url] = missing
        queue.extend(link for link in page.links if _worth_visiting(urlsplit(link).path))
    assert pages_with_fields, "the walk found no form at all: it is not testing anything"
    assert not problems, f"fields without a label for {role}: {problems}"
