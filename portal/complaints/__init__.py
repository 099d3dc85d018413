from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from . import notification_views, reporter_views, staff_views  # noqa: E402,F401
