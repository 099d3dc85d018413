"""Form fields that read input the way clerks type it, through `portal.domain.normalise`.

Each keeps what the user typed when it cannot read it (the page shows it back with a message
next to the field) and never relies on the browser's `maxlength` to cut input: a NIK with
spaces is longer than 16 characters, and a 17-digit NIK must be refused, not trimmed.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation

from ..domain import normalise
from ..domain.normalise import Unreadable
from ..services.input_messages import unreadable_message


class _NormalisedField(StringField):
    """A text input whose value goes through one normalise reader."""

    reader = staticmethod(lambda text: text)
    #: The input's HTML attributes (a form's own `render_kw` adds to them and wins).
    render_defaults: dict = {}

    def __init__(self, *args, **kwargs):
        render_kw = {**self.render_defaults, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = self.reader(valuelist[0])
            except Unreadable as problem:
                raise ValueError(unreadable_message(problem.code)) from None

    def pre_validate(self, form):
        # What could not be read has its message; "required" or a length on top would mislead.
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.shown(self.data)

    @staticmethod
    def shown(data) -> str:
        return "" if data is None else str(data)


class NikField(_NormalisedField):
    """16 digits as typed with spaces or dots; the number of digits is the validator's job."""

    reader = staticmethod(normalise.nik)
    render_defaults = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}


class NipField(_NormalisedField):
    """A civil servant's NIP: 18 digits, spaces between its groups are fine."""

    reader = staticmethod(normalise.nip)
    render_defaults = NikField.render_defaults


class RupiahField(_NormalisedField):
    """Whole rupiah: "Rp 2.500.000", "2500000", "2,500,000"."""

    reader = staticmethod(normalise.rupiah)
    render_defaults = {"inputmode": "numeric", "maxlength": 40}


class PhoneField(_NormalisedField):
    """Mobile or landline, stored as 0 and digits."""

    reader = staticmethod(normalise.phone)
    render_defaults = {"inputmode": "tel", "autocomplete": "tel", "maxlength": 40}


class DayField(_NormalisedField):
    """A date typed as DD-MM-YYYY (a date picker's YYYY-MM-DD is read too)."""

    reader = staticmethod(normalise.day)
    render_defaults = {"placeholder": "DD-MM-YYYY", "inputmode": "numeric", "maxlength": 40}

    @staticmethod
    def shown(data) -> str:
        return normalise.dmy(data)


class MonthField(_NormalisedField):
    """A contribution month typed as MM-YYYY ("03-2026", "3/2026"; "2026-03" is read too),
    kept as "YYYY-MM"."""

    reader = staticmethod(normalise.month)
    render_defaults = {"placeholder": "MM-YYYY", "inputmode": "numeric", "maxlength": 40}

    @staticmethod
    def shown(data) -> str:
        return "" if not data else f"{data[5:7]}-{data[:4]}"


class NikListField(TextAreaField):
    """NIKs one per line (or separated by commas), each read like a NikField; data is the
    list of 16-digit NIKs in the order typed. A line that is not 16 digits is named in the
    message, never cut or dropped."""

    def process_formdata(self, valuelist):
        self.data = []
        if not valuelist:
            return
        wrong = []
        for typed in re.split(r"[\n,;]+", valuelist[0] or ""):
            if not typed.strip():
                continue
            try:
                digits = normalise.nik(typed)
            except Unreadable:
                digits = ""
            if len(digits) != 16:
                wrong.append(typed.strip())
            else:
                self.data.append(digits)
        if wrong:
            self.data = []
            raise ValueError(
                str(_l("A NIK has exactly 16 digits; check: %(niks)s.", niks=", ".join(wrong)))
            )

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])
