from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from . import filters, public_views, report_views, summary_views, target_views  # noqa: E402,F401
