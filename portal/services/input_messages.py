"""What to tell the user when `portal.domain.normalise` cannot read an input (forms and
uploads say the same thing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "nik_digits": _l("A NIK has digits only (spaces and dots are fine)."),
    "money_format": _l("Write the amount in rupiah, for example 359.450 or Rp 2.500.000."),
    "money_negative": _l("The amount cannot be negative."),
    "money_cents": _l("Write whole rupiah, without cents."),
    "phone_format": _l("Enter a phone number such as 0812 3456 7890 or 0562-631234."),
    "date_format": _l("Write the date as DD-MM-YYYY, for example 17-08-1990."),
    "date_not_a_day": _l("This date does not exist in the calendar."),
    "month_format": _l("Write the month as MM-YYYY, for example 03-2026."),
    "nip_format": _l("A NIP has 18 digits, for example 19850317 201001 1 002."),
    "too_long": _l("This is far longer than the field can hold."),
}


def unreadable_message(code: str) -> str:
    return str(MESSAGES[code])
