from flask import Blueprint

# cli_group=None: the blueprint's commands are top-level (`flask seed-scale`).
bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", cli_group=None)

from . import commands, routes  # noqa: E402,F401
