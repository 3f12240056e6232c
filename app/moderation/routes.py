"""Staff pages: the review queue, actions on comments, bulk actions and appeals."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Appeal,
    AppealStatus,
    Comment,
    StaffLevel,
)
from app.moderation import bp
from app.moderation.actions import apply_action, page_arg, redirect_back
from app.moderation.forms import (
    RemoveForm,
)
from app.permissions import moderator_required
from app.services.moderation import queue, review
from app.views import whole_number


@bp.before_request
@moderator_required
def require_moderator():
    """Every page here is for moderators and above."""


@bp.app_context_processor
def inject_queue_counts():
    if current_user.is_authenticated and current_user.has_staff_level(StaffLevel.MODERATOR):
        return {"moderation_counts": queue.counts()}
    return {}


# --- the queue -------------------------------------------------------------------------------


@bp.get("/")
def index():
    return redirect(url_for("moderation.queue_view", view="pending"))


@bp.get("/queue/<view>")
def queue_view(view):
    if view not in queue.VIEWS:
        abort(404)
    pagination = queue.queue_page(view, page_arg())
    return render_template(
        "moderation/queue.html",
        view=view,
        pagination=pagination,
        remove_form=RemoveForm(),
        **queue.context_for(pagination.items),
    )


def _comment(comment_id: int) -> Comment:
    return db.get_or_404(Comment, comment_id)


@bp.post("/comments/<int:comment_id>/approve")
def approve(comment_id):
    comment = _comment(comment_id)
    return apply_action(
        lambda: review.approve(comment, current_user),
        _("Comment approved."),
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/remove")
def remove(comment_id):
    comment = _comment(comment_id)
    form = RemoveForm()
    if not form.validate():
        flash(_("Choose the rule the comment broke."), "error")
        return redirect_back(url_for(".queue_view", view="pending"))
    return apply_action(
        lambda: review.remove(comment, current_user, form.reason()),
        _("Comment removed; the author has been told why."),
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/restore")
def restore(comment_id):
    comment = _comment(comment_id)
    return apply_action(
        lambda: review.restore(comment, current_user),
        _("Comment restored."),
        url_for(".queue_view", view="removed"),
    )


@bp.post("/comments/<int:comment_id>/feature")
def feature(comment_id):
    comment = _comment(comment_id)
    return apply_action(
        lambda: review.set_featured(comment, current_user, True),
        _("Comment featured."),
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/unfeature")
def unfeature(comment_id):
    comment = _comment(comment_id)
    return apply_action(
        lambda: review.set_featured(comment, current_user, False),
        _("Comment no longer featured."),
        url_for(".queue_view", view="pending"),
    )


def _selected_comments() -> list[Comment]:
    ids = [i for i in map(whole_number, request.form.getlist("comment_ids")) if i is not None]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Comment).where(Comment.id.in_(ids)).options(joinedload(Comment.author))
        )
    )


@bp.post("/bulk/approve")
def bulk_approve():
    comments = _selected_comments()
    if not comments:
        flash(_("Select at least one comment."), "error")
        return redirect_back(url_for(".queue_view", view="pending"))

    def approve_all():
        for comment in comments:
            review.approve(comment, current_user)

    return apply_action(
        approve_all,
        ngettext("%(num)d comment approved.", "%(num)d comments approved.", len(comments)),
        url_for(".index"),
    )


@bp.post("/bulk/remove")
def bulk_remove():
    comments = _selected_comments()
    form = RemoveForm()
    if not comments or not form.validate():
        flash(_("Select at least one comment and the rule it broke."), "error")
        return redirect_back(url_for(".queue_view", view="pending"))

    def remove_all():
        for comment in comments:
            review.remove(comment, current_user, form.reason())

    return apply_action(
        remove_all,
        ngettext("%(num)d comment removed.", "%(num)d comments removed.", len(comments)),
        url_for(".index"),
    )


# --- appeals ---------------------------------------------------------------------------------


@bp.get("/appeals")
def appeals():
    pending = db.session.scalars(
        select(Appeal)
        .where(Appeal.status == AppealStatus.PENDING)
        .options(joinedload(Appeal.comment), joinedload(Appeal.user))
        .order_by(Appeal.created_at)
    ).all()
    return render_template("moderation/appeals.html", pending=pending)


@bp.post("/appeals/<int:appeal_id>/grant")
def grant_appeal(appeal_id):
    entry = db.get_or_404(Appeal, appeal_id)
    return apply_action(
        lambda: review.decide_appeal(entry, current_user, True),
        _("Appeal granted; the comment is back."),
        url_for(".appeals"),
    )


@bp.post("/appeals/<int:appeal_id>/deny")
def deny_appeal(appeal_id):
    entry = db.get_or_404(Appeal, appeal_id)
    return apply_action(
        lambda: review.decide_appeal(entry, current_user, False),
        _("Appeal denied."),
        url_for(".appeals"),
    )
