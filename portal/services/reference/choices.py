"""Choices for select fields: regions, sectors, categories, agencies, scales, risk classes.

One list each, sorted one way and labelled in the user's language, so every form and filter
offers the same options in the same order. Each returns `[(value, label), …]` without a
blank option; forms add their own first option with `with_blank()` ("— choose —" on a
required field, "All …" on a filter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import (
    Agency,
    BusinessScale,
    ComplaintCategory,
    Occupation,
    Region,
    RiskClass,
    Sector,
    VerificationState,
    WorkerCategory,
)

Choice = tuple[str, str]


def _english() -> bool:
    return str(get_locale()) == "en"


def with_blank(choices: Iterable[tuple], label: str | None = None) -> list[tuple]:
    """`choices` after an empty first option (a required select starts on no real value)."""
    return [("", label if label is not None else str(_l("— choose —"))), *choices]


def _choices_of(labels: dict) -> Callable[[], list[Choice]]:
    """A choices callable (WTForms calls it per form) for an enum's translated labels."""

    def build() -> list[Choice]:
        return [(member.value, str(label)) for member, label in labels.items()]

    return build


def kecamatan() -> list[Choice]:
    """The city's kecamatan by name."""
    return _regions("kecamatan")


def kelurahan() -> list[Choice]:
    """The city's kelurahan by name."""
    return _regions("kelurahan")


def _regions(level: str) -> list[Choice]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == level).order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def sectors() -> list[Choice]:
    """Active sectors in their set order, named in the user's language."""
    english = _english()
    rows = db.session.scalars(
        select(Sector).where(Sector.active.is_(True)).order_by(Sector.sort_order, Sector.code)
    )
    return [(s.code, s.name_en if english else s.name_id) for s in rows]


def occupations() -> list[Choice]:
    """Active occupations of informal workers in their set order, in the user's language."""
    english = _english()
    rows = db.session.scalars(
        select(Occupation)
        .where(Occupation.active.is_(True))
        .order_by(Occupation.sort_order, Occupation.code)
    )
    return [(o.code, o.name_en if english else o.name_id) for o in rows]


def complaint_categories() -> list[Choice]:
    """Active complaint categories in their set order, named in the user's language."""
    english = _english()
    rows = db.session.scalars(
        select(ComplaintCategory)
        .where(ComplaintCategory.active.is_(True))
        .order_by(ComplaintCategory.sort_order, ComplaintCategory.code)
    )
    return [(c.code, c.name_en if english else c.name_id) for c in rows]


def agencies() -> list[tuple[int, str]]:
    """Agencies by name (id, name)."""
    return [(a.id, a.name) for a in db.session.scalars(select(Agency).order_by(Agency.name))]


def agency_codes() -> list[Choice]:
    """Agencies by short name (code, short name)."""
    rows = db.session.execute(select(Agency.code, Agency.short_name).order_by(Agency.short_name))
    return [(code, name) for code, name in rows]


SCALE_LABELS = {
    BusinessScale.MIKRO: _l("Micro (mikro)"),
    BusinessScale.KECIL: _l("Small (kecil)"),
    BusinessScale.MENENGAH: _l("Medium (menengah)"),
}

RISK_LABELS = {
    RiskClass.SANGAT_RENDAH: _l("Very low (0.24%)"),
    RiskClass.RENDAH: _l("Low (0.54%)"),
    RiskClass.SEDANG: _l("Medium (0.89%)"),
    RiskClass.TINGGI: _l("High (1.27%)"),
    RiskClass.SANGAT_TINGGI: _l("Very high (1.74%)"),
}

VERIFICATION_LABELS = {
    VerificationState.PENDING: _l("Pending"),
    VerificationState.VERIFIED: _l("Verified"),
    VerificationState.REJECTED: _l("Rejected"),
}

WORKER_CATEGORY_LABELS = {
    WorkerCategory.PU: _l("Wage earners (PU)"),
    WorkerCategory.BPU: _l("Informal workers (BPU)"),
    WorkerCategory.RENTAN: _l("Vulnerable workers"),
    WorkerCategory.SAWIT: _l("Palm-oil workers"),
}

scales = _choices_of(SCALE_LABELS)
risk_classes = _choices_of(RISK_LABELS)
verification_states = _choices_of(VERIFICATION_LABELS)
worker_categories = _choices_of(WORKER_CATEGORY_LABELS)


#: BPJS's official-count categories: the worker categories plus construction services.
OFFICIAL_CATEGORY_LABELS = {
    "PU": WORKER_CATEGORY_LABELS[WorkerCategory.PU],
    "BPU": WORKER_CATEGORY_LABELS[WorkerCategory.BPU],
    "jakon": _l("Construction services (Jakon)"),
    "rentan": WORKER_CATEGORY_LABELS[WorkerCategory.RENTAN],
    "sawit": WORKER_CATEGORY_LABELS[WorkerCategory.SAWIT],
}


def official_categories() -> list[Choice]:
    return [(code, str(label)) for code, label in OFFICIAL_CATEGORY_LABELS.items()]


# --- BPJS area: the membership register's filters ------------------------------------------
from ...models import FundingSource, MembershipState  # noqa: E402

MEMBERSHIP_STATE_LABELS = {
    MembershipState.ACTIVE: _l("Active"),
    MembershipState.LAPSED: _l("Lapsed"),
    MembershipState.ENDED: _l("Ended"),
}

FUNDING_LABELS = {
    FundingSource.SELF: _l("Self"),
    FundingSource.EMPLOYER: _l("Employer"),
    FundingSource.APBD: _l("APBD"),
    FundingSource.CSR: _l("CSR"),
}

membership_states = _choices_of(MEMBERSHIP_STATE_LABELS)
funding_sources = _choices_of(FUNDING_LABELS)
