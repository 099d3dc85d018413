"""services.undo.undo_window_words: the take-back window in the reader's language, exact
(in the largest unit that divides it: days, hours or minutes; never rounded)."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from portal.services.undo import undo_window_words


@pytest.mark.parametrize(
    ("window", "indonesian", "english"),
    [
        (timedelta(days=1), "1 hari", "1 day"),
        (timedelta(days=2), "2 hari", "2 days"),
        (timedelta(hours=36), "36 jam", "36 hours"),
        (timedelta(hours=1), "1 jam", "1 hour"),
        (timedelta(minutes=90), "90 menit", "90 minutes"),
        (timedelta(minutes=30), "30 menit", "30 minutes"),
    ],
)
def test_the_window_in_words(app, monkeypatch, window, indonesian, english):
    monkeypatch.setattr("portal.services.undo.UNDO_WINDOW", window)
    with app.test_request_context("/"):
        assert undo_window_words() == indonesian
        with force_locale("en"):
            assert undo_window_words() == english
