"""Load test: 50 users at once on a portal of two app processes, mixing the busy pages.

Seeds a city like `bench/pages_bench.py` (or reuses one: `--reuse URL`), serves the portal
under the production settings (deploy/gunicorn.conf.py: two worker processes sharing one
database and one Redis), logs in one account per role, then runs `wrk` with `--users`
connections for `--seconds`: every request picks the next page of `PAGES` in turn, with the
cookie of the role that page belongs to (a Lua script), so the mix is even. Prints requests
per second, latency percentiles (50/90/95/99), the slowest request and the errors (non-2xx
answers and socket errors; 0 expected).

    .venv/bin/python bench/load_test.py                    # PostgreSQL, 100,000 workers, 60 s
    .venv/bin/python bench/load_test.py --workers 20000 --seconds 30
    .venv/bin/python bench/load_test.py --reuse URL               # a city kept by --keep

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
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages_bench import (  # noqa: E402
    PAGES,
    ROLES,
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


def lua_script(cookies: dict[str | None, str]) -> str:
    rows = ", ".join(f'{{"{path}", "{cookies.get(role, "")}"}}' for _label, role, path in PAGES)
    return LUA % {"pages": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    city_arguments(parser)
    parser.add_argument("--users", type=int, default=50, help="concurrent connections")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench does it as root)")

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        _url, env, kind = seeded_city(stack, args, tmp)
        port = start_servers(stack, {"portal": None}, env, tmp)["portal"]
        cookies = {role: log_in(port, email) for role, email in ROLES.items()}
        for _label, role, path in PAGES:
            status = http_get(port, path, cookies.get(role))[0]
            assert status == 200, f"{path} answered {status} before the run"
        script = tmp / "mix.lua"
        script.write_text(lua_script(cookies))
        load_before = os.getloadavg()[0]
        started = time.strftime("%d %b %Y %H:%M")
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.users}", f"-d{args.seconds}s", "--timeout", "10s"]
            + ["-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures = {k: int(v) for k, v in re.findall(r"^([A-Z0-9]+) (\d+)$", out, re.M)}
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        for _label, role, path in PAGES:
            status = http_get(port, path, cookies.get(role))[0]
            assert status == 200, f"{path} answered {status} after the run"

    print(
        f"\n{started}; {kind}; seed-scale --workers {args.workers:,}; gunicorn "
        f"{args.gunicorn_workers} worker processes; {args.users} users for {args.seconds} s, "
        f"{len(PAGES)} pages in turn; load average {load_before:.1f} before, "
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
