"""The Content-Security-Policy allows no inline script or style (issue 15, finding 9): no
template may need any, or the page breaks in a browser. Rendered pages are checked in
tests/integration/security/test_headers.py; this catches templates no test renders."""

from __future__ import annotations

import re
from pathlib import Path

from portal.config import BASE_DIR
from portal.services.coverage.charts_svg import PALETTE, Series, legend

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _offences(text: str) -> list[str]:
    return [
        m.group(0) for rx in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER) for m in rx.finditer(text)
    ]


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = sorted(Path(BASE_DIR, "templates").rglob("*.html"))
    assert len(templates) > 50
    found = {
        str(path.relative_to(BASE_DIR)): hits
        for path in templates
        if (hits := _offences(path.read_text(encoding="utf-8")))
    }
    assert not found


def test_chart_legends_colour_without_style_attributes():
    html = str(legend([Series("Anggota", [1, 2], PALETTE[1])]))
    assert not _offences(html)
    assert f'fill="{PALETTE[1]}"' in html
