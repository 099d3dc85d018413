"""What BPJS's and the trade office's compliance pages share: the list of cases, clearing a
case and taking the latest step back. `add_case_routes` puts both on a blueprint, which has its own
`.compliance_case` page."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ..services.compliance.cases import clear_case, undo_last_step
from ..services.compliance.queries import case_page, load_case
from .access import me, require
from .confirmation import Confirmation, confirm_then_run, take_back
from .forms import form_status


def clear_as_typed(case, form, *, by_trade_office: bool):
    """Clear `case` (`clear_case`) with what its ClearForm carries: the note and the version
    the officer saw."""
    return clear_case(
        case,
        me(),
        note=form.note.data,
        version=int(form.version.data),
        by_trade_office=by_trade_office,
    )


def confirmed_case_step(
    case_id: int, form_cls, form_name: str, fields, check, ask, action, done, *, render
):
    """A step that sends a letter or a sanction: asked first (web.confirmation), then run;
    the same for BPJS's steps and the trade office's withholding.

    `ask(case, form, checked)` says what is particular to the step: the question names the
    employer first and "Cancel" leads back to the blueprint's `.compliance_case`.

    `check(case, **values)` and `action(case, actor, **values)` get the same values: the
    form's `fields` by name, and the record's version. A refusal shows the case as stored
    now through `render(case, status, **{form_name: form})`."""
    case = load_case(case_id)
    form = form_cls()

    def values() -> dict:
        return {name: form[name].data for name in fields} | {"version": int(form.version.data)}

    def question(checked) -> Confirmation:  # every step names the employer, cancels to the case
        confirmation = ask(case, form, checked)
        confirmation.facts.insert(0, Confirmation.employer_fact(case.business))
        confirmation.cancel_url = url_for(".compliance_case", case_id=case.id)
        return confirmation

    step = confirm_then_run(
        form,
        check=lambda: check(case, **values()),
        ask=question,
        command=lambda: action(case, me(), **values()),
    )
    answer = step.answer(done, url_for(".compliance_case", case_id=case.id))
    if answer:
        return answer
    if form.errors or getattr(form, "form_errors", None):
        case = load_case(case_id)
    return render(case, form_status(form), **{form_name: form})


def add_case_routes(bp: Blueprint, role: str, template: str, views: tuple[str, ...]) -> None:
    """Route `.compliance` (the cases, `?view=` one of `views`, the first when missing or
    unknown, rendered with `template`) and `.compliance_undo` on `bp`, for `role` only."""

    @bp.route("/compliance", endpoint="compliance")
    @require(role)
    def compliance():
        view = request.args.get("view")
        if view not in views:
            view = views[0]
        page = case_page(view, request.args.get("page"))
        return render_template(template, page=page, view=view)

    @bp.route("/compliance/<int:case_id>/undo", methods=["POST"], endpoint="compliance_undo")
    @require(role)
    def compliance_undo(case_id: int):
        """Take back the case's latest step within its day, then back to the case page."""
        case = load_case(case_id)
        return take_back(
            lambda version: undo_last_step(case, me(), version=version),
            _("The step is taken back."),
            url_for(".compliance_case", case_id=case_id),
        )
