"""Words a clerk understands: names and sentences in histories, labels instead of codes."""

from __future__ import annotations

from portal.extensions import db
from tests.factories import EmploymentFactory
from tests.factories_bpjs import EnrolmentRequestFactory


def test_request_history_names_the_officer_and_says_what_happened(client, login_as):
    officer = login_as("bpjs_officer", name="Rina Petugas")
    req = EnrolmentRequestFactory()
    db.session.commit()
    assert client.post(f"/bpjs/queue/{req.id}/claim").status_code == 302
    page = client.get(f"/bpjs/queue/{req.id}").get_data(as_text=True)
    history = page.split("Riwayat", 1)[1]
    assert "Rina Petugas mengambil permohonan" in history
    assert "enrolment.claimed" not in history and officer.email not in history


def test_employee_pages_show_labels_not_codes(client, login_as):
    owner = login_as("business_owner")
    employment = EmploymentFactory(
        business__owner=owner, business__risk_class="tinggi", worker__sex="L"
    )
    db.session.commit()
    page = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    assert "Tinggi (1,27%)" in page and ">tinggi<" not in page
    edit = client.get(f"/employer/employees/{employment.id}/edit").get_data(as_text=True)
    assert "Laki-laki" in edit and '<dd class="col-7">L</dd>' not in edit
