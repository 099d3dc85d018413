"""Which programmes a wage earner is covered by, from the business's scale and the law's
dated data (Perpres 109/2013 art. 6; JP pension age, PP 45/2015 art. 15).

The one place the employee form, the file upload, the employee page, the enrolment
submission and BPJS's enrolment decision ask; the rule itself is `domain.programmes`.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ...domain.contributions import RateMissing
from ...domain.programmes import Cover, age_on, cover_for, pension_age
from ..errors import ServiceError
from ..reference.lookups import programme_rules, rate_table


class LawDataMissing(ServiceError):
    """No dated law data (required programmes, pension age) is recorded for a day."""

    def __init__(self, what: str):
        super().__init__(
            None,
            _(
                "No reference data is recorded for %(what)s. An administrator must add it "
                "(Admin → Reference data) first.",
                what=what,
            ),
        )


def required_programmes(scale: str, on: date) -> frozenset[str]:
    try:
        return programme_rules().required(scale, on)
    except RateMissing as missing:
        raise LawDataMissing(str(missing)) from missing


def jp_pension_age(on: date) -> int:
    try:
        return pension_age(rate_table(), on)
    except RateMissing as missing:
        raise LawDataMissing(str(missing)) from missing


def cover(
    scale: str,
    birth_date: date | None,
    on: date,
    *,
    add_jht: bool,
    add_jp: bool,
    has_jp: bool = False,
) -> Cover:
    """Programmes for a new or changed wage earner of a business of `scale` on `on`.

    JP is not started at or past the pension age; a job that already has JP (`has_jp`)
    keeps it (the rule bars a *new* JP membership)."""
    possible = has_jp or birth_date is None or age_on(birth_date, on) < jp_pension_age(on)
    return cover_for(
        required_programmes(scale, on), add_jht=add_jht, add_jp=add_jp, jp_possible=possible
    )


def employment_cover(employment, on: date) -> Cover:
    """What an employment's programmes are, as the owner's page explains them: required by
    the scale, voluntary, or JP left out at the pension age."""
    required = required_programmes(employment.business.scale, on)
    chosen = {p for p, flag in (("JHT", employment.with_jht), ("JP", employment.with_jp)) if flag}
    barred = "JP" in required and not employment.with_jp
    return Cover(required, frozenset(chosen - required), barred)
