"""Kota Singkawang social-security collaboration portal."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, UnicodeConverter

from .config import (
    BASE_DIR,
    CONFIGS,
    DEV_SECRET_KEY,
    INSTANCE_DIR,
    MIN_SECRET_BYTES,
    environment_overrides,
)


def create_app(config: Mapping[str, Any] | str | None = None) -> Flask:
    """Build the application.

    `config` is a config name ("development", "testing", "production") or a mapping of
    overrides on top of the class chosen by `PORTAL_ENV` (default: development).
    """
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=False,
    )
    load_config(app, config)
    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_admin(app)
    return app


def load_config(app: Flask, config: Mapping[str, Any] | str | None) -> None:
    """Class defaults, then the environment, then explicit overrides (tests)."""
    name = config if isinstance(config, str) else os.environ.get("PORTAL_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"unknown PORTAL_ENV {name!r}; use one of {sorted(CONFIGS)}")
    app.config.from_object(CONFIGS[name])
    app.config.update(environment_overrides(name))
    if isinstance(config, Mapping):
        app.config.update(config)
    if name == "production":
        check_production_secrets(app.config)
    if name == "production" and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # Each process would count login attempts on its own (limits × workers).
        logging.getLogger("portal").warning(
            "REDIS_URL is not set: login rate limits are counted per process"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)


def check_production_secrets(config: Mapping[str, Any]) -> None:
    """Refuse to start in production with a missing, development or guessable key."""
    secret = config.get("SECRET_KEY")
    if secret in (None, "", DEV_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    if len(_key_bytes(secret)) < MIN_SECRET_BYTES:
        raise RuntimeError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes in production")
    audit_key = config.get("AUDIT_KEY")
    if audit_key and len(_key_bytes(audit_key)) < MIN_SECRET_BYTES:
        raise RuntimeError(f"AUDIT_KEY must be at least {MIN_SECRET_BYTES} bytes in production")


def _key_bytes(key: str | bytes) -> bytes:
    return key if isinstance(key, bytes) else str(key).encode()


def register_extensions(app: Flask) -> None:
    from . import auth  # noqa: F401  (registers the user loader)
    from .compression import install_compression
    from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from .i18n import ensure_catalogs, install_template_gettext, select_locale, select_timezone

    # First registered, so its after_request hook runs last: it compresses the final body.
    install_compression(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    # Babel before Flask-Admin: Flask-Admin 2 looks the extension up when it renders.
    ensure_catalogs(app)  # any install path serves Indonesian: .mo files are build output
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"
    # The Limiter object is shared by every app a process builds (the test suite builds
    # many) and keeps the first key prefix it saw; each app uses its own configured one.
    limiter._key_prefix = app.config.get("RATELIMIT_KEY_PREFIX", "")
    limiter._storage_dead = False  # nor does it inherit another app's Redis outage
    limiter.init_app(app)
    mail.init_app(app)
    from .db_events import install_sqlite_pragmas

    install_sqlite_pragmas(app)
    from .web.page_cache import install_page_cache

    install_page_cache(app)


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` up to PostgreSQL's bigint: a longer number in a URL is a 404, not a
    database overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """`<token>` without NUL: PostgreSQL refuses NUL in text, so `/uploads/%00/progress` was a
    500 there (a 404 on SQLite); now it is a 404 everywhere, before the view runs."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\x00]")


def register_request_hooks(app: Flask) -> None:
    from .request_log import install_request_logging
    from .security_headers import install_security_headers

    if app.config.get("PROXY_HOPS"):
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    install_request_logging(app)
    install_security_headers(app)


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .api import open311_bp
    from .auth import bp as auth_bp
    from .bpjs import bp as bpjs_bp
    from .complaints import bp as complaints_bp
    from .dashboard import bp as dashboard_bp
    from .disnaker import bp as disnaker_bp
    from .disperindagkop import bp as disperindagkop_bp
    from .employer import bp as employer_bp
    from .informal import bp as informal_bp
    from .main import bp as main_bp

    for bp in (
        main_bp,
        auth_bp,
        employer_bp,
        bpjs_bp,
        disperindagkop_bp,
        disnaker_bp,
        complaints_bp,
        dashboard_bp,
        api_bp,
        open311_bp,
        informal_bp,
    ):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from .errors import install_error_handlers

    install_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import install_template_helpers
    from .web.labels import install_template_labels

    install_template_helpers(app)
    install_template_labels(app)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)


def register_admin(app: Flask) -> None:
    from .admin import init_admin

    init_admin(app)
