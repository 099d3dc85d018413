"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py` from the checkout.

Every knob comes from the environment (docs/DEPLOYMENT.md has the table); the defaults suit
one 2-core server behind nginx. Sync workers: nginx buffers slow clients' uploads and
downloads, so a worker is busy only while the app works.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parent.parent

wsgi_app = "wsgi:app"
chdir = str(ROOT)
proc_name = "singkawang-portal"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# gunicorn's own convention; 2 × cores + 1 when unset (5 on the 2-core standard machine).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
# Longest request we serve: a 10,000-row upload is read in the request (about 2.5 s on the
# standard machine), a city-wide PDF about 0.3 s. A worker silent for this long is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # a deploy's restart lets running requests finish
keepalive = 5
# Recycle each worker after about 50,000 requests: bounds slow memory growth (the app's own
# caches are bounded: pages 64 MB, figures 256 entries). A new worker costs about 2.3 s of CPU
# (it imports the app; its templates compile and its caches fill on first use), during which
# the requests queued behind it wait: at 1,000 that was about 2 ms of every request when
# busy, at 10,000 a 1.7 s tail (p99) in the 50-user load test; bench/README.md, issue 16.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# The app is imported in each worker, never in the master: no database or Redis connection
# is opened before the fork and then shared between processes.
preload_app = False
# No `gunicornc` control socket (gunicorn 25+): it is one path per user, which several
# gunicorns on one host (make serve, the tests, the benchmarks) would fight over.
control_socket_disable = True
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow disk

# Forwarded headers: the app alone decides whom to believe. It wraps itself in werkzeug's
# ProxyFix for PROXY_HOPS proxies (X-Forwarded-For/-Proto/-Host), which feeds the rate limits
# and the audit log; gunicorn must not apply its own, differently configured, trust on top.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""

if workers > 1 and not os.environ.get("REDIS_URL"):
    raise SystemExit(
        "REDIS_URL is not set: each of the workers would keep its own login rate-limit "
        "counters (attempts multiplied by the number of workers). Set REDIS_URL, or "
        "WEB_CONCURRENCY=1 to run one worker."
    )

# Access log: method, path without the query string (search terms may hold a NIK), status,
# bytes sent (after compression), duration. No Referer either: it carries query strings.
# The app writes its own JSON line per request (request id, user) to stderr as well.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
if accesslog.lower() in ("", "off", "none"):
    accesslog = None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

_NIK_LIKE = re.compile(r"\d{16}")


class PortalLogger(Logger):
    """Masks NIK-like numbers in the logged path (a NIK may be part of a URL)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = _NIK_LIKE.sub("****************", atoms.get("U", ""))
        for key in ("r", "q", "f"):  # request line, query string, referer: never logged
            atoms[key] = "-"
        return atoms


logger_class = PortalLogger
