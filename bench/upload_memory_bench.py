"""Upload memory: peak RSS and time to refusal (or parse) for hostile and legitimate ~10 MB files.

Each file is built once in the parent, then read in a fresh subprocess by the portal's one
reader (`services.uploads.table.read_table`, the employee layout, the production limits:
10 MB, 20,000 rows). The child reports its peak RSS before and after reading
(/proc/self/status VmRSS, then VmHWM after the peak was reset to the current RSS through
/proc/self/clear_refs: `ru_maxrss` would carry over the parent's peak across exec), so
"added" is what reading the file took on top of the interpreter, the app and the file's
bytes; the wall and CPU seconds spent; and how it ended (refusal code, or rows read).
Nothing asserts. Linux only.

    .venv/bin/python bench/upload_memory_bench.py            # every shape
    .venv/bin/python bench/upload_memory_bench.py csv_one_char_lines   # one shape
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "testing")

TEN_MB = 10 * 1024 * 1024
TARGET = TEN_MB - 64 * 1024  # just under the size cap, so the content is what is tested

_OOXML = "http://schemas.openxmlformats.org"
_PKG = f"{_OOXML}/package/2006"
_REL = f"{_OOXML}/officeDocument/2006/relationships"
_MAIN = f"{_OOXML}/spreadsheetml/2006/main"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SML}.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Karyawan" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'


def _headers() -> list[str]:
    from portal.services.employees.upload_format import HEADERS

    return list(HEADERS)


def _xlsx(sheet_rows: str, shared: list[str]) -> bytes:
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    shared_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        sheet = _SHEET_HEAD + sheet_rows + "</sheetData></worksheet>"
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared_xml)
    return buffer.getvalue()


def _random_text(rng: random.Random, length: int) -> str:
    return base64.b32encode(rng.randbytes(length)).decode()[:length]


def _header_row() -> str:
    cells = "".join(f'<c t="s"><v>{i}</v></c>' for i in range(len(_headers())))
    return f'<row r="1">{cells}</row>'


def xlsx_inflating_shared_strings() -> bytes:
    """The issue's 80 MB of shared strings in a small zip: refused from the zip directory."""
    rng = random.Random(1)
    # Random 0/1 text: one bit per character, so 80 MB of strings pack into about 10 MB.
    filler = [
        format(rng.getrandbits(48), "048b") + "0" * 32 for _ in range(80 * 1024 * 1024 // 100)
    ]
    return _xlsx(_header_row() + '<row r="2"><c t="s"><v>0</v></c></row>', _headers() + filler)


def xlsx_row_two_billion() -> bytes:
    """One data row numbered 2,000,000,000 (openpyxl would yield every missing row)."""
    row = '<row r="2000000000"><c t="s"><v>0</v></c></row>'
    return _xlsx(_header_row() + row, _headers())


def xlsx_twenty_thousand_wide_rows() -> bytes:
    """A legitimate-looking workbook at the row cap: 20,000 rows of random text (~10 MB
    unpacked shared strings): accepted, the worst case the reader parses fully."""
    rng = random.Random(2)
    headers = _headers()
    shared = list(headers)
    rows = [_header_row()]
    for r in range(2, 20_002):
        cells = []
        for _column in headers:
            shared.append(_random_text(rng, 40))
            cells.append(f'<c t="s"><v>{len(shared) - 1}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return _xlsx("".join(rows), shared)


def csv_one_char_lines() -> bytes:
    """The issue's 10 MB CSV of one-character lines: 5 million rows."""
    header = ",".join(_headers()).encode() + b"\n"
    return header + b"a\n" * ((TARGET - len(header)) // 2)


def csv_huge_field() -> bytes:
    """One quoted field of ~10 MB (the csv module's own limit is 131,072 characters)."""
    header = ",".join(_headers()).encode() + b"\n"
    return header + b'"' + b"x" * (TARGET - len(header) - 3) + b'"\n'


def csv_huge_unquoted_line() -> bytes:
    """One ~10 MB line without a newline or quotes."""
    header = ",".join(_headers()).encode() + b"\n"
    return header + b"y" * (TARGET - len(header))


def csv_twenty_thousand_wide_rows() -> bytes:
    """A legitimate CSV at the caps: 20,000 rows whose cells fill the file to ~10 MB."""
    headers = _headers()
    width = max(1, (TARGET // 20_000 - len(headers)) // len(headers))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    rng = random.Random(3)
    for _ in range(20_000):
        writer.writerow(_random_text(rng, min(width, 1000)) for _ in headers)
    return out.getvalue().encode()


SHAPES = {
    "xlsx_inflating_shared_strings": xlsx_inflating_shared_strings,
    "xlsx_row_two_billion": xlsx_row_two_billion,
    "xlsx_twenty_thousand_wide_rows": xlsx_twenty_thousand_wide_rows,
    "csv_one_char_lines": csv_one_char_lines,
    "csv_huge_field": csv_huge_field,
    "csv_huge_unquoted_line": csv_huge_unquoted_line,
    "csv_twenty_thousand_wide_rows": csv_twenty_thousand_wide_rows,
}


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


def _reset_peak() -> None:
    """Start the peak (VmHWM) from the current RSS: ru_maxrss would carry the parent's."""
    Path("/proc/self/clear_refs").write_text("5")


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(path: str) -> None:
    """Read one file as the upload view does; print a JSON line."""
    from portal import create_app
    from portal.services.employees.upload_format import EMPLOYEE_LAYOUT
    from portal.services.uploads.table import UploadRefused, read_table

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    data = Path(path).read_bytes()
    with app.test_request_context():
        _reset_peak()
        before = _status_mib("VmRSS")
        start, cpu = time.perf_counter(), _cpu_seconds()
        try:
            rows = read_table(
                data,
                EMPLOYEE_LAYOUT,
                max_bytes=app.config["UPLOAD_MAX_BYTES"],
                max_rows=app.config["UPLOAD_MAX_ROWS"],
            )
            outcome = f"read {len(rows)} rows"
        except UploadRefused as refusal:
            outcome = f"refused: {refusal.code}"
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        after = _status_mib("VmHWM")
    figures = {"before": before, "after": after, "seconds": seconds, "cpu": cpu}
    print(json.dumps({**figures, "outcome": outcome}))


def main(names: list[str]) -> None:
    names = names or list(SHAPES)
    print(
        f"{'shape':<32} {'file':>9} {'wall s':>7} {'CPU s':>6} {'RSS before':>10} "
        f"{'peak RSS':>9} {'added':>7}  outcome"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            data = SHAPES[name]()
            path = Path(tmp) / name
            path.write_bytes(data)
            del data
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            size = path.stat().st_size / (1024 * 1024)
            print(
                f"{name:<32} {size:>7.2f}MB {figures['seconds']:>7.2f} {figures['cpu']:>6.2f} "
                f"{figures['before']:>8.0f}MB {figures['after']:>7.0f}MB "
                f"{figures['after'] - figures['before']:>5.0f}MB  {figures['outcome']}",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main(sys.argv[1:])
