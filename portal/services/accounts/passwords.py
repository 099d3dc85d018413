"""Password hashing (Argon2id at OWASP's recommended cost) and the strength rule."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB memory, 2 iterations, 1 lane.
_PROFILES = {
    "owasp": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    # Only for the test suite, where thousands of hashes would otherwise take minutes.
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}

MIN_LENGTH = 10
_COMMON = frozenset(
    {"password12", "1234567890", "qwertyuiop", "singkawang", "passwordku", "bpjsbpjsbpjs"}
)


def _hasher() -> PasswordHasher:
    return _PROFILES[current_app.config.get("PASSWORD_HASH_PROFILE", "owasp")]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` is too weak, as a translated message, or None if it is acceptable.

    Rule (NIST SP 800-63B spirit): at least 10 characters, letters and digits, not a common
    password, not containing the email's local part or the user's name.
    """
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > 128:
        return str(_l("Use at most 128 characters."))
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return str(_l("Use both letters and digits."))
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return str(_l("This password is too easy to guess."))
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return str(_l("Do not use your email address in the password."))
    for part in name.lower().split():
        if len(part) >= 4 and part in lowered:
            return str(_l("Do not use your name in the password."))
    return None
