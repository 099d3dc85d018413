"""Receiving complaints and letting reporters follow them without an account.

Tracking codes are `LPR-` plus 10 symbols drawn with `secrets` from 31 symbols without
look-alikes (no 0/O, 1/I/L): about 49 bits, not guessable. Looking a complaint up needs the
code *and* the reporter's phone or email; a wrong pair answers exactly like an unknown code.
Attachments are accepted by their content (JPEG, PNG, PDF: first bytes, then the whole file
opened), never by name or browser type.
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import wib_day
from ...extensions import db
from ...models import (
    Agency,
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    User,
)
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import ServiceError
from ..reference.lookups import setting_int, working_calendar

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, no 0 O 1 I L
CODE_LENGTH = 10
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
DESCRIPTION_MIN = 20
DESCRIPTION_MAX = 5000

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class IntakeError(ServiceError):
    """Input the service refuses; `field` names the form field the message belongs to."""


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def verify_working_days() -> int:
    """Working days the labour office has to verify a new report (an admin setting)."""
    return setting_int("complaint_verify_working_days", 3)


def new_tracking_code() -> str:
    return "LPR-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_phone(phone: str | None) -> str:
    """Digits only, Indonesian prefix folded: +62 812…, 62812…, 0812… all become 0812…."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None when not accepted."""
    for magic, content_type, ext in _SIGNATURES:
        if data.startswith(magic):
            return content_type, ext
    return None


def is_whole(data: bytes, content_type: str) -> bool:
    """Whether the file is what its first bytes claim, all the way through.

    Images are opened and verified by Pillow (which also refuses decompression bombs); a PDF
    must end with its end-of-file marker. A file that only starts like a JPEG is refused.
    """
    if content_type == "application/pdf":
        return b"%%EOF" in data[-1024:]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many types for damaged or hostile files
        return False
    return True


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    """Each accepted upload with its real type; raises IntakeError on the first bad one."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise IntakeError(
            "attachments", str(_l("At most %(n)d files may be attached.", n=MAX_ATTACHMENTS))
        )
    limit = MAX_ATTACHMENT_BYTES
    if has_app_context():
        limit = current_app.config.get("COMPLAINT_ATTACHMENT_MAX_BYTES", limit)
    checked = []
    for upload in uploads:
        if len(upload.data) > limit:
            raise IntakeError(
                "attachments",
                str(
                    _l(
                        "%(name)s is larger than %(mb)s MB.",
                        name=upload.filename,
                        mb=f"{limit / 1024 / 1024:g}",
                    )
                ),
            )
        found = sniff(upload.data)
        if found is None or not is_whole(upload.data, found[0]):
            raise IntakeError(
                "attachments",
                str(
                    _l(
                        "%(name)s is not a JPEG or PNG image or a PDF document.",
                        name=upload.filename,
                    )
                ),
            )
        checked.append((upload, *found))
    return checked


def _safe_filename(name: str, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name.rsplit(".", 1)[0])[:80].strip("._") or "lampiran"
    return f"{stem}.{ext}"


def submit_complaint(
    *,
    category_code: str,
    agency_id: int,
    subject: str,
    description: str,
    reporter_name: str,
    reporter_phone: str | None,
    reporter_email: str | None,
    hide_identity: bool,
    uploads: list[Upload],
    reporter_user: User | None = None,
    now: datetime | None = None,
    channel: str | None = None,
) -> Complaint:
    """Store a new complaint (state `submitted`) with its attachments and first event.

    Anyone may call it: the public, business owners and staff. Sets `verify_due` from the
    working calendar. `channel` names another system that passed the complaint on (Open311):
    the audit event is then that system's. Raises IntakeError for an unknown category or
    agency, a description that is empty or too long, missing contact details or a refused
    attachment; nothing is added to the session in that case. The caller commits.
    """
    description = (description or "").strip()
    if len(description) < DESCRIPTION_MIN:
        raise IntakeError(
            "description",
            str(_l("Describe the problem in at least %(n)d characters.", n=DESCRIPTION_MIN)),
        )
    if len(description) > DESCRIPTION_MAX:
        raise IntakeError(
            "description",
            str(_l("The description may be at most %(n)d characters.", n=DESCRIPTION_MAX)),
        )
    phone = normalise_phone(reporter_phone) or None
    email = normalise_email(reporter_email) or None
    if not phone and not email:
        raise IntakeError(
            "reporter_phone", str(_l("Give a phone number or an email address to follow up."))
        )
    category = db.session.get(ComplaintCategory, category_code)
    if category is None or not category.active:
        raise IntakeError("category", str(_l("Choose a category from the list.")))
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise IntakeError("agency", str(_l("Choose an agency from the list.")))
    checked = check_uploads(uploads)

    now = now or utcnow()
    cal = working_calendar()
    complaint = Complaint(
        reporter_user_id=reporter_user.id if reporter_user else None,
        reporter_name=reporter_name.strip()[:120],
        reporter_phone=phone,
        reporter_email=email,
        hide_identity=hide_identity,
        category_code=category.code,
        agency_id=agency.id,
        subject=subject.strip()[:200],
        description=description,
        submitted_at=now,
        verify_due=cal.add_working_days(wib_day(now), verify_working_days()),
    )
    for _attempt in range(5):  # a collision in 31**10 codes is practically impossible
        complaint.tracking_code = new_tracking_code()
        try:
            with db.session.begin_nested():
                db.session.add(complaint)
            break
        except IntegrityError:  # the savepoint rollback expunged the row: draw again
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a tracking code")
    for upload, content_type, ext in checked:
        db.session.add(
            ComplaintAttachment(
                complaint_id=complaint.id,
                filename=_safe_filename(upload.filename, ext),
                content_type=content_type,
                size=len(upload.data),
                data=upload.data,
            )
        )
    db.session.add(
        ComplaintEvent(
            complaint_id=complaint.id,
            at=now,
            actor_id=reporter_user.id if reporter_user else None,
            actor_label="reporter",
            actor_kind="reporter",
            kind="submitted",
            to_state=complaint.state,
            public=True,
        )
    )
    record_event(
        "complaint.submitted",
        complaint,
        {
            "category": category.code,
            "agency": agency.code,
            "attachments": len(checked),
            "hide_identity": hide_identity,
            **({"channel": channel} if channel else {}),
        },
        actor=reporter_user,
        actor_label=None if reporter_user or channel else "public",
    )
    return complaint


def find_for_reporter(code: str, contact: str) -> Complaint | None:
    """The complaint with `code` if `contact` is its reporter's phone or email, else None.

    Public. Compares normalised values in constant time; an unknown code and a wrong contact
    give the same answer (None) after the same work.
    """
    code = (code or "").strip().upper()
    complaint = db.session.scalar(select(Complaint).where(Complaint.tracking_code == code))
    given_phone = normalise_phone(contact) if "@" not in (contact or "") else ""
    given_email = normalise_email(contact) if "@" in (contact or "") else ""
    stored_phone = (complaint.reporter_phone if complaint else None) or ""
    stored_email = (complaint.reporter_email if complaint else None) or ""
    phone_ok = hmac.compare_digest(
        given_phone.encode() or b"\x00", (stored_phone or "\x01").encode()
    )
    email_ok = hmac.compare_digest(
        given_email.encode() or b"\x00", (stored_email or "\x01").encode()
    )
    if complaint is None or not (phone_ok or email_ok):
        return None
    return complaint
