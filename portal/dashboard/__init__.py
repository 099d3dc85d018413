from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from . import (  # noqa: E402,F401
    filters,
    official_views,
    public_views,
    report_views,
    summary_views,
    target_views,
)
