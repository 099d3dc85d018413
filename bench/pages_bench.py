"""Requests per second of the portal's busiest pages, against a bare Flask "floor" page.

One run, side by side on one database: seeds a city with `flask seed-scale` (after
`flask db upgrade`), starts the portal and `bench/floor_app.py` under gunicorn with the
production settings of deploy/gunicorn.conf.py (2 workers each), logs in once per role, then
drives `wrk` (16 connections) against each page for `--seconds`, after a short warm-up. The
floor is measured first and last; the table divides by their mean. Every page is checked to
answer 200 (not a redirect to the login page) before and after its run.

    .venv/bin/python bench/pages_bench.py                         # PostgreSQL, 100,000 workers
    .venv/bin/python bench/pages_bench.py --workers 20000 --seconds 10
    BENCH_DB=sqlite .venv/bin/python bench/pages_bench.py         # SQLite in a temporary file
    .venv/bin/python bench/pages_bench.py --only /dashboard/public --figures-cache 0  # no cache
    .venv/bin/python bench/pages_bench.py --page-cache 0         # every request renders its page

PostgreSQL: a schema of its own in BENCH_PG_URL (default the local `test` database),
dropped afterwards (`--keep` keeps it and prints its URL; `--reuse URL` benchmarks a city
seeded earlier). Redis (BENCH_REDIS_URL, default local) holds the rate-limit counters, as in
production. Needs `wrk` (Debian package; `make bench` installs it when run as root).
Prints figures only; nothing here asserts anything about time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "Bench-Rahasia-2026"
ROLES = {
    "business_owner": "bench.pemilik@example.id",
    "bpjs_officer": "bench.bpjs@example.id",
    "labour_officer": "bench.naker@example.id",
    "trade_officer": "bench.dagang@example.id",
}
# (label, role or None for the public, path): the pages of issue 16.
PAGES = [
    ("owner home `/employer/`", "business_owner", "/employer/"),
    ("BPJS memberships `/bpjs/memberships`", "bpjs_officer", "/bpjs/memberships"),
    ("labour office complaints `/complaints/staff`", "labour_officer", "/complaints/staff"),
    ("BPJS queue `/bpjs/queue`", "bpjs_officer", "/bpjs/queue"),
    ("trade directory `/disperindagkop/directory`", "trade_officer", "/disperindagkop/directory"),
    ("dashboard `/dashboard/`", "labour_officer", "/dashboard/"),
    ("public coverage `/dashboard/public`", None, "/dashboard/public"),
]
OWNER_BUSINESSES = 2  # the owner runs the two generated businesses with the most employees


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, cookie: str | None = None, form: dict | None = None):
    """(status, headers, body, {cookie: value}) of one plain request."""
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
    finally:
        conn.close()
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return response.status, response.headers, text, cookies


def log_in(port: int, email: str) -> str:
    """The Cookie header of a logged-in session (the production cookie is `Secure`; wrk
    sends it as a plain header)."""
    _, _, page, cookies = http_get(port, "/auth/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
    status, _, _, cookies = http_get(
        port, "/auth/login", jar, {"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert status == 302, f"login of {email} answered {status}"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def browser_cookie(sent: str | None, refreshed: dict[str, str]) -> str | None:
    """The Cookie header a browser sends next: what it sent, updated by the Set-Cookie."""
    jar = dict(part.split("=", 1) for part in sent.split("; ")) if sent else {}
    jar.update(refreshed)
    return "; ".join(f"{k}={v}" for k, v in jar.items()) or None


def wrk(url: str, seconds: int, connections: int, headers: list[str]) -> float:
    """Requests/s reported by wrk (a request may take up to 10 s before it counts as lost)."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    if errors or socket_errors:
        print(f"  wrk reported errors for {url}: {(errors or socket_errors).group(0)}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def run(cmd: list[str], env: dict, label: str) -> None:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    print(f"  {label}: {time.perf_counter() - started:.1f} s")
    for line in done.stdout.splitlines():
        if line.startswith("  "):
            print("   " + line)


def prepare_users(url: str) -> None:
    """One account per role; the owner gets the generated businesses with most employees."""
    os.environ.setdefault("PORTAL_ENV", "testing")
    from sqlalchemy import func, select, text, update

    from portal import create_app
    from portal.extensions import db
    from portal.models import Business, Employment, User
    from portal.services.accounts import users as accounts

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_PROFILE": "owasp"})
    with app.app_context():
        for role, email in ROLES.items():
            if db.session.scalar(select(User.id).where(User.email == email)) is None:
                name = f"Bench {role}"
                accounts.create_user(email=email, name=name, role=role, password=PASSWORD)
        db.session.flush()
        owner = db.session.scalar(select(User.id).where(User.email == ROLES["business_owner"]))
        biggest = db.session.scalars(
            select(Employment.business_id)
            .group_by(Employment.business_id)
            .order_by(func.count().desc(), Employment.business_id)
            .limit(OWNER_BUSINESSES)
        ).all()
        db.session.execute(update(Business).where(Business.id.in_(biggest)).values(owner_id=owner))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        db.engine.dispose()


def gunicorn(app_uri: str | None, port: int, env: dict, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    with open(log, "w") as err:
        return subprocess.Popen(
            cmd + ([app_uri] if app_uri else []),
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def wait_for(port: int, path: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server on {port} exited:\n{log.read_text()[-3000:]}")
        try:
            if http_get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"server on {port} did not answer in 120 s:\n{log.read_text()[-3000:]}")


def city_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose and seed the database (shared with bench/load_test.py)."""
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default=None)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=100_000, help="seed-scale workers")
    parser.add_argument("--businesses", type=int, default=5_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--complaints", type=int, default=3_000)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--reuse", metavar="URL", help="a database seeded by an earlier --keep")
    parser.add_argument(
        "--figures-cache",
        metavar="SECONDS",
        help="FIGURES_CACHE_SECONDS for the portal (0: the public figures are not cached)",
    )
    parser.add_argument(
        "--page-cache",
        metavar="SECONDS",
        help="PAGE_CACHE_SECONDS for the portal (0: every request renders its page)",
    )


def seeded_city(stack: ExitStack, args: argparse.Namespace, tmp: Path) -> tuple[str, dict, str]:
    """(database URL, environment of the servers, kind): a seeded city with one account per
    role, dropped (and its rate-limit counters forgotten) when `stack` closes."""
    import redis
    from sqlalchemy import create_engine, text

    kind = args.db or os.environ.get("BENCH_DB", "postgresql")
    url = args.reuse
    if url is None and kind == "sqlite":
        url = f"sqlite:///{tmp}/bench.sqlite3"
    elif url is None:
        schema = f"bench_pages_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in PG_URL else "?"
        url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"

        def drop_schema() -> None:
            if args.keep:
                print(f"kept: --reuse '{url}'")
                return
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        stack.callback(drop_schema)

    prefix = f"bench-pages-{uuid.uuid4().hex[:8]}"
    env = {
        # GUNICORN_MAX_REQUESTS and the like pass through, to try other server settings.
        **{
            k: v
            for k, v in os.environ.items()
            if k.startswith(("PATH", "LANG", "HOME", "GUNICORN_"))
        },
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "WEB_CONCURRENCY": str(args.gunicorn_workers),
        "GUNICORN_ACCESS_LOG": "off",
        "FLASK_APP": "wsgi.py",
    }
    if args.figures_cache is not None:
        env["FIGURES_CACHE_SECONDS"] = str(args.figures_cache)
    if args.page_cache is not None:
        env["PAGE_CACHE_SECONDS"] = str(args.page_cache)

    def forget_counters() -> None:
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(match=f"*{prefix}*"):
            server.delete(key)
        server.close()

    stack.callback(forget_counters)

    flask = [sys.executable, "-m", "flask"]
    print(f"Database: {kind}" + (" (reused)" if args.reuse else ""))
    if not args.reuse:
        run(flask + ["db", "upgrade"], env, "flask db upgrade")
        run(
            flask
            + ["seed-scale", "--workers", str(args.workers)]
            + ["--businesses", str(args.businesses), "--months", str(args.months)]
            + ["--complaints", str(args.complaints)],
            env,
            "flask seed-scale",
        )
    prepare_users(url)
    return url, env, kind


def start_servers(stack: ExitStack, apps: dict[str, str | None], env: dict, tmp: Path) -> dict:
    """Start one gunicorn per app (None: the portal), stopped when `stack` closes; their ports."""
    ports = {name: free_port() for name in apps}
    servers = {
        name: gunicorn(uri, ports[name], env, tmp / f"{name}.log") for name, uri in apps.items()
    }

    def stop_servers() -> None:
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
        for process in servers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    stack.callback(stop_servers)
    for name, uri in apps.items():
        wait_for(ports[name], "/" if uri else "/healthz", servers[name], tmp / f"{name}.log")
    return ports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    city_arguments(parser)
    parser.add_argument("--seconds", type=int, default=20, help="wrk run per page")
    parser.add_argument("--warmup", type=int, default=3, help="wrk warm-up per page, s")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--encoding", default="", help="Accept-Encoding to send, e.g. br")
    parser.add_argument("--only", metavar="TEXT", help="only the pages whose path contains TEXT")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench does it as root)")

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        _url, env, kind = seeded_city(stack, args, tmp)

        ports = start_servers(stack, {"portal": None, "floor": "bench.floor_app:app"}, env, tmp)
        cookies = {role: log_in(ports["portal"], email) for role, email in ROLES.items()}

        extra = [f"Accept-Encoding: {args.encoding}"] if args.encoding else []

        def measure(port: int, path: str, cookie: str | None) -> float:
            # wrk sends the session cookie a browser holds after viewing the page twice (the
            # portal last set it: the login's, plus the page's CSRF token and Flask-Login's
            # marks, which a first visit adds).
            for _ in range(2):
                status, _, _, refreshed = http_get(port, path, cookie)
                assert status == 200, f"{path} answered {status} before the run"
                cookie = browser_cookie(cookie, refreshed)
            headers = extra + ([f"Cookie: {cookie}"] if cookie else [])
            url_ = f"http://127.0.0.1:{port}{path}"
            wrk(url_, args.warmup, args.connections, headers)
            result = wrk(url_, args.seconds, args.connections, headers)
            status = http_get(port, path, cookie)[0]
            assert status == 200, f"{path} answered {status} after the run"
            return result

        load_before = os.getloadavg()[0]
        started = time.strftime("%d %b %Y %H:%M")
        floor_first = measure(ports["floor"], "/", None)
        print(f"  floor: {floor_first:,.0f} req/s")
        results = []
        pages = [p for p in PAGES if not args.only or args.only in p[2]]
        for label, role, path in pages:
            rate = measure(ports["portal"], path, cookies[role] if role else None)
            print(f"  {label}: {rate:,.0f} req/s")
            results.append((label, rate))
        floor_last = measure(ports["floor"], "/", None)
        floor = (floor_first + floor_last) / 2

        print(
            f"\n{started}; {kind}; seed-scale --workers {args.workers:,}; gunicorn "
            f"{args.gunicorn_workers} workers; wrk {args.connections} connections, "
            f"{args.seconds} s per page"
            + (f"; Accept-Encoding: {args.encoding}" if args.encoding else "")
            + f"; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
        )
        print("| page | req/s | share of floor |")
        print("|---|---|---|")
        print(
            f"| floor: bare Flask, 1 query, 50 rows (first / last run) | "
            f"{floor_first:,.0f} / {floor_last:,.0f} | 1.00 |"
        )
        for label, rate in results:
            print(f"| {label} | {rate:,.0f} | {rate / floor:.2f} |")


if __name__ == "__main__":
    main()
