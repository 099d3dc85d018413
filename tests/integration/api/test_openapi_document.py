"""The OpenAPI document is valid OpenAPI 3.1 and matches the routes, both ways; the docs page
renders it from local files only."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from portal.api.openapi import document

API_PREFIXES = ("/api/v1/", "/open311/v2/")
_PARAM = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>")


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES) and rule.rule != "/api/openapi.json":
            continue
        path = _PARAM.sub(r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method.lower(), path))
    return found


def _documented() -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in document()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_the_document_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_every_route_is_documented_and_every_documented_operation_exists(app):
    routes = _routes(app) - {("get", "/api/openapi.json")}
    documented = _documented()
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations without a route"


def test_the_document_is_served_and_the_docs_page_uses_no_cdn(client):
    served = client.get("/api/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == document()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/v1/enrolment-requests/{request_id}/result" in html
    assert "enrolment:write" in html
    assert "cdn" not in html.lower() and "<script>" not in html


def test_unknown_paths_and_methods_answer_in_the_api_formats(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["status"] == 404
    wrong = client.get("/api/v1/enrolment-requests/1/result")
    assert wrong.status_code == 405 and wrong.get_json()["status"] == 405
    open311 = client.get("/open311/v2/nothing.json")
    assert open311.get_json() == [
        {"code": 404, "description": open311.get_json()[0]["description"]}
    ]
