"""Forms of the BPJS workspace. Filters are GET forms without CSRF; actions are POST forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..domain.clock import today_wib
from ..domain.nik import NikError, parse_nik
from ..models import EnrolmentState
from ..services.funded_batches.batches import BATCH_FIELDS, FUNDED_CATEGORIES, BatchTerms
from ..services.membership.payments import PAYMENT_CHANNELS
from ..services.reference.choices import kecamatan, risk_classes, with_blank, worker_categories
from ..web.fields import DayField, MonthField, PhoneField, RupiahField
from ..web.forms import BaseForm, QueryForm
from ..web.labels import ENROLMENT_STATE_LABELS
from ..web.person_fields import issued_kpj_field, nik_field

QUEUE_STATE_CHOICES = [
    ("open", _l("Open (submitted or in review)")),
    *(
        (str(state), ENROLMENT_STATE_LABELS[state])
        for state in (
            EnrolmentState.SUBMITTED,
            EnrolmentState.IN_REVIEW,
            EnrolmentState.RETURNED,
            EnrolmentState.ENROLLED,
            EnrolmentState.REJECTED,
        )
    ),
    ("all", _l("All")),
]
FUNDER_CHOICES = [("apbd", _l("APBD (city budget)")), ("csr", _l("CSR"))]
CHANNEL_LABELS = {
    "bank": _l("Bank transfer"),
    "virtual_account": _l("Virtual account"),
    "cash_office": _l("Cash at the office"),
    "payroll": _l("Payroll deduction"),
    "other": _l("Other"),
}
GIVE_ISSUED_KPJ = _l("Give the KPJ that BPJS's system issued for this enrolment.")
KPJ_RULE = Regexp(r"^\d{10,15}$", message=_l("A KPJ has 10 to 15 digits."))


def _kecamatan_filter():
    return with_blank(kecamatan(), str(_l("All kecamatan")))


def _category_filter():
    return with_blank(worker_categories(), str(_l("All categories")))


def _funded_categories():
    return [c for c in worker_categories() if c[0] in FUNDED_CATEGORIES]


class QueueFilterForm(QueryForm):
    state = SelectField(_l("State"), choices=QUEUE_STATE_CHOICES, default="open")
    business = StringField(
        _l("Business (NIB or start of name)"), validators=[Optional(), Length(max=100)]
    )
    kecamatan = SelectField(_l("Kecamatan"), choices=_kecamatan_filter, default="")
    category = SelectField(_l("Category"), choices=_category_filter, default="")
    overdue = BooleanField(_l("Overdue only"))
    mine = BooleanField(_l("Only mine"))
    unclaimed = BooleanField(_l("Not yet claimed"))


class EnrolForm(BaseForm):
    kpj = issued_kpj_field(
        DataRequired(message=GIVE_ISSUED_KPJ),
        description=_l("11 digits, as BPJS's own system issued it. The portal never makes one up."),
    )


class RiskClassForm(BaseForm):
    """BPJS confirms or changes a business's JKK risk class (PP 44/2015 annex I)."""

    risk_class = SelectField(
        _l("JKK risk class of the business"), choices=risk_classes, validators=[DataRequired()]
    )
    version = HiddenField()


class ReasonForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Give a reason.")),
            Length(min=5, max=1000, message=_l("Give a reason of 5 to 1000 characters.")),
        ],
    )


class ReassignForm(BaseForm):
    officer_id = SelectField(
        _l("Officer"), coerce=int, validators=[DataRequired(message=_l("Choose an officer."))]
    )


class BulkForm(BaseForm):
    action = SelectField(
        _l("Action on the selected requests"),
        choices=[
            ("claim", _l("Claim")),
            ("return", _l("Return for correction")),
            ("reject", _l("Reject")),
        ],
    )
    reason = TextAreaField(
        _l("Reason (for return or reject)"), validators=[Optional(), Length(max=1000)]
    )


def _rupiah_above_zero(label, missing, too_low, most: int, **kwargs) -> RupiahField:
    """A required rupiah amount from 1 to `most`: `missing` when empty, `too_low` outside."""
    return RupiahField(
        label,
        validators=[InputRequired(message=missing), NumberRange(min=1, max=most, message=too_low)],
        **kwargs,
    )


