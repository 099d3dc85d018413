"""Reading input the way clerks type it: the one place every form and upload goes through.

- NIK: "6172 0112 3456 0001", "6172.0112.3456.0001", "'6172011234560001" → 16 digits. More or
  fewer digits stay visible to the caller (never cut): validation says what is wrong.
- Money: "359.450", "Rp 359.450", "359450", "359,450", "Rp 359.450,00" → 359450 whole rupiah.
- Phone: "0562-631234", "0812 5678 9012", "+62 812-5678-9012", "62812…" → "0562631234",
  "081256789012" (stored one way: a leading 0 and digits only).
- NIP (a civil servant's number): "19850317 201001 1 002" → 18 digits.
- Dates: DD-MM-YYYY (also with / or .), and YYYY-MM-DD as date pickers and spreadsheets send.
  A date that does not exist (31-02-1997) is told apart from one written another way.

Nothing here knows Flask or the database; each reader returns the clean value or raises
`Unreadable` with a code that the caller turns into a message in the user's language.
"""

from __future__ import annotations

import re
from datetime import date

NIK_SEPARATORS = re.compile(r"[\s.\-'’]")
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
_MONEY_PREFIX = re.compile(r"^\s*(rp\.?|idr)\s*", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

#: Longest text any reader looks at; longer input is refused before any work.
MAX_TEXT = 64


class Unreadable(ValueError):
    """Input that cannot be read. `code`: nik_digits, money_format, money_negative,
    money_cents, phone_format, date_format, date_not_a_day, month_format, nip_format, too_long."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    if len(text) > MAX_TEXT:
        raise Unreadable("too_long")
    return text.strip()


def nik(value: object) -> str:
    """The NIK's digits without the spaces, dots, dashes and apostrophes people add.

    Raises Unreadable("nik_digits") for anything but digits after that; the number of digits
    and the NIK's structure are checked by `domain.nik.parse_nik` (17 digits are an error,
    never cut to 16).
    """
    digits = NIK_SEPARATORS.sub("", _text(value))
    if digits and not digits.isdigit():
        raise Unreadable("nik_digits")
    return digits


def nip(value: object) -> str | None:
    """A civil servant's NIP (*Nomor Induk Pegawai*): 18 digits, written with or without the
    spaces of its four groups; None for an empty field. Raises Unreadable("nip_format")."""
    digits = NIK_SEPARATORS.sub("", _text(value))
    if not digits:
        return None
    if not digits.isdigit() or len(digits) != 18:
        raise Unreadable("nip_format")
    return digits


def nip_shown(value: str | None) -> str:
    """A NIP in its four groups as printed on letters: "19850317 201001 1 002"."""
    if not value or len(value) != 18:
        return value or ""
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"


def rupiah(value: object) -> int | None:
    """Whole rupiah from what people type; None for an empty field.

    Dots and commas group thousands ("359.450", "1,500,000"); a final ",00" or ".00" is
    accepted as zero cents. Raises Unreadable: money_negative, money_cents (real cents),
    money_format (anything else, such as "1.5000" or "12a").
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise Unreadable("money_negative")
        return value
    if isinstance(value, float):
        if value < 0:
            raise Unreadable("money_negative")
        if not value.is_integer():
            raise Unreadable("money_cents")
        return int(value)
    text = _MONEY_PREFIX.sub("", _text(value)).replace(" ", "")
    if not text:
        return None
    if text.startswith("-"):
        raise Unreadable("money_negative")
    cents = re.search(r"[.,](\d{2})$", text)
    if cents and not re.search(r"[.,]\d{3}$", text):
        if cents.group(1) != "00":
            raise Unreadable("money_cents")
        text = text[: cents.start()]
    groups = re.split(r"[.,]", text)
    if not all(g.isdigit() for g in groups):
        raise Unreadable("money_format")
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise Unreadable("money_format")
    return int("".join(groups))


def phone(value: object) -> str | None:
    """A phone number stored one way: "0" then 8–13 digits; None for an empty field.

    "+62 812-5678-9012" and "62812…" become "0812…"; a landline keeps its area code
    ("0562-631234" → "0562631234"). Raises Unreadable("phone_format").
    """
    text = PHONE_SEPARATORS.sub("", _text(value))
    if not text:
        return None
    if text.startswith("+62"):
        text = "0" + text[3:]
    elif text.startswith("62") and len(text) >= 10:
        text = "0" + text[2:]
    if not (text.isdigit() and text.startswith("0") and 9 <= len(text) <= 14):
        raise Unreadable("phone_format")
    return text


def day(value: object) -> date | None:
    """A calendar date from DD-MM-YYYY (or D/M/YYYY, D.M.YYYY) or YYYY-MM-DD; None if empty.

    Raises Unreadable("date_format") for another shape and Unreadable("date_not_a_day") for
    a day that does not exist, such as 31-02-1997.
    """
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    if match := _DMY.match(text):
        d, m, y = (int(g) for g in match.groups())
    elif match := _YMD.match(text):
        y, m, d = (int(g) for g in match.groups())
    else:
        raise Unreadable("date_format")
    try:
        return date(y, m, d)
    except ValueError:
        raise Unreadable("date_not_a_day") from None


_MONTH_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?$")
_MONTH_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")


def month(value: object) -> str | None:
    """A contribution month as "YYYY-MM" from "03-2026", "3/2026", "2026-03" or a date
    ("2026-03-01", as a spreadsheet date cell reads); None if empty.

    Raises Unreadable("month_format") for another shape or a month that does not exist.
    """
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    if not text:
        return None
    if match := _MONTH_YM.match(text):
        y, m = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_MY.match(text):
        m, y = int(match.group(1)), int(match.group(2))
    else:
        raise Unreadable("month_format")
    if not 1 <= m <= 12:
        raise Unreadable("month_format")
    return f"{y:04d}-{m:02d}"


def dmy(value: date | None) -> str:
    """A date written back the way the portal asks for it: DD-MM-YYYY."""
    return "" if value is None else value.strftime("%d-%m-%Y")
