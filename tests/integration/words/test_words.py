"""Issue 17, items 6 and 7: words a clerk understands. No "Corong", "Batch" or "TTTT-BB" in
the Indonesian catalogs, one name for the trade office, and "diajukan" where a request is
only submitted."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from portal.extensions import db
from portal.models import EnrolmentRequest
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_bpjs import FundedBatchFactory

TRANSLATIONS = Path(__file__).resolve().parents[3] / "translations"
JARGON = re.compile(r"corong|\bbatch|TTTT|BB-TTTT|\bYYYY|\bDD-MM", re.IGNORECASE)
TRADE_OFFICE_LONG = "Dinas Perindustrian, Perdagangan, Koperasi dan UKM"
#: Any spelling of the trade office other than its one long form or "Disperindagkop".
TRADE_OFFICE_VARIANTS = re.compile(
    r"Dinas Perdagangan|Dinas Perindustrian(?!, Perdagangan, Koperasi dan UKM)|Disperindag\b"
    r"|Kantor Dagang",
)


def _indonesian() -> list[tuple[str, str, str]]:
    """(catalog, msgid, msgstr) of every translated message, plural forms included."""
    found = []
    for path in sorted(TRANSLATIONS.glob("*/id/LC_MESSAGES/messages.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="id"):
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                found.extend((path.parts[-4], msgid, s) for s in strings if s)
    return found


def test_no_jargon_in_the_indonesian_catalogs():
    jargon = [
        (area, msgid, s)
        for area, msgid, s in _indonesian()
        if JARGON.search(re.sub(r"%\(\w+\)s", "", s))  # placeholders are not shown
    ]
    assert not jargon, "\n".join(f"{a}: {i!r} -> {s!r}" for a, i, s in jargon)


def test_one_name_for_the_trade_office():
    variants = [(area, s) for area, _i, s in _indonesian() if TRADE_OFFICE_VARIANTS.search(s)]
    assert not variants, variants


def test_the_trade_office_pages_use_its_names(client, login_as):
    login_as("trade_officer")
    home = client.get("/disperindagkop/").get_data(as_text=True)
    assert TRADE_OFFICE_LONG in home
    funnel = client.get("/disperindagkop/funnel").get_data(as_text=True)
    assert "<title>Tahapan sosialisasi" in funnel and "orong" not in funnel
    assert "Trade office: industry, trade, cooperatives and SMEs" in client.get(
        "/disperindagkop/?lang=en"
    ).get_data(as_text=True)


def test_a_funded_batch_is_a_programme_on_the_pages(client, login_as):
    login_as("bpjs_officer")
    FundedBatchFactory()
    db.session.commit()
    page = client.get("/bpjs/batches").get_data(as_text=True)
    assert "Program bantuan iuran" in page
    assert not re.search(r"\bBatch\b", re.sub(r"<[^>]+>", " ", page))


def test_month_fields_show_an_example_not_a_pattern(client, login_as):
    login_as("bpjs_officer")
    page = client.get("/bpjs/payments/new").get_data(as_text=True)
    assert "Bulan (contoh: 03-2026)" in page
    assert "TTTT" not in page and "BB-TTTT" not in page


def test_submitting_employees_says_submitted_not_registered(client, login_as):
    owner = login_as("business_owner")
    business = BusinessFactory(owner=owner, verification_state="verified", scale="menengah")
    employee = EmploymentFactory(business=business)
    db.session.commit()
    response = client.post(
        f"/employer/businesses/{business.id}/enrolments",
        data={"submit_selected": "1", "employment_id": [employee.id]},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert db.session.query(EnrolmentRequest).one().state == "submitted"
    assert "1 karyawan diajukan ke BPJS." in html
    assert "didaftarkan ke BPJS" not in html
