"""A person's fields as on the ID card, for every form that registers a worker (an owner's
employee, a worker registering himself, a field agent's person), and the KPJ BPJS staff
copy from their own system. Each call makes a new field, so a form lists them in the order
it declares them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from .fields import DayField, NikField

REQUIRED = _l("This field is required.")


def nik_field(required, *checks) -> NikField:
    """The NIK, exactly 16 digits: `required` (the form's own message) first, then the
    length, then any further `checks`."""
    return NikField(
        _l("NIK"),
        validators=[
            required,
            Length(min=16, max=16, message=_l("NIK must be exactly 16 digits.")),
            *checks,
        ],
    )


def id_card_name_field() -> StringField:
    return StringField(
        _l("Full name as on the ID card"), validators=[DataRequired(REQUIRED), Length(max=120)]
    )


def birth_date_field() -> DayField:
    return DayField(_l("Birth date"), validators=[InputRequired(REQUIRED)])


def sex_field() -> RadioField:
    return RadioField(
        _l("Sex"),
        choices=[("L", _l("Male (L)")), ("P", _l("Female (P)"))],
        validators=[InputRequired(REQUIRED)],
    )


def domicile_field() -> SelectField:
    """The kelurahan the person lives in; the form fills its choices."""
    return SelectField(_l("Kelurahan of domicile"), validators=[InputRequired(REQUIRED)])


def issued_kpj_field(*validators, **kwargs) -> StringField:
    """The KPJ that BPJS's own system issued, typed in by BPJS staff (the portal never makes
    one up); `validators` and `kwargs` as the form needs them."""
    return StringField(
        _l("KPJ issued by BPJS's system"),
        validators=list(validators),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        **kwargs,
    )
