"""Forms of the labour office: oversight filters and reprimand letters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OversightFilterForm(BaseForm):
    class Meta:
        csrf = False

    agency = SelectField(_l("Agency"), coerce=str, validators=[Optional()])
    state = SelectField(_l("State"), validators=[Optional()])
    sla = SelectField(_l("Deadline"), validators=[Optional()])


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


class ReprimandForm(BaseForm):
    level = SelectField(
        _l("Level"), coerce=int, choices=[(1, "I"), (2, "II"), (3, "III")], default=1
    )
    subject = StringField(
        _l("Subject (perihal)"),
        validators=[DataRequired(_l("Write the subject.")), Length(max=200)],
    )
    finding = TextAreaField(
        _l("Finding"), validators=[DataRequired(_l("Write the finding.")), Length(max=5000)]
    )
    required_action = TextAreaField(
        _l("Corrective action required"),
        validators=[DataRequired(_l("Write the corrective action required.")), Length(max=5000)],
    )
    consequence = TextAreaField(
        _l("Consequence if ignored (empty: the standard text)"),
        validators=[Optional(), Length(max=2000)],
    )
    deadline = DateField(
        _l("Deadline"), validators=[DataRequired(_l("Set a deadline for the corrective action."))]
    )
    complaint_ids = CheckboxList(_l("Overdue complaints cited"), coerce=int, validate_choice=False)
    enrollment_ids = CheckboxList(_l("Slow enrolments cited"), coerce=int, validate_choice=False)


class ReprimandNoteForm(BaseForm):
    note = TextAreaField(_l("Text"), validators=[Optional(), Length(max=5000)])
