"""A fuzzing net: hostile query strings and form bodies on every route, for every role, never a 500.

Hypothesis draws (identity, endpoint) pairs the identity may use (so the request reaches
the view instead of a 403), fills URL parameters like the endpoint sweep does (ids of the
demo data), and sends values an attacker would: huge and negative integers, NUL bytes, long
strings, invalid UTF-8 percent-escapes, impossible dates, unknown enum values, markup. The
query names are the ones views read (found in their source: `request.args.get("…")`) plus a
fixed list; form field names are every field of every form class in the portal.

Reproducible and bounded: `derandomize=True` (the same examples on every run, no example
database), `max_examples` sized to keep both tests under a minute on the CI machine.
A failure prints the request; fix the view, and add a regression test named after what it
stops (tests/integration/security/test_fuzz_findings.py).
"""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.routing.converters import PathConverter, UnicodeConverter
from wtforms import Form
from wtforms.fields.core import UnboundField

from portal.config import BASE_DIR
from portal.demo.accounts import DEMO_PASSWORD, seed_demo_users
from portal.demo.records import seed_demo_records
from portal.extensions import db
from portal.web.access import PUBLIC
from portal.web.api import ApiPolicy
from tests.integration.security.test_endpoint_sweep import (
    SESSION_ENDING,
    _is_static,
    _request_for,
    _sample_value,
    _sweep_rules,
    expected_policy,
)

