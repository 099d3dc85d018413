"""The floor: the least a page of ours could cost on the same stack.

A bare Flask app — no extensions, no login, no layout — that runs one SQL query on the
portal's database (50 businesses) and renders them as an HTML table with Jinja. Served by
`bench/pages_bench.py` under the portal's own gunicorn settings:

    DATABASE_URL=… gunicorn -c deploy/gunicorn.conf.py bench.floor_app:app

A portal page at 0.5 of the floor's requests per second spends as much in the portal's own
code (access checks, session, layout, macros, more queries) as in Flask, the driver and
Jinja together.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from portal.config import _database_url  # noqa: E402  (the same URL rules as the portal)

app = Flask(__name__)
engine = create_engine(_database_url(os.environ.get("DATABASE_URL", "")), pool_pre_ping=True)
QUERY = text(
    "SELECT id, nib, name, kelurahan_code, scale, verification_state"
    " FROM businesses ORDER BY id LIMIT 50"
)
PAGE = app.jinja_env.from_string(
    """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Floor</title></head>
<body><h1>{{ rows|length }} usaha</h1>
<table>
<thead><tr><th>NIB</th><th>Nama</th><th>Kelurahan</th><th>Skala</th><th>Status</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row.nib }}</td><td><a href="/b/{{ row.id }}">{{ row.name }}</a></td>
<td>{{ row.kelurahan_code }}</td><td>{{ row.scale }}</td><td>{{ row.verification_state }}</td></tr>
{% endfor %}</tbody></table></body></html>"""
)


@app.get("/")
def floor():
    with engine.connect() as conn:
        rows = conn.execute(QUERY).all()
    return PAGE.render(rows=rows)
