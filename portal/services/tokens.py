"""The one digest of a secret token kept in the database (login sessions, password-reset and
invitation links) and in the page store's keys: SHA-256 of the token as it arrived, so a
stolen table or memory dump holds no usable token. A token from a URL may carry any
characters; surrogateescape keeps an odd one from failing the lookup (it simply matches
nothing)."""

from __future__ import annotations

import hashlib


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()
