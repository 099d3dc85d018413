"""Dues, payments (one by one and by file), arrears with the late fine, lapsing."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from portal.domain.clock import today_wib
from portal.domain.money import format_rupiah
from portal.extensions import db
from portal.models import AuditEvent, BpjsUpload, ContributionPayment, DayOff, Membership
from portal.services.audit.trail import verify_chain
from portal.services.membership import dues
from portal.services.membership import payments as contrib
from portal.services.membership import uploads as bpjs_uploads
from tests.factories import EmploymentFactory, WorkerFactory
from tests.factories_bpjs import MembershipFactory, PaymentFactory


def _pay(client, **overrides):
    data = {
        "kpj": "",
        "period": "2026-01",
        "amount": "277200",
        "paid_on": "2026-02-10",
        "channel": "bank",
    }
    data.update(overrides)
    return client.post("/bpjs/payments/new", data=data)


def _payments() -> int:
    return db.session.scalar(select(func.count()).select_from(ContributionPayment))


def test_officer_records_a_payment(client, officer):
    m = MembershipFactory()
    db.session.commit()
    response = _pay(client, kpj=m.kpj)
    assert response.status_code == 302
    payment = db.session.scalar(select(ContributionPayment))
    assert (payment.period, payment.amount, payment.recorded_by_id) == (
        "2026-01",
        277_200,
        officer.id,
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contribution.paid"))


def test_payment_for_an_unknown_kpj_is_refused_next_to_the_kpj(client, officer):
    response = _pay(client, kpj="99999999999")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "99999999999" in html and 'id="kpj-error"' in html
    assert _payments() == 0


def test_a_month_already_paid_is_refused_and_kept_once(client, officer):
    m = MembershipFactory()
    PaymentFactory(membership=m, period="2026-01")
    db.session.commit()
    response = _pay(client, kpj=m.kpj, period="2026-01")
    assert response.status_code == 400
    assert 'id="period-error"' in response.get_data(as_text=True)
    assert _payments() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("period", "2026-13"),
        ("period", "2025-12"),
        ("amount", "0"),
        ("amount", "abc"),
        ("paid_on", "2999-01-01"),
        ("kpj", "12ab"),
    ],
)
def test_bad_payment_input_is_refused_with_the_input_kept(client, officer, field, value):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    response = _pay(client, **{"kpj": m.kpj, field: value})
    assert response.status_code == 400
    assert value in response.get_data(as_text=True)
    assert _payments() == 0


@pytest.mark.parametrize(
    "category,income,jht,jp,dues",
    [("PU", 3_000_000, True, True, 277_200), ("BPU", 1_000_000, False, False, 16_800)],
)
def test_an_amount_below_the_months_dues_is_refused_next_to_the_amount(
    client, officer, category, income, jht, jp, dues
):
    m = MembershipFactory(
        category=category,
        monthly_amount=income,
        with_jht=jht,
        with_jp=jp,
        funding_source="employer" if category == "PU" else "self",
    )
    db.session.commit()
    response = _pay(client, kpj=m.kpj, amount=str(dues - 1))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="amount-error"' in html
    assert format_rupiah(dues) in html  # the message names the month's dues
    assert str(dues - 1) in html  # the input is kept
    assert _payments() == 0
    assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contribution.paid"))
    # The full amount (or more: the branch settles a surplus itself) is accepted.
    assert _pay(client, kpj=m.kpj, amount=str(dues)).status_code == 302
    assert _pay(client, kpj=m.kpj, period="2026-02", amount=str(dues + 500)).status_code == 302
    assert _payments() == 2


def test_funded_members_pay_nothing_themselves(client, officer):
    m = MembershipFactory(
        funding_source="apbd",
        employment=None,
        business=None,
        worker=EmploymentFactory().worker,
        category="rentan",
        monthly_amount=1_000_000,
        with_jht=False,
        with_jp=False,
    )
    db.session.commit()
    assert _pay(client, kpj=m.kpj).status_code == 400
    assert dues.monthly_due(m, date(2026, 1, 1)) == 0


def test_dues_use_the_same_contribution_module_as_the_preview(app):
    m = MembershipFactory(monthly_amount=5_000_000)
    bpu = MembershipFactory(
        category="BPU",
        funding_source="self",
        monthly_amount=1_000_000,
        with_jht=False,
        with_jp=False,
    )
    db.session.flush()
    assert dues.monthly_due(m, date(2026, 3, 1)) == 462_000
    assert dues.monthly_due(bpu, date(2026, 3, 1)) == 16_800


def test_employer_dues_fall_due_on_the_15th_of_next_month_moved_past_days_off(app):
    m = MembershipFactory()
    db.session.flush()
    # 15 Mar 2026 is a Sunday: due on Monday 16 Mar; an admin day off on 16 Mar moves it on.
    assert dues.due_date(m, date(2026, 2, 1)) == date(2026, 3, 16)
    db.session.add(DayOff(day=date(2026, 3, 16), kind="local", description="Cap Go Meh lokal"))
    db.session.flush()
    from flask import g

    g.pop("_working_calendar", None)
    assert dues.due_date(m, date(2026, 2, 1)) == date(2026, 3, 17)


def test_late_fine_is_two_percent_per_started_month(app):
    assert dues.months_late(date(2026, 3, 16), date(2026, 3, 16)) == 0
    assert dues.months_late(date(2026, 3, 16), date(2026, 3, 20)) == 1
    assert dues.months_late(date(2026, 3, 16), date(2026, 4, 10)) == 1
    assert dues.months_late(date(2026, 3, 16), date(2026, 4, 17)) == 2
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.flush()
    rows = dues.schedule(m, {}, today=date(2026, 4, 20))
    january = next(r for r in rows if r.period == "2026-01")
    # due 16 Feb 2026; on 20 Apr: Feb (partial) + Mar + Apr (started) = 3 months late
    assert january.months_late == 3
    assert january.fine == round(277_200 * 0.02) * 3


def test_arrears_per_business_show_months_amounts_and_fine(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    PaymentFactory(membership=m, period="2026-01")
    db.session.commit()
    page = client.get("/bpjs/arrears")
    assert page.status_code == 200
    assert m.business.name in page.get_data(as_text=True)
    detail = client.get(f"/bpjs/arrears/{m.business_id}").get_data(as_text=True)
    assert "2026-02" in detail and "2026-01" not in detail


def test_arrears_page_runs_a_fixed_number_of_queries(client, officer, count_queries):
    MembershipFactory()
    db.session.commit()
    with count_queries() as few:
        client.get("/bpjs/arrears")
    for _ in range(8):
        MembershipFactory()
    db.session.commit()
    with count_queries() as many:
        client.get("/bpjs/arrears")
    assert few.count == many.count


def test_membership_page_shows_dues_payments_and_arrears(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    PaymentFactory(membership=m, period="2026-01", amount=277_200)
    db.session.commit()
    html = client.get(f"/bpjs/memberships/{m.id}").get_data(as_text=True)
    assert m.kpj in html and "2026-01" in html and "Rp 277.200" in html


def test_membership_list_filters_and_runs_fixed_queries(client, officer, count_queries):
    m = MembershipFactory()
    db.session.commit()
    assert m.worker.full_name in client.get(f"/bpjs/memberships?q={m.kpj}").get_data(as_text=True)
    with count_queries() as few:
        client.get("/bpjs/memberships?state=active")
    for _ in range(6):
        MembershipFactory()
    db.session.commit()
    with count_queries() as many:
        client.get("/bpjs/memberships?state=active")
    assert few.count == many.count


# --- Lapsing -------------------------------------------------------------------------------


def _self_paid(**kw) -> Membership:
    """A self-paid (BPU) membership: the only kind that lapses for unpaid months."""
    values = dict(
        employment=None,
        worker=WorkerFactory(),
        business=None,
        category="BPU",
        monthly_amount=1_000_000,
        risk_class=None,
        with_jht=False,
        with_jp=False,
        funding_source="self",
        start_date=date(2026, 1, 1),
    )
    return MembershipFactory(**(values | kw))


def test_sweep_lapses_unpaid_past_grace_and_reactivates_when_paid(app):
    m = _self_paid()
    db.session.commit()
    # A self-paid member pays January by 15 Jan; grace 30 days → lapses after 14 Feb.
    assert contrib.sweep(today=date(2026, 2, 14))["lapsed"] == 0
    assert contrib.sweep(today=date(2026, 2, 15))["lapsed"] == 1
    assert m.state == "lapsed" and m.lapsed_at == date(2026, 2, 15)
    assert contrib.sweep(today=date(2026, 2, 15))["lapsed"] == 0  # idempotent
    PaymentFactory(membership=m, period="2026-01", amount=16_800)
    db.session.flush()
    assert contrib.sweep(today=date(2026, 2, 15))["active"] == 1
    assert m.state == "active"


def test_pp_44_2015_jo_pp_82_2019_employer_arrears_never_lapse_the_worker(app):
    """A wage earner's cover stays under the employer's arrears: BPJS pays the benefit and
    recovers it from the employer. The sweep never lapses an employer-paid membership and
    makes one lapsed before this rule active again (audited); the arrears stay the
    employer's."""
    owed = MembershipFactory(start_date=date(2025, 1, 1))
    old = MembershipFactory(start_date=date(2025, 1, 1), state="lapsed", lapsed_at=date(2025, 4, 1))
    db.session.commit()
    counts = contrib.sweep(today=date(2026, 12, 5))
    assert counts["lapsed"] == 0 and counts["active"] == 1
    assert owed.state == "active" and old.state == "active" and old.lapsed_at is None
    assert owed.protects_worker
    rows = dues.schedule(owed, {}, date(2026, 12, 5))
    assert dues.arrears_of(rows).months == 22  # Jan 2025 – Oct 2026 past due: the employer's
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.active"))


