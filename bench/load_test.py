"""Load test: 50 users at once on a portal of two app processes, mixing the busy pages.

Seeds a city like `bench/pages_bench.py` (or reuses one: `--reuse URL`), serves the portal
under the production settings (deploy/gunicorn.conf.py: two worker processes sharing one
database and one Redis), logs in one account per role, then runs `wrk` with `--users`
connections for `--seconds`: every request picks the next page of `PAGES` in turn, with the
cookie of the role that page belongs to (a Lua script), so the mix is even; the cookie is the
one a browser holds after viewing its pages (with the page's CSRF token). Meanwhile a writer
in this process saves `--writes` changes a second through the app's own session (a
membership, an enrolment request or a complaint in turn, re-saved as they are), as clerks
elsewhere would: each bumps its table's version, so the pages that read it are rendered
again (web/page_cache.py) and the run mixes served and rendered pages. `--writes 0` shows
the store alone; `--page-cache 0` renders every page. Prints requests per second, latency
percentiles (50/90/95/99), the slowest request and the errors (non-2xx answers and socket
errors; 0 expected).

    .venv/bin/python bench/load_test.py                    # PostgreSQL, 100,000 workers, 60 s
    .venv/bin/python bench/load_test.py --workers 20000 --seconds 30
    .venv/bin/python bench/load_test.py --reuse URL               # a city kept by --keep
    .venv/bin/python bench/load_test.py --reuse URL --page-cache 0  # every page rendered

Prints figures only; nothing here asserts anything about time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages_bench import (  # noqa: E402
    PAGES,
    REDIS_URL,
    ROLES,
    browser_cookie,
    city_arguments,
    http_get,
    log_in,
    seeded_city,
    start_servers,
)

LUA = """
local pages = {%(pages)s}
local i = 0
request = function()
  i = i %% #pages + 1
  local page = pages[i]
  local headers = {}
  if page[2] ~= "" then headers["Cookie"] = page[2] end
  return wrk.format("GET", page[1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %%d\\nP90 %%d\\nP95 %%d\\nP99 %%d\\nMAX %%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
  io.write(string.format("REQUESTS %%d\\nNON2XX %%d\\nSOCKET %%d\\n", summary.requests,
    summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def lua_script(cookies: dict[str | None, str | None]) -> str:
    rows = ", ".join(f'{{"{path}", "{cookies.get(role) or ""}"}}' for _label, role, path in PAGES)
    return LUA % {"pages": rows}


def writer(url: str, prefix: str, per_second: float, stop: threading.Event, saved: list) -> None:
    """Re-save a membership, an enrolment request and a complaint in turn, `per_second`
    times a second, through the app (so the page store hears of it), until `stop`; each
    change is appended to `saved`."""
    from sqlalchemy import func, select, update

    from portal import create_app
    from portal.extensions import db
    from portal.models import Complaint, EnrolmentRequest, Membership

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PAGE_CACHE_SECONDS": 60,
            "PAGE_CACHE_REDIS_URL": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": prefix,
        }
    )
    with app.app_context():
        models = [Membership, EnrolmentRequest, Complaint]
        top = {m: db.session.scalar(select(func.max(m.id))) or 1 for m in models}
        i = 0
        while not stop.wait(1 / per_second):
            model = models[i % len(models)]
            row = 1 + (i * 7919) % top[model]
            db.session.execute(update(model).where(model.id == row).values(state=model.state))
            db.session.commit()
            saved.append(model.__tablename__)
            i += 1
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    city_arguments(parser)
    parser.add_argument("--users", type=int, default=50, help="concurrent connections")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--writes", type=float, default=2, help="changes saved per second")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench does it as root)")

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url, env, kind = seeded_city(stack, args, tmp)
        port = start_servers(stack, {"portal": None}, env, tmp)["portal"]
        cookies: dict[str | None, str | None] = {
            role: log_in(port, email) for role, email in ROLES.items()
        }
        for _ in range(2):  # a browser's cookie after its first views
            for _label, role, path in PAGES:
                status, _, _, refreshed = http_get(port, path, cookies.get(role))
                assert status == 200, f"{path} answered {status} before the run"
                cookies[role] = browser_cookie(cookies.get(role), refreshed)
        script = tmp / "mix.lua"
        script.write_text(lua_script(cookies))
        load_before = os.getloadavg()[0]
        started = time.strftime("%d %b %Y %H:%M")
        stop = threading.Event()
        saved: list[str] = []
        if args.writes > 0:
            thread = threading.Thread(
                target=writer, args=(url, env["RATELIMIT_KEY_PREFIX"], args.writes, stop, saved)
            )
            thread.start()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.users}", f"-d{args.seconds}s", "--timeout", "10s"]
            + ["-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        stop.set()
        if args.writes > 0:
            thread.join()
        figures = {k: int(v) for k, v in re.findall(r"^([A-Z0-9]+) (\d+)$", out, re.M)}
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        for _label, role, path in PAGES:
            status = http_get(port, path, cookies.get(role))[0]
            assert status == 200, f"{path} answered {status} after the run"

    print(
        f"\n{started}; {kind}; seed-scale --workers {args.workers:,}; gunicorn "
        f"{args.gunicorn_workers} worker processes; {args.users} users for {args.seconds} s, "
        f"{len(PAGES)} pages in turn; {len(saved):,} changes saved meanwhile"
        + (f"; PAGE_CACHE_SECONDS={args.page_cache}" if args.page_cache is not None else "")
        + f"; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after\n"
    )
    print("| requests | req/s | p50 | p90 | p95 | p99 | slowest | errors |")
    print("|---|---|---|---|---|---|---|---|")
    ms = {k: figures[k] / 1000 for k in ("P50", "P90", "P95", "P99", "MAX")}
    errors = figures["NON2XX"] + figures["SOCKET"]
    print(
        f"| {figures['REQUESTS']:,} | {rate:,.0f} | {ms['P50']:,.0f} ms | {ms['P90']:,.0f} ms "
        f"| {ms['P95']:,.0f} ms | {ms['P99']:,.0f} ms | {ms['MAX']:,.0f} ms | {errors} "
        f"({figures['NON2XX']} non-2xx, {figures['SOCKET']} socket) |"
    )


if __name__ == "__main__":
    main()
