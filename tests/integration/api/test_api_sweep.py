"""Every API endpoint with and without a token and scope: 401 without a valid token (also
for a logged-in browser, a revoked or a malformed token), 403 with a token lacking the scope
(or of another agency where the endpoint is one agency's), never 401/403 with the right one.

Walks `app.url_map`, so endpoints added later are covered without editing this file.
"""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import ApiScope
from portal.services.api_clients.clients import revoke_client
from portal.web.api import ApiPolicy
from tests.integration.security.test_endpoint_sweep import (
    _request_for,
    _sweep_rules,
    expected_policy,
)

ALL_SCOPES = [s.value for s in ApiScope]


def _api_rules(app):
    return [
        (rule, expected_policy(app, rule.endpoint))
        for rule in _sweep_rules(app)
        if isinstance(expected_policy(app, rule.endpoint), ApiPolicy)
    ]


def _call(app, client, rule, policy, token):
    method, url = _request_for(app, rule)
    if policy.credential == "api_key":
        data = {"api_key": token} if token else {}
        return method, url, client.open(url, method=method, data=data)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return method, url, client.open(url, method=method, headers=headers, json={})


def test_the_api_has_endpoints_of_every_scope(app):
    scopes = {policy.scope for _rule, policy in _api_rules(app)}
    assert scopes == set(ALL_SCOPES)


@pytest.mark.parametrize(
    "token_kind", ["none", "garbage", "revoked", "session only", "other scopes", "right scope"]
)
def test_every_api_endpoint_answers_each_credential_as_declared(
    app, client, new_client, login_as, token_kind
):
    problems = []
    if token_kind == "session only":
        login_as("bpjs_head")
    for rule, policy in _api_rules(app):
        token = None
        if token_kind == "garbage":
            token = "skw_not-a-token"
        elif token_kind == "revoked":
            registered, token = new_client(ALL_SCOPES, name="revoked")
            revoke_client(registered.id)
            db.session.commit()
        elif token_kind == "other scopes":
            _c, token = new_client([s for s in ALL_SCOPES if s not in policy.scopes], name="other")
        elif token_kind == "right scope":
            _c, token = new_client([policy.scope], agency_code=policy.agency or "disnaker")
        method, url, response = _call(app, client, rule, policy, token)
        status = response.status_code
        where = f"{method} {url} ({rule.endpoint}) with {token_kind}: {status}"
        if status == 500:
            problems.append(f"{where}, server error")
        elif token_kind == "right scope":
            if status in (401, 403):
                problems.append(f"{where}, allowed client refused")
        elif token_kind == "other scopes":
            if status != 403:
                problems.append(f"{where}, expected 403")
        elif status != 401:
            problems.append(f"{where}, expected 401")
    assert not problems, "\n".join(problems)


def test_agency_only_endpoints_refuse_other_agencies(app, client, new_client):
    agency_rules = [(r, p) for r, p in _api_rules(app) if p.agency]
    assert agency_rules, "the memberships lookup is BPJS's alone"
    for rule, policy in agency_rules:
        _c, token = new_client([policy.scope], agency_code="disnaker", name="Disnaker")
        _method, _url, response = _call(app, client, rule, policy, token)
        assert response.status_code == 403, rule.endpoint
