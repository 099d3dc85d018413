"""`BaseForm.input_as`: a form's answers become a service's typed input the same way for
every form (empty optional text is None, empty text is "", a yes/no is a bool)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wtforms import BooleanField, IntegerField, StringField

from portal.web.forms import BaseForm


@dataclass
class _Input:
    name: str
    note: str | None
    count: int | None
    agreed: bool
    missing: str
    born: date | None
    kept: str = "default"


class _Form(BaseForm):
    name = StringField()
    note = StringField()
    count = IntegerField()
    agreed = BooleanField()


def _read(app, data):
    with app.test_request_context(method="POST", data=data):
        return _Form(meta={"csrf": False}).input_as(_Input)


def test_empty_answers_are_none_where_allowed_and_empty_text_elsewhere(app):
    got = _read(app, {"name": "", "note": "  ", "count": "0"})
    assert got == _Input(
        name="", note=None, count=0, agreed=False, missing="", born=None, kept="default"
    )


def test_answers_pass_through_stripped(app):
    got = _read(app, {"name": " Siti ", "note": "ok", "count": "3", "agreed": "y"})
    assert (got.name, got.note, got.count, got.agreed) == ("Siti", "ok", 3, True)
