"""The published coverage figures for other systems: the public page's report, its filters
checked with the public page's messages, as plain data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import InvalidInput
from ..reference.choices import kecamatan as kecamatan_choices
from .periods import EARLIEST_PERIOD, Month, PeriodError, current_month
from .stats import CoverageReport, Scope, coverage_report, report_areas, sector_names

MONTH_COUNTS = (6, 12, 24)  # the public page's "months shown"


def published_report(
    period: str | None, months: str | None, kecamatan: str | None, lang: str
) -> CoverageReport:
    """The public page's coverage report for these filters (None: its defaults).

    Raises InvalidInput with a message per refused filter."""
    problems = []
    end = current_month()
    if period:
        try:
            end = Month.parse(period)
            if str(end) < EARLIEST_PERIOD or end > current_month():
                problems.append(
                    ("period", str(_l("The period must be between 2015-01 and the current month.")))
                )
        except PeriodError as error:
            problems.append(("period", str(error.message)))
    count = 12
    if months:
        if not months.isdigit() or int(months) not in MONTH_COUNTS:
            problems.append(("months", str(_l("Not a valid choice."))))
        else:
            count = int(months)
    areas = report_areas(kecamatan_choices())
    if kecamatan and kecamatan not in dict(areas):
        problems.append(("kecamatan", str(_l("Unknown kecamatan: choose one from the list."))))
    if problems:
        raise InvalidInput(problems)
    return coverage_report(Scope(end, count, kecamatan or None), sector_names(lang), areas)
