"""The health of what the portal depends on, for `/healthz` and whoever monitors it.

- database: "ok" or "down". Without it nothing works: HTTP 503.
- redis (rate-limit counters shared by the workers): "ok", "degraded" when it does not
  answer, or "not configured" (counters in memory, e.g. development). Redis down is not an
  outage: Flask-Limiter falls back to each worker's memory (`RATELIMIT_IN_MEMORY_FALLBACK_
  ENABLED`, a warning in the log) and pages keep working, so the answer stays HTTP 200 with
  status "degraded" for the monitor to alert on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from limits.storage import Storage, storage_from_string
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

log = logging.getLogger("portal.health")

OK = "ok"
DOWN = "down"
DEGRADED = "degraded"
NOT_CONFIGURED = "not configured"
#: How long /healthz waits for Redis: a monitor's probe must answer quickly.
REDIS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class Health:
    database: str
    redis: str

    @property
    def status(self) -> str:
        if self.database != OK:
            return DOWN
        return DEGRADED if self.redis == DEGRADED else OK

    @property
    def http_status(self) -> int:
        return 200 if self.database == OK else 503

    def as_dict(self) -> dict[str, str]:
        return {"status": self.status, "database": self.database, "redis": self.redis}


def check_health() -> Health:
    return Health(database=database_state(), redis=redis_state())


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.error("health: database unavailable: %s", error.__class__.__name__)
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        return DOWN
    return OK


def _uses_redis(uri: str) -> bool:
    return uri.split("://", 1)[0] in {
        "redis",
        "rediss",
        "redis+unix",
        "redis+sentinel",
        "redis+cluster",
    }


def _redis_storage(uri: str) -> Storage:
    """One client per app and URI (its connection pool is reused by every probe)."""
    cache: dict[str, Storage] = current_app.extensions.setdefault("portal.health.redis", {})
    if uri not in cache:
        cache[uri] = storage_from_string(
            uri,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
    return cache[uri]


def redis_state() -> str:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not _uses_redis(uri):
        return NOT_CONFIGURED
    if _redis_storage(uri).check():  # a PING; False (never an exception) when unreachable
        return OK
    log.warning("health: Redis unreachable; rate limits are counted in each worker's memory")
    return DEGRADED
