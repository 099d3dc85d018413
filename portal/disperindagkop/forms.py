"""Forms of the trade-office area (also used by its BPJS and owner pages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from ..services.reference import choices
from ..web.fields import DayField, PhoneField
from ..web.forms import BaseForm, MultiCheckboxField, PeriodForm, QueryForm


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for rejection"),
        validators=[
            DataRequired(message=_l("Give the reason so the owner knows what to correct.")),
            Length(max=1000),
        ],
    )


class InvitationForm(BaseForm):
    email = EmailField(
        _l("Owner's email (optional)"),
        validators=[Optional(), Length(max=254), Email(message=_l("Enter a valid email."))],
    )


class DirectoryFilterForm(QueryForm):
    q = StringField(_l("Name or NIB"), validators=[Optional(), Length(max=100)])
    kecamatan = SelectField(_l("Kecamatan"), validators=[Optional()])
    kelurahan = SelectField(_l("Kelurahan"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    scale = SelectField(_l("Scale"), validators=[Optional()])
    state = SelectField(_l("Verification"), validators=[Optional()])
    unenrolled = BooleanField(_l("Has employees not enrolled"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = _l("All")
        self.kecamatan.choices = choices.with_blank(choices.kecamatan(), everything)
        self.kelurahan.choices = choices.with_blank(choices.kelurahan(), everything)
        self.sector.choices = choices.with_blank(choices.sectors(), everything)
        self.scale.choices = choices.with_blank(choices.scales(), everything)
        self.state.choices = choices.with_blank(choices.verification_states(), everything)


class OutreachForm(BaseForm):
    held_on = DayField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    kelurahan_code = SelectField(_l("Kelurahan"), validators=[DataRequired()])
    agencies = MultiCheckboxField(
        _l("Agencies present"),
        validators=[DataRequired(message=_l("Choose the agencies that were present."))],
    )
    attendance = IntegerField(
        _l("Attendance"),
        validators=[
            InputRequired(message=_l("Enter the number of people present.")),
            NumberRange(min=0, max=100_000),
        ],
    )
    businesses = TextAreaField(
        _l("Businesses reached (NIB, one per line)"), validators=[Optional(), Length(max=20_000)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kelurahan_code.choices = choices.kelurahan()
        self.agencies.choices = choices.agency_codes()


class ReferralForm(BaseForm):
    reason = TextAreaField(
        _l("Why refer this business"), validators=[DataRequired(), Length(max=2000)]
    )
    contact_person = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    contact_phone = PhoneField(_l("Contact phone"), validators=[Optional()])


class FunnelForm(PeriodForm):
    kecamatan = SelectField(_l("Kecamatan"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = choices.with_blank(choices.kecamatan(), _l("All"))
