"""Absolute links for mail: from the configured public address, never from the request's Host.

A reset link built from the Host header would let anyone who can send a request with a forged
Host (or X-Forwarded-Host) mail a victim a link to their own server, carrying the victim's
token. With `PUBLIC_URL` set (production: `https://portal.example`), every mailed link starts
with it; without it (development, tests) the request's own address is used.
"""

from __future__ import annotations

from flask import current_app, url_for


def mail_link(endpoint: str, **values) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
