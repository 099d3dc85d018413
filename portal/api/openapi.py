"""The OpenAPI 3.1 document of `/api/v1/` and `/open311/v2/`, kept by hand beside the views.

It cannot drift from the code: request bodies are validated against the schemas below (the
views call `body_for(schema)`), the test suite checks every route against `paths` (and the
reverse), validates the document with openapi-spec-validator and every API response in the
tests against it with openapi-core.
"""

from __future__ import annotations

from typing import Any

from ..models import ApiScope, ComplaintState, EnrolmentState, OfficialCategory

API_VERSION = "1.0.0"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_: str, **extra) -> dict:
    return {"type": [type_, "null"], **extra}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}
OPEN311_ERRORS = _json(_ref("Open311Errors"))


def _problems(*codes: int) -> dict:
    texts = {
        400: "Malformed request (not JSON, bad Idempotency-Key)",
        401: "Missing, unknown or revoked token",
        403: "The client lacks the scope or is of another agency",
        404: "No such record, or not the client's to see",
        409: "The record's state refused the step (already decided, held by someone else)",
        413: "The body is larger than the API accepts",
        415: "The body is not application/json",
        422: "Input refused: each message at its field",
        429: "Too many calls from this client",
    }
    return {str(c): {"description": texts[c], "content": PROBLEM} for c in codes}


def _open311_errors(*codes: int) -> dict:
    return {str(c): {"description": "Open311 errors", "content": OPEN311_ERRORS} for c in codes}


_ETAG = {"ETag": {"description": "Changes when the answer changes", "schema": {"type": "string"}}}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "An ETag from an earlier answer: 304 when nothing changed",
}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": "A repeat with the same key gets the first answer again; nothing is done twice",
}


def _read(summary: str, scope: str, schema: dict, params: list | None = None, **extra) -> dict:
    return {
        "summary": summary,
        "security": [{"bearer": [scope]}],
        "parameters": [*(params or []), _IF_NONE_MATCH],
        "responses": {
            "200": {"description": "OK", "headers": _ETAG, "content": _json(schema)},
            "304": {"description": "Not modified since the ETag given"},
            **_problems(401, 403, 404, 422, 429),
        },
        **extra,
    }


def _id_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema} | (
        {"description": description} if description else {}
    )


def _cursor_page(item: str) -> dict:
    """A page of a cursor-paginated list of `item`."""
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": _ref(item)},
            "next_cursor": _nullable("string"),
        },
    }


