"""Flask-Admin at /admin, for the admin role only.

The `Admin` object is built inside `init_admin(app)` so a test suite can create many apps.
Every view is gated by `AdminOnly`; forms carry Flask-WTF's CSRF token (the app-wide
CSRFProtect checks it); every change writes an audit event (`services.administration`).
Like a blueprint, this module calls services: Flask-Admin's ModelView lists, creates and
edits its own model, everything else (the home page's figure, account checks, bulk actions)
is a service query or command.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime

import flask_admin.actions
import flask_admin.model.base
from flask import Flask, abort, flash, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_admin.theme import Bootstrap4Theme
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from .domain.programmes import parse_programmes
from .extensions import db
from .models import (
    Agency,
    AuditEvent,
    Business,
    BusinessScale,
    ComplaintCategory,
    DayOff,
    Occupation,
    ProgrammeRequirement,
    RateValue,
    Region,
    Role,
    Sector,
    Setting,
    User,
)
from .models.reference import DAY_OFF_KINDS
from .services.administration import (
    activate_accounts,
    deactivate_accounts,
    record_admin_change,
    save_account,
    unlock_accounts,
)
from .services.businesses.overview import pending_count
from .services.businesses.verification import verify_many
from .services.errors import ServiceError
from .services.reprimands.workflow import number_pattern_is_usable
from .web.fields import DayField, NipField, PhoneField
from .web.forms import PlaceholderSelect, PortalTranslations, attempt
from .web.redirects import is_safe_target

ROLE_LABELS = {
    Role.BUSINESS_OWNER: _l("Business owner"),
    Role.BPJS_OFFICER: _l("BPJS officer"),
    Role.BPJS_HEAD: _l("BPJS branch head"),
    Role.TRADE_OFFICER: _l("Trade office officer"),
    Role.TRADE_HEAD: _l("Trade office head"),
    Role.LABOUR_OFFICER: _l("Labour office officer"),
    Role.LABOUR_HEAD: _l("Labour office head"),
    Role.ADMIN: _l("Administrator"),
}
_SECRET_FIELDS = {"csrf_token", "password", "new_password", "password_hash"}
log = logging.getLogger(__name__)


def _is_admin() -> bool:
    return current_user.is_authenticated and current_user.role == Role.ADMIN


def _refuse():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


class AdminForm(FlaskForm):
    """Flask-WTF's CSRF token on every admin form, create/edit/delete/actions alike.

    Validator messages come out in the admin's language, as on the portal's own forms.
    """

    class Meta:
        def get_translations(self, form):
            return PortalTranslations()

    def __init__(self, *args, **kwargs):
        # Flask-Admin's Unique validator compares against the edited object kept here.
        self._obj = kwargs.get("obj")
        super().__init__(*args, **kwargs)


class AdminOnly:
    """Gate for every Flask-Admin view: admins only, anonymous users to the login page.

    The endpoint sweep (tests/integration/security) requires every Flask-Admin view to be an
    `AdminOnly`.
    """

    def is_accessible(self) -> bool:
        return _is_admin()

    def inaccessible_callback(self, name, **kwargs):
        return _refuse()


class SecureIndexView(AdminOnly, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/portal_index.html", pending_businesses=pending_count())


def _wib(view, value: datetime, name: str) -> str:
    """Timestamps as everywhere in the portal: WIB, to the minute (stored in UTC)."""
    return f"{format_datetime(value, 'dd MMM yyyy HH:mm')} WIB"


def _yes_no(view, value: bool, name: str) -> str:
    """Booleans as words, as on the portal's own tables: Flask-Admin draws an icon-font glyph,
    and the admin loads no icon font."""
    return _("Yes") if value else _("No")


def _return_target(param_name: str = "url") -> str | None:
    """Flask-Admin's "go back to" target (`url=`) under the portal's one redirect rule: its
    own check lets control characters through (`url=%0D` ended in a 500 on the Location
    header) and knows nothing of the browsers' repairs that `is_safe_target` refuses."""
    target = request.values.get(param_name)
    return target if is_safe_target(target) else None


# Flask-Admin reads the target through this module-level helper in both places it redirects.
flask_admin.model.base.get_redirect_target = _return_target
flask_admin.actions.get_redirect_target = _return_target

