"""Where each role starts after logging in."""

from functools import wraps

from flask import redirect, url_for
from flask_login import current_user

from ..models import Role, User

_LANDING = {
    Role.BUSINESS_OWNER: "employer.index",
    Role.BPJS_OFFICER: "bpjs.index",
    Role.BPJS_HEAD: "bpjs.index",
    Role.TRADE_OFFICER: "disperindagkop.index",
    Role.TRADE_HEAD: "disperindagkop.index",
    Role.LABOUR_OFFICER: "disnaker.index",
    Role.LABOUR_HEAD: "disnaker.index",
    Role.ADMIN: "admin.index",
    Role.WORKER: "informal.worker_home",
    Role.FIELD_AGENT: "informal.agent_home",
}


def landing_url(user: User) -> str:
    return url_for(_LANDING[Role(user.role)])


def visitors_only(view):
    """A page for someone not logged in (log in, sign up, forgotten password): a logged-in
    user is sent to their own start page instead."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated:
            return redirect(landing_url(current_user))
        return view(*args, **kwargs)

    return wrapped
