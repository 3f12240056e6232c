"""Routes for the inbox: the list, opening one notification, marking all as read, and the
articles the member follows."""

from flask import abort, flash, has_request_context, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Comment, Notification
from app.notifications import bp
from app.services.discussion import follows
from app.services.discussion import notifications as notification_service
from app.templating import comment_url

NOTIFICATIONS_PER_PAGE = 20


@bp.app_context_processor
def inject_unread_notifications():
    """The header's unread count: no query for readers, one COUNT per page for members."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": notification_service.unread_count(current_user.id)}


@bp.get("/")
@login_required
def inbox():
    statement = notification_service.inbox_statement(current_user.id).options(
        joinedload(Notification.actor),
        joinedload(Notification.comment).joinedload(Comment.article),
    )
    pagination = db.paginate(
        statement,
        per_page=NOTIFICATIONS_PER_PAGE,
        error_out=False,
    )
    if pagination.page > 1 and not pagination.items:
        return redirect(url_for("notifications.inbox"))
    return render_template("notifications/inbox.html", pagination=pagination)


@bp.get("/following")
@login_required
def following():
    pagination = db.paginate(
        follows.followed_articles_statement(current_user.id),
        per_page=NOTIFICATIONS_PER_PAGE,
        error_out=False,
    )
    if pagination.page > 1 and not pagination.items:
        return redirect(url_for("notifications.following"))
    return render_template("notifications/following.html", pagination=pagination)


def notification_or_404(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != current_user.id:
        abort(404)
    return notification


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id):
    """Mark one notification read and go to the comment it is about, if any."""
    notification = notification_or_404(notification_id)
    notification_service.mark_read(notification)
    if notification.comment_id is not None:
        return redirect(comment_url(notification.comment_id))
    return redirect(url_for("notifications.inbox"))


@bp.post("/read-all")
@login_required
def read_all():
    changed = notification_service.mark_all_read(current_user.id)
    if changed:
        flash(
            ngettext(
                "Marked %(num)d notification as read.",
                "Marked %(num)d notifications as read.",
                changed,
            ),
            "success",
        )
    return redirect(url_for("notifications.inbox"))