_BIGINT = 2**63
_LAST_PAGE = 1_000_000


def _key_or_none(model, raw) -> object | None:
    """`raw` (Flask-Admin's `?id=`) converted to the type of `model`'s single primary key, or
    None if it cannot be. A date key must be given as a date: SQLite refuses its text."""
    if not isinstance(raw, str) or "\x00" in raw:
        return None
    try:
        kind = model.__mapper__.primary_key[0].type.python_type
    except NotImplementedError:
        return raw
    try:
        if kind is int:
            value = int(raw)
            return value if -_BIGINT <= value < _BIGINT else None
        if kind is date:
            return date.fromisoformat(raw)
    except ValueError:
        return None
    return raw


class SecureModelView(AdminOnly, ModelView):
    """Admin-only, CSRF-protected, audited. Deleting is off unless a view allows it."""

    form_base_class = AdminForm
    column_type_formatters = {**typefmt.BASE_FORMATTERS, datetime: _wib, bool: _yes_no}
    column_type_formatters_detail = {**typefmt.DETAIL_FORMATTERS, datetime: _wib, bool: _yes_no}
    page_size = 50
    can_view_details = True
    can_delete = False
    can_set_page_size = False

    def _summary(self, form) -> dict:
        return {
            name: str(field.data)[:200]
            for name, field in form._fields.items()
            if name not in _SECRET_FIELDS and getattr(field, "object_data", None) != field.data
        }

    def on_model_change(self, form, model, is_created):
        record_admin_change(model, "created" if is_created else "updated", self._summary(form))

    def on_model_delete(self, model):
        record_admin_change(model, "deleted")

    def _get_list_extra_args(self):
        """Page numbers from the URL kept within what the database can offset: a negative
        page is the first, one past a million the millionth (PostgreSQL refuses a negative
        OFFSET and any OFFSET past 64 bits; SQLite the latter)."""
        args = super()._get_list_extra_args()
        return args.clone(page=min(max(args.page or 0, 0), _LAST_PAGE))

    def _keys(self, ids) -> list:
        """The ids of a list action's ticked rows that the primary key can hold (a forged
        `rowid` is dropped, not sent to the database)."""
        keys = (_key_or_none(self.model, i) for i in ids)
        return [k for k in keys if k is not None]

    def get_one(self, id):
        """None ("Record does not exist.") for an id the primary key cannot hold: a
        hand-edited `?id=` (text for a number or a date, a number past 64 bits) would
        otherwise reach the database driver and end in a 500."""
        if not isinstance(id, str):  # `?id=a&id=b`: Flask-Admin hands over a list
            return None
        if len(self.model.__mapper__.primary_key) != 1:
            return super().get_one(id)
        key = _key_or_none(self.model, id)
        return None if key is None else db.session.get(self.model, key)

    def handle_view_exception(self, exc: Exception) -> bool:
        """A service's refusal is shown as its message; a change the database refuses is
        explained, never shown as raw SQL. Flask-Admin then rolls back."""
        if isinstance(exc, ServiceError):
            flash(exc.message, "error")
            return True
        if isinstance(exc, IntegrityError):
            # The constraint's name says which rule; hide_parameters keeps row values out.
            log.warning("admin change refused by the database: %s", exc.orig)
            flash(
                _(
                    "Not saved: the change breaks a rule of the data "
                    "(a duplicate, or a value out of range)."
                ),
                "error",
            )
            return True
        return super().handle_view_exception(exc)


