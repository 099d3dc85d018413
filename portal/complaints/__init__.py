from flask import Blueprint

# cli_group=None: `flask sla-sweep` is a top-level command (cron calls it).
bp = Blueprint("complaints", __name__, url_prefix="/complaints", cli_group=None)

from . import cli, notices, routes, staff  # noqa: E402,F401
