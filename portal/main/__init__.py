from flask import Blueprint

bp = Blueprint("main", __name__)

from . import home_views  # noqa: E402,F401