class UserAdmin(SecureModelView):
    """Accounts: create staff with a password, deactivate, reset password, unlock (forget
    failed logins, so no attempt waits).

    Accounts are never deleted (the audit log keeps its actors); the agency follows the role.
    """

    column_list = ("email", "name", "role", "agency", "active", "last_login_at")
    column_searchable_list = ("email", "name")
    column_filters = ("role", "active")
    column_formatters = {"role": lambda v, c, m, p: ROLE_LABELS.get(Role(m.role), m.role)}
    column_labels = {
        "email": _l("Email"),
        "name": _l("Name"),
        "role": _l("Role"),
        "agency": _l("Agency"),
        "active": _l("Active"),
        "last_login_at": _l("Last login"),
        "phone": _l("Phone"),
        "nip": _l("NIP"),
    }
    column_details_exclude_list = ("password_hash",)
    form_columns = ("email", "name", "phone", "nip", "role", "active", "new_password")
    form_extra_fields = {
        "new_password": PasswordField(
            _l("New password (leave empty to keep the current one)"), validators=[Optional()]
        ),
    }
    # Stored like every form: phone and NIP through the normalisation module.
    form_overrides = {"role": SelectField, "phone": PhoneField, "nip": NipField}
    form_args = {
        "role": {
            "label": _l("Role"),
            "choices": [(r.value, label) for r, label in ROLE_LABELS.items()],
            "validators": [DataRequired()],
            "widget": PlaceholderSelect(),  # a new account's role is chosen, never defaulted
        },
        "nip": {
            "label": _l("NIP (government staff: printed under the letters they sign)"),
            "validators": [Optional()],
        },
    }

    def on_model_change(self, form, model, is_created):
        save_account(
            model,
            current_user._get_current_object(),
            new_password=form.new_password.data,
            is_created=is_created,
            summary=self._summary(form),
        )

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected accounts?"))
    def action_deactivate(self, ids):
        _run_bulk(
            lambda: deactivate_accounts(self._keys(ids), current_user._get_current_object()),
            lambda n: ngettext("%(num)d account deactivated.", "%(num)d accounts deactivated.", n),
        )

    @action("activate", _l("Activate"))
    def action_activate(self, ids):
        _run_bulk(
            lambda: activate_accounts(self._keys(ids)),
            lambda n: ngettext("%(num)d account activated.", "%(num)d accounts activated.", n),
        )

    @action("unlock", _l("Unlock"))
    def action_unlock(self, ids):
        _run_bulk(
            lambda: unlock_accounts(self._keys(ids)),
            lambda n: ngettext("%(num)d account unlocked.", "%(num)d accounts unlocked.", n),
        )


def _run_bulk(command, done_message) -> None:
    """Run a bulk account command; when it saved, flash `done_message(number changed)`."""
    saved, changed = attempt(command)
    if saved:
        flash(done_message(changed), "success")


class BusinessAdmin(SecureModelView):
    """Businesses, read-only except verification of pending ones."""

    can_create = False
    can_edit = False
    column_list = (
        "name",
        "nib",
        "owner",
        "sector",
        "scale",
        "kelurahan",
        "verification_state",
        "created_at",
    )
    column_searchable_list = ("name", "nib")
    column_filters = ("verification_state", "scale", "sector_code")
    column_default_sort = ("created_at", True)
    column_labels = {
        "name": _l("Name"),
        "nib": _l("NIB"),
        "owner": _l("Owner"),
        "sector": _l("Sector"),
        "scale": _l("Scale"),
        "kelurahan": _l("Kelurahan"),
        "verification_state": _l("Verification"),
        "created_at": _l("Registered"),
    }

    @action("verify", _l("Verify"), _l("Verify the selected pending businesses?"))
    def action_verify(self, ids):
        # The trade office's rules, maker-checker included, for the admin as for an officer.
        saved, result = attempt(
            lambda: verify_many(self._keys(ids), current_user._get_current_object())
        )
        if not saved:
            return
        verified, refused = result
        flash(
            ngettext("%(num)d business verified.", "%(num)d businesses verified.", len(verified)),
            "success",
        )
        for refusal in refused:
            flash(refusal.message, "warning")


class AgencyAdmin(SecureModelView):
    """The three agencies: display names are editable, codes are fixed."""

    can_create = False
    form_columns = ("name", "short_name")
    column_list = ("code", "name", "short_name")
    column_labels = {"code": _l("Code"), "name": _l("Name"), "short_name": _l("Short name")}


class RegionAdmin(SecureModelView):
    column_list = ("code", "level", "name", "parent")
    column_searchable_list = ("code", "name")
    column_filters = ("level",)
    form_columns = ("code", "level", "name", "parent")
    column_labels = {
        "code": _l("Kemendagri code"),
        "level": _l("Level"),
        "name": _l("Name"),
        "parent": _l("Parent"),
    }


