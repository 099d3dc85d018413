from flask import Blueprint

bp = Blueprint("bpjs", __name__, url_prefix="/bpjs")

from . import (  # noqa: E402,F401  (registers the views)
    batch_views,
    compliance_views,
    contribution_views,
    head_views,
    home_views,
    membership_views,
    queue_views,
    referral_views,
)
