"""Forms of the trade-office area (also used by its BPJS and owner pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
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
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..extensions import db
from ..models import Agency, BusinessScale, Region, Sector, VerificationState
from ..services.businesses.common import TradeError
from ..web.account_forms import PHONE_RE
from ..web.forms import BaseForm

T = TypeVar("T")

NIB_RE = r"^\d{13}$"
NIB_MESSAGE = _l("The NIB has 13 digits.")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as labelled checkboxes (usable by keyboard and on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def show_error(form, error: TradeError) -> None:
    """Put a service refusal next to its field, or above the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def save_or_show(form, action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run one service call for a validated form and end its transaction.

    Success commits and returns (True, the call's result); a TradeError rolls back, puts the
    message next to its field (see show_error) and returns (False, None). The view flashes and
    redirects on success, or renders the form again with the user's input kept.
    """
    try:
        result = action()
    except TradeError as error:
        db.session.rollback()
        show_error(form, error)
        return False, None
    db.session.commit()
    return True, result


def kelurahan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kelurahan").order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def kecamatan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kecamatan").order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def sector_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Sector.code, Sector.name_id)
        .where(Sector.active)
        .order_by(Sector.sort_order, Sector.name_id)
    )
    return [(code, name) for code, name in rows]


def scale_choices() -> list[tuple[str, object]]:
    return [
        (BusinessScale.MIKRO.value, _l("Micro")),
        (BusinessScale.KECIL.value, _l("Small")),
        (BusinessScale.MENENGAH.value, _l("Medium")),
    ]


def state_choices() -> list[tuple[str, object]]:
    return [
        (VerificationState.PENDING.value, _l("Pending")),
        (VerificationState.VERIFIED.value, _l("Verified")),
        (VerificationState.REJECTED.value, _l("Rejected")),
    ]


class VersionedForm(BaseForm):
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])


class ConfirmForm(BaseForm):
    """CSRF only: one-click actions such as verify."""


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for rejection"),
        validators=[
            DataRequired(message=_l("Give the reason so the owner knows what to correct.")),
            Length(max=1000),
        ],
    )


class BusinessForm(BaseForm):
    nib = StringField(
        _l("NIB (business identification number)"),
        validators=[DataRequired(), Regexp(NIB_RE, message=NIB_MESSAGE)],
    )
    name = StringField(_l("Business name"), validators=[DataRequired(), Length(max=200)])
    sector_code = SelectField(_l("Sector"), validators=[DataRequired()])
    scale = SelectField(_l("Scale"), validators=[DataRequired()])
    kelurahan_code = SelectField(_l("Kelurahan"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[DataRequired(), Length(max=300)])
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(PHONE_RE, message=_l("Enter a phone number such as 0812 3456 7890.")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector_code.choices = sector_choices()
        self.scale.choices = scale_choices()
        self.kelurahan_code.choices = kelurahan_choices()

    def business_values(self) -> dict:
        return {
            "nib": self.nib.data,
            "name": self.name.data,
            "sector_code": self.sector_code.data,
            "scale": self.scale.data,
            "kelurahan_code": self.kelurahan_code.data,
            "address": self.address.data,
            "phone": self.phone.data or None,
        }


class ResubmitForm(BusinessForm):
    version = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])


class InvitationForm(BaseForm):
    email = EmailField(
        _l("Owner's email (optional)"),
        validators=[Optional(), Length(max=254), Email(message=_l("Enter a valid email."))],
    )


class DirectoryFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or NIB"), validators=[Optional(), Length(max=100)])
    kecamatan = SelectField(_l("Kecamatan"), validators=[Optional()])
    kelurahan = SelectField(_l("Kelurahan"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    scale = SelectField(_l("Scale"), validators=[Optional()])
    state = SelectField(_l("Verification"), validators=[Optional()])
    unenrolled = BooleanField(_l("Has employees not enrolled"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _l("All"))]
        self.kecamatan.choices = everything + kecamatan_choices()
        self.kelurahan.choices = everything + kelurahan_choices()
        self.sector.choices = everything + sector_choices()
        self.scale.choices = everything + scale_choices()
        self.state.choices = everything + state_choices()


class OutreachForm(BaseForm):
    held_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
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
        self.kelurahan_code.choices = kelurahan_choices()
        self.agencies.choices = [
            (code, name)
            for code, name in db.session.execute(
                select(Agency.code, Agency.short_name).order_by(Agency.short_name)
            )
        ]


class ReferralForm(BaseForm):
    reason = TextAreaField(
        _l("Why refer this business"), validators=[DataRequired(), Length(max=2000)]
    )
    contact_person = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[
            Optional(),
            Length(max=20),
            Regexp(PHONE_RE, message=_l("Enter a phone number such as 0812 3456 7890.")),
        ],
    )


class FunnelForm(BaseForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    kecamatan = SelectField(_l("Kecamatan"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = [("", _l("All"))] + kecamatan_choices()
