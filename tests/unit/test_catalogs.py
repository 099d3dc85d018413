"""The Indonesian catalogs: every string the code shows is translated, and only one way.

Flask-Babel merges all catalogs under translations/ into one, so a message translated
differently in two areas would show whichever catalog happens to load last.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _catalogs() -> dict[str, dict[str, str]]:
    """area -> {msgid: msgstr} for every Indonesian catalog (singular form for plurals)."""
    result = {}
    for po in sorted(ROOT.glob("translations/*/id/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        entries = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
            if msgstr:
                entries[msgid] = msgstr
        result[po.parts[-4]] = entries
    return result


def _messages_in_source() -> dict[str, str]:
    """msgid -> 'file:line' of its first use, extracted the way pybabel extract does."""
    found: dict[str, str] = {}
    for sub in ("portal", "templates"):
        method = "python" if sub == "portal" else "jinja2"
        pattern = "**.py" if sub == "portal" else "**.html"
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            ROOT / sub,
            method_map=[(pattern, method)],
            keywords=KEYWORDS,
            options_map={pattern: {"extensions": "jinja2.ext.do"}} if method == "jinja2" else {},
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, f"{sub}/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogs():
    return _catalogs()


def test_every_shown_string_has_an_indonesian_translation(catalogs):
    translated = set().union(*(entries.keys() for entries in catalogs.values()))
    missing = {
        msgid: where for msgid, where in _messages_in_source().items() if msgid not in translated
    }
    assert not missing, "untranslated strings:\n" + "\n".join(
        f"{where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda i: i[1])
    )


def test_no_message_is_translated_two_ways(catalogs):
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for area, entries in catalogs.items():
        for msgid, msgstr in entries.items():
            seen[msgid][area] = msgstr
    conflicts = {m: areas for m, areas in seen.items() if len(set(areas.values())) > 1}
    assert not conflicts, conflicts
