"""Bytes on the wire for a first visit (empty browser cache), plain and compressed.

Requests an entry page and every static file it links (stylesheets, scripts, icon) through
the app, as a browser would: without `Accept-Encoding`, with `gzip` and with
`gzip, deflate, br, zstd` (what Chromium sends). Prints one table per page. Uses an empty
SQLite database with the reference data; the sizes do not depend on data.

    .venv/bin/python bench/first_visit_bench.py
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("PORTAL_ENV", "testing")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.services.reference.seed import load_reference_data  # noqa: E402

PAGES = ["/", "/auth/login", "/dashboard/public"]
ENCODINGS = [("plain", None), ("gzip", "gzip"), ("browser (br)", "gzip, deflate, br, zstd")]
ASSET = re.compile(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"')


def size(client, url: str, accept: str | None) -> tuple[int, str]:
    headers = {"Accept-Encoding": accept} if accept else {}
    with client.get(url, headers=headers) as response:
        assert response.status_code == 200, (url, response.status_code)
        return len(response.get_data()), response.headers.get("Content-Encoding", "-")


def main() -> None:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/first.sqlite3"})
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
        client = app.test_client()
        for page in PAGES:
            with client.get(page) as response:
                html = response.get_data(as_text=True)
            urls = [page] + sorted(set(ASSET.findall(html)))
            print(f"\nFirst visit of {page}: {len(urls)} requests")
            print("| resource | " + " | ".join(label for label, _ in ENCODINGS) + " |")
            print("|---|" + "---|" * len(ENCODINGS))
            totals = [0] * len(ENCODINGS)
            for url in urls:
                cells = []
                for i, (_, accept) in enumerate(ENCODINGS):
                    n, encoding = size(client, url, accept)
                    totals[i] += n
                    cells.append(f"{n / 1024:,.1f} KiB" + (f" ({encoding})" if accept else ""))
                print(f"| {url.split('?')[0]} | " + " | ".join(cells) + " |")
            print("| **total** | " + " | ".join(f"**{t / 1024:,.1f} KiB**" for t in totals) + " |")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