class RateAdmin(SecureModelView):
    """Dated rates: add a new row with its effective date instead of editing history."""

    can_delete = True
    column_list = ("key", "effective_from", "value", "note")
    column_filters = ("key",)
    column_default_sort = [("key", False), ("effective_from", True)]
    column_labels = {
        "key": _l("Key"),
        "effective_from": _l("Effective from"),
        "value": _l("Value"),
        "note": _l("Note"),
    }


def _programme_codes(_form, field) -> None:
    try:
        parse_programmes(field.data or "")
    except ValueError:
        raise ValidationError(_("Write programme codes from: JKK JKM JHT JP.")) from None


class ProgrammeRequirementAdmin(SecureModelView):
    """Required programmes per business scale (Perpres 109/2013 art. 6), dated, with source:
    add a row with its effective date when the law changes instead of editing history."""

    can_delete = True
    column_list = ("scale", "effective_from", "programmes", "source")
    column_default_sort = [("scale", False), ("effective_from", True)]
    form_overrides = {"scale": SelectField}
    form_args = {
        "scale": {
            "choices": [(s.value, s.value) for s in BusinessScale],
            "validators": [DataRequired()],
            "widget": PlaceholderSelect(),  # chosen, never defaulted to the first scale
        },
        "programmes": {"validators": [DataRequired(), _programme_codes]},
        "source": {"validators": [DataRequired()]},
    }
    column_labels = {
        "scale": _l("Scale"),
        "effective_from": _l("Effective from"),
        "programmes": _l("Required programmes"),
        "source": _l("Source"),
    }


DAY_OFF_KIND_LABELS = {
    "cuti_bersama": _l("Joint leave day (cuti bersama)"),
    "local": _l("Local holiday (Kota Singkawang)"),
    "national_extra": _l("Extra national holiday"),
}


class DayOffAdmin(SecureModelView):
    """Days off the complaint and enrolment deadlines skip, beyond the national holidays of
    the `holidays` package: the day itself is part of the form (it is the key), typed
    DD-MM-YYYY like every date in the portal; the kind is chosen from the known kinds."""

    can_delete = True
    column_default_sort = ("day", True)
    column_labels = {"day": _l("Day"), "kind": _l("Kind"), "description": _l("Description")}
    column_formatters = {
        "kind": lambda _v, _c, model, _n: DAY_OFF_KIND_LABELS.get(model.kind, model.kind)
    }
    form_columns = ("day", "kind", "description")
    form_overrides = {"day": DayField, "kind": SelectField}
    form_args = {
        "day": {"label": _l("Day"), "validators": [InputRequired()]},
        "kind": {
            "label": _l("Kind"),
            "choices": [(kind, DAY_OFF_KIND_LABELS[kind]) for kind in DAY_OFF_KINDS],
            "validators": [DataRequired()],
            "widget": PlaceholderSelect(),
        },
        "description": {"label": _l("Description"), "validators": [DataRequired()]},
    }


#: Settings read as whole numbers, with the range that makes sense for each.
INTEGER_SETTINGS = {
    "membership_grace_days": (1, 365),
    "complaint_verify_working_days": (1, 30),
    "enrolment_sla_working_days": (1, 60),
    "coverage_baseline_pct": (0, 100),
    "coverage_target_low_pct": (0, 100),
    "coverage_target_high_pct": (0, 100),
    "coverage_target_year": (2025, 2100),
    "figures_version": (0, 10**12),
    "compliance_fine_bp_per_month": (0, 10_000),
    "business_invitation_days": (1, 90),
    "upload_retention_days": (1, 3650),
}


def _valid_setting_value(form, field) -> None:
    """Refuse a value the portal could not use, next to the field, before it is saved."""
    key = getattr(getattr(form, "_obj", None), "key", None)
    value = (field.data or "").strip()
    if key in INTEGER_SETTINGS:
        low, high = INTEGER_SETTINGS[key]
        if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
            raise ValidationError(
                _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
            )
    elif key == "reprimand_number_pattern" and not number_pattern_is_usable(value):
        raise ValidationError(
            _(
                "The pattern needs {seq} and {year} and at most 80 characters, "
                "for example 800/{seq:03d}/DPMTK-TEG/{year}."
            )
        )


