from flask import Blueprint

bp = Blueprint("disnaker", __name__, url_prefix="/disnaker")

from . import reprimands, routes  # noqa: E402,F401
