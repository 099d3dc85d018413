"""Factories for complaints, reprimands and notifications (issue 6)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import factory

from portal.models import Complaint, ComplaintEvent, EnrolmentRequest, Notification, Reprimand
from portal.services.complaints.intake import new_tracking_code

from .factories import BaseFactory, UserFactory, WorkerFactory, agency

_letter_seq = itertools.count(100)


class ComplaintFactory(BaseFactory):
    """A submitted complaint against BPJS (use `agency_code=` for another agency)."""

    class Meta:
        model = Complaint
        exclude = ("agency_code",)

    agency_code = "bpjs"
    tracking_code = factory.LazyFunction(new_tracking_code)
    reporter_name = "Ani Pelapor"
    reporter_phone = "081298765432"
    reporter_email = "ani@example.id"
    hide_identity = False
    category_code = "enrolment_slow"
    agency_id = factory.LazyAttribute(lambda o: agency(o.agency_code).id)
    subject = factory.Sequence(lambda n: f"Pendaftaran tidak diproses {n}")
    description = "Sudah tiga minggu pendaftaran pekerja kami belum diproses oleh kantor cabang."
    state = "submitted"
    submitted_at = factory.LazyFunction(lambda: datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    verify_due = date(2026, 3, 5)


class OpenComplaintFactory(ComplaintFactory):
    """A verified complaint whose resolution clock started on `sla_started_on`."""

    state = "assigned"
    verified_at = factory.LazyFunction(lambda: datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    sla_started_on = date(2026, 3, 2)
    sla_due = date(2026, 3, 9)  # 5 working days after Monday 2 March 2026


class ComplaintEventFactory(BaseFactory):
    class Meta:
        model = ComplaintEvent

    complaint = factory.SubFactory(ComplaintFactory)
    actor_label = "reporter"
    actor_kind = "reporter"
    kind = "submitted"
    to_state = "submitted"
    public = True


class ReprimandFactory(BaseFactory):
    class Meta:
        model = Reprimand
        exclude = ("agency_code", "issuer")

    agency_code = "bpjs"
    issuer = factory.SubFactory(UserFactory, role="labour_head")
    letter_year = 2026
    letter_seq = factory.LazyFunction(lambda: next(_letter_seq))
    letter_number = factory.LazyAttribute(lambda o: f"800/{o.letter_seq:03d}/DPMTK-TEG/2026")
    issuing_agency_id = factory.LazyAttribute(lambda o: agency("disnaker").id)
    addressed_agency_id = factory.LazyAttribute(lambda o: agency(o.agency_code).id)
    level = 1
    subject = "Keterlambatan penanganan pengaduan"
    finding = "Tiga pengaduan melewati batas waktu penyelesaian."
    required_action = "Selesaikan pengaduan dan tetapkan petugas penanggung jawab."
    deadline = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
    state = "issued"
    created_by_id = factory.LazyAttribute(lambda o: o.issuer.id)
    issued_by_id = factory.LazyAttribute(lambda o: o.issuer.id)
    issued_at = factory.LazyFunction(lambda: datetime.now(UTC))


class SlowEnrolmentFactory(BaseFactory):
    """An enrolment request BPJS has not decided although its deadline passed."""

    class Meta:
        model = EnrolmentRequest

    worker = factory.SubFactory(WorkerFactory)
    category = "BPU"
    monthly_amount = 1_000_000
    monthly_contribution = 16_800
    state = "submitted"
    submitted_at = factory.LazyFunction(lambda: datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    sla_due = date(2026, 1, 12)


class NotificationFactory(BaseFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory, role="bpjs_officer")
    kind = "reminder"
    message = factory.Sequence(lambda n: f"Pengingat {n}")
