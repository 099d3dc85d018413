"""Forms for referral outcomes and the compliance steps (used by BPJS and the trade office)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..domain.clock import today_wib
from ..domain.nik import NikError, parse_nik
from ..models import ReferralState
from ..services.compliance.rules import WITHHOLDABLE_SERVICES
from .business_forms import NIB_MESSAGE, NIB_RE
from .fields import DayField, NikListField, RupiahField
from .forms import BaseForm, MultiCheckboxField, VersionedForm
from .labels import REFERRAL_STATE_LABELS


class OutcomeForm(VersionedForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[
            (str(state), REFERRAL_STATE_LABELS[state])
            for state in (ReferralState.CONTACTED, ReferralState.REGISTERED, ReferralState.DECLINED)
        ],
        validators=[DataRequired()],
    )
    workers_enrolled = IntegerField(
        _l("Workers enrolled"), validators=[Optional(), NumberRange(min=0, max=100_000)]
    )
    note = TextAreaField(
        _l("Note (the reason, if declined)"), validators=[Optional(), Length(max=2000)]
    )


class OpenCaseForm(BaseForm):
    nib = StringField(
        _l("NIB of the employer"), validators=[DataRequired(), Regexp(NIB_RE, message=NIB_MESSAGE)]
    )
    finding = TextAreaField(
        _l("Finding (what the employer failed to do)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    worker_niks = NikListField(
        _l("NIKs of the workers not registered (one per line)"),
        validators=[DataRequired(message=_l("Name at least one worker by NIK."))],
        description=_l("The case clears only when each of them is registered with BPJS."),
    )
    issued_on = DayField(
        _l("SP1 issued on"), validators=[InputRequired(message=_l("Enter a date."))]
    )

    def validate_worker_niks(self, field):
        wrong = []
        for nik in field.data or []:
            try:
                parse_nik(nik)
            except NikError:
                wrong.append(nik)
        if wrong:
            raise ValidationError(
                _l("Not a valid NIK (check the ID card): %(niks)s.", niks=", ".join(wrong))
            )


class FinePaymentForm(VersionedForm):
    amount = RupiahField(
        _l("Amount paid (Rp)"), validators=[InputRequired(message=_l("Enter an amount in rupiah."))]
    )
    paid_on = DayField(
        _l("Paid on"),
        default=today_wib,  # the day in Singkawang, not the server's
        validators=[InputRequired(message=_l("Enter a date."))],
    )
    receipt_no = StringField(
        _l("Receipt number"),
        validators=[DataRequired(message=_l("Enter the receipt number.")), Length(max=60)],
    )


class Sp2Form(VersionedForm):
    issued_on = DayField(
        _l("SP2 issued on"), validators=[InputRequired(message=_l("Enter a date."))]
    )


class FineForm(VersionedForm):
    contributions_due = RupiahField(
        _l("Contributions due (Rp)"),
        validators=[
            InputRequired(message=_l("Enter an amount in rupiah.")),
            NumberRange(min=1, max=10**13),
        ],
    )
    fined_on = DayField(
        _l("Fine imposed on"), validators=[InputRequired(message=_l("Enter a date."))]
    )


def _service_choices():
    return list(WITHHOLDABLE_SERVICES.items())


class WithholdingRequestForm(VersionedForm):
    services = MultiCheckboxField(
        _l("Services to withhold"),
        choices=_service_choices,
        validators=[DataRequired(message=_l("Choose at least one of the listed services."))],
    )


class WithholdingForm(VersionedForm):
    services = MultiCheckboxField(
        _l("Services withheld"),
        choices=_service_choices,
        validators=[DataRequired(message=_l("Choose at least one of the listed services."))],
    )
    withheld_on = DayField(
        _l("Withheld since"), validators=[InputRequired(message=_l("Enter a date."))]
    )


class ClearForm(VersionedForm):
    note = TextAreaField(
        _l("How the employer complied"), validators=[DataRequired(), Length(max=2000)]
    )
