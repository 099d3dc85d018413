"""Form base class, field helpers and service refusals on forms, shared by every blueprint."""

from __future__ import annotations

import dataclasses
import re
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask import flash, redirect, render_template, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup, escape
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, SelectField, SelectMultipleField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, Select

from ..extensions import db
from ..services.errors import NotAllowed, NotFound, ServiceError, StaleRecord
from .fields import DayField

T = TypeVar("T")


def _clean_text(value):
    if isinstance(value, str):
        return value.strip()
    return value


class PortalTranslations:
    """WTForms' own messages ("This field is required." …) through the portal's catalogs.

    WTForms ships no Indonesian catalog; translations/core carries its messages instead.
    """

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


class PlaceholderSelect(Select):
    """A required select starts on an empty "Choose…" option instead of a real value, so
    nobody submits the first entry ("Mikro", agency 0) without having chosen it."""

    def __call__(self, field, **kwargs):
        html = super().__call__(field, **kwargs)
        if not field.flags.required or any(str(value) == "" for value, *_ in field.iter_choices()):
            return html
        chosen = field.data not in (None, "") and any(
            selected for _, _, selected, *_ in field.iter_choices()
        )
        option = Markup('<option value=""{}>{}</option>').format(
            Markup("") if chosen else Markup(" selected"), escape(_l("Choose…"))
        )
        cut = html.index(">") + 1
        return Markup(html[:cut]) + option + Markup(html[cut:])


def _is_single_select(field_class) -> bool:
    return issubclass(field_class, SelectField) and not issubclass(field_class, SelectMultipleField)


def _required_message(field) -> str:
    for validator in field.validators:
        if isinstance(validator, (InputRequired, DataRequired)) and validator.message:
            return str(validator.message)
    return field.gettext("This field is required.")


class BaseForm(FlaskForm):
    """Strips surrounding blanks and refuses text that did not arrive as valid UTF-8.

    Werkzeug decodes bad bytes as U+FFFD; such input would otherwise be saved garbled.
    Numbers must be finite and fit a 32-bit database integer (no real count, rupiah amount
    per month or percentage here comes near it), so "NaN" or a 30-digit number gets a message
    next to its field instead of a database error. Validator messages come out in the
    user's language.
    """

    class Meta:
        def get_translations(self, form):
            return PortalTranslations()

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if _clean_text not in filters:
                filters = [_clean_text, *filters]
            if _is_single_select(unbound_field.field_class) and "widget" not in (
                unbound_field.kwargs
            ):
                options = {**options, "widget": PlaceholderSelect()}
            return unbound_field.bind(form=form, filters=filters, **options)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden inputs (csrf_token, version…) need no id; with one, a page of several forms
        # repeats ids, which HTML forbids. False leaves the attribute out entirely.
        for field in self:
            if isinstance(field.widget, HiddenInput):
                field.render_kw = {"id": False, **(field.render_kw or {})}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if (
                isinstance(field.widget, PlaceholderSelect)
                and field.errors
                and field.raw_data in ([], [""])
            ):  # the placeholder sent: one plain "required", not "not a valid choice"
                field.errors = [_required_message(field)]
            data = field.data
            if isinstance(data, str) and _has_garbage(data):
                field.errors = [*field.errors, str(_l("Contains characters we cannot read."))]
                ok = False
            elif _out_of_range(data):
                field.errors = [*field.errors, str(_l("Enter a smaller number."))]
                ok = False
        return ok

    def input_as(self, input_type: type[T]) -> T:
        """The dataclass `input_type` (a service's input) filled from this form's fields of
        the same names, as its annotations type them (`_typed`). A field the form lacks
        keeps the input's default, or else counts as left empty."""
        hints = typing.get_type_hints(input_type)
        values = {}
        for field in dataclasses.fields(input_type):
            if field.name in self:
                data = self[field.name].data
            elif (
                field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING
            ):
                continue
            else:
                data = None
            values[field.name] = _typed(data, hints[field.name])
        return input_type(**values)


def _typed(data, hint):
    """A form value as a service input's field of type `hint`: a yes/no is a bool; an
    empty answer is None where the field allows None, else "" for text; else as it is."""
    if hint is bool:
        return bool(data)
    if type(None) in typing.get_args(hint):
        return None if data in ("", None) else data
    if hint is str:
        return data or ""
    return data


MAX_NUMBER = 2_147_483_647  # PostgreSQL `integer`


def form_status(form: FlaskForm) -> int:
    """The status of a page that shows `form`: 400 once it holds an error, else 200."""
    return 400 if form.errors or getattr(form, "form_errors", None) else 200


def _out_of_range(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, Decimal | float) and not Decimal(str(value)).is_finite():
        return True
    return abs(value) > MAX_NUMBER


# Werkzeug re-quotes percent-encoded bytes that are not UTF-8 as "%XX" (upper-case hex).
_UNDECODED_BYTE = re.compile(r"%[89A-F][0-9A-F]")


