from flask import Blueprint

bp = Blueprint("informal", __name__)

# Informal workers' own door: the worker's pages, the public membership check, field agents.
from . import agent_views, check_views, staff_views, worker_views  # noqa: E402,F401