#: Names many list pages read (filters, exports, pagination), whatever their view's source says.
COMMON_NAMES = (
    "page",
    "q",
    "state",
    "agency",
    "fmt",
    "start",
    "end",
    "business",
    "kecamatan",
    "month",
    "year",
    "sort",
    "next",
    "view",
    "id",  # Flask-Admin's details, edit and delete
    "export_type",
    "desc",
    "search",
)
#: What Flask-Admin's own POSTs read besides form fields: return target, ids, list actions.
ADMIN_POST_NAMES = ("url", "id", "rowid", "action")
#: Values that broke pages before (issue 15, finding 8) and their relatives. Entries are
#: already percent-encoded: invalid UTF-8 must reach the server as raw escapes.
HOSTILE_RAW = (
    "-1",
    "0",
    "100000000000000000000",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "%00",
    "a%00b",
    "%FF%FE",
    "%C3%28",
    "%ED%A0%80",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "31%2F12%2F2026",
    "-1-01-01",
    "zzz",
    "__proto__",
    "%3Cscript%3E",
    "%27%20OR%201%3D1--",
    "..%2F..%2Fetc%2Fpasswd",
    "%25",
    "",
    "x" * 5000,
    "9" * 400,
    "%2F%2Fevil.example",
)
_ARGS = re.compile(r"""request\.args(?:\.get(?:list)?\(|\[)\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")


def _view_names(app: Flask, endpoint: str) -> tuple[str, ...]:
    view = inspect.unwrap(app.view_functions[endpoint])
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return ()
    return tuple(sorted(set(_ARGS.findall(source))))


def _every_form_field_name() -> list[str]:
    names: set[str] = {"csrf_token"}
    pending = list(Form.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for name in dir(cls):
            if not name.startswith("_") and isinstance(getattr(cls, name, None), UnboundField):
                names.add(name)
    return sorted(names)


def _source_names() -> set[str]:
    found: set[str] = set()
    for path in (BASE_DIR / "portal").rglob("*.py"):
        found.update(_ARGS.findall(Path(path).read_text(encoding="utf-8")))
    return found


def _allowed(policy, identity: str) -> bool:
    if policy == PUBLIC:
        return True
    if isinstance(policy, ApiPolicy):  # token-only: tests/integration/api fuzz those bodies
        return False
    return identity != "anonymous" and identity in policy


@pytest.fixture
def fuzz_clients(app):
    """A logged-in test client per demo role (plus anonymous), over the demo data."""
    logins = seed_demo_users()
    seed_demo_records()
    db.session.commit()
    clients = {"anonymous": app.test_client()}
    for email, role in logins:
        if role in clients:
            continue
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (email, response.status_code)
        clients[role] = client
    return clients


_TARGETS: dict[tuple[int, str], list[tuple[str, Rule, str]]] = {}


def _targets(app: Flask, clients, method: str) -> list[tuple[str, Rule, str]]:
    """(identity, rule, URL) for every route `method` serves and identity may use."""
    key = (id(app), method)
    if key not in _TARGETS:
        _TARGETS.clear()
        _TARGETS[key] = _find_targets(app, clients, method)
    return _TARGETS[key]


def _find_targets(app: Flask, clients, method: str) -> list[tuple[str, Rule, str]]:
    targets = []
    for rule in _sweep_rules(app):
        if _is_static(app, rule.endpoint) or rule.endpoint in SESSION_ENDING:
            continue
        if method not in rule.methods:
            continue
        policy = expected_policy(app, rule.endpoint)
        for identity in sorted(clients):
            if _allowed(policy, identity):
                targets.append((identity, rule, _request_for(app, rule)[1]))
    return targets


def _text_slots(rule: Rule) -> list[str]:
    return [
        name
        for name, converter in rule._converters.items()
        if type(converter) in (UnicodeConverter, PathConverter)
    ]


def _with_hostile_path(app: Flask, rule: Rule, raw: str) -> str:
    """The rule's URL with its text parameters set to `raw` (already percent-encoded)."""
    values = {name: _sample_value(conv) for name, conv in rule._converters.items()}
    for name in _text_slots(rule):
        values[name] = "FUZZSLOT"
    url = app.url_map.bind("localhost").build(rule.endpoint, values, method="GET")
    return url.split("?", 1)[0].replace("FUZZSLOT", raw.replace("/", "%2F") or "x")


def _hostile_value():
    return st.one_of(
        st.sampled_from(HOSTILE_RAW),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.text(max_size=30).map(lambda s: quote(s, safe="")),
    )


def _query(names: list[str]):
    pair = st.tuples(st.sampled_from(names), _hostile_value())
    return st.lists(pair, min_size=1, max_size=4).map(
        lambda pairs: "&".join(f"{quote(n)}={v}" for n, v in pairs)
    )


def fuzz(max_examples: int) -> settings:
    """CI runs `max_examples`; `FUZZ_SCALE=20` runs twenty times as many and `FUZZ_RANDOM=1`
    new random examples, for a longer hunt by hand."""
    scale = float(os.environ.get("FUZZ_SCALE", "1"))
    return settings(
        _FUZZ,
        max_examples=max(1, int(max_examples * scale)),
        derandomize=not os.environ.get("FUZZ_RANDOM"),
    )


_FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_the_fuzzer_knows_the_query_names_views_read(app):
    """The scan finds the names (so new filters are fuzzed without editing this file)."""
    assert {"page", "state", "fmt", "q"} <= _source_names()
    assert {"email", "password", "nik", "csrf_token"} <= set(_every_form_field_name())


@fuzz(max_examples=300)
@given(data=st.data())
def test_no_get_route_answers_500_to_hostile_query_values(app, fuzz_clients, data):
    targets = _targets(app, fuzz_clients, "GET")
    identity, rule, url = data.draw(st.sampled_from(targets), label="target")
    names = sorted(set(_view_names(app, rule.endpoint)) | set(COMMON_NAMES))
    query = data.draw(_query(names), label="query")
    path = url.split("?", 1)[0]
    if _text_slots(rule) and data.draw(st.booleans(), label="hostile path"):
        path = _with_hostile_path(app, rule, data.draw(_hostile_value(), label="path value"))
    response = fuzz_clients[identity].get(path, query_string=query)
    assert response.status_code < 500, f"GET {path}?{query[:300]} as {identity}"


@fuzz(max_examples=150)
@given(data=st.data())
def test_no_form_answers_500_to_hostile_bodies(app, fuzz_clients, data):
    targets = _targets(app, fuzz_clients, "POST")
    identity, rule, url = data.draw(st.sampled_from(targets), label="target")
    names = [*_every_form_field_name(), *ADMIN_POST_NAMES]
    body = data.draw(_query(names), label="body")
    response = fuzz_clients[identity].post(
        url, data=body.encode("ascii"), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500, f"POST {url} body={body[:300]} as {identity}"
