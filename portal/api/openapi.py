"""The OpenAPI 3.1 document of `/api/v1/` and `/open311/v2/`, kept by hand beside the views.

It cannot drift from the code: request bodies are validated against the schemas below (the
views call `body_for(schema)`), the test suite checks every route against `paths` (and the
reverse), validates the document with openapi-spec-validator and every API response in the
tests against it with openapi-core.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import ApiScope, ComplaintState, EnrolmentState, OfficialCategory

API_VERSION = "1.0.0"

# The schemas below are written with these types and the helpers after them.
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _one_of(values: Iterable, **extra) -> dict:
    """A string from `values` (an enum's members, or the strings given)."""
    return {"type": "string", "enum": [getattr(v, "value", v) for v in values], **extra}


def _object(
    properties: dict, *, required: list[str] | None = None, nullable: bool = False, **extra
) -> dict:
    """An object with these `properties`, `required` of them always present."""
    schema = {"type": ["object", "null"] if nullable else "object", **extra}
    if required is not None:
        schema["required"] = required
    return schema | {"properties": properties}


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


def _open311_read(
    summary: str, answer: dict, params: list | None = None, errors: tuple[int, ...] = ()
) -> dict:
    """A public Open311 GET (no token) answering `answer`, or Open311 errors."""
    return {
        "summary": summary,
        **({"parameters": params} if params else {}),
        "security": [],
        "responses": {
            "200": {"description": "OK", "content": _json(answer)},
            **_open311_errors(*errors),
        },
        "tags": ["open311"],
    }


_ETAG = {"ETag": {"description": "Changes when the answer changes", "schema": STRING}}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": STRING,
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


def _path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _id_param(name: str) -> dict:
    return _path_param(name, INTEGER)


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema} | (
        {"description": description} if description else {}
    )


def _cursor_page(item: str) -> dict:
    """A page of a cursor-paginated list of `item`."""
    return _object(
        {"items": _array(_ref(item)), "next_cursor": _nullable("string")},
        required=["items", "next_cursor"],
    )


