"""NIK (Nomor Induk Kependudukan) checks.

Structure: province (2) kab/kota (2) kecamatan (2) DD MM YY (women: DD + 40) serial (4).
The area digits say where the NIK was first issued, never where the person lives now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The 38 province codes (Kemendagri, Permendagri 58/2021 as amended by the 2022 Papua
# provinces: 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan, 96 Papua Barat Daya).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip


def mask(nik: str | None) -> str:
    """Show the first 6 (area) and last 2 digits only: 617201********01."""
    if not nik:
        return ""
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


class NikError(ValueError):
    """Why a NIK is not valid; `code` is stable for messages and tests."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NikInfo:
    province: str
    birth_day: int
    birth_month: int
    birth_yy: int
    sex: str  # "L" or "P"

    def matches_birth_date(self, birth_date: date) -> bool:
        return (
            birth_date.day == self.birth_day
            and birth_date.month == self.birth_month
            and birth_date.year % 100 == self.birth_yy
        )


def parse_nik(nik: str) -> NikInfo:
    """Validate a NIK's shape and return what it encodes. Raises NikError."""
    if len(nik) != 16 or not nik.isdigit():
        raise NikError("format")
    province = nik[:2]
    if province not in PROVINCE_CODES:
        raise NikError("province")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise NikError("area")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    if not 1 <= month <= 12 or day < 1:
        raise NikError("date")
    try:
        # 2000 is a leap year, so 29 Feb is accepted here and checked against the full date.
        date(2000, month, day)
    except ValueError as exc:
        raise NikError("date") from exc
    if nik[12:] == "0000":
        raise NikError("serial")
    return NikInfo(province, day, month, yy, sex)


def cross_check(nik: str, birth_date: date, sex: str) -> list[str]:
    """Which entered facts disagree with the NIK: a list of "birth_date" and/or "sex".

    Raises NikError if the NIK itself is invalid.
    """
    info = parse_nik(nik)
    problems = []
    if not info.matches_birth_date(birth_date):
        problems.append("birth_date")
    if sex != info.sex:
        problems.append("sex")
    return problems
