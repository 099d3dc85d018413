"""The trade office's landing page: what is waiting for it."""

from flask import render_template

from ..services.businesses.overview import trade_office_counts
from ..web.access import TRADE, require
from . import bp


@bp.route("/")
@require(TRADE)
def index():
    return render_template("disperindagkop/index.html", counts=trade_office_counts())