def _has_garbage(text: str) -> bool:
    if "\ufffd" in text or _UNDECODED_BYTE.search(text):
        return True
    return any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text)


def keeps_form_on_csrf_error(view):
    """Mark a view as safe to re-run when the CSRF check fails, so the user keeps the form.

    Only for views that validate their form with `validate_on_submit()` and change nothing
    otherwise: the form's own CSRF check fails again, and the page shows the form with the
    user's input and a message at the top (HTTP 400). Other views get the error page.
    Place it under `@require`/`@public`.
    """
    view.keeps_form_on_csrf_error = True
    return view


def digits_only(message: str):
    """Validator: the field holds digits only."""

    def check(form, field):
        if field.data and not str(field.data).isdigit():
            raise ValidationError(message)

    return check


class VersionedForm(BaseForm):
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])


class MultiCheckboxField(SelectMultipleField):
    """Several choices as labelled checkboxes (usable by keyboard and on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QueryForm(BaseForm):
    """Read from the query string (filters, a period): a GET, so no CSRF token."""

    class Meta:
        csrf = False


class PeriodForm(QueryForm):
    """A period as two days in the query string; either may be left empty."""

    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])


class EmptyForm(BaseForm):
    """CSRF only: one-click actions (verify, claim, confirm) and forms with no fields."""


class UploadForm(BaseForm):
    """One CSV or XLSX file (read by `services.uploads.table`)."""

    file = FileField(
        _l("File (CSV or XLSX)"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], message=_l("Only CSV or XLSX files.")),
        ],
    )


# --- Service refusals on forms -----------------------------------------------------------------


@dataclass
class Outcome(Generic[T]):
    """What `attempt()` did: `ok` with the command's `value`, or refused with its `error`."""

    ok: bool
    value: T | None = None
    error: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.ok

    def __iter__(self):
        """`saved, value = attempt(...)`."""
        return iter((self.ok, self.value))


def attempt(command: Callable[[], T], form: FlaskForm | None = None) -> Outcome[T]:
    """Run a service command in this request's transaction and commit it.

    A `ServiceError` rolls everything back and is shown where it belongs (`show_refusal`);
    a write that lost a race with someone else's edit reads as `StaleRecord`; `NotAllowed`
    and `NotFound` answer 403 and 404. The view then re-renders its form (status 400) or redirects.
    """
    try:
        value = command()
        db.session.commit()
    except (NotAllowed, NotFound):
        db.session.rollback()
        raise  # the app's error handlers answer 403 / 404
    except ServiceError as error:
        db.session.rollback()
        show_refusal(error, form)
        return Outcome(False, error=error)
    except StaleDataError:
        db.session.rollback()
        error = StaleRecord()
        show_refusal(error, form)
        return Outcome(False, error=error)
    return Outcome(True, value)


def show_refusal(error: ServiceError, form: FlaskForm | Any | None = None) -> None:
    """Each message next to its field; a message for no field (or a field the form lacks)
    above the form (WTForms' `form.form_errors`, shown by the `form_errors()` macro), or as a
    flash when there is no form."""
    for field_name, message in error.problems:
        target = getattr(form, field_name, None) if form is not None and field_name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        elif form is not None:
            form.form_errors = [*getattr(form, "form_errors", []), message]
        else:
            flash(message, "danger")


def submit(
    form: FlaskForm,
    command: Callable[[], T],
    done: str | Callable[[T], str] | None,
    then: str | Callable[[T], str],
):
    """The POST half of a form page: validate `form`, run `command` through `attempt()`
    and, once saved, flash `done` (nothing when None) and redirect to `then` (each a value
    or a function of what the command returned). None when the page should show the form
    again."""
    if not form.validate_on_submit():
        return None
    saved, value = attempt(command, form)
    if not saved:
        return None
    if done is not None:
        flash(done(value) if callable(done) else done, "success")
    return redirect(then(value) if callable(then) else then)


def show_form(template: str, form: FlaskForm, **context):
    """The GET half of a form page (and a refused POST): `template` with `form` and
    `context`, answered 400 once the form holds an error (`form_status`)."""
    return render_template(template, form=form, **context), form_status(form)


def query_args(form: FlaskForm) -> dict[str, str]:
    """The query arguments a filter form reads, for links that keep the filters (exports,
    pages). Only the form's own fields: a stray name in the URL (`fmt=`, `page=`) would clash
    with the link's own arguments, or smuggle anything into it."""
    return {k: v for k, v in request.args.items() if k in form._fields and k != "csrf_token"}


def id_arg(name: str) -> int | None:
    """A record id from the query string, or None when it is missing or no id could be
    (text, zero or less, past PostgreSQL's bigint): a hand-edited `?business=` filters
    nothing instead of overflowing the database driver."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**63 else None
