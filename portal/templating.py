"""Template filters and globals: one way to show money, dates and masked NIKs."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal as babel_format_decimal
from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .domain.money import format_rupiah
from .domain.nik import mask as nik_mask


def mask_nik(nik: str | None) -> str:
    """Show the first 6 (area) and last 2 digits only: 617201********01."""
    return nik_mask(nik)


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return format_date(value, "dd MMM yyyy")


def format_moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    return format_datetime(value, "dd MMM yyyy HH:mm")


@cache
def _group_separator(locale: str) -> str:
    return babel_format_decimal(1000, "#,##0", locale=locale)[1]


def format_count(value: int) -> str:
    """An integer grouped the local way: 1.234.567 in Indonesian, 1,234,567 in English.

    The same text as Babel's `format_decimal(value, "#,##0")`, which parses its pattern and
    rounds through Decimal on every call: a dashboard table has a couple of hundred counts.
    """
    return f"{value:,}".replace(",", _group_separator(str(get_locale() or "id")))


def page_url(page: int) -> str:
    """The current URL with `page` replaced, keeping every filter."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@cache
def _content_hash(path: Path, modified_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def _content_version(path: Path) -> str | None:
    try:
        return _content_hash(path, path.stat().st_mtime_ns)  # an edited file gets a new hash
    except OSError:
        return None


def version_static_urls(app: Flask) -> None:
    """Give every static URL a `v` built from the file's content.

    The URL changes whenever the file does, so browsers may keep static files for a year
    (`SEND_FILE_MAX_AGE_DEFAULT`): a phone on a weak connection downloads Bootstrap once and
    does not even revalidate it on the next page.
    """

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        version = _content_version(Path(app.static_folder, values["filename"]))
        if version:
            values["v"] = version


def install_template_helpers(app: Flask) -> None:
    version_static_urls(app)
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["mask_nik"] = mask_nik
    app.jinja_env.globals["page_url"] = page_url

    @app.context_processor
    def inject_globals():
        from .navigation import nav_for

        return {
            "current_locale": str(get_locale()),
            "nav_items": nav_for(current_user),
        }
