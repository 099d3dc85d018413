"""Actions that end cover or send a letter ask first, on the server (issue 12).

The first POST validates the form and asks the service whether it would accept the action
(`check`, which changes nothing); instead of acting it answers a page that says exactly what
will happen (`Confirmation`), carrying every value the user typed as hidden inputs. Only a
second POST with `confirmed=yes` (the "Confirm" button, CSRF-checked like any form) runs the
command; "Change" (`confirmed=change`) shows the form again with the input kept; "Cancel"
leaves. No JavaScript is involved, so it works the same without it.

    step = confirm_then_run(form, check=..., ask=lambda checked: Confirmation(...),
                            command=...)
    answer = step.answer(done_message, then_url)  # the question, or flash and redirect
    if answer:
        return answer
    ...                           # show the form again (refused, invalid, or "Change")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.csrf.core import CSRFTokenField

from ..services.undo import undo_window_words
from .forms import EmptyForm, VersionedForm, attempt

#: The form value the confirmation page's buttons send.
CONFIRM_FIELD = "confirmed"


@dataclass
class Confirmation:
    """What the confirmation page says: the question, what will happen (label, value), the
    consequence, and how it can be taken back (if it can)."""

    question: str
    facts: list[tuple[str, str]]
    consequence: str
    confirm_label: str
    cancel_url: str = ""  # where "Cancel" leads; a view's step helper may fill it in
    undo: str | None = None
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def employer_fact(business) -> tuple[str, str]:
        """The fact naming the employer a letter or sanction is about."""
        return _("Employer"), f"{business.name} (NIB {business.nib})"

    @staticmethod
    def undo_in_window() -> str:
        """The usual `undo`: the action can be taken back within `services.undo`'s window."""
        return _(
            "You can take this back within %(window)s of confirming it.",
            window=undo_window_words(),
        )


@dataclass
class Step:
    """What `confirm_then_run` did: a question page to answer, or the command's outcome."""

    page: Any = None
    saved: bool = False
    value: Any = None
    error: Any = None  # the ServiceError that refused it, if one did

    def answer(self, done: str | Callable[[Any], str], then: str | Callable[[Any], str]):
        """The question page; once saved, `done` flashed and a redirect to `then` (each a
        value or a function of what the command returned); None: show the form again."""
        if self.page is not None:
            return self.page
        if not self.saved:
            return None
        flash(done(self.value) if callable(done) else done, "success")
        return redirect(then(self.value) if callable(then) else then)


def is_confirmed() -> bool:
    return request.form.get(CONFIRM_FIELD) == "yes"


def hidden_values(form: FlaskForm) -> list[tuple[str, str]]:
    """Every value the user sent for `form`'s fields, exactly as sent (checkboxes once per
    box ticked, the button pressed), to carry through the confirmation page. The CSRF token
    is rendered fresh."""
    pairs = []
    for f in form:
        if isinstance(f, CSRFTokenField) or f.name == CONFIRM_FIELD:
            continue
        pairs.extend((f.name, value) for value in (f.raw_data or []))
    return pairs


def confirmation_page(form: FlaskForm, confirmation: Confirmation):
    """The question page (HTTP 200): the facts, then Confirm / Change / Cancel."""
    action = request.full_path.rstrip("?")
    return render_template(
        "partials/confirm_page.html",
        form=form,
        confirmation=confirmation,
        hidden=hidden_values(form),
        action=action,
    )


def confirm_then_run(
    form: FlaskForm,
    *,
    check: Callable[[], Any],
    ask: Callable[[Any], Confirmation],
    command: Callable[[], Any],
) -> Step:
    """The POST half of an action that asks first (see the module docstring).

    Not valid, refused by `check` or by `command`, or "Change" pressed: `Step()` (the view
    shows its form again; refusals are next to their fields). First valid POST: `Step(page=…)`
    with the question, nothing changed. Confirmed: the command runs through `attempt()`.
    """
    if not form.validate_on_submit():
        return Step()
    if request.form.get(CONFIRM_FIELD) == "change":
        return Step()
    if not is_confirmed():
        checked = attempt(check, form)
        if not checked:
            return Step(error=checked.error)
        return Step(page=confirmation_page(form, ask(checked.value)))
    done = attempt(command, form)
    return Step(saved=done.ok, value=done.value, error=done.error)


def take_back(command: Callable[[int | None], Any], done: str, then: str, *, versioned=True):
    """The one-button POST that takes an action back within its day (`services.undo`):
    CSRF-checked (and the record's version, when it has one), the command run through
    `attempt()` (a refusal is flashed; NotAllowed answers 403), then back to `then`."""
    form = VersionedForm() if versioned else EmptyForm()
    if not form.validate_on_submit():
        flash(_("This record was changed meanwhile. Reload the page and try again."), "danger")
    elif attempt(lambda: command(int(form.version.data) if versioned else None)):
        flash(done, "success")
    return redirect(then)