class PaymentForm(BaseForm):
    kpj = StringField(_l("KPJ"), validators=[DataRequired(message=_l("Give the KPJ.")), KPJ_RULE])
    period = MonthField(
        _l("Month (e.g. 03-2026)"), validators=[InputRequired(message=_l("Give the month."))]
    )
    amount = _rupiah_above_zero(
        _l("Amount (Rp)"),
        _l("Give an amount above zero."),
        _l("Give an amount above zero."),
        most=10_000_000_000,
    )
    paid_on = DayField(
        _l("Paid on"),
        default=today_wib,
        validators=[InputRequired(message=_l("Give the payment date."))],
    )
    channel = SelectField(
        _l("Channel"), choices=[(c, CHANNEL_LABELS[c]) for c in PAYMENT_CHANNELS], default="bank"
    )


class BatchForm(BaseForm):
    name = StringField(
        _l("Name"),
        default="Program Perlindungan Pekerja Rentan dan Pekerja Sawit",
        validators=[DataRequired(message=_l("Give a name.")), Length(max=200)],
    )
    funder_type = SelectField(_l("Funded by"), choices=FUNDER_CHOICES, default="apbd")
    funder_name = StringField(
        _l("Funder"),
        default="Pemerintah Kota Singkawang",
        validators=[DataRequired(message=_l("Name the funder.")), Length(max=200)],
    )
    category = SelectField(_l("Workers"), choices=_funded_categories, default="rentan")
    period_start = DayField(
        _l("Period start"), validators=[InputRequired(message=_l("Give a date."))]
    )
    period_end = DayField(_l("Period end"), validators=[InputRequired(message=_l("Give a date."))])
    quota = IntegerField(
        _l("Quota (people)"),
        validators=[
            DataRequired(message=_l("Give the quota.")),
            NumberRange(min=1, max=1_000_000, message=_l("The quota must be above zero.")),
        ],
    )
    monthly_premium = _rupiah_above_zero(
        _l("Monthly premium per person (Rp)"),
        _l("Give the premium."),
        _l("The premium must be above zero."),
        most=10_000_000,
        default=16_800,
    )

    def terms(self, **fixed) -> BatchTerms:
        """The batch's terms as typed; `fixed` gives those this form does not ask."""
        typed = {name: self[name].data for name in BATCH_FIELDS if name in self}
        return BatchTerms(**typed | fixed)


class RenewForm(BatchForm):
    """A renewal keeps the batch's funder type and category (the service sets them)."""

    funder_type = None
    category = None

    def terms(self) -> BatchTerms:
        return super().terms(funder_type=None, category=None)


def _valid_nik(form, field):
    try:
        parse_nik(field.data or "")
    except NikError as exc:
        from wtforms import ValidationError

        raise ValidationError(str(_l("This is not a valid NIK."))) from exc


class BatchMemberForm(BaseForm):
    nik = nik_field(DataRequired(message=_l("Give the NIK.")), _valid_nik)
    full_name = StringField(
        _l("Name as on the ID card"),
        validators=[DataRequired(message=_l("Give the name.")), Length(max=120)],
    )
    birth_date = DayField(_l("Birth date"), validators=[InputRequired(message=_l("Give a date."))])
    sex = SelectField(_l("Sex"), choices=[("L", _l("Male")), ("P", _l("Female"))])
    phone = PhoneField(_l("Phone"), validators=[Optional()])
    kelurahan_code = SelectField(_l("Kelurahan"), choices=[], validators=[Optional()])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=100)])
    kpj = issued_kpj_field(DataRequired(message=GIVE_ISSUED_KPJ))

    def validate(self, extra_validators=None) -> bool:
        from ..domain.nik import cross_check

        ok = super().validate(extra_validators)
        if ok:
            problems = cross_check(self.nik.data, self.birth_date.data, self.sex.data)
            if "birth_date" in problems:
                message = _l("The birth date does not match the NIK.")
                self.birth_date.errors = [*self.birth_date.errors, message]
                ok = False
            if "sex" in problems:
                self.sex.errors = [*self.sex.errors, _l("The sex does not match the NIK.")]
                ok = False
        return ok
