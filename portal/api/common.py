"""Shared by the API views: request bodies checked against the OpenAPI schemas, query
parameters, and cacheable JSON answers (ETag / If-None-Match)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app, json, request
from flask_babel import gettext as _
from jsonschema import Draft202012Validator

from ..web.api import ApiRefusal, json_body
from . import openapi


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(openapi.schema(name))


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "boolean": "true or false"}


def _field_message(error) -> tuple[str | None, str]:
    field = ".".join(str(p) for p in error.absolute_path) or None
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - known)
        return (unknown[0] if unknown else field), _("This field is not known here.")
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else field
        return missing, _("This field is required.")
    if error.validator == "type":
        expected = error.validator_value
        expected = expected[0] if isinstance(expected, list) else expected
        return field, _(
            "Wrong type: %(expected)s expected.", expected=_TYPE_NAMES.get(expected, expected)
        )
    if error.validator == "enum":
        return field, _(
            "Choose one of: %(values)s.", values=", ".join(map(str, error.validator_value))
        )
    if error.validator == "maxLength":
        return field, _("At most %(n)d characters.", n=error.validator_value)
    return field, _("This value is not accepted.")


def body_for(schema_name: str) -> dict[str, Any]:
    """The JSON body, checked against the OpenAPI schema `schema_name`: unknown fields and
    wrong types are refused (422), each message at its field."""
    data = json_body()
    errors = sorted(_validator(schema_name).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        if not isinstance(data, dict):
            raise ApiRefusal(422, _("The body must be a JSON object."))
        raise ApiRefusal(422, _("The input was refused."), [_field_message(e) for e in errors])
    return data


def limit_arg(default: int = 50) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 200:
        raise ApiRefusal(
            422, _("The input was refused."), [("limit", _("A number from 1 to 200."))]
        )
    return int(raw)


def choice_arg(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in allowed:
        raise ApiRefusal(
            422,
            _("The input was refused."),
            [(name, _("Choose one of: %(values)s.", values=", ".join(allowed)))],
        )
    return value


def instant_arg(name: str, status: int = 422) -> datetime | None:
    """An ISO 8601 instant with its offset from the query string (None when absent)."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ApiRefusal(
            status,
            _("The input was refused."),
            [(name, _("Write an ISO 8601 instant with its offset, e.g. 2026-03-01T00:00:00Z."))],
        )
    return value


def answer(data: Any, status: int = 200, headers: dict | None = None, etag: bool = True):
    """`data` as JSON; a read carries an ETag and answers 304 to a matching If-None-Match."""
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers.update(headers or {})
    if etag and request.method == "GET":
        response.add_etag()
        response.make_conditional(request)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