class SettingAdmin(SecureModelView):
    can_create = False
    form_columns = ("value", "description")
    form_args = {"value": {"validators": [DataRequired(), _valid_setting_value]}}
    column_list = ("key", "value", "description", "updated_at")
    column_labels = {
        "key": _l("Key"),
        "value": _l("Value"),
        "description": _l("Description"),
        "updated_at": _l("Updated"),
    }


class ComplaintCategoryAdmin(SecureModelView):
    """Resolution deadlines in working days; a change applies to complaints verified after it."""

    column_list = ("code", "name_id", "name_en", "sla_working_days", "sort_order", "active")
    column_labels = {
        "code": _l("Code"),
        "name_id": _l("Name (Indonesian)"),
        "name_en": _l("Name (English)"),
        "sla_working_days": _l("Deadline (working days)"),
        "sort_order": _l("Order"),
        "active": _l("Active"),
    }
    form_args = {
        "sla_working_days": {
            "validators": [
                InputRequired(),
                NumberRange(
                    min=1, max=365, message=_l("Enter a number of working days from 1 to 365.")
                ),
            ]
        }
    }


class ReadOnlyAuditView(SecureModelView):
    can_create = False
    can_edit = False
    can_delete = False
    column_default_sort = ("id", True)
    column_list = ("at", "actor_label", "action", "record_type", "record_id", "request_id")
    column_filters = ("action", "actor_label", "record_type")
    column_searchable_list = ("action", "actor_label", "record_id")
    column_labels = {
        "at": _l("When"),
        "actor_label": _l("Who"),
        "action": _l("Action"),
        "record_type": _l("Record"),
        "record_id": _l("Record id"),
        "request_id": _l("Request id"),
    }
    action_disallowed_list = ("delete",)


def _admin_catalogs(app: Flask) -> str | None:
    """Where Flask-Admin finds its own strings in Indonesian ("List", "Create", "With
    selected"…): it ships no Indonesian, so translations/a11y/id/LC_MESSAGES/admin.po does."""
    for directory in app.config.get("BABEL_TRANSLATION_DIRECTORIES", "").split(";"):
        if directory and os.path.basename(directory) == "a11y":
            return directory
    return None


def init_admin(app: Flask) -> Admin:
    admin = Admin(
        app,
        name=_l("Portal administration"),
        index_view=SecureIndexView(url="/admin", name=_l("Home")),
        theme=Bootstrap4Theme(base_template="admin/portal_master.html"),
        translations_path=_admin_catalogs(app),
    )
    reference = _l("Reference data")
    views = [
        (UserAdmin, User, _l("Users"), "users", None),
        (BusinessAdmin, Business, _l("Businesses"), "businesses", None),
        (AgencyAdmin, Agency, _l("Agencies"), "agencies", None),
        (RegionAdmin, Region, _l("Regions"), "regions", reference),
        (SecureModelView, Sector, _l("Sectors"), "sectors", reference),
        (SecureModelView, Occupation, _l("Occupations (BPU)"), "occupations", reference),
        (RateAdmin, RateValue, _l("Rates"), "rates", reference),
        (
            ProgrammeRequirementAdmin,
            ProgrammeRequirement,
            _l("Programmes by scale"),
            "programmes",
            reference,
        ),
        (DayOffAdmin, DayOff, _l("Days off"), "days-off", reference),
        (
            ComplaintCategoryAdmin,
            ComplaintCategory,
            _l("Complaint categories"),
            "complaint-categories",
            reference,
        ),
        (SettingAdmin, Setting, _l("Settings"), "settings", reference),
        (ReadOnlyAuditView, AuditEvent, _l("Audit log"), "audit", None),
    ]
    for view_class, model, name, slug, category in views:
        # Endpoints are prefixed so they never collide with a blueprint's name.
        endpoint = "admin_" + slug.replace("-", "_")
        admin.add_view(
            view_class(
                model, db, name=name, category=category, endpoint=endpoint, url=f"/admin/{slug}"
            )
        )
    from .admin_audit_chain import audit_chain_view  # imports AdminOnly from this module

    admin.add_view(audit_chain_view())
    from .admin_api_clients import api_client_views

    for view in api_client_views():
        admin.add_view(view)
    return admin
