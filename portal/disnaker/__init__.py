from flask import Blueprint

bp = Blueprint("disnaker", __name__, url_prefix="/disnaker")

from . import oversight_views, reprimand_views  # noqa: E402,F401