def test_sweep_reads_a_chunk_again_when_an_officer_changed_it_meanwhile(app, monkeypatch):
    m = _self_paid()
    db.session.commit()
    version = m.version
    real_payments = contrib.payments_by_membership
    calls = []

    def officer_edits_first(ids):
        # Between the sweep's read and its write, someone else saves the membership.
        ids = list(ids)
        if not calls:
            db.session.execute(
                text("UPDATE memberships SET version = version + 1 WHERE id = :id"), {"id": m.id}
            )
        calls.append(ids)
        return real_payments(ids)

    monkeypatch.setattr(contrib, "payments_by_membership", officer_edits_first)
    assert contrib.sweep(today=date(2026, 2, 15))["lapsed"] == 1
    assert len(calls) == 2  # the stale chunk was read a second time
    db.session.commit()
    db.session.expire_all()
    fresh = db.session.get(Membership, m.id)
    assert fresh.state == "lapsed" and fresh.version == version + 2


def test_grace_period_is_a_setting(app):
    from portal.models import Setting

    db.session.get(Setting, "membership_grace_days").value = "60"
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    contrib.sweep(today=date(2026, 3, 20))
    assert m.state == "active"


def test_sweep_ends_membership_when_employment_ended(app):
    employment = EmploymentFactory(end_date=date(2026, 2, 28))
    m = MembershipFactory(employment=employment, start_date=date(2026, 1, 1))
    db.session.commit()
    contrib.sweep(today=date(2026, 3, 5))
    assert (m.state, m.end_date) == ("ended", date(2026, 2, 28))


