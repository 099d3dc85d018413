from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from . import notices, routes, staff  # noqa: E402,F401
