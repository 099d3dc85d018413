"""What every dashboard page shares: who may read it, its filters, and how cells are shown.

Every page reads its filters through `FilterForm` (`read_filters`): an unknown period or
kecamatan answers 400 with the message next to the filter, never a 500.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from ..domain.money import format_rupiah
from ..models import Role
from ..services.coverage.figures_cache import cached, refresh_minutes
from ..services.coverage.stats import (
    PROJECTION_MONTHS,
    Scope,
    band,
    coverage_report,
    report_areas,
    sector_names,
    target_year,
)
from ..services.reference import choices
from ..templating import format_count, format_day
from ..web.access import BPJS, LABOUR, STAFF
from . import bp
from .forms import FilterForm
from .tables import Money, Pct, category_label, channel_label, projection_text

DASHBOARD_ROLES = STAFF | {Role.ADMIN.value}
EXPORT_FORMATS = ("csv", "xlsx")


@bp.app_template_filter("dashboard_cell")
def dashboard_cell(value) -> str:
    """A table cell as text: numbers grouped the local way, money in rupiah, gaps as "–"."""
    if value is None:
        return "–"
    if isinstance(value, Money):
        return format_rupiah(value)
    if isinstance(value, Pct):
        if 0 < value < 0.05:  # a real share too small for one decimal: never "0,0%"
            return "< " + format_decimal(0.1, "#,##0.0") + "%"
        return format_decimal(value, "#,##0.0") + "%"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_count(value)
    if isinstance(value, float):
        return format_decimal(value, "#,##0.#")
    if isinstance(value, date):
        return format_day(value)
    return str(value)


def filter_args() -> dict[str, str]:
    """The current filters, for links that must keep them (exports, PDF, other tabs)."""
    return {k: v for k, v in request.args.items() if k in ("period", "months", "kecamatan") and v}


@bp.app_template_filter("dashboard_pct")
def dashboard_pct(value: float | None) -> str:
    """A percentage with one decimal (see `dashboard_cell`)."""
    return dashboard_cell(None if value is None else Pct(value))


@bp.app_context_processor
def dashboard_helpers():
    return {
        "dashboard_filter_args": filter_args,
        "projection_text": projection_text,
        "coverage_band": band,
        "projection_months": PROJECTION_MONTHS,
        "figures_refresh_minutes": refresh_minutes,
        "channel_label": channel_label,
        "coverage_target_year": target_year,
        "category_label": category_label,
        "can_record_official_counts": lambda: getattr(current_user, "role", None) in BPJS,
        "can_edit_estimates": lambda: getattr(current_user, "role", None) in LABOUR,
    }


def lang() -> str:
    return str(get_locale() or "id")


def read_filters() -> FilterForm:
    """The filter form from the query string (not validated yet); `form.areas` are the
    report's kecamatan in code order."""
    kecamatans = choices.kecamatan()
    form = FilterForm(request.args, kecamatans=kecamatans)
    form.areas = report_areas(kecamatans)
    return form


def cache_key(name: str, form: FilterForm) -> tuple:
    """What a page's cached figures depend on: its filters and the language."""
    return (name, str(form.end), form.month_count, form.kecamatan.data or "", lang())


def coverage_for(form: FilterForm):
    """The coverage report under the filters — the one every page, export and PDF of the
    dashboard reads, so they agree: computed once per filter and language until a figure
    changes or `FIGURES_CACHE_SECONDS` pass (`figures_cache`)."""
    scope = Scope(form.end, form.month_count, form.kecamatan.data or None)
    return cached(
        cache_key("coverage", form),
        lambda: coverage_report(scope, sector_names(lang()), form.areas),
    )
