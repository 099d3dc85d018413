"""Staff notifications: the list, mark as read, and the unread count for the navbar."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Notification
from ..models.identity import STAFF_ROLES
from ..services.notifications import dispatch as notifications
from ..web.access import STAFF, require
from ..web.labels import template_labels
from . import bp
from .forms import EmptyForm


@bp.app_context_processor
def _inject():
    def unread_notifications() -> int:
        if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
            return 0
        return notifications.unread_count(current_user)

    return {"unread_notifications": unread_notifications, **template_labels()}


@bp.route("/notifications")
@require(STAFF)
def notification_list():
    page = db.paginate(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("complaints/notifications.html", page=page, form=EmptyForm())


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@require(STAFF)
def notification_read(notification_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        notifications.mark_read(current_user, notification_id)
        db.session.commit()
    return redirect(url_for(".notification_list"))


@bp.route("/notifications/read-all", methods=["POST"])
@require(STAFF)
def notification_read_all():
    form = EmptyForm()
    if form.validate_on_submit():
        count = notifications.mark_read(current_user)
        db.session.commit()
        flash(_("%(n)d notifications marked as read.", n=count), "success")
    return redirect(url_for(".notification_list"))
