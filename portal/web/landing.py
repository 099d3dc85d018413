"""Where each role starts after logging in."""

from flask import url_for

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
