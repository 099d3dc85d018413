from flask import Blueprint

bp = Blueprint("disperindagkop", __name__, url_prefix="/disperindagkop")

from . import (  # noqa: E402,F401
    compliance_views,
    directory_views,
    funnel_views,
    outreach_views,
    overview_views,
    referral_views,
    registration_views,
    verification_views,
)
