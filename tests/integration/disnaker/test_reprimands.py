"""Reprimand letters from issue to closure or escalation, who may do what, bad input, PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Notification, Reprimand, ReprimandEvent, Setting
from tests.factories_complaints import (
    OpenComplaintFactory,
    ReprimandFactory,
    SlowEnrolmentFactory,
)
from tests.pdf_text import pdf_text

from .conftest import reprimand_form


def _reload(reprimand) -> Reprimand:
    db.session.expire_all()
    return db.session.get(Reprimand, reprimand.id)


def test_labour_head_issues_a_numbered_letter_citing_overdue_complaints(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    enrolment = SlowEnrolmentFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    form = client.get("/disnaker/reprimands/new?agency=bpjs").get_data(as_text=True)
    assert complaint.tracking_code in form and f"#{enrolment.id}" in form
    response = client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={
            **reprimand_form(),
            "complaint_ids": [complaint.id],
            "enrolment_ids": [enrolment.id],
        },
    )
    assert response.status_code == 302
    reprimand = db.session.scalar(select(Reprimand))
    year = date.today().year
    assert reprimand.letter_number == f"800/001/DPMTK-TEG/{year}"
    assert reprimand.state == "issued" and reprimand.level == 1
    assert [c.id for c in reprimand.complaints] == [complaint.id]
    assert [e.id for e in reprimand.enrolment_requests] == [enrolment.id]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reprimand.issued"))
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == staff["bpjs_head"].id)
    ).all()
    assert kinds == ["reprimand"]


def test_letter_numbers_follow_the_configured_pattern_and_never_collide(client, staff, switch_to):
    db.session.get(Setting, "reprimand_number_pattern").value = "TEG-{year}-{seq:02d}-{level}"
    ReprimandFactory(letter_year=date.today().year, letter_seq=7, letter_number="lama")
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(level="2"), "complaint_ids": [complaint.id]},
    )
    newest = db.session.scalar(select(Reprimand).order_by(Reprimand.id.desc()))
    assert newest.letter_number == f"TEG-{date.today().year}-08-II"


def test_a_reprimand_without_a_cited_reason_is_refused(client, staff, switch_to):
    OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post("/disnaker/reprimands/new?agency=bpjs", data=reprimand_form())
    assert response.status_code == 400
    assert 'id="complaint_ids-error"' in response.get_data(as_text=True) or (
        "invalid-feedback" in response.get_data(as_text=True)
    )
    assert db.session.scalar(select(Reprimand)) is None


def test_a_reprimand_without_a_deadline_is_refused(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(deadline=""), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 400
    assert 'id="deadline-error"' in response.get_data(as_text=True)
    past = client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(deadline="2020-01-01"), "complaint_ids": [complaint.id]},
    )
    assert past.status_code == 400
    assert db.session.scalar(select(Reprimand)) is None


def test_complaints_of_another_agency_cannot_be_cited(client, staff, switch_to):
    trade = OpenComplaintFactory(agency_code="disperindagkop")
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(), "complaint_ids": [trade.id]},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(Reprimand)) is None


def test_only_overdue_items_can_be_cited_and_odd_ids_are_refused(client, staff, switch_to):
    on_time = OpenComplaintFactory(sla_due=date.today() + timedelta(days=30))
    db.session.commit()
    switch_to(staff["labour_head"])
    for ids, message in (
        ([on_time.id], "hanya butir yang masih melewati tenggat"),
        (["99999999999999999999999"], "hanya butir yang masih melewati tenggat"),
        (["abc"], "Pilihan tidak valid"),
    ):
        response = client.post(
            "/disnaker/reprimands/new?agency=bpjs", data={**reprimand_form(), "complaint_ids": ids}
        )
        assert response.status_code == 400, ids
        assert message in response.get_data(as_text=True), ids
    assert db.session.scalar(select(Reprimand)) is None


def test_the_labour_office_cannot_reprimand_itself(client, staff, switch_to):
    switch_to(staff["labour_head"])
    page = client.get("/disnaker/reprimands/new?agency=disnaker").get_data(as_text=True)
    assert 'href="/disnaker/reprimands/new?agency=disnaker"' not in page  # not offered
    assert 'href="/disnaker/reprimands/new?agency=bpjs"' in page
    response = client.post("/disnaker/reprimands/new?agency=disnaker", data=reprimand_form())
    assert response.status_code == 200  # the chooser again, nothing issued
    assert db.session.scalar(select(Reprimand)) is None


def test_only_the_labour_head_issues(client, staff, switch_to):
    switch_to(staff["labour_officer"])
    assert client.get("/disnaker/reprimands/new?agency=bpjs").status_code == 403
    switch_to(staff["bpjs_head"])
    assert client.get("/disnaker/reprimands/new?agency=bpjs").status_code == 403


def test_addressed_head_acknowledges_and_answers_then_labour_head_closes(client, staff, switch_to):
    reprimand = ReprimandFactory(issuer=staff["labour_head"])
    db.session.commit()
    url = f"/disnaker/reprimands/{reprimand.id}"
    switch_to(staff["bpjs_head"])
    assert client.get(url).status_code == 200
    assert client.post(f"{url}/acknowledge").status_code == 302
    assert _reload(reprimand).state == "acknowledged"
    assert client.post(f"{url}/respond", data={"note": ""}).status_code == 400
    assert _reload(reprimand).state == "acknowledged"
    plan = "Menambah dua petugas loket dan evaluasi mingguan."
    assert client.post(f"{url}/respond", data={"note": plan}).status_code == 302
    reprimand = _reload(reprimand)
    assert (reprimand.state, reprimand.response) == ("responded", plan)
    assert (
        db.session.scalar(
            select(Notification.kind).where(Notification.user_id == staff["labour_head"].id)
        )
        == "reprimand_response"
    )
    # The addressed head cannot close their own reprimand.
    assert client.post(f"{url}/close", data={"note": ""}).status_code == 403
    switch_to(staff["labour_head"])
    assert client.post(f"{url}/close", data={"note": "Rencana diterima."}).status_code == 302
    reprimand = _reload(reprimand)
    assert reprimand.state == "closed" and reprimand.closed_at is not None
    events = db.session.scalars(
        select(ReprimandEvent.to_state).where(ReprimandEvent.reprimand_id == reprimand.id)
    ).all()
    assert events == ["acknowledged", "responded", "closed"]


def test_other_agencies_do_not_see_the_letter(client, staff, switch_to):
    reprimand = ReprimandFactory()
    db.session.commit()
    switch_to(staff["trade_head"])
    assert client.get(f"/disnaker/reprimands/{reprimand.id}").status_code == 404
    assert client.post(f"/disnaker/reprimands/{reprimand.id}/acknowledge").status_code == 404
    switch_to(staff["bpjs_officer"])
    assert client.get(f"/disnaker/reprimands/{reprimand.id}").status_code == 403


def test_forbidden_reprimand_steps_are_refused(client, staff, switch_to):
    reprimand = ReprimandFactory()
    db.session.commit()
    switch_to(staff["bpjs_head"])
    # Answering before acknowledging is not a step of the workflow.
    response = client.post(f"/disnaker/reprimands/{reprimand.id}/respond", data={"note": "x"})
    assert response.status_code == 400
    assert _reload(reprimand).state == "issued"
    switch_to(staff["labour_head"])
    assert client.post(f"/disnaker/reprimands/{reprimand.id}/close").status_code == 400


def test_escalation_issues_the_next_level_with_a_parent(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    reprimand = ReprimandFactory(state="responded", response="Rencana lemah.")
    reprimand.complaints.append(complaint)
    db.session.commit()
    switch_to(staff["labour_head"])
    page = client.get(f"/disnaker/reprimands/{reprimand.id}/escalate")
    assert page.status_code == 200
    response = client.post(
        f"/disnaker/reprimands/{reprimand.id}/escalate",
        data={**reprimand_form(), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 302
    child = db.session.scalar(select(Reprimand).where(Reprimand.parent_id == reprimand.id))
    assert child.level == 2 and child.state == "issued"
    assert _reload(reprimand).state == "escalated"
    parent_page = client.get(f"/disnaker/reprimands/{reprimand.id}").get_data(as_text=True)
    assert child.letter_number in parent_page  # the chain reads as one timeline


def test_an_unanswered_letter_escalates_only_after_its_deadline(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    waiting = ReprimandFactory(deadline=date.today() + timedelta(days=5))
    waiting.complaints.append(complaint)
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post(
        f"/disnaker/reprimands/{waiting.id}/escalate",
        data={**reprimand_form(), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 400
    assert _reload(waiting).state == "issued"
    assert db.session.scalar(select(Reprimand).where(Reprimand.parent_id == waiting.id)) is None


def test_level_three_cannot_escalate(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    top = ReprimandFactory(level=3, state="responded")
    top.complaints.append(complaint)
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post(
        f"/disnaker/reprimands/{top.id}/escalate",
        data={**reprimand_form(), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 400
    assert _reload(top).state == "responded"


def test_the_letter_is_a_pdf_for_both_sides(client, staff, switch_to):
    reprimand = ReprimandFactory(issuer=staff["labour_head"])
    reprimand.complaints.append(OpenComplaintFactory())
    db.session.commit()
    for user in (staff["labour_officer"], staff["bpjs_head"]):
        switch_to(user)
        response = client.get(f"/disnaker/reprimands/{reprimand.id}/letter.pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")


def _letter_text(client, reprimand) -> str:
    response = client.get(f"/disnaker/reprimands/{reprimand.id}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(pdf_text(response.data).split())


def test_the_letter_pdf_carries_every_part_of_a_surat_teguran(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    enrolment = SlowEnrolmentFactory()
    reprimand = ReprimandFactory(
        issuer=staff["labour_head"],
        letter_number="800/017/DPMTK-TEG/2026",
        level=2,
        subject="Keterlambatan penanganan pengaduan",
        finding="Tiga pengaduan kepesertaan melewati batas waktu lima hari kerja.",
        required_action="Tetapkan petugas penanggung jawab dan selesaikan ketiga pengaduan.",
        deadline=date(2026, 3, 20),
        consequence="Keterlambatan berikutnya dilaporkan kepada Wali Kota Singkawang.",
        issued_at=datetime(2026, 3, 5, 3, 0, tzinfo=UTC),
    )
    reprimand.complaints.append(complaint)
    reprimand.enrolment_requests.append(enrolment)
    db.session.commit()
    issuer = "Dinas Penanaman Modal dan Tenaga Kerja Kota Singkawang"
    for reader in (staff["labour_officer"], staff["bpjs_head"]):
        switch_to(reader)
        text = _letter_text(client, reprimand)
        parts = [
            # Letterhead (kop surat) and place/date.
            "PEMERINTAH KOTA SINGKAWANG",
            issuer.upper(),
            "Singkawang, 5 Maret 2026",
            # Nomor, sifat, lampiran, perihal.
            "Nomor : 800/017/DPMTK-TEG/2026",
            "Sifat : Penting",
            "Lampiran : 1 (satu) berkas, 2 perkara",
            "Perihal : Teguran II – Keterlambatan penanganan pengaduan",
            # Recipient.
            "Kepada Yth. Kepala BPJS Ketenagakerjaan Kantor Cabang Singkawang",
            # Legal basis.
            "Dasar: 1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
            # Finding and the cases it rests on.
            "Temuan: Tiga pengaduan kepesertaan melewati batas waktu lima hari kerja.",
            f"Pengaduan {complaint.tracking_code}: {complaint.subject}",
            f"Permohonan kepesertaan #{enrolment.id}, batas waktu 12 Januari 2026",
            # Required action, deadline, consequence.
            "Tindakan perbaikan yang diminta: Tetapkan petugas penanggung jawab dan "
            "selesaikan ketiga pengaduan.",
            "Batas waktu: Tindakan perbaikan dan tanggapan tertulis disampaikan paling "
            "lambat 20 Maret 2026.",
            "Konsekuensi: Keterlambatan berikutnya dilaporkan kepada Wali Kota Singkawang.",
            # Signature block of the head of office.
            f"KEPALA {issuer.upper()}, {staff['labour_head'].name}",
            # Copies.
            "Tembusan: 1. Wali Kota Singkawang (sebagai laporan); 2. Sekretaris Daerah Kota "
            "Singkawang; 3. Inspektorat Kota Singkawang; 4. Arsip.",
        ]
        positions = []
        for part in parts:
            assert part in text, f"{part!r} missing from the letter:\n{text}"
            positions.append(text.index(part))
        assert positions == sorted(positions), "the parts are out of the letter's order"


def test_the_letter_without_a_consequence_states_the_default_one(client, staff, switch_to):
    from portal.services.reprimands.letter import DEFAULT_CONSEQUENCE

    reprimand = ReprimandFactory(issuer=staff["labour_head"], consequence=None)
    db.session.commit()
    switch_to(staff["labour_head"])
    text = _letter_text(client, reprimand)
    assert f"Konsekuensi: {DEFAULT_CONSEQUENCE}" in text
    assert "Lampiran : -" in text  # nothing cited, nothing attached


def test_reprimand_pages_run_a_fixed_number_of_queries(client, staff, switch_to, count_queries):
    switch_to(staff["labour_head"])
    first = ReprimandFactory()
    db.session.commit()

    def measure(reprimand_id):
        counts = []
        for url in (
            "/disnaker/reprimands",
            f"/disnaker/reprimands/{reprimand_id}",
            "/disnaker/reprimands/new?agency=bpjs",
        ):
            db.session.expire_all()
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    few = measure(first.id)
    big = ReprimandFactory()
    for _ in range(8):
        big.complaints.append(OpenComplaintFactory())
        big.enrolment_requests.append(SlowEnrolmentFactory())
        big.events.append(ReprimandEvent(actor_id=staff["labour_head"].id, to_state="issued"))
        ReprimandFactory()
    db.session.commit()
    assert measure(big.id) == few
    print(f"reprimand list, detail, new: {few} queries")


def test_a_taken_letter_number_is_skipped_not_duplicated(client, staff, switch_to):
    year = date.today().year
    # A letter entered by hand earlier holds number 001 without a sequence.
    ReprimandFactory(letter_year=None, letter_seq=None, letter_number=f"800/001/DPMTK-TEG/{year}")
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    response = client.post(
        "/disnaker/reprimands/new?agency=bpjs",
        data={**reprimand_form(), "complaint_ids": [complaint.id]},
    )
    assert response.status_code == 302
    newest = db.session.scalar(select(Reprimand).order_by(Reprimand.id.desc()))
    assert newest.letter_number == f"800/002/DPMTK-TEG/{year}"
