from flask import Blueprint

bp = Blueprint("employer", __name__, url_prefix="/employer")

# One view module per line; other areas add theirs (membership_views, compliance_views) here.
from . import (  # noqa: E402,F401
    business_views,
    compliance_views,
    employee_views,
    enrolment_views,
    home_views,
    membership_views,
    upload_views,
)
