"""Required selects start on an empty "Pilih…" option; sending it back is one "required"."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from portal.web.forms import BaseForm


class ScaleForm(BaseForm):
    scale = SelectField(
        "Skala", choices=[("mikro", "Mikro"), ("kecil", "Kecil")], validators=[InputRequired()]
    )
    agency = SelectField(
        "Instansi",
        coerce=int,
        choices=[(0, "BPJS"), (1, "Disnaker")],
        validators=[InputRequired("Pilih instansi.")],
    )
    kecamatan = SelectField(
        "Kecamatan", choices=[("", "Semua"), ("1", "Satu")], validators=[Optional()]
    )


def test_required_select_starts_on_an_empty_choice(app):
    with app.test_request_context():
        form = ScaleForm(meta={"csrf": False})
        html = str(form.scale())
        assert html.split("<option")[1].startswith(' value="" selected>Pilih')
        assert str(form.kecamatan()).count('value=""') == 1  # has its own empty choice


def test_a_chosen_value_stays_selected(app):
    with app.test_request_context():
        form = ScaleForm(MultiDict({"scale": "kecil", "agency": "1"}), meta={"csrf": False})
        html = str(form.scale())
        assert '<option value="">Pilih' in html and 'selected value="kecil"' in html


def test_sending_the_placeholder_is_one_required_message(app):
    with app.test_request_context():
        form = ScaleForm(MultiDict({"scale": "", "agency": ""}), meta={"csrf": False})
        assert not form.validate()
        assert len(form.scale.errors) == 1
        assert form.agency.errors == ["Pilih instansi."]


def test_hidden_inputs_carry_no_id_so_several_forms_never_repeat_one(app):
    from wtforms import HiddenField

    class Versioned(BaseForm):
        version = HiddenField()

    with app.test_request_context():
        first, second = Versioned(meta={"csrf": False}), Versioned(meta={"csrf": False})
        assert str(first.version()) == str(second.version())
        assert " id=" not in str(first.version())
