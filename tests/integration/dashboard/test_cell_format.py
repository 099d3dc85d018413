"""Dashboard cells: counts grouped the local way (portal.templating.format_count gives Babel's
text without Babel's per-call pattern parsing), shares and money as before."""

import pytest
from babel.numbers import format_decimal
from flask_babel import force_locale

from portal.dashboard.filters import dashboard_cell
from portal.dashboard.tables import Money, Pct
from portal.templating import format_count

COUNTS = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_234_567, -98_765_432, 10**18, -(10**21)]


@pytest.mark.parametrize("locale", ["id", "en"])
def test_counts_read_as_babel_writes_them(app, locale):
    with app.test_request_context("/"), force_locale(locale):
        for n in COUNTS:
            assert format_count(n) == format_decimal(n, "#,##0", locale=locale)


def test_each_cell_kind_in_indonesian_and_english(app):
    with app.test_request_context("/"):
        assert dashboard_cell(1_234_567) == "1.234.567"
        assert dashboard_cell(Pct(27.35)) == "27,4%"
        assert dashboard_cell(Pct(0.01)) == "< 0,1%"
        assert dashboard_cell(Money(359_450)) == "Rp 359.450"
        assert dashboard_cell(None) == "–"
        with force_locale("en"):
            assert dashboard_cell(1_234_567) == "1,234,567"
            assert dashboard_cell(Pct(27.35)) == "27.4%"