_CURSOR = [
    _query("cursor", {"type": "string"}, "`next_cursor` of the previous page"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
]

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details; `errors` lists field-level messages",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {
                        "field": _nullable("string"),
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
    "Business": {
        "type": ["object", "null"],
        "required": ["id", "nib", "name"],
        "properties": {
            "id": {"type": "integer"},
            "nib": {"type": "string"},
            "name": {"type": "string"},
        },
    },
    "Worker": {
        "type": "object",
        "required": ["nik", "full_name", "birth_date"],
        "properties": {
            "nik": {"type": "string"},
            "full_name": {"type": "string"},
            "birth_date": {"type": "string", "format": "date"},
        },
    },
    "EnrolmentRequest": {
        "type": "object",
        "required": ["id", "state", "category", "worker", "business", "updated_at", "version"],
        "properties": {
            "id": {"type": "integer"},
            "state": {"type": "string", "enum": [s.value for s in EnrolmentState]},
            "category": {"type": "string"},
            "worker": _ref("Worker"),
            "business": _ref("Business"),
            "with_jht": {"type": "boolean"},
            "with_jp": {"type": "boolean"},
            "monthly_amount": {"type": "integer", "description": "whole rupiah"},
            "monthly_contribution": {"type": "integer"},
            "submitted_at": _nullable("string", format="date-time"),
            "sla_due": _nullable("string", format="date"),
            "decided_at": _nullable("string", format="date-time"),
            "kpj": _nullable("string"),
            "return_reason": _nullable("string"),
            "reject_reason": _nullable("string"),
            "updated_at": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
        },
    },
    "EnrolmentRequestPage": _cursor_page("EnrolmentRequest"),
    "EnrolmentResult": {
        "type": "object",
        "description": "BPJS's decision: enrolled (with the 11-digit KPJ BPJS's own system "
        "issued: the portal never invents one), returned for correction or rejected (with a "
        "reason)",
        "required": ["outcome"],
        "additionalProperties": False,
        "properties": {
            "outcome": {"type": "string", "enum": ["enrolled", "returned", "rejected"]},
            "kpj": {"type": "string", "maxLength": 15},
            "reason": {"type": "string", "maxLength": 5000},
        },
    },
    "EnrolmentResultAnswer": {
        "type": "object",
        "required": ["request", "membership"],
        "properties": {
            "request": _ref("EnrolmentRequest"),
            "membership": {"oneOf": [_ref("Membership"), {"type": "null"}]},
        },
    },
    "Membership": {
        "type": "object",
        "required": ["id", "kpj", "state", "category", "start_date", "worker"],
        "properties": {
            "id": {"type": "integer"},
            "kpj": {"type": "string"},
            "state": {"type": "string"},
            "category": {"type": "string"},
            "funding_source": {"type": "string"},
            "with_jht": {"type": "boolean"},
            "with_jp": {"type": "boolean"},
            "monthly_amount": {"type": "integer"},
            "start_date": {"type": "string", "format": "date"},
            "end_date": _nullable("string", format="date"),
            "enrolment_request_id": _nullable("integer"),
            "worker": _ref("Worker"),
            "business": _ref("Business"),
        },
    },
    "MembershipList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": _ref("Membership")}},
    },
    "NikSearch": {
        "type": "object",
        "required": ["nik"],
        "additionalProperties": False,
        "properties": {"nik": {"type": "string", "maxLength": 64}},
    },
    "Share": {
        "type": "object",
        "required": ["key", "members", "workforce", "pct"],
        "properties": {
            "key": {"type": "string"},
            "label": {"type": "string"},
            "members": {"type": "integer"},
            "workforce": _nullable("integer"),
            "pct": _nullable("number"),
            "target_pct": _nullable("number"),
        },
    },
    "Coverage": {
        "type": "object",
        "description": "The figures of the public coverage page, by the same counting rule",
        "required": ["period", "months", "kecamatan", "now", "series", "by_kecamatan"],
        "properties": {
            "period": {"type": "string"},
            "months": {"type": "integer"},
            "kecamatan": _nullable("string"),
            "now": _ref("Share"),
            "series": {"type": "array", "items": _ref("Share")},
            "by_kecamatan": {"type": "array", "items": _ref("Share")},
            "by_sector": {"type": "array", "items": _ref("Share")},
            "by_category": {"type": "array", "items": _ref("Share")},
            "baseline_pct": {"type": "integer"},
            "target_band_pct": {"type": "array", "items": {"type": "integer"}},
            "missing_estimates": {"type": "array", "items": {"type": "string"}},
        },
    },
    "OfficialCount": {
        "type": "object",
        "description": "BPJS's official active participants for a month, kecamatan and category",
        "required": ["id", "month", "kecamatan_code", "category", "count", "source"],
        "properties": {
            "id": {"type": "integer"},
            "month": {"type": "string", "description": "YYYY-MM"},
            "kecamatan_code": {"type": "string"},
            "kecamatan": {"type": "string"},
            "category": {"type": "string", "enum": [c.value for c in OfficialCategory]},
            "count": {"type": "integer"},
            "source": {"type": "string", "description": "the BPJS document it comes from"},
            "recorded_at": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
        },
    },
    "OfficialCountPage": _cursor_page("OfficialCount"),
    "OfficialCountInput": {
        "type": "object",
        "description": "One official count, by the same rules as the dashboard form: a month "
        "from 2015-01 to the current one, a kecamatan of the city, a whole number not above the "
        "workforce estimate; a month already counted is replaced only with `replace: true` (the "
        "earlier value stays in the audit trail)",
        "required": ["month", "kecamatan_code", "category", "count", "source"],
        "additionalProperties": False,
        "properties": {
            "month": {"type": "string", "maxLength": 7, "description": "YYYY-MM"},
            "kecamatan_code": {"type": "string", "maxLength": 100},
            "category": {"type": "string", "enum": [c.value for c in OfficialCategory]},
            "count": {"type": "integer"},
            "source": {"type": "string", "maxLength": 200},
            "replace": {"type": "boolean", "default": False},
        },
    },
    "OfficialCountAnswer": {
        "type": "object",
        "required": ["outcome", "count"],
        "properties": {
            "outcome": {"type": "string", "enum": ["added", "replaced"]},
            "count": _ref("OfficialCount"),
        },
    },
    "Complaint": {
        "type": "object",
        "required": ["id", "tracking_code", "state", "category", "agency", "submitted_at"],
        "properties": {
            "id": {"type": "integer"},
            "tracking_code": {"type": "string"},
            "state": {"type": "string", "enum": [s.value for s in ComplaintState]},
            "category": {"type": "string"},
            "agency": {"type": "string"},
            "subject": {"type": "string"},
            "description": {"type": "string"},
            "submitted_at": {"type": "string", "format": "date-time"},
            "verify_due": _nullable("string", format="date"),
            "sla_due": _nullable("string", format="date"),
            "resolved_at": _nullable("string", format="date-time"),
            "resolution": _nullable("string"),
            "version": {"type": "integer"},
            "reporter": {
                "type": ["object", "null"],
                "description": "null when the reporter asked to be hidden from this agency",
                "properties": {
                    "name": {"type": "string"},
                    "phone": _nullable("string"),
                    "email": _nullable("string"),
                },
            },
        },
    },
    "ComplaintPage": _cursor_page("Complaint"),
    "ComplaintStep": {
        "type": "object",
        "description": "One workflow step, by the same rules as the staff pages",
        "required": ["step"],
        "additionalProperties": False,
        "properties": {
            "step": {
                "type": "string",
                "enum": [
                    "verify",
                    "hold",
                    "reject",
                    "reroute",
                    "assign",
                    "start",
                    "wait",
                    "resolve",
                    "note",
                ],
            },
            "note": {"type": "string", "maxLength": 5000},
            "agency": {"type": "string", "description": "reroute: the agency's code"},
            "assignee_id": {"type": "integer", "description": "assign: a staff member's id"},
            "public": {"type": "boolean", "description": "note: shown to the reporter"},
        },
    },
    # --- Open311 GeoReport v2 (field names as the specification spells them) ---
    "Open311Errors": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    },
    "Open311Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "endpoints"],
        "properties": {
            "changeset": {"type": "string"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "type", "formats"],
                    "properties": {
                        "specification": {"type": "string"},
                        "url": {"type": "string"},
                        "changeset": {"type": "string"},
                        "type": {"type": "string"},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Open311Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"},
        },
    },
    "Open311ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["variable", "code", "datatype", "required", "order"],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {"type": "string"},
                        "required": {"type": "boolean"},
                        "datatype_description": {"type": "string"},
                        "order": {"type": "integer"},
                        "description": {"type": "string"},
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "key": {"type": "string"},
                                    "name": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "Open311Request": {
        "type": "object",
        "description": "A complaint as the public may see it: no personal data",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": _nullable("string"),
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": _nullable("string"),
            "agency_responsible": {"type": "string"},
            "service_notice": _nullable("string"),
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": _nullable("string", format="date-time"),
            "expected_datetime": _nullable("string", format="date-time"),
            "address": _nullable("string"),
            "address_id": _nullable("string"),
            "zipcode": _nullable("string"),
            "lat": _nullable("number"),
            "long": _nullable("number"),
            "media_url": _nullable("string"),
        },
    },
    "Open311NewRequest": {
        "type": "object",
        "description": "GeoReport v2 POST parameters (form-encoded). The agency concerned is "
        "the attribute `attribute[agency]`; the reporter's name is first_name and last_name.",
        "required": ["api_key", "service_code", "description"],
        "properties": {
            "api_key": {"type": "string"},
            "service_code": {"type": "string"},
            "description": {"type": "string"},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "email": {"type": "string"},
            "phone": {"type": "string"},
            "lat": {"type": "string"},
            "long": {"type": "string"},
            "address_string": {"type": "string"},
            "address_id": {"type": "string"},
            "device_id": {"type": "string"},
            "account_id": {"type": "string"},
            "media_url": {"type": "string"},
            "attribute[agency]": {"type": "string"},
            "attribute[hide_identity]": {"type": "string", "enum": ["true", "false"]},
        },
    },
    "Open311Created": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_request_id", "token"],
            "properties": {
                "service_request_id": {"type": "string"},
                "token": {
                    "type": "string",
                    "description": "The complaint's tracking code: with the reporter's "
                    "phone or email it opens the public tracking page",
                },
                "service_notice": {"type": "string"},
                "account_id": _nullable("string"),
            },
        },
    },
}

