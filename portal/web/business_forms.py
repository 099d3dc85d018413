"""Forms for a business's registration data, shared by the trade office and its owner."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..services.reference import choices
from .fields import PhoneField
from .forms import BaseForm

NIB_RE = r"^\d{13}$"
NIB_MESSAGE = _l("The NIB has 13 digits.")


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
    phone = PhoneField(_l("Phone"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector_code.choices = choices.with_blank(choices.sectors())
        self.scale.choices = choices.with_blank(choices.scales())
        self.kelurahan_code.choices = choices.with_blank(choices.kelurahan())

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
