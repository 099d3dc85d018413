"""The public front: home page, language switch and the health check."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..services.health import check_health
from ..web.access import public
from ..web.forms import EmptyForm
from ..web.landing import landing_url
from ..web.redirects import safe_next
from . import bp


@bp.route("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return render_template("main/home.html")


@bp.route("/language/<code>", methods=["POST"])
@public
def set_language(code: str):
    form = EmptyForm()
    if form.validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.route("/healthz")
@public
def healthz():
    health = check_health()
    return health.as_dict(), health.http_status
