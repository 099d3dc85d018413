"""API tests: registered clients with tokens, and every API answer in these tests checked
against the OpenAPI document (openapi-core), whichever way the test called it."""

from __future__ import annotations

import json
from functools import cache

import pytest
from flask import request
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.exceptions import RequestEntityTooLarge

from portal.api.openapi import document
from portal.extensions import db
from portal.services.api_clients.clients import register_client
from tests.factories import agency

DOCUMENTED = ("/api/v1/", "/open311/v2/")


class _Request(WerkzeugOpenAPIRequest):
    """The request as the app saw it; a body too large to read (413) counts as empty."""

    @property
    def body(self) -> bytes:
        try:
            return super().body
        except RequestEntityTooLarge:
            return b""


@cache
def spec() -> OpenAPI:
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(document(), config=config)


@pytest.fixture(autouse=True)
def every_answer_matches_the_document(app):
    """Checks each answer to a documented path, in the app, before compression; a test
    fails at its end when any answer was not one the document describes."""
    mismatches: list[str] = []

    def check(response):
        routed = request.url_rule is not None  # an unknown path or method has no operation
        if routed and request.path.startswith(DOCUMENTED) and response.status_code != 500:
            try:
                spec().validate_response(_Request(request), WerkzeugOpenAPIResponse(response))
            except Exception as error:  # noqa: BLE001 - every kind of mismatch is reported
                where = f"{request.method} {request.full_path} {response.status}"
                mismatches.append(f"{where}: {error!r} {error.__cause__!r}")
        return response

    app.after_request_funcs.setdefault(None, []).append(check)
    yield
    app.after_request_funcs[None].remove(check)
    assert not mismatches, "\n".join(mismatches)


class Caller:
    """A test client that sends a token with every call."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def get(self, url, headers=None, **kwargs):
        return self.client.get(url, headers=self._headers(headers), **kwargs)

    def post(self, url, json=None, headers=None, **kwargs):
        if json is not None:
            kwargs["json"] = json
        return self.client.post(url, headers=self._headers(headers), **kwargs)


@pytest.fixture
def new_client(app):
    """`new_client(["enrolment:read"], agency_code="bpjs")` → (ApiClient, token), committed."""

    def _new(scopes, agency_code: str | None = "bpjs", name: str = "Sistem BPJS"):
        registered = register_client(
            name, agency(agency_code).id if agency_code else None, list(scopes)
        )
        db.session.commit()
        return registered.client, registered.token

    return _new


@pytest.fixture
def bpjs_api(client, new_client) -> Caller:
    """BPJS's membership system: enrolment read and write."""
    _client, token = new_client(["enrolment:read", "enrolment:write"])
    return Caller(client, token)
