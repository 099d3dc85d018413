"""Forms of the employer area. Cross-field and database rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..services.businesses.registration import BusinessInput
from ..services.employees.rules import EmployeeInput
from ..services.reference import choices
from ..web.fields import DayField, PhoneField, RupiahField
from ..web.forms import BaseForm, digits_only
from ..web.person_fields import (
    REQUIRED,
    birth_date_field,
    domicile_field,
    id_card_name_field,
    nik_field,
    sex_field,
)


def version_of(field) -> int:
    """The version a form was built from; garbage counts as stale, never as a 500."""
    try:
        return int(field.data)
    except (TypeError, ValueError):
        return -1


class BusinessForm(BaseForm):
    nib = StringField(
        _l("NIB (business identification number)"),
        validators=[
            DataRequired(REQUIRED),
            digits_only(_l("NIB must be exactly 13 digits.")),
            Length(min=13, max=13, message=_l("NIB must be exactly 13 digits.")),
        ],
        render_kw={"inputmode": "numeric", "maxlength": 40},  # never cut: 14 digits is an error
    )
    name = StringField(_l("Business name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    sector_code = SelectField(_l("Sector"), validators=[InputRequired(REQUIRED)])
    scale = SelectField(_l("Scale"), choices=choices.scales, validators=[InputRequired(REQUIRED)])
    kelurahan_code = SelectField(_l("Kelurahan"), validators=[InputRequired(REQUIRED)])
    address = TextAreaField(_l("Address"), validators=[DataRequired(REQUIRED), Length(max=300)])
    phone = PhoneField(_l("Phone"), validators=[Optional()])
    risk_class = SelectField(
        _l("JKK risk class of the business's activity"), validators=[InputRequired(REQUIRED)]
    )
    version = HiddenField()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector_code.choices = choices.with_blank(choices.sectors(), "—")
        self.kelurahan_code.choices = choices.with_blank(choices.kelurahan(), "—")
        self.risk_class.choices = choices.with_blank(choices.risk_classes(), "—")

    def business_input(self) -> BusinessInput:
        return self.input_as(BusinessInput)


class EmployeeForm(BaseForm):
    nik = nik_field(DataRequired(REQUIRED))
    full_name = id_card_name_field()
    birth_date = birth_date_field()
    sex = sex_field()
    phone = PhoneField(_l("Phone"), validators=[Optional()])
    kelurahan_code = domicile_field()
    occupation = StringField(_l("Occupation"), validators=[DataRequired(REQUIRED), Length(max=100)])
    category = RadioField(
        _l("Category"),
        choices=[
            ("PU", _l("Wage earner (PU) — paid by this business")),
            ("BPU", _l("Informal worker (BPU) — declares own income")),
        ],
        validators=[InputRequired(REQUIRED)],
    )
    monthly_amount = RupiahField(
        _l("Monthly wage (PU) or declared income (BPU), Rp"),
        validators=[InputRequired(REQUIRED)],
    )
    with_jht = BooleanField(_l("Add JHT (old-age savings) voluntarily"))
    with_jp = BooleanField(_l("Add JP (pension) voluntarily"))
    start_date = DayField(_l("Start of employment"), validators=[InputRequired(REQUIRED)])
    version = HiddenField()
    submit = SubmitField(_l("Save employee"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kelurahan_code.choices = choices.with_blank(choices.kelurahan(), "—")

    def employee_input(self) -> EmployeeInput:
        """What was entered, typed; the edit form has no identity fields (left empty)."""
        return self.input_as(EmployeeInput)


class EditEmployeeForm(EmployeeForm):
    """The worker's identity (NIK, birth date, sex) is shown, not edited."""

    nik = None
    birth_date = None
    sex = None


class EndEmploymentForm(BaseForm):
    """Two steps: the date (never pre-filled), then the confirmation page showing it
    (`web.confirmation`)."""

    end_date = DayField(_l("Last day of employment"), validators=[InputRequired(REQUIRED)])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("End employment"))


class UndoEndForm(BaseForm):
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Take back the end"))


class CancelEndForm(BaseForm):
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Cancel the last day"))


class SubmitEnrolmentForm(BaseForm):
    employment_id = SelectMultipleField(coerce=int, validate_choice=False)
    submit_selected = SubmitField(_l("Submit selected employees"))
    submit_all = SubmitField(_l("Submit all not yet enrolled"))


class ResubmitForm(BaseForm):
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Resubmit to BPJS"))


class UploadForm(BaseForm):
    file = FileField(
        _l("Employee file (XLSX or CSV)"), validators=[FileRequired(_l("Choose a file."))]
    )
    js = HiddenField(default="0")
    submit = SubmitField(_l("Check the file"))


class ConfirmUploadForm(BaseForm):
    sha256 = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Save the clean rows"))
