"""Forms of informal workers' own door. Rules live in `services.enrolment.own_account`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..services.enrolment.own_account import OwnAccountInput
from ..services.reference import choices
from ..web.fields import MonthField, NikField, PhoneField, RupiahField
from ..web.forms import BaseForm
from ..web.person_fields import (
    REQUIRED,
    birth_date_field,
    domicile_field,
    id_card_name_field,
    issued_kpj_field,
    sex_field,
)


class OwnAccountForm(BaseForm):
    """One person registering as BPU (himself, or through an agent)."""

    nik = NikField(_l("NIK"), validators=[DataRequired(REQUIRED)])
    full_name = id_card_name_field()
    birth_date = birth_date_field()
    sex = sex_field()
    phone = PhoneField(_l("Mobile phone"), validators=[Optional()])
    kelurahan_code = domicile_field()
    occupation_code = SelectField(_l("Occupation"), validators=[InputRequired(REQUIRED)])
    occupation_other = StringField(
        _l("Occupation in your own words (for “Lainnya”)"), validators=[Length(max=100)]
    )
    monthly_income = RupiahField(
        _l("Declared monthly income, Rp"), validators=[InputRequired(REQUIRED)]
    )
    with_jht = BooleanField(_l("Add JHT (old-age savings, 2% of the declared income)"))
    preview = SubmitField(_l("Show my contribution"))
    submit = SubmitField(_l("Register with BPJS Ketenagakerjaan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kelurahan_code.choices = choices.with_blank(choices.kelurahan(), "—")
        self.occupation_code.choices = choices.with_blank(choices.occupations(), "—")

    def own_account_input(self) -> OwnAccountInput:
        return self.input_as(OwnAccountInput)


class CheckForm(BaseForm):
    nik = NikField(_l("NIK"), validators=[DataRequired(REQUIRED)])
    birth_date = birth_date_field()
    submit = SubmitField(_l("Check"))


class AgentPersonForm(OwnAccountForm):
    """One person in an agent's sitting: the person's fields, then consent."""

    consent = BooleanField(_l("The person agrees to be registered and to pay the dues"))
    consent_name = StringField(_l("Name of the person agreeing"), validators=[Length(max=120)])
    consent_photo = FileField(_l("Or: photo of the signed consent statement"))
    preview = None
    submit = SubmitField(_l("Save and register the next person"))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.kelurahan_code.choices = choices.with_blank(areas, "—")


class CashForm(BaseForm):
    membership_id = SelectField(_l("Person"), coerce=int, validators=[InputRequired(REQUIRED)])
    receipt_no = StringField(
        _l("Receipt number"), validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    amount = RupiahField(_l("Amount collected, Rp"), validators=[InputRequired(REQUIRED)])
    first_period = MonthField(
        _l("First month paid (e.g. 03-2026)"), validators=[InputRequired(REQUIRED)]
    )
    months = IntegerField(
        _l("Number of months"),
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=12)],
    )
    submit = SubmitField(_l("Record cash"))


class AgentForm(BaseForm):
    """BPJS staff create a field agent."""

    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), Length(max=254), Email()])
    phone = PhoneField(_l("Mobile phone"), validators=[Optional()])
    password = PasswordField(_l("First password"), validators=[DataRequired(REQUIRED)])
    kelurahan = SelectMultipleField(_l("Kelurahan"), validate_choice=False)
    submit = SubmitField(_l("Create field agent"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kelurahan.choices = choices.kelurahan()


class ContinueForm(BaseForm):
    """A funded member's one step when the programme ends."""

    with_jht = BooleanField(_l("Add JHT (old-age savings)"))
    submit = SubmitField(_l("Continue paying myself"))
    stop = SubmitField(_l("I will not continue"))


class StartSelfPaidForm(BaseForm):
    """BPJS starts a member's self-paid membership after his funded programme."""

    kpj = issued_kpj_field(DataRequired(REQUIRED), Length(max=40))
    submit = SubmitField(_l("Start self-paid membership"))
