"""The navigation bar: each role sees its own areas, in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .models import Role


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy string
    endpoint: str


def _staff_items(label, workspace: str, *more: NavItem) -> list[NavItem]:
    """An agency's workspace (and `more` of its own), then the complaints and the dashboard
    every agency uses."""
    return [
        NavItem(label, workspace),
        *more,
        NavItem(_l("Complaints"), "complaints.index"),
        NavItem(_l("Dashboard"), "dashboard.index"),
    ]


_ROLE_ITEMS: dict[str, list[NavItem]] = {
    Role.BUSINESS_OWNER: [
        NavItem(_l("My businesses"), "employer.index"),
        NavItem(_l("My own BPJS"), "informal.worker_home"),
        NavItem(_l("Complaints"), "complaints.index"),
    ],
    Role.WORKER: [
        NavItem(_l("My BPJS"), "informal.worker_home"),
        NavItem(_l("Complaints"), "complaints.index"),
    ],
    Role.FIELD_AGENT: [
        NavItem(_l("My people"), "informal.agent_home"),
    ],
    Role.BPJS_OFFICER: _staff_items(
        _l("BPJS workspace"), "bpjs.index", NavItem(_l("Field agents"), "informal.staff_agents")
    ),
    Role.TRADE_OFFICER: _staff_items(_l("Trade office"), "disperindagkop.index"),
    Role.LABOUR_OFFICER: _staff_items(_l("Labour office"), "disnaker.index"),
    Role.ADMIN: [
        NavItem(_l("Administration"), "admin.index"),
        NavItem(_l("Dashboard"), "dashboard.index"),
    ],
}
_ROLE_ITEMS[Role.BPJS_HEAD] = _ROLE_ITEMS[Role.BPJS_OFFICER]
_ROLE_ITEMS[Role.TRADE_HEAD] = _ROLE_ITEMS[Role.TRADE_OFFICER]
_ROLE_ITEMS[Role.LABOUR_HEAD] = _ROLE_ITEMS[Role.LABOUR_OFFICER]

_PUBLIC_ITEMS = [
    NavItem(_l("Check membership"), "informal.check"),
    NavItem(_l("Report a complaint"), "complaints.index"),
    NavItem(_l("Coverage"), "dashboard.public"),
]


def nav_for(user) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return _PUBLIC_ITEMS
    return _ROLE_ITEMS.get(user.role, [])
