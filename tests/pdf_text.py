"""Read the text back out of a PDF the portal wrote (fpdf2, embedded TrueType fonts).

No PDF reader is among the project's dependencies (fpdf2 only writes), so this reads just
what fpdf2 produces: indirect objects with direct `/Length`, Flate-compressed page content,
Type0 fonts with Identity-H encoding and a ToUnicode CMap (`bfchar` / `bfrange`). Each
text-showing operator becomes one line; a page's lines are joined with newlines.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(stream\r?\n|endobj)", re.S)
_REF = rb"(\d+) 0 R"
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
# A font selection, or a literal / hex string shown by Tj or inside a TJ array.
_CONTENT = re.compile(
    rb"/(\w+)\s+[\d.]+\s+Tf|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>(?!>)|(TJ|Tj)", re.S
)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary, stream bytes or None)."""
    found = {}
    for match in _OBJECT.finditer(data):
        number, head, tail = int(match.group(1)), match.group(2), match.group(3)
        stream = None
        if tail != b"endobj":
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            stream = data[match.end() : match.end() + length]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
        found[number] = (head, stream)
    return found


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _literal(token: bytes) -> bytes:
    """The bytes of a PDF literal string `( … )` with its escapes resolved."""
    body, out, i = token[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """All text shown on the PDF's pages, in drawing order."""
    return "\n".join(pdf_pages(data))


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in page order (objects in the order fpdf2 writes them)."""
    objects = _objects(data)
    fonts: dict[int, dict[int, str]] = {}
    for number, (head, _stream) in objects.items():
        to_unicode = re.search(rb"/ToUnicode " + _REF, head)
        if to_unicode:
            fonts[number] = _cmap(objects[int(to_unicode.group(1))][1])
    pages = []
    for head, _stream in objects.values():
        if not re.search(rb"/Type /Page\b", head):
            continue
        resources = objects[int(re.search(rb"/Resources " + _REF, head).group(1))][0]
        names = {
            name.decode(): fonts.get(int(ref), {})
            for name, ref in re.findall(rb"/(\w+) " + _REF, resources)
        }
        content = objects[int(re.search(rb"/Contents " + _REF, head).group(1))][1]
        lines, pending, cmap = [], [], {}
        for match in _CONTENT.finditer(content):
            token = match.group(0)
            if match.group(1):
                cmap = names.get(match.group(1).decode(), {})
            elif match.group(2):
                lines.append("".join(pending))
                pending = []
            else:
                raw = (
                    _literal(token)
                    if token.startswith(b"(")
                    else bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
                )
                pending.extend(
                    cmap.get(int.from_bytes(raw[i : i + 2], "big"), "\ufffd")
                    for i in range(0, len(raw) - 1, 2)
                )
        pages.append("\n".join(lines))
    return pages
