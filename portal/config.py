"""Configuration classes, driven by the environment.

`create_app()` picks one by `PORTAL_ENV` (development, testing, production); any key can be
overridden with a mapping passed to the factory.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs and bare "postgresql://" mean psycopg 3 for us.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


DEV_SECRET_KEY = "dev-only-insecure-key"
#: Production refuses a shorter SECRET_KEY; make one with
#: `python -c "import secrets; print(secrets.token_urlsafe(48))"`.
MIN_SECRET_BYTES = 32
DEFAULT_SQLITE_URL = f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


def environment_overrides(name: str) -> dict:
    """Settings read from the environment when the app is built (not when this module loads).

    `DATABASE_URL` selects the database (PostgreSQL through psycopg 3); `SECRET_KEY` and
    `REDIS_URL` (rate-limit storage) likewise. The testing config ignores `DATABASE_URL`
    so a developer's shell can never point the test suite at a real database.
    """
    out: dict = {}
    if os.environ.get("SECRET_KEY"):
        out["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("AUDIT_KEY"):
        out["AUDIT_KEY"] = os.environ["AUDIT_KEY"]
    if os.environ.get("DATABASE_URL") and name != "testing":
        out["SQLALCHEMY_DATABASE_URI"] = _database_url(DEFAULT_SQLITE_URL)
    if os.environ.get("REDIS_URL") and name != "testing":
        out["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    if os.environ.get("REDIS_URL") and name != "testing":  # page versions, shared by processes
        out["PAGE_CACHE_REDIS_URL"] = os.environ["REDIS_URL"]
    if os.environ.get("RATELIMIT_KEY_PREFIX") and name != "testing":  # two portals, one Redis
        out["RATELIMIT_KEY_PREFIX"] = os.environ["RATELIMIT_KEY_PREFIX"]
    if os.environ.get("PROXY_HOPS", "").isdigit():
        out["PROXY_HOPS"] = int(os.environ["PROXY_HOPS"])
    return out


class Config:
    SECRET_KEY = DEV_SECRET_KEY
    # The audit chain's key (services/audit/chain.py); unset: derived from SECRET_KEY. Set it
    # in production so SECRET_KEY can be rotated without orphaning the audit history.
    AUDIT_KEY: str | None = None
    # The admin page checks the chain live for at most this long (about 40,000 events a
    # second); `flask audit-verify` always checks all of it.
    AUDIT_PAGE_CHECK_SECONDS = 10.0
    SQLALCHEMY_DATABASE_URI = DEFAULT_SQLITE_URL
    # hide_parameters: SQL errors in logs never carry row values (a NIK, a password hash).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # Reverse proxies in front of the app (nginx: 1). With 0 the client address is the
    # socket's; behind a proxy that would put the whole city under one login rate limit.
    PROXY_HOPS = 0

    # Sessions: the server-side session row is the source of truth (see auth/sessions.py).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_HTTPONLY = True

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # Three 5 MB complaint attachments plus the form: the largest request we accept.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Static URLs carry a hash of the file's content (templating.version_static_urls), so
    # browsers may keep them for a year without asking again.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    # Compression (portal/compression.py): brotli where the client accepts it, else gzip;
    # text types only — XLSX, PDF and images are compressed already.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]  # static files are streamed responses
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "text/csv",
        "text/plain",
        "image/svg+xml",
    ]
    COMPRESS_LEVEL = 6  # gzip
    COMPRESS_BR_LEVEL = 5  # Bootstrap CSS 232 KB: brotli 5 28 KB in 13 ms, gzip 6 31 KB, 15 ms
    COMPRESS_MIN_SIZE = 500  # bytes; smaller bodies gain nothing

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Pontianak"
    # Every area's catalog, merged; later ones win a shared msgid, so `core` (the shared
    # layout, forms and WTForms messages) comes last and keeps shared strings consistent.
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        str(p)
        for p in sorted(
            (BASE_DIR / "translations").glob("*"), key=lambda p: (p.name == "core", p.name)
        )
        if p.is_dir()
    )
    LANGUAGES = ("id", "en")

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "portal"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits are counted in each worker's memory instead of failing every limited
    # page with a 500 (a warning in the log, /healthz says "degraded"); back to Redis once it
    # answers again. A dead Redis host costs at most a second per attempt, not a hung worker.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOGIN_RATE_LIMIT_IP = "20 per minute"
    # API clients (portal/api): calls per client, and the largest JSON body accepted.
    API_RATE_LIMIT = "300 per minute"
    API_MAX_BODY_BYTES = 64 * 1024
    # Per typed email from one address: a cheap first gate before the password hash is run.
    # Per account from every address there is no hard limit (it would lock the owner out):
    # services/accounts/throttle.py delays instead.
    LOGIN_RATE_LIMIT_PAIR = "30 per 15 minutes"
    # Throttling: free failures, then a delay doubling from LOGIN_DELAY_BASE up to the cap.
    LOGIN_PAIR_FREE_FAILURES = 5  # one address and one typed email
    LOGIN_PAIR_MAX_DELAY = timedelta(minutes=15)
    LOGIN_ACCOUNT_FREE_FAILURES = 50  # one typed email from every address together
    LOGIN_ACCOUNT_MAX_DELAY = timedelta(minutes=5)
    LOGIN_DELAY_BASE = timedelta(seconds=2)
    LOGIN_THROTTLE_FORGET = timedelta(hours=1)
    # The portal's public address for links in mail (reset links never trust the Host header).
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    # Password reset: links by email, valid this long, requests limited per address.
    PASSWORD_RESET_VALID = timedelta(hours=1)
    PASSWORD_RESET_RATE_LIMIT = "5 per 15 minutes"

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "portal@singkawangkota.go.id")
    # Without a mail server, mail is printed to the log (development).
    MAIL_SUPPRESS_SEND = not os.environ.get("MAIL_SERVER")
    # SMS/WhatsApp provider for members' reminders; without both, sends are only logged.
    MESSAGE_GATEWAY_URL = os.environ.get("MESSAGE_GATEWAY_URL")
    MESSAGE_GATEWAY_TOKEN = os.environ.get("MESSAGE_GATEWAY_TOKEN")

    # Strict-Transport-Security max-age in seconds; 0 sends none (development has no HTTPS).
    HSTS_MAX_AGE = 0

    PAGE_SIZE = 25
    # Seconds the public figures are cached per worker (services/coverage/figures_cache.py).
    FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "300"))
    # Busy pages served again while the tables they read are unchanged (web/page_cache.py):
    # at most this many seconds (0 turns it off), this many bytes of pages per worker.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    PAGE_CACHE_MAX_BYTES = 64 * 1024 * 1024
    PAGE_CACHE_REDIS_URL: str | None = None
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_MAX_ROWS = 20_000

    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = True
    # An edited template shows at the next reload (`PAGE_CACHE_SECONDS=60 make run` to try it).
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False  # tests that exercise CSRF switch it back on
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; production uses argon2's RFC 9106 profile.
    PASSWORD_HASH_PROFILE = "test"
    MAIL_SUPPRESS_SEND = True
    SERVER_NAME = None
    FIGURES_CACHE_SECONDS = 0  # tests of the cache switch it on
    PAGE_CACHE_SECONDS = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_MAX_AGE = 365 * 24 * 3600


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
