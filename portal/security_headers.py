"""Security headers on every response: what a page may load, how long it may be kept, HTTPS.

- `Content-Security-Policy`: scripts, styles, fonts and images from this site only; no inline
  script, no inline style, no plugins, no framing by other sites, forms post only here.
  Templates therefore load every script with `src` and style with classes (static/js,
  static/css). Bootstrap's icons are `data:` SVG images, hence `img-src data:`. A response
  that already carries a stricter policy (complaint attachments: `sandbox`) keeps it. PDFs
  get `frame-ancestors 'self'` only: Chrome shows a PDF through a built-in viewer page that
  `object-src 'none'` and the ban on inline style would block (crbug.com/271452), and a PDF
  runs none of our scripts anyway.
- `Cache-Control: no-store` on every response that is not a static file. Pages carry a
  per-session CSRF token and, for most users, personal data (NIKs, wages, complaints — also
  for an anonymous reporter tracking a complaint); exports and PDFs are personal data. Static
  files keep their year-long caching (their URLs carry a content hash).
- `Strict-Transport-Security` when `HSTS_MAX_AGE` is set (production).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PDF_POLICY = "frame-ancestors 'self'"


def is_static_file_request() -> bool:
    """The app's own static files and those of extensions (Flask-Admin's `admin.static`)."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    policy = PDF_POLICY if response.mimetype == "application/pdf" else CONTENT_SECURITY_POLICY
    headers.setdefault("Content-Security-Policy", policy)
    max_age = current_app.config.get("HSTS_MAX_AGE")
    if max_age:
        hsts = f"max-age={int(max_age)}; includeSubDomains"
        headers.setdefault("Strict-Transport-Security", hsts)
    if not is_static_file_request() and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    return response


def install_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
