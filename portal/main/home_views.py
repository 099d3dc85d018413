"""The public front: home page, language switch and the health check."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..services.health import database_answers
from ..web.access import public
from ..web.forms import EmptyForm
from ..web.landing import landing_url
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
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    return redirect(target)


@bp.route("/healthz")
@public
def healthz():
    database_answers()
    return {"status": "ok"}
