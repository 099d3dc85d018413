"""Forms of the labour office: oversight filters and reprimand letters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..services.reprimands.workflow import ROMAN
from ..web.fields import DayField
from ..web.forms import BaseForm, MultiCheckboxField, QueryForm


class CitedItems(MultiCheckboxField):
    """The overdue items a letter may cite: only those offered on the page.

    A posted id that is not offered (no longer overdue, another agency's, or made up) gets
    one plain message instead of WTForms' "'123' is not a valid choice".
    """

    def pre_validate(self, form):
        offered = {value for value, _label in self.choices or []}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(
                _l("The list has changed: only items still overdue can be cited. Check again.")
            )


class OversightFilterForm(QueryForm):
    agency = SelectField(_l("Agency"), coerce=str, validators=[Optional()])
    state = SelectField(_l("State"), validators=[Optional()])
    sla = SelectField(_l("Deadline"), validators=[Optional()])


class ReprimandForm(BaseForm):
    level = SelectField(_l("Level"), coerce=int, choices=list(ROMAN.items()), default=1)
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
    deadline = DayField(
        _l("Deadline"), validators=[InputRequired(_l("Set a deadline for the corrective action."))]
    )
    # Only the offered (overdue, or cited by the parent letter) items may be cited.
    complaint_ids = CitedItems(_l("Overdue complaints cited"), coerce=int)
    enrolment_ids = CitedItems(_l("Slow enrolments cited"), coerce=int)


class ReprimandNoteForm(BaseForm):
    note = TextAreaField(_l("Text"), validators=[Optional(), Length(max=5000)])