_CURSOR = [
    _query("cursor", STRING, "`next_cursor` of the previous page"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
]

SCHEMAS: dict[str, Any] = {
    "Problem": _object(
        {
            "type": STRING,
            "title": STRING,
            "status": INTEGER,
            "detail": STRING,
            "instance": STRING,
            "errors": _array(
                _object(
                    {"field": _nullable("string"), "message": STRING}, required=["field", "message"]
                )
            ),
        },
        required=["type", "title", "status"],
        description="RFC 9457 problem details; `errors` lists field-level messages",
    ),
    "Business": _object(
        {"id": INTEGER, "nib": STRING, "name": STRING},
        required=["id", "nib", "name"],
        nullable=True,
    ),
    "Worker": _object(
        {"nik": STRING, "full_name": STRING, "birth_date": DATE},
        required=["nik", "full_name", "birth_date"],
    ),
    "EnrolmentRequest": _object(
        {
            "id": INTEGER,
            "state": _one_of(EnrolmentState),
            "category": STRING,
            "worker": _ref("Worker"),
            "business": _ref("Business"),
            "with_jht": BOOLEAN,
            "with_jp": BOOLEAN,
            "monthly_amount": INTEGER | {"description": "whole rupiah"},
            "monthly_contribution": INTEGER,
            "submitted_at": _nullable("string", format="date-time"),
            "sla_due": _nullable("string", format="date"),
            "decided_at": _nullable("string", format="date-time"),
            "kpj": _nullable("string"),
            "return_reason": _nullable("string"),
            "reject_reason": _nullable("string"),
            "updated_at": DATE_TIME,
            "version": INTEGER,
        },
        required=["id", "state", "category", "worker", "business", "updated_at", "version"],
    ),
    "EnrolmentRequestPage": _cursor_page("EnrolmentRequest"),
    "EnrolmentResult": _object(
        {
            "outcome": _one_of(["enrolled", "returned", "rejected"]),
            "kpj": STRING | {"maxLength": 15},
            "reason": STRING | {"maxLength": 5000},
        },
        required=["outcome"],
        description=(
            "BPJS's decision: enrolled (with the 11-digit KPJ BPJS's own system "
            "issued: the portal never invents one), returned for correction or "
            "rejected (with a reason)"
        ),
        additionalProperties=False,
    ),
    "EnrolmentResultAnswer": _object(
        {
            "request": _ref("EnrolmentRequest"),
            "membership": {"oneOf": [_ref("Membership"), {"type": "null"}]},
        },
        required=["request", "membership"],
    ),
    "Membership": _object(
        {
            "id": INTEGER,
            "kpj": STRING,
            "state": STRING,
            "category": STRING,
            "funding_source": STRING,
            "with_jht": BOOLEAN,
            "with_jp": BOOLEAN,
            "monthly_amount": INTEGER,
            "start_date": DATE,
            "end_date": _nullable("string", format="date"),
            "enrolment_request_id": _nullable("integer"),
            "worker": _ref("Worker"),
            "business": _ref("Business"),
        },
        required=["id", "kpj", "state", "category", "start_date", "worker"],
    ),
    "MembershipList": _object({"items": _array(_ref("Membership"))}, required=["items"]),
    "NikSearch": _object(
        {"nik": STRING | {"maxLength": 64}}, required=["nik"], additionalProperties=False
    ),
    "Share": _object(
        {
            "key": STRING,
            "label": STRING,
            "members": INTEGER,
            "workforce": _nullable("integer"),
            "pct": _nullable("number"),
            "target_pct": _nullable("number"),
        },
        required=["key", "members", "workforce", "pct"],
    ),
    "Coverage": _object(
        {
            "period": STRING,
            "months": INTEGER,
            "kecamatan": _nullable("string"),
            "now": _ref("Share"),
            "series": _array(_ref("Share")),
            "by_kecamatan": _array(_ref("Share")),
            "by_sector": _array(_ref("Share")),
            "by_category": _array(_ref("Share")),
            "baseline_pct": INTEGER,
            "target_band_pct": _array(INTEGER),
            "missing_estimates": _array(STRING),
        },
        required=["period", "months", "kecamatan", "now", "series", "by_kecamatan"],
        description="The figures of the public coverage page, by the same counting rule",
    ),
    "OfficialCount": _object(
        {
            "id": INTEGER,
            "month": STRING | {"description": "YYYY-MM"},
            "kecamatan_code": STRING,
            "kecamatan": STRING,
            "category": _one_of(OfficialCategory),
            "count": INTEGER,
            "source": STRING | {"description": "the BPJS document it comes from"},
            "recorded_at": DATE_TIME,
            "version": INTEGER,
        },
        required=["id", "month", "kecamatan_code", "category", "count", "source"],
        description=("BPJS's official active participants for a month, kecamatan and category"),
    ),
    "OfficialCountPage": _cursor_page("OfficialCount"),
    "OfficialCountInput": _object(
        {
            "month": STRING | {"maxLength": 7, "description": "YYYY-MM"},
            "kecamatan_code": STRING | {"maxLength": 100},
            "category": _one_of(OfficialCategory),
            "count": INTEGER,
            "source": STRING | {"maxLength": 200},
            "replace": BOOLEAN | {"default": False},
        },
        required=["month", "kecamatan_code", "category", "count", "source"],
        description=(
            "One official count, by the same rules as the dashboard form: a month "
            "from 2015-01 to the current one, a kecamatan of the city, a whole "
            "number not above the workforce estimate; a month already counted is "
            "replaced only with `replace: true` (the earlier value stays in the "
            "audit trail)"
        ),
        additionalProperties=False,
    ),
    "OfficialCountAnswer": _object(
        {"outcome": _one_of(["added", "replaced"]), "count": _ref("OfficialCount")},
        required=["outcome", "count"],
    ),
    "Complaint": _object(
        {
            "id": INTEGER,
            "tracking_code": STRING,
            "state": _one_of(ComplaintState),
            "category": STRING,
            "agency": STRING,
            "subject": STRING,
            "description": STRING,
            "submitted_at": DATE_TIME,
            "verify_due": _nullable("string", format="date"),
            "sla_due": _nullable("string", format="date"),
            "resolved_at": _nullable("string", format="date-time"),
            "resolution": _nullable("string"),
            "version": INTEGER,
            "reporter": _object(
                {"name": STRING, "phone": _nullable("string"), "email": _nullable("string")},
                nullable=True,
                description="null when the reporter asked to be hidden from this agency",
            ),
        },
        required=["id", "tracking_code", "state", "category", "agency", "submitted_at"],
    ),
    "ComplaintPage": _cursor_page("Complaint"),
    "ComplaintStep": _object(
        {
            "step": _one_of(
                [
                    "verify",
                    "hold",
                    "reject",
                    "reroute",
                    "assign",
                    "start",
                    "wait",
                    "resolve",
                    "note",
                ]
            ),
            "note": STRING | {"maxLength": 5000},
            "agency": STRING | {"description": "reroute: the agency's code"},
            "assignee_id": INTEGER | {"description": "assign: a staff member's id"},
            "public": BOOLEAN | {"description": "note: shown to the reporter"},
        },
        required=["step"],
        description="One workflow step, by the same rules as the staff pages",
        additionalProperties=False,
    ),
    # --- Open311 GeoReport v2 (field names as the specification spells them) ---
    "Open311Errors": _array(
        _object({"code": INTEGER, "description": STRING}, required=["code", "description"])
    ),
    "Open311Discovery": _object(
        {
            "changeset": STRING,
            "contact": STRING,
            "key_service": STRING,
            "endpoints": _array(
                _object(
                    {
                        "specification": STRING,
                        "url": STRING,
                        "changeset": STRING,
                        "type": STRING,
                        "formats": _array(STRING),
                    },
                    required=["specification", "url", "type", "formats"],
                )
            ),
        },
        required=["changeset", "contact", "endpoints"],
    ),
    "Open311Service": _object(
        {
            "service_code": STRING,
            "service_name": STRING,
            "description": STRING,
            "metadata": BOOLEAN,
            "type": _one_of(["realtime", "batch", "blackbox"]),
            "keywords": STRING,
            "group": STRING,
        },
        required=["service_code", "service_name", "metadata", "type"],
    ),
    "Open311ServiceDefinition": _object(
        {
            "service_code": STRING,
            "attributes": _array(
                _object(
                    {
                        "variable": BOOLEAN,
                        "code": STRING,
                        "datatype": STRING,
                        "required": BOOLEAN,
                        "datatype_description": STRING,
                        "order": INTEGER,
                        "description": STRING,
                        "values": _array(_object({"key": STRING, "name": STRING})),
                    },
                    required=["variable", "code", "datatype", "required", "order"],
                )
            ),
        },
        required=["service_code", "attributes"],
    ),
    "Open311Request": _object(
        {
            "service_request_id": STRING,
            "status": _one_of(["open", "closed"]),
            "status_notes": _nullable("string"),
            "service_name": STRING,
            "service_code": STRING,
            "description": _nullable("string"),
            "agency_responsible": STRING,
            "service_notice": _nullable("string"),
            "requested_datetime": DATE_TIME,
            "updated_datetime": _nullable("string", format="date-time"),
            "expected_datetime": _nullable("string", format="date-time"),
            "address": _nullable("string"),
            "address_id": _nullable("string"),
            "zipcode": _nullable("string"),
            "lat": _nullable("number"),
            "long": _nullable("number"),
            "media_url": _nullable("string"),
        },
        required=["service_request_id", "status", "service_code", "requested_datetime"],
        description="A complaint as the public may see it: no personal data",
    ),
    "Open311NewRequest": _object(
        {
            "api_key": STRING,
            "service_code": STRING,
            "description": STRING,
            "first_name": STRING,
            "last_name": STRING,
            "email": STRING,
            "phone": STRING,
            "lat": STRING,
            "long": STRING,
            "address_string": STRING,
            "address_id": STRING,
            "device_id": STRING,
            "account_id": STRING,
            "media_url": STRING,
            "attribute[agency]": STRING,
            "attribute[hide_identity]": _one_of(["true", "false"]),
        },
        required=["api_key", "service_code", "description"],
        description=(
            "GeoReport v2 POST parameters (form-encoded). The agency concerned is "
            "the attribute `attribute[agency]`; the reporter's name is first_name "
            "and last_name."
        ),
    ),
    "Open311Created": _array(
        _object(
            {
                "service_request_id": STRING,
                "token": STRING
                | {
                    "description": (
                        "The complaint's tracking code: with the reporter's phone or email it "
                        "opens the public tracking page"
                    )
                },
                "service_notice": STRING,
                "account_id": _nullable("string"),
            },
            required=["service_request_id", "token"],
        )
    ),
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
                    DATE_TIME,
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
            [{"name": "kpj", "in": "path", "required": True, "schema": STRING}],
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
                _query("period", STRING, "YYYY-MM, the last month (default: now)"),
                _query("months", {"type": "integer", "enum": [6, 12, 24], "default": 12}),
                _query("kecamatan", STRING, "a kecamatan code (default: city)"),
            ],
            tags=["coverage"],
        )
    },
    "/api/v1/official-counts": {
        "get": _read(
            "Official participant counts, in the order they were last recorded",
            _COVERAGE_READ,
            _ref("OfficialCountPage"),
            [_query("month", STRING, "YYYY-MM: that month's counts only"), *_CURSOR],
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
        "get": _open311_read("Open311 discovery", _ref("Open311Discovery")),
    },
    "/open311/v2/services.json": {
        "get": _open311_read(
            "Complaint categories as Open311 services", _array(_ref("Open311Service"))
        ),
    },
    "/open311/v2/services/{service_code}.json": {
        "get": _open311_read(
            "A service's attributes (the agency concerned, hiding the reporter)",
            _ref("Open311ServiceDefinition"),
            [_path_param("service_code", STRING)],
            errors=(404,),
        ),
    },
    "/open311/v2/requests.json": {
        "get": _open311_read(
            "Public list of complaints: no personal data",
            _array(_ref("Open311Request")),
            [
                _query("service_request_id", STRING, "comma-separated ids"),
                _query("service_code", STRING),
                _query("status", _one_of(["open", "closed"])),
                _query("start_date", DATE_TIME),
                _query("end_date", DATE_TIME),
            ],
            errors=(400,),
        ),
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
        "get": _open311_read(
            "One complaint, public fields only",
            _array(_ref("Open311Request")),
            [_path_param("service_request_id", STRING)],
            errors=(404,),
        ),
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
