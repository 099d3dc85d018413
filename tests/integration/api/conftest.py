"""API tests: registered clients with tokens, and a caller that checks every answer against
the OpenAPI document (openapi-core)."""

from __future__ import annotations

import json
from functools import cache

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from portal.api.openapi import document
from portal.extensions import db
from portal.services.api_clients.clients import register_client
from tests.factories import agency


@cache
def spec() -> OpenAPI:
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(document(), config=config)


def check_against_document(response, method: str = "GET", url: str = "", **kwargs) -> None:
    """The answer is one the document describes (status, content type, body schema).

    The request is built again from the same arguments: the app has read the original body."""
    request = Request(
        EnvironBuilder(url or response.request.full_path, method=method, **kwargs).get_environ()
    )
    spec().validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))


class Caller:
    """A test client that sends a token and checks each answer against the document."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self, headers):
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def open(self, method, url, headers=None, **kwargs):
        headers = self._headers(headers)
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        check_against_document(response, method, url, headers=headers, **kwargs)
        return response

    def get(self, url, headers=None, **kwargs):
        return self.open("GET", url, headers, **kwargs)

    def post(self, url, json=None, headers=None, **kwargs):
        if json is not None:
            kwargs["json"] = json
        return self.open("POST", url, headers, **kwargs)


@pytest.fixture
def new_client(app):
    """`new_client(["enrolment:read"], agency="bpjs")` → (ApiClient, token), committed."""

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


@pytest.fixture
def caller(client):
    return lambda token=None: Caller(client, token)