def test_membership_sweep_cli_is_top_level_and_idempotent(app, runner):
    _self_paid(start_date=date(2025, 1, 1))
    db.session.commit()
    first = runner.invoke(args=["membership-sweep"])
    assert first.exit_code == 0, first.output
    assert "lapsed 1" in first.output
    second = runner.invoke(args=["membership-sweep"])
    assert "lapsed 0" in second.output


# --- Upload ----------------------------------------------------------------------------------


def _csv(rows: list[str]) -> io.BytesIO:
    return io.BytesIO(("kpj,period,amount,paid_on,channel\n" + "\n".join(rows)).encode())


def test_payment_upload_dry_run_saves_nothing_then_confirm_imports(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    file = _csv(
        [f"{m.kpj},2026-01,277200,2026-02-10,bank", f"{m.kpj},2026-02,277200,2026-03-10,bank"]
    )
    response = client.post(
        "/bpjs/payments/upload",
        data={"file": (file, "bayar.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _payments() == 0
    upload = db.session.scalar(select(BpjsUpload))
    review = client.get(f"/bpjs/uploads/{upload.id}").get_data(as_text=True)
    assert "Confirm" in review or "Konfirmasi" in review
    assert client.post(f"/bpjs/uploads/{upload.id}/confirm").status_code == 302
    assert _payments() == 2
    # A second confirm cannot import twice.
    client.post(f"/bpjs/uploads/{upload.id}/confirm")
    assert _payments() == 2


def _paid_up_file(members, months=("2026-01", "2026-02")) -> list[str]:
    return [f"{m.kpj},{p},277200,2026-03-10,bank" for m in members for p in months]


def test_confirming_a_payment_file_runs_a_fixed_number_of_queries(client, officer, count_queries):
    # Members who joined last month pay last month: nobody changes state (a state change is
    # one more UPDATE and audit event per membership, whatever the file).
    last_month = dues.add_months(today_wib().replace(day=1), -1)
    members = [MembershipFactory(start_date=last_month) for _ in range(8)]
    db.session.commit()
    period = last_month.strftime("%Y-%m")
    line = "{},{},277200,{},bank"
    paid_on = last_month.replace(day=10).isoformat()
    small = _upload_payments(client, [line.format(members[0].kpj, period, paid_on)])
    large = _upload_payments(client, [line.format(m.kpj, period, paid_on) for m in members[1:]])
    counts = []
    for upload_id in (small.id, large.id):
        db.session.expunge_all()  # each request starts from an empty session, as in production
        with count_queries() as counter:
            assert client.post(f"/bpjs/uploads/{upload_id}/confirm").status_code == 302
        counts.append(counter.count)
    assert _payments() == 8
    assert counts[0] == counts[1]


def test_a_payment_file_audits_every_payment_and_reactivates_paid_up_members(client, officer):
    lapsed = MembershipFactory(
        start_date=date(2026, 1, 1), state="lapsed", lapsed_at=date(2026, 3, 1)
    )
    db.session.commit()
    months = [f"2026-{m:02d}" for m in range(1, today_wib().month + 1)]
    upload = _upload_payments(client, _paid_up_file([lapsed], months))
    assert client.post(f"/bpjs/uploads/{upload.id}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, lapsed.id).state == "active"
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("contribution.paid") == len(months)
    assert actions.count("membership.active") == 1
    assert actions[-1] == "upload.confirmed"
    assert verify_chain() is None  # events written in bulk keep the hash chain intact


def test_a_month_recorded_meanwhile_makes_the_whole_file_fail(client, officer, monkeypatch):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    upload = _upload_payments(client, _paid_up_file([m]))
    # Another officer's transaction records February; this confirmation read the payments
    # before that committed (simulated: its reads see no payment), so only the unique
    # constraint can tell, on insert.
    PaymentFactory(membership=m, period="2026-02")
    db.session.commit()
    real_lookup = contrib.payment_lookup

    def read_before_the_other_commit(kpjs):
        lookup = real_lookup(kpjs)
        return contrib.PaymentLookup(lookup.memberships, frozenset())

    monkeypatch.setattr(contrib, "payment_lookup", read_before_the_other_commit)
    monkeypatch.setattr(bpjs_uploads, "payment_lookup", read_before_the_other_commit)
    response = client.post(f"/bpjs/uploads/{upload.id}/confirm", follow_redirects=True)
    assert "baru saja dicatat oleh orang lain" in response.get_data(as_text=True)
    assert _payments() == 1  # only the other officer's: nothing from the file


def test_payment_upload_with_bad_rows_reports_each_and_cannot_be_confirmed(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    PaymentFactory(membership=m, period="2026-01")
    db.session.commit()
    file = _csv(
        [
            f"{m.kpj},2026-01,277200,2026-02-10,bank",  # already paid
            "11111111111,2026-02,277200,2026-03-10,bank",  # unknown KPJ
            f"{m.kpj},2026-03,277200,2026-04-10,bank",  # fine
            f"{m.kpj},2026-03,277200,2026-04-10,bank",  # duplicate in file
        ]
    )
    client.post(
        "/bpjs/payments/upload", data={"file": (file, "b.csv")}, content_type="multipart/form-data"
    )
    upload = db.session.scalar(select(BpjsUpload))
    assert upload.error_count == 3
    assert client.post(f"/bpjs/uploads/{upload.id}/confirm").status_code == 302
    assert _payments() == 1
    report = client.get(f"/bpjs/uploads/{upload.id}/report.xlsx")
    sheet = load_workbook(io.BytesIO(report.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The report's own columns are in the user's language; the file's columns keep the names
    # the importer reads, so a corrected report can be uploaded again.
    assert rows[0] == (
        "Baris",
        "Nomor KPJ",
        "Bulan Iuran (contoh 03-2026)",
        "Jumlah Dibayar (Rp)",
        "Tanggal Bayar (DD-MM-YYYY)",
        "Saluran",
        "Kesalahan",
    )
    assert sheet.title == "Laporan"
    assert rows[1][-1] and not rows[3][-1] and rows[2][-1]


def test_payment_upload_with_an_underpaid_month_is_reported_and_saves_nothing(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    file = _csv(
        [
            f"{m.kpj},2026-01,277200,2026-02-10,bank",
            f"{m.kpj},2026-02,200000,2026-03-10,bank",  # below the dues of Rp 277.200
        ]
    )
    client.post(
        "/bpjs/payments/upload", data={"file": (file, "b.csv")}, content_type="multipart/form-data"
    )
    upload = db.session.scalar(select(BpjsUpload))
    assert upload.error_count == 1
    review = client.get(f"/bpjs/uploads/{upload.id}").get_data(as_text=True)
    bad_row = review[
        review.index('data-line="3"') : review.index("</tr>", review.index('data-line="3"'))
    ]
    assert (
        "table-danger" in review and "Jumlah Dibayar (Rp):" in bad_row and "Rp 277.200" in bad_row
    )
    client.post(f"/bpjs/uploads/{upload.id}/confirm")
    assert _payments() == 0


def _upload_payments(client, rows: list[str]) -> BpjsUpload:
    response = client.post(
        "/bpjs/payments/upload",
        data={"file": (_csv(rows), "bayar.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1000:]
    return db.session.scalar(select(BpjsUpload).order_by(BpjsUpload.id.desc()))


def test_payment_review_page_shows_one_page_errors_first_and_reports_every_row(
    client, officer, app
):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    good = f"{m.kpj},2026-01,277200,2026-02-10,bank"  # line 2, the only correct row
    bad = [f"{80_000_000_000 + i},2026-01,277200,2026-02-10,bank" for i in range(10_000)]
    upload = _upload_payments(client, [good, *bad])
    assert (upload.row_count, upload.error_count) == (10_001, 10_000)
    size = app.config["PAGE_SIZE"]

    first = client.get(f"/bpjs/uploads/{upload.id}").get_data(as_text=True)
    assert first.count("data-line=") == size  # one page, not 10,001 rows
    assert first.count('class="table-danger"') == size  # rows in error come first
    assert 'data-line="2"' not in first
    assert 'data-bad-rows="10000"' in first
    assert "page=2" in first  # the pager leads to the other rows

    last_page = -(-10_001 // size)
    last = client.get(f"/bpjs/uploads/{upload.id}?page={last_page}").get_data(as_text=True)
    assert 'data-line="2"' in last  # the correct row is shown after every row in error

    sheet = load_workbook(
        io.BytesIO(client.get(f"/bpjs/uploads/{upload.id}/report.xlsx").data), read_only=True
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 10_001  # the download reports every row
    assert sum(1 for row in rows[1:] if row[-1]) == 10_000


def test_payment_review_page_runs_a_fixed_number_of_queries(client, officer, count_queries):
    members = [MembershipFactory(start_date=date(2026, 1, 1)) for _ in range(6)]
    PaymentFactory(membership=members[0], period="2026-01")
    db.session.commit()
    small = _upload_payments(client, [f"{members[1].kpj},2026-01,277200,2026-02-10,bank"])
    rows = [f"{m.kpj},{p},277200,2026-02-10,bank" for m in members for p in ("2026-01", "2026-02")]
    rows += [
        "11111111111,2026-01,277200,2026-02-10,bank",
        f"{members[2].kpj},2026-03,1,2026-02-10,bank",
    ]
    large = _upload_payments(client, rows)
    assert large.error_count == 3  # already paid, unknown KPJ, underpaid
    counts = []
    for upload in (small, large):
        with count_queries() as counter:
            assert client.get(f"/bpjs/uploads/{upload.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_review_and_confirm_check_the_stored_rows_without_reading_the_file_again(
    client, officer, monkeypatch
):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    upload = _upload_payments(client, [f"{m.kpj},2026-01,277200,2026-02-10,bank"])
    assert upload.rows == [
        {
            "kpj": m.kpj,
            "period": "2026-01",
            "amount": "277200",
            "paid_on": "2026-02-10",
            "channel": "bank",
            "_line": "2",
        }
    ]

    def no_second_read(*args, **kwargs):
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(bpjs_uploads, "read_rows", no_second_read)
    review = client.get(f"/bpjs/uploads/{upload.id}").get_data(as_text=True)
    assert 'data-line="2"' in review
    assert client.get(f"/bpjs/uploads/{upload.id}/report.xlsx").status_code == 200
    assert client.post(f"/bpjs/uploads/{upload.id}/confirm").status_code == 302
    assert _payments() == 1


def test_payment_upload_accepts_xlsx(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    wb = Workbook()
    ws = wb.active
    ws.append(["kpj", "period", "amount", "paid_on", "channel"])
    ws.append([m.kpj, "2026-01", 277200, date(2026, 2, 10), "bank"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    client.post(
        "/bpjs/payments/upload", data={"file": (out, "b.xlsx")}, content_type="multipart/form-data"
    )
    upload = db.session.scalar(select(BpjsUpload))
    assert upload.error_count == 0 and upload.row_count == 1


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced (damaged or hostile)."""
    wb = Workbook()
    wb.active.append(["kpj", "period", "amount", "paid_on", "channel"])
    good = io.BytesIO()
    wb.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content,name",
    [
        (b"\xff\xfe\x00garbage", "x.csv"),
        (b"a,b\n1,2\n", "x.csv"),
        (b"PK\x03\x04broken", "x.xlsx"),
        (_xlsx_with_sheet(b"<worksheet><sheetData><row"), "broken-xml.xlsx"),
        (_xlsx_with_sheet(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'), "entities.xlsx"),
        (b"", "x.csv"),
        (b"kpj,period", "x.txt"),
    ],
)
def test_unreadable_upload_is_refused_next_to_the_file_field(client, officer, content, name):
    response = client.post(
        "/bpjs/payments/upload",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(BpjsUpload)) == 0


def test_another_officer_cannot_see_or_confirm_my_upload(client, officer, auth, other_officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    client.post(
        "/bpjs/payments/upload",
        data={"file": (_csv([f"{m.kpj},2026-01,277200,2026-02-10,bank"]), "b.csv")},
        content_type="multipart/form-data",
    )
    upload_id = db.session.scalar(select(BpjsUpload.id))
    auth.logout()
    auth.login(other_officer)
    assert client.get(f"/bpjs/uploads/{upload_id}").status_code == 404
    assert client.post(f"/bpjs/uploads/{upload_id}/confirm").status_code == 404
    assert _payments() == 0
    assert db.session.get(Membership, m.id) is not None


def test_upload_with_absurd_amount_is_reported_not_a_crash(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    file = _csv([f"{m.kpj},2026-01,{10**30},2026-02-10,bank"])
    response = client.post(
        "/bpjs/payments/upload",
        data={"file": (file, "b.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(BpjsUpload.error_count)) == 1


def test_arrears_export_lists_unpaid_months_and_escapes_formulas(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    m.worker.full_name = "=HYPERLINK(1)"
    PaymentFactory(membership=m, period="2026-01")
    db.session.commit()
    response = client.get(f"/bpjs/arrears/{m.business_id}/export?fmt=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Tunggakan"
    assert rows[0][:4] == ("KPJ", "Pekerja", "Periode", "Jumlah")
    periods = {row[2] for row in rows[1:]}
    assert "2026-02" in periods and "2026-01" not in periods
    assert all(row[1] == "'=HYPERLINK(1)" for row in rows[1:])
    assert client.get("/bpjs/arrears/999/export").status_code == 404
