"""Form fields that read input the way clerks type it, through `portal.domain.normalise`.

Each keeps what the user typed when it cannot read it (the page shows it back with a message
next to the field) and never relies on the browser's `maxlength` to cut input: a NIK with
spaces is longer than 16 characters, and a 17-digit NIK must be refused, not trimmed.
"""

from __future__ import annotations

from wtforms import StringField

from ..domain import normalise
from ..domain.normalise import Unreadable
from ..services.input_messages import unreadable_message


class _NormalisedField(StringField):
    """A text input whose value goes through one normalise reader."""

    reader = staticmethod(lambda text: text)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = self.reader(valuelist[0])
            except Unreadable as problem:
                raise ValueError(unreadable_message(problem.code)) from None

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

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(*args, render_kw=render_kw, **kwargs)


class RupiahField(_NormalisedField):
    """Whole rupiah: "Rp 2.500.000", "2500000", "2,500,000"."""

    reader = staticmethod(normalise.rupiah)

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "numeric", "maxlength": 40}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(*args, render_kw=render_kw, **kwargs)


class PhoneField(_NormalisedField):
    """Mobile or landline, stored as 0 and digits."""

    reader = staticmethod(normalise.phone)

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "tel", "autocomplete": "tel", "maxlength": 40}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(*args, render_kw=render_kw, **kwargs)


class DayField(_NormalisedField):
    """A date typed as DD-MM-YYYY (a date picker's YYYY-MM-DD is read too)."""

    reader = staticmethod(normalise.day)

    def __init__(self, *args, **kwargs):
        render_kw = {"placeholder": "DD-MM-YYYY", "inputmode": "numeric", "maxlength": 40}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(*args, render_kw=render_kw, **kwargs)

    @staticmethod
    def shown(data) -> str:
        return normalise.dmy(data)


class MonthField(_NormalisedField):
    """A contribution month typed as MM-YYYY (also 2026-03), kept as "YYYY-MM"."""

    reader = staticmethod(normalise.month)

    def __init__(self, *args, **kwargs):
        render_kw = {"placeholder": "MM-YYYY", "inputmode": "numeric", "maxlength": 40}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(*args, render_kw=render_kw, **kwargs)

    @staticmethod
    def shown(data) -> str:
        return f"{data[5:]}-{data[:4]}" if data else ""
