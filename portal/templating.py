"""Template filters and globals: one way to show money, dates and masked NIKs."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .domain.money import format_rupiah


def mask_nik(nik: str | None) -> str:
    """Show the first 6 (area) and last 2 digits only: 617201********01."""
    if not nik:
        return ""
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return format_date(value, "dd MMM yyyy")


def format_moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    return format_datetime(value, "dd MMM yyyy HH:mm")


def page_url(page: int) -> str:
    """The current URL with `page` replaced, keeping every filter."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def install_template_helpers(app: Flask) -> None:
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
