"""Staff notifications: the list, mark as read, and the unread count for the navbar."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models.identity import STAFF_ROLES
from ..services.complaints.queries import notification_page
from ..services.notifications import dispatch as notifications
from ..web.access import STAFF, require
from ..web.forms import EmptyForm, attempt
from . import bp


@bp.app_context_processor
def _inject():
    def unread_notifications() -> int:
        if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@require(STAFF)
def notification_list():
    page = notification_page(current_user, request.args.get("page"))
    return render_template("complaints/notifications.html", page=page, form=EmptyForm())


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@require(STAFF)
def notification_read(notification_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        attempt(lambda: notifications.mark_read(current_user, notification_id))
    return redirect(url_for(".notification_list"))


@bp.route("/notifications/read-all", methods=["POST"])
@require(STAFF)
def notification_read_all():
    form = EmptyForm()
    if form.validate_on_submit():
        saved, count = attempt(lambda: notifications.mark_read(current_user))
        if saved:
            flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for(".notification_list"))
