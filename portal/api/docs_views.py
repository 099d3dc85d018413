"""The OpenAPI document and a readable page made from it (server-rendered: no CDN, no script)."""

from __future__ import annotations

from flask import render_template

from ..web.access import public
from . import bp, openapi
from .common import answer

METHODS = ("get", "post", "put", "patch", "delete")


@bp.route("/openapi.json")
@public
def openapi_json():
    return answer(openapi.document())


def _operations(doc: dict) -> list[dict]:
    ops = []
    for path, item in doc["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {})
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "scopes": [s for req in op.get("security", []) for v in req.values() for s in v]
                    or (["api_key"] if any("api_key" in r for r in op.get("security", [])) else []),
                    "parameters": op.get("parameters", []),
                    "body": [
                        (media, c["schema"].get("$ref", "").rsplit("/", 1)[-1])
                        for media, c in body.items()
                    ],
                    "responses": sorted(op["responses"].items()),
                    "tag": (op.get("tags") or [""])[0],
                }
            )
    return ops


@bp.route("/docs")
@public
def docs():
    doc = openapi.document()
    return render_template(
        "api/docs.html",
        doc=doc,
        operations=_operations(doc),
        schemas=sorted(doc["components"]["schemas"].items()),
    )
