from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import account_views, reset_views  # noqa: E402,F401
