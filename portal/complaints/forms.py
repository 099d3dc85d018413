"""Forms of the complaints area (public submission, tracking, staff steps)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from ..services.complaints.intake import DESCRIPTION_MAX
from ..web.fields import PhoneField
from ..web.forms import BaseForm, QueryForm


class ComplaintForm(BaseForm):
    category = SelectField(
        _l("Category"), validators=[DataRequired(_l("Choose a category from the list."))]
    )
    agency = SelectField(
        _l("Agency concerned"),
        coerce=int,
        validators=[DataRequired(_l("Choose an agency from the list."))],
    )
    subject = StringField(
        _l("Subject"), validators=[DataRequired(_l("Write a short subject.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("What happened?"),
        render_kw={"rows": 6},
        validators=[
            DataRequired(_l("Describe the problem.")),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("The description may be at most %(max)d characters."),
            ),
        ],
    )
    reporter_name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Write your name.")), Length(max=120)]
    )
    reporter_phone = PhoneField(_l("Phone / WhatsApp"), validators=[Optional()])
    reporter_email = EmailField(
        _l("Email"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
    )
    hide_identity = BooleanField(_l("Hide my name from the agency concerned"))
    attachments = MultipleFileField(
        _l("Attachments (JPEG, PNG or PDF, at most 3 × 5 MB)"),
        render_kw={"accept": "image/jpeg,image/png,application/pdf"},
    )
    # Honeypot: hidden from people with CSS; bots fill it in.
    website = StringField(_l("Leave this field empty"))

    def validate_reporter_phone(self, field):
        if not field.data and not self.reporter_email.data:
            raise ValidationError(_l("Give a phone number or an email address to follow up."))
        if field.data and sum(ch.isdigit() for ch in field.data) < 8:
            raise ValidationError(_l("Enter a phone number with at least 8 digits."))


class TrackForm(BaseForm):
    code = StringField(
        _l("Tracking code"),
        validators=[DataRequired(_l("Enter the tracking code.")), Length(max=20)],
    )
    contact = StringField(
        _l("Phone or email used in the report"),
        validators=[DataRequired(_l("Enter the phone number or email.")), Length(max=254)],
    )


class NoteForm(BaseForm):
    """One text box for every step that needs a reason, question, answer or note."""

    note = TextAreaField(_l("Text"), validators=[Optional(), Length(max=5000)])


class StaffNoteForm(NoteForm):
    public = BooleanField(_l("Visible to the reporter"))


class AssignForm(BaseForm):
    assignee = SelectField(_l("Staff member"), coerce=int, validators=[DataRequired()])


class RerouteForm(NoteForm):
    agency = SelectField(_l("Right agency"), coerce=int, validators=[DataRequired()])


class QueueFilterForm(QueryForm):
    state = SelectField(_l("State"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    mine = BooleanField(_l("Assigned to me"))