_ENROLMENT_READ = ApiScope.ENROLMENT_READ.value
_ENROLMENT_WRITE = ApiScope.ENROLMENT_WRITE.value
_COMPLAINTS_READ = ApiScope.COMPLAINTS_READ.value
_COMPLAINTS_WRITE = ApiScope.COMPLAINTS_WRITE.value
_COVERAGE_READ = ApiScope.COVERAGE_READ.value
_COVERAGE_WRITE = ApiScope.COVERAGE_WRITE.value


def _command(summary: str, scope: str, body: str, answer: str, params: list, **extra) -> dict:
    return {
        "summary": summary,
        "security": [{"bearer": [scope]}],
        "parameters": [*params, _IDEMPOTENCY_KEY],
        "requestBody": {"required": True, "content": _json(_ref(body))},
        "responses": {
            "200": {"description": "Done", "content": _json(_ref(answer))},
            **_problems(400, 401, 403, 404, 409, 413, 415, 422, 429),
        },
        **extra,
    }


PATHS: dict[str, Any] = {
    "/api/v1/enrolment-requests": {
        "get": _read(
            "Enrolment requests by state and changed-since, oldest change first",
            _ENROLMENT_READ,
            _ref("EnrolmentRequestPage"),
            [
                _query(
                    "state",
                    {"type": "string", "default": "open"},
                    "open (waiting at BPJS), all, or one state",
                ),
                _query(
                    "updated_since",
                    {"type": "string", "format": "date-time"},
                    "ISO 8601 instant with its offset",
                ),
                *_CURSOR,
            ],
            tags=["enrolment"],
        )
    },
    "/api/v1/enrolment-requests/{request_id}": {
        "get": _read(
            "One enrolment request",
            _ENROLMENT_READ,
            _ref("EnrolmentRequest"),
            [_id_param("request_id")],
            tags=["enrolment"],
        )
    },
    "/api/v1/enrolment-requests/{request_id}/result": {
        "post": _command(
            "Record BPJS's result (the same rules and audit as the BPJS queue page)",
            _ENROLMENT_WRITE,
            "EnrolmentResult",
            "EnrolmentResultAnswer",
            [_id_param("request_id")],
            tags=["enrolment"],
        )
    },
    "/api/v1/memberships/{kpj}": {
        "get": _read(
            "A membership by KPJ (BPJS's system only)",
            _ENROLMENT_READ,
            _ref("Membership"),
            [{"name": "kpj", "in": "path", "required": True, "schema": {"type": "string"}}],
            tags=["memberships"],
        )
    },
    "/api/v1/memberships/search": {
        "post": {
            "summary": "Memberships of a worker by NIK (BPJS's system only; the NIK stays out "
            "of URLs and logs)",
            "security": [{"bearer": [_ENROLMENT_READ]}],
            "requestBody": {"required": True, "content": _json(_ref("NikSearch"))},
            "responses": {
                "200": {"description": "OK", "content": _json(_ref("MembershipList"))},
                **_problems(400, 401, 403, 413, 415, 422, 429),
            },
            "tags": ["memberships"],
        }
    },
    "/api/v1/coverage": {
        "get": _read(
            "Coverage figures, the same numbers as the public coverage page",
            _COVERAGE_READ,
            _ref("Coverage"),
            [
                _query("period", {"type": "string"}, "YYYY-MM, the last month (default: now)"),
                _query("months", {"type": "integer", "enum": [6, 12, 24], "default": 12}),
                _query("kecamatan", {"type": "string"}, "a kecamatan code (default: city)"),
            ],
            tags=["coverage"],
        )
    },
    "/api/v1/official-counts": {
        "get": _read(
            "Official participant counts, in the order they were last recorded",
            _COVERAGE_READ,
            _ref("OfficialCountPage"),
            [_query("month", {"type": "string"}, "YYYY-MM: that month's counts only"), *_CURSOR],
            tags=["coverage"],
        )
        | {"security": [{"bearer": [_COVERAGE_READ]}, {"bearer": [_COVERAGE_WRITE]}]},
        "post": _command(
            "Record an official count (BPJS's system; the same rules and audit as the "
            "dashboard form)",
            _COVERAGE_WRITE,
            "OfficialCountInput",
            "OfficialCountAnswer",
            [],
            tags=["coverage"],
        ),
    },
    "/api/v1/complaints": {
        "get": _read(
            "The client's agency's complaints (the staff pages' scope), oldest first",
            _COMPLAINTS_READ,
            _ref("ComplaintPage"),
            [
                _query("state", {"type": "string", "default": "open"}, "open, all, or one state"),
                *_CURSOR,
            ],
            tags=["complaints"],
        )
    },
    "/api/v1/complaints/{complaint_id}": {
        "get": _read(
            "One complaint of the client's agency",
            _COMPLAINTS_READ,
            _ref("Complaint"),
            [_id_param("complaint_id")],
            tags=["complaints"],
        )
    },
    "/api/v1/complaints/{complaint_id}/steps": {
        "post": _command(
            "Take a workflow step (the same rules and audit as the staff pages)",
            _COMPLAINTS_WRITE,
            "ComplaintStep",
            "Complaint",
            [_id_param("complaint_id")],
            tags=["complaints"],
        )
    },
    "/open311/v2/discovery.json": {
        "get": {
            "summary": "Open311 discovery",
            "security": [],
            "responses": {"200": {"description": "OK", "content": _json(_ref("Open311Discovery"))}},
            "tags": ["open311"],
        }
    },
    "/open311/v2/services.json": {
        "get": {
            "summary": "Complaint categories as Open311 services",
            "security": [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _json({"type": "array", "items": _ref("Open311Service")}),
                }
            },
            "tags": ["open311"],
        }
    },
    "/open311/v2/services/{service_code}.json": {
        "get": {
            "summary": "A service's attributes (the agency concerned, hiding the reporter)",
            "parameters": [
                {
                    "name": "service_code",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
            ],
            "security": [],
            "responses": {
                "200": {"description": "OK", "content": _json(_ref("Open311ServiceDefinition"))},
                **_open311_errors(404),
            },
            "tags": ["open311"],
        }
    },
    "/open311/v2/requests.json": {
        "get": {
            "summary": "Public list of complaints: no personal data",
            "parameters": [
                _query("service_request_id", {"type": "string"}, "comma-separated ids"),
                _query("service_code", {"type": "string"}),
                _query("status", {"type": "string", "enum": ["open", "closed"]}),
                _query("start_date", {"type": "string", "format": "date-time"}),
                _query("end_date", {"type": "string", "format": "date-time"}),
            ],
            "security": [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _json({"type": "array", "items": _ref("Open311Request")}),
                },
                **_open311_errors(400),
            },
            "tags": ["open311"],
        },
        "post": {
            "summary": "File a complaint (the public form's intake and checks)",
            "security": [{"api_key": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _ref("Open311NewRequest")}
                },
            },
            "responses": {
                "201": {"description": "Created", "content": _json(_ref("Open311Created"))},
                **_open311_errors(400, 401, 403, 413, 429),
            },
            "tags": ["open311"],
        },
    },
    "/open311/v2/requests/{service_request_id}.json": {
        "get": {
            "summary": "One complaint, public fields only",
            "parameters": [
                {
                    "name": "service_request_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
            ],
            "security": [],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _json({"type": "array", "items": _ref("Open311Request")}),
                },
                **_open311_errors(404),
            },
            "tags": ["open311"],
        }
    },
}


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document (a fresh copy)."""
    import copy

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Portal Jaminan Sosial Ketenagakerjaan Kota Singkawang API",
            "version": API_VERSION,
            "description": "For registered systems (BPJS's branch, SP4N-LAPOR! and city "
            "channels, the open-data team). Every call carries a client token "
            "(`Authorization: Bearer skw_…`) issued by the portal's administrator, is "
            "rate-limited per client and audited. Errors are RFC 9457 problem details, "
            "in Indonesian; add `lang=en` to the query string for English.",
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "enrolment"},
            {"name": "memberships"},
            {"name": "coverage"},
            {"name": "complaints"},
            {"name": "open311", "description": "Open311 GeoReport v2"},
        ],
        "paths": copy.deepcopy(PATHS),
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "api_key": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
        },
    }


def schema(name: str) -> dict[str, Any]:
    """A component schema as a standalone JSON Schema (for validating a request body)."""
    return {"$defs": _rewrite(SCHEMAS), **_rewrite(SCHEMAS[name])}


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _rewrite(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node
