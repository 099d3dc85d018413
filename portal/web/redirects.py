"""Where a user-supplied target (`next`, a form field, a header) may send the browser.

One rule for every redirect whose target came from the request: a path on this site, or the
fallback. Browsers "repair" URLs before following them — they drop tabs and newlines, read
`\\` as `/`, and `//host` is another site — so a path that merely starts with `/` is not
enough: `/\\t/evil.example` becomes `//evil.example`. The target is checked as given and
again after each round of percent-decoding, so `/%2F%2Fevil.example` (a proxy or a
framework may decode it once more) is refused too.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

#: Longer targets are not a page of ours (and not worth decoding).
MAX_TARGET_LENGTH = 2048
#: Rounds of percent-decoding checked; a target still changing after that is refused.
_DECODE_ROUNDS = 3


def _is_local_path(target: str) -> bool:
    """A path on this site that no browser could read as another host."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if "\\" in target:
        return False
    # Control characters (tab, CR, LF, NUL…), invisible format characters (zero-width
    # spaces, bidi marks) and anything unassigned: browsers strip or rewrite them.
    if any(unicodedata.category(ch).startswith("C") for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def is_safe_target(target: object) -> bool:
    """True when `target` is a same-site relative path, in every decoded form."""
    if not isinstance(target, str) or not target or len(target) > MAX_TARGET_LENGTH:
        return False
    current = target
    for _ in range(_DECODE_ROUNDS + 1):
        if not _is_local_path(current):
            return False
        decoded = unquote(current)
        if decoded == current:
            return True
        current = decoded
    return False


def safe_next(target: object, fallback: str) -> str:
    """`target` when it is a path on this site, otherwise `fallback` (a `url_for` result).

    Use it for every redirect to a place the request named: `redirect(safe_next(
    request.form.get("next"), url_for("main.home")))`.
    """
    return target if is_safe_target(target) else fallback  # type: ignore[return-value]
