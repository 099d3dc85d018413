"""What a page says to its reader: its visible text and its form fields, token values left out.

Two answers that must not tell an attacker anything apart (a wrong pair and an unknown code,
an existing and an unknown email) are compared through this, never as raw HTML: a CSRF
token carries its signing second and a nonce, and attributes may come in any order.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Fields whose value is a per-request secret, not something the page says.
TOKEN_FIELDS = frozenset({"csrf_token"})
#: Elements whose content is not read by a person.
_SILENT = frozenset({"script", "style", "template"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.fields: list[tuple[str, str, str, str]] = []
        self._silent = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SILENT:
            self._silent += 1
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea", "button"}:
            name = attrs.get("name") or ""
            value = "" if name in TOKEN_FIELDS else (attrs.get("value") or "")
            self.fields.append((tag, attrs.get("type") or "", name, value))
        if tag == "form":
            self.fields.append(("form", attrs.get("method") or "", attrs.get("action") or "", ""))

    def handle_endtag(self, tag):
        if tag in _SILENT and self._silent:
            self._silent -= 1

    def handle_data(self, data):
        if not self._silent:
            self.words.extend(data.split())


def page_says(html: str) -> tuple[str, tuple[tuple[str, str, str, str], ...]]:
    """(visible text with whitespace collapsed, form fields as (tag, type, name, value))."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return " ".join(reader.words), tuple(reader.fields)
