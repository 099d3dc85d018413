"""Templates look each word up in the request's catalog, taken once per request
(portal.i18n.request_translations), and still follow a language changed during the request."""

from flask import render_template_string, session
from flask_babel import force_locale, refresh

WORD = "{{ _('Log in') }}"
PLURAL = (
    "{{ ngettext('%(num)d person registered in this sitting, each sent to BPJS.',"
    " '%(num)d people registered in this sitting, each sent to BPJS.', n) }}"
)


def test_pages_speak_indonesian_by_default_and_english_when_chosen(client):
    assert "Masuk" in client.get("/auth/login").get_data(as_text=True)
    english = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert ">Log in<" in english and "Masuk" not in english


def test_a_language_forced_during_a_request_is_followed_then_given_back(app):
    with app.test_request_context("/"):
        assert render_template_string(WORD) == "Masuk"
        with force_locale("en"):  # e.g. a letter written in its reader's language
            assert render_template_string(WORD) == "Log in"
        assert render_template_string(WORD) == "Masuk"


def test_a_language_chosen_during_a_request_shows_after_refresh(app):
    with app.test_request_context("/"):
        assert render_template_string(WORD) == "Masuk"
        session["lang"] = "en"
        refresh()  # Flask-Babel's way to apply a new choice within the request
        assert render_template_string(WORD) == "Log in"


def test_plural_forms_come_from_the_same_catalog(app):
    with app.test_request_context("/"):
        indonesian = render_template_string(PLURAL, n=3)
        with force_locale("en"):
            assert render_template_string(PLURAL, n=1).startswith("1 person registered")
            assert render_template_string(PLURAL, n=3).startswith("3 people registered")
    assert indonesian.startswith("3 ") and "registered" not in indonesian


def test_words_outside_a_request_are_the_default_language(app):
    with app.app_context():  # a CLI command or a job, no page around it
        assert app.jinja_env.from_string(WORD).render() == "Masuk"
