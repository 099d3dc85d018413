"""Deny by default: every endpoint declares who may use it, and the declaration holds.

The sweep walks `app.url_map`, so endpoints added later by any area are covered without
editing this file. URL parameters are filled generically (int → 1, string → "x", uuid → a
fixed uuid, `any(...)` → its first choice); POST-only routes are called with POST (CSRF is
off in testing).

Public pages are listed here on purpose: making a page public is a security decision, so a
new `@public` endpoint fails `test_public_endpoints_are_the_reviewed_ones` until it is added
to PUBLIC_ENDPOINTS below.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_admin import BaseView
from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    UUIDConverter,
)

from portal.admin import AdminOnly
from portal.extensions import db
from portal.models import Role
from portal.web.access import ALL_ROLES, PUBLIC, policy_of
from portal.web.api import ApiPolicy
from tests import factories

#: Pages anyone may use without logging in. Reviewed one by one.
PUBLIC_ENDPOINTS = frozenset(
    {
        "main.home",
        "main.healthz",
        "main.set_language",
        "auth.login",
        "auth.signup",
        # Forgotten passwords: ask for a link (same answer for any address), use it once.
        "auth.forgot_password",
        "auth.reset_password",
        # Public complaint submission and tracking (DESIGN.md: public, no login). A tracked
        # complaint is shown only to the browser that proved code + contact (404 otherwise).
        "complaints.index",
        "complaints.new",
        "complaints.submitted",
        "complaints.track",
        "complaints.tracked",
        "complaints.reporter_step",
        # Published coverage figures (aggregates only).
        "dashboard.public",
        "dashboard.public_export",
        # A field-registered business's owner signs up through a single-use token link.
        "disperindagkop.accept_invitation",
        # The API's OpenAPI document and its readable page; Open311's public, personal-data
        # free list of complaints and its service catalogue (filing one needs an api_key).
        "api.openapi_json",
        "api.docs",
        "open311.discovery",
        "open311.services",
        "open311.service_definition",
        "open311.requests",
        "open311.one_request",
        # Informal workers sign up themselves (like owners), and anyone may check a
        # membership with NIK + birth date: only active/lapsed/unknown, rate-limited.
        "informal.worker_signup",
        "informal.check",
    }
)
#: Endpoints that end the caller's session: swept last so the session lasts the sweep.
SESSION_ENDING = ("auth.logout",)
ADMIN_ONLY = frozenset({Role.ADMIN.value})
IDENTITIES = ["anonymous", *sorted(ALL_ROLES)]


def _is_static(app: Flask, endpoint: str) -> bool:
    return endpoint == "static" or (
        endpoint.endswith(".static")
        and getattr(app.view_functions[endpoint], "__name__", "") == "send_static_file"
    )


def _admin_view(app: Flask, endpoint: str) -> BaseView | None:
    owner = getattr(app.view_functions[endpoint], "__self__", None)
    return owner if isinstance(owner, BaseView) else None


def expected_policy(app: Flask, endpoint: str) -> str | frozenset[str] | None:
    """PUBLIC, the set of roles allowed, or None when nothing is declared."""
    if _is_static(app, endpoint):
        return PUBLIC
    admin_view = _admin_view(app, endpoint)
    if admin_view is not None:
        return ADMIN_ONLY if isinstance(admin_view, AdminOnly) else None
    return policy_of(app.view_functions[endpoint])


def _sample_value(converter) -> object:
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _request_for(app: Flask, rule: Rule) -> tuple[str, str]:
    methods = rule.methods - {"HEAD", "OPTIONS"}
    method = "GET" if "GET" in methods else sorted(methods)[0]
    values = {
        name: _sample_value(conv)
        for name, conv in rule._converters.items()
        if name not in (rule.defaults or {})
    }
    adapter = app.url_map.bind("localhost")
    return method, adapter.build(rule.endpoint, values, method=method)


def _sweep_rules(app: Flask) -> list[Rule]:
    seen: set[str] = set()
    rules: list[Rule] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in SESSION_ENDING,)):
        if rule.endpoint in seen:
            continue  # one URL per endpoint: the policy belongs to the view, not the URL
        seen.add(rule.endpoint)
        rules.append(rule)
    return rules


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response.headers.get("Location", "")).path == "/auth/login"


def test_every_endpoint_declares_an_access_policy(app):
    missing = sorted(ep for ep in app.view_functions if expected_policy(app, ep) is None)
    assert not missing, (
        "endpoints without @require/@public (or a Flask-Admin view that is not AdminOnly): "
        f"{missing}"
    )


def test_public_endpoints_are_the_reviewed_ones(app):
    public = {
        ep
        for ep in app.view_functions
        if not _is_static(app, ep) and expected_policy(app, ep) == PUBLIC
    }
    unreviewed = sorted(public - PUBLIC_ENDPOINTS)
    assert not unreviewed, f"new public endpoints, review and list them: {unreviewed}"


def test_the_sweep_covers_the_core_endpoints(app):
    endpoints = {rule.endpoint for rule in _sweep_rules(app)}
    assert {"auth.login", "auth.logout", "admin.index", "employer.index", "bpjs.index"} <= (
        endpoints
    )
    assert _sweep_rules(app)[-1].endpoint in SESSION_ENDING


@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_endpoint_answers_each_identity_as_declared(app, client, auth, identity):
    if identity != "anonymous":
        user = factories.UserFactory(role=identity)
        db.session.commit()
        assert auth.login(user).status_code == 302

    problems: list[str] = []
    for rule in _sweep_rules(app):
        policy = expected_policy(app, rule.endpoint)
        method, url = _request_for(app, rule)
        response = client.open(url, method=method)
        status = response.status_code
        where = f"{method} {url} ({rule.endpoint}) as {identity}: {status}"
        if status == 500:
            problems.append(f"{where}, server error")
        elif policy == PUBLIC:
            if status in (401, 403) or _is_login_redirect(response):
                problems.append(f"{where}, public page refused")
        elif isinstance(policy, ApiPolicy):
            # A browser session never authorises an API call (tests/integration/api sweeps
            # the tokens and scopes).
            if status != 401:
                problems.append(f"{where}, expected 401: a session is not an API token")
        elif identity == "anonymous":
            if not _is_login_redirect(response):
                problems.append(f"{where}, expected a redirect to the login page")
        elif identity not in policy:
            if status != 403:
                problems.append(f"{where}, expected 403")
        elif status == 403 or _is_login_redirect(response):
            problems.append(f"{where}, allowed role refused")
    assert not problems, "\n".join(problems)
