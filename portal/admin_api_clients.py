"""Admin pages for API clients: register one (its token is shown once, on the answer page,
never stored or flashed), list them with their last use, revoke."""

from __future__ import annotations

from flask import flash
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .admin import AdminOnly, SecureModelView
from .extensions import db
from .models import ApiClient
from .services.api_clients.clients import register_client, revoke_client, scope_choices
from .services.reference.choices import agencies
from .web.forms import BaseForm, MultiCheckboxField, attempt


class ApiClientForm(BaseForm):
    name = StringField(_l("Name of the system"), validators=[DataRequired(), Length(max=120)])
    agency = SelectField(_l("Agency"), coerce=int, default=0)
    scopes = MultiCheckboxField(_l("Scopes"), validators=[DataRequired()])
    valid_days = IntegerField(
        _l("Valid for (days)"),
        validators=[Optional()],
        description=_l("Empty: until revoked."),
    )


class ApiClientRegisterView(AdminOnly, BaseView):
    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = ApiClientForm()
        form.agency.choices = [(0, _l("None (an outside channel)")), *agencies()]
        form.scopes.choices = scope_choices()
        registered = None
        if form.validate_on_submit():
            saved, registered = attempt(
                lambda: register_client(
                    form.name.data,
                    form.agency.data or None,
                    form.scopes.data,
                    current_user._get_current_object(),
                    valid_days=form.valid_days.data,
                ),
                form,
            )
        return self.render("admin/api_client_new.html", form=form, registered=registered)


class ApiClientAdmin(SecureModelView):
    """Registered clients: no editing (scopes change by registering a new client)."""

    can_create = False
    can_edit = False
    column_list = (
        "name",
        "agency",
        "scopes",
        "token_prefix",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    column_labels = {
        "name": _l("Name"),
        "agency": _l("Agency"),
        "scopes": _l("Scopes"),
        "token_prefix": _l("Token starts with"),
        "last_used_at": _l("Last used"),
        "expires_at": _l("Expires"),
        "revoked_at": _l("Revoked"),
    }
    column_details_exclude_list = ("token_hash",)
    list_template = "admin/api_client_list.html"

    @action("revoke", _l("Revoke"), _l("Revoke the selected clients' tokens for good?"))
    def action_revoke(self, ids):
        actor = current_user._get_current_object()
        saved, _value = attempt(lambda: [revoke_client(int(i), actor) for i in ids])
        if saved:
            flash(
                ngettext("%(num)d client revoked.", "%(num)d clients revoked.", len(ids)),
                "success",
            )


def api_client_views() -> list[BaseView]:
    return [
        ApiClientAdmin(
            ApiClient,
            db,
            name=_l("API clients"),
            category=_l("Integrations"),
            endpoint="admin_api_clients",
            url="/admin/api-clients",
        ),
        ApiClientRegisterView(
            name=_l("Register an API client"),
            category=_l("Integrations"),
            endpoint="admin_api_client_new",
            url="/admin/api-client-new",
        ),
    ]
