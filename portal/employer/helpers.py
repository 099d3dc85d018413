"""Small helpers the employer views share: choices and turning problems into field errors."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from ..models import Region, Sector
from ..services.employees.rules import EmployeeInput, Problem, problem_message


def sector_choices() -> list[tuple[str, str]]:
    english = str(get_locale()) == "en"
    rows = db.session.scalars(
        select(Sector).where(Sector.active.is_(True)).order_by(Sector.sort_order)
    )
    return [(s.code, s.name_en if english else s.name_id) for s in rows]


def kelurahan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kelurahan").order_by(Region.name)
    )
    return [("", "—")] + [(code, name) for code, name in rows]


def apply_problems(form, problems: Iterable[Problem]) -> None:
    """Show each problem next to its field; problems without a field go above the form."""
    form.form_errors = getattr(form, "form_errors", [])
    for problem in problems:
        message = problem_message(problem.code, problem.params)
        target = getattr(form, problem.field, None) if problem.field != "form" else None
        if target is None or not hasattr(target, "errors"):
            form.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]


def employee_input(form, **identity) -> EmployeeInput:
    """The typed input of an employee form; `identity` fills fields the form does not have."""
    values = {
        "nik": form.nik.data if "nik" in form else None,
        "birth_date": form.birth_date.data if "birth_date" in form else None,
        "sex": form.sex.data if "sex" in form else None,
    } | identity
    return EmployeeInput(
        nik=values["nik"] or "",
        full_name=form.full_name.data or "",
        birth_date=values["birth_date"],
        sex=values["sex"] or "",
        phone=form.phone.data or None,
        kelurahan_code=form.kelurahan_code.data or "",
        occupation=form.occupation.data or "",
        category=form.category.data or "",
        monthly_amount=form.monthly_amount.data,
        risk_class=form.risk_class.data or "sangat_rendah",
        with_jht=bool(form.with_jht.data),
        start_date=form.start_date.data,
    )
