"""Open311 GeoReport v2 for complaints: the public list (no personal data) and filing a
complaint from another channel (SP4N-LAPOR!, city apps) through the public form's intake.

Field names and the error format (an array of {code, description}) follow the
specification; JSON only. The agency concerned is the service attribute `agency`.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..models import ApiScope
from ..services.complaints.feed import (
    active_categories,
    active_category,
    agency_by_code,
    public_request,
    public_requests,
)
from ..services.complaints.intake import submit_complaint, verify_working_days
from ..services.reference.choices import agency_codes
from ..web.access import public
from ..web.api import ApiRefusal, api_scope, current_client, run_command
from . import open311_bp as bp
from . import serialise
from .common import answer, instant_arg

CHANGESET = "2026-12-05T00:00:00Z"
#: Every parameter of a GeoReport v2 POST; anything else is refused.
POST_FIELDS = frozenset(
    {
        "api_key",
        "jurisdiction_id",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "attribute[agency]",
        "attribute[hide_identity]",
    }
)


def _english() -> bool:
    return str(get_locale() or "id") == "en"


@bp.route("/discovery.json")
@public
def discovery():
    return answer(
        {
            "changeset": CHANGESET,
            "contact": "Dinas Tenaga Kerja Kota Singkawang",
            "key_service": _("API keys are issued by the portal's administrator."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": url_for("open311.services", _external=True).rsplit("/", 1)[0],
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@bp.route("/services.json")
@public
def services():
    english = _english()
    return answer(
        [
            {
                "service_code": c.code,
                "service_name": c.name_en if english else c.name_id,
                "description": c.name_en if english else c.name_id,
                "metadata": True,
                "type": "batch",
                "keywords": "",
                "group": "complaints",
            }
            for c in active_categories()
        ]
    )


@bp.route("/services/<service_code>.json")
@public
def service_definition(service_code: str):
    category = active_category(service_code)
    return answer(
        {
            "service_code": category.code,
            "attributes": [
                {
                    "variable": True,
                    "code": "agency",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "datatype_description": _("The agency the complaint is about."),
                    "order": 1,
                    "description": _("Agency concerned"),
                    "values": [{"key": code, "name": name} for code, name in agency_codes()],
                },
                {
                    "variable": True,
                    "code": "hide_identity",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": _("true: the agency concerned does not see the name."),
                    "order": 2,
                    "description": _("Hide my name from the agency concerned"),
                    "values": [{"key": "true", "name": "true"}, {"key": "false", "name": "false"}],
                },
            ],
        }
    )


def _ids(raw: str | None) -> list[int] | None:
    if not raw:
        return None
    parts = [p.strip() for p in raw.split(",")]
    if not all(p.isdigit() and len(p) < 19 for p in parts) or len(parts) > 200:
        raise ApiRefusal(
            400, _("The input was refused."), [("service_request_id", _("Not found."))]
        )
    return [int(p) for p in parts]


@bp.route("/requests.json", endpoint="requests")
@public
def list_requests():
    english = _english()
    found = public_requests(
        ids=_ids(request.args.get("service_request_id")),
        service_code=request.args.get("service_code") or None,
        status=request.args.get("status") or None,
        start=instant_arg("start_date", 400),
        end=instant_arg("end_date", 400),
    )
    return answer([serialise.open311_request(c, english) for c in found])


@bp.route("/requests/<service_request_id>.json")
@public
def one_request(service_request_id: str):
    if not service_request_id.isdigit() or len(service_request_id) > 18:
        raise ApiRefusal(404, _("Not found."))
    return answer([serialise.open311_request(public_request(int(service_request_id)), _english())])


def _form_problems(form) -> list[tuple[str, str]]:
    problems = [(k, _("This field is not known here.")) for k in form if k not in POST_FIELDS]
    if len(form.getlist("attribute[agency]")) > 1:
        problems.append(("attribute[agency]", _("Choose an agency from the list.")))
    name = " ".join(p for p in (form.get("first_name"), form.get("last_name")) if p).strip()
    if not name:
        problems.append(("first_name", _("Write your name.")))
    email = (form.get("email") or "").strip()
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problems.append(("email", _("Enter a valid email address.")))
    if form.get("attribute[hide_identity]") not in (None, "", "true", "false"):
        problems.append(("attribute[hide_identity]", _("Choose one of: true, false.")))
    return problems


@bp.route("/requests.json", methods=["POST"], endpoint="create_request")
@api_scope(ApiScope.COMPLAINTS_WRITE.value, credential="api_key")
def create_request():
    """A new complaint through the public form's intake (`submit_complaint`): the same
    checks and messages; attachments are not taken over Open311 (media_url is ignored)."""
    form = request.form
    problems = _form_problems(form)
    if problems:
        raise ApiRefusal(400, _("The input was refused."), problems)
    agency = agency_by_code(form.get("attribute[agency]", ""))
    description = form.get("description", "")
    client = current_client()

    def intake():
        return submit_complaint(
            category_code=form.get("service_code", ""),
            agency_id=agency.id if agency else 0,
            subject=description.strip().splitlines()[0][:200] if description.strip() else "",
            description=description,
            reporter_name=" ".join(p for p in (form.get("first_name"), form.get("last_name")) if p),
            reporter_phone=form.get("phone"),
            reporter_email=form.get("email"),
            hide_identity=form.get("attribute[hide_identity]") == "true",
            uploads=[],
            channel=f"open311:{client.name}",
        )

    def created(complaint):
        return [
            {
                "service_request_id": str(complaint.id),
                "token": complaint.tracking_code,
                "service_notice": _(
                    "The labour office verifies new reports within %(days)d working days.",
                    days=verify_working_days(),
                ),
                "account_id": form.get("account_id") or None,
            }
        ]

    try:
        value, status, headers = run_command(intake, created, status=201)
    except ApiRefusal as refusal:
        if refusal.status == 422:  # input refused: named as the Open311 parameters
            refusal.problems = [(_open311_field(f), m) for f, m in refusal.problems]
        raise
    return answer(value, status, headers, etag=False)


def _open311_field(field: str | None) -> str | None:
    """The intake's field names as the Open311 parameters they came from."""
    return {
        "category": "service_code",
        "agency": "attribute[agency]",
        "reporter_phone": "phone",
        "reporter_email": "email",
        "reporter_name": "first_name",
    }.get(field or "", field)
