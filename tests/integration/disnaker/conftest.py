"""Helpers shared by the labour office's tests."""

from __future__ import annotations

from datetime import date, timedelta

from portal.services.reference.lookups import working_calendar


def reprimand_form(**overrides) -> dict:
    """The reprimand form as the labour head posts it, level I, deadline in two weeks."""
    two_weeks_on = date.today() + timedelta(days=14)
    data = {
        "level": "1",
        "subject": "Keterlambatan penanganan pengaduan",
        "finding": "Dua pengaduan pendaftaran melewati batas waktu 5 hari kerja.",
        "required_action": "Selesaikan pengaduan dan laporkan langkah perbaikan.",
        # two weeks on, moved to a working day (a day off is refused)
        "deadline": working_calendar().next_working_day(two_weeks_on).isoformat(),
        "consequence": "",
        "confirmed": "yes",  # the second step: the letter's confirmation page answered
    }
    data.update(overrides)
    return data
