"""Routes for comments: post, reply, edit, delete, preview, the permalink page, and the page
that explains common ground."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import limits
from app.caching.pages import shared_page
from app.comments import bp
from app.comments.forms import CommentForm, DeleteCommentForm, EditCommentForm, ReplyForm
from app.comments.lookups import comment_or_404, discussion_url
from app.comments.section import (
    TOP_COMMON_GROUND,
    CommentActions,
    ThreadDisplay,
    posting_refusal,
)
from app.errors import refusal_shown
from app.models import Comment, CommentStatus, utcnow
from app.services.articles.listing import live_article
from app.services.discussion import comments as comment_service
from app.services.discussion.reading import load_thread_context
from app.services.infra.page_versions import ARTICLES
from app.views import found_or_404
from app.voters import current_viewer


@bp.post("/articles/<slug>/comments")
@login_required
@limits.comments
def create(slug):
    article = found_or_404(live_article(slug))
    form = CommentForm()
    if form.validate_on_submit():
        with refusal_shown(form, field="body"):
            comment = comment_service.post_comment(article, current_user, form.body.data)
            _flash_posted(comment)
            return redirect(discussion_url(comment))
    return render_template("comments/compose.html", article=article, form=form), 422


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
@limits.comments
def reply(comment_id):
    parent = comment_or_404(comment_id)
    form = ReplyForm()
    if form.validate_on_submit():
        with refusal_shown(form, field="body"):
            comment = comment_service.post_comment(
                parent.article, current_user, form.body.data, parent=parent
            )
            _flash_posted(comment)
            return redirect(discussion_url(comment))
    status = 422 if request.method == "POST" else 200
    return render_template("comments/reply.html", parent=parent, form=form), status


def _flash_posted(comment: Comment) -> None:
    if comment.status is CommentStatus.PUBLISHED:
        flash(_("Your comment is posted."), "success")
    else:
        flash(_("Your comment is posted and awaits review by a moderator."), "info")
    if comment.crisis_flag:
        # Shown as the crisis-resources panel by base.html.
        flash("crisis-resources", "crisis")


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id):
    comment = comment_or_404(comment_id, check_author=True)
    if not comment_service.can_edit(comment, current_user):
        abort(403, description=_edit_closed_message())
    form = EditCommentForm(data={"body": comment.body_markdown})
    if form.validate_on_submit():
        with refusal_shown(form, field="body"):
            comment_service.edit_comment(comment, current_user, form.body.data)
            flash(_("Your comment is updated."), "success")
            return redirect(discussion_url(comment))
    status = 422 if request.method == "POST" else 200
    deadline = comment_service.edit_deadline(comment)
    return render_template(
        "comments/edit.html", comment=comment, form=form, deadline=deadline
    ), status


def _edit_closed_message() -> str:
    minutes = current_app.config["COMMENT_EDIT_WINDOW_MINUTES"]
    return ngettext(
        "Comments can be edited for %(num)s minute after posting, by their author only.",
        "Comments can be edited for %(num)s minutes after posting, by their author only.",
        minutes,
    )


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id):
    comment = comment_or_404(comment_id, check_author=True)
    if not comment_service.can_delete(comment, current_user):
        abort(404)
    form = DeleteCommentForm()
    if form.validate_on_submit():
        comment_service.delete_comment(comment, current_user)
        flash(_("Your comment is deleted."), "success")
        return redirect(discussion_url(comment))
    return render_template("comments/delete.html", comment=comment, form=form)


@bp.post("/comments/preview")
@login_required
@limits.previews
def preview():
    """The sanitised HTML a text would be stored as (CSRF token in the X-CSRFToken header)."""
    body = request.form.get("body", "")
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    return jsonify(
        html=comment_service.preview_html(body),
        length=len(body.strip()),
        max_length=limit,
    )


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id):
    comment = comment_or_404(comment_id)
    context = load_thread_context(comment, current_viewer())
    if context is None:
        abort(404)
    refusal = posting_refusal(comment.article)
    return render_template(
        "comments/permalink.html",
        comment=comment,
        article=comment.article,
        context=context,
        view=ThreadDisplay(
            actions=CommentActions(
                current_user, utcnow(), current_user.is_authenticated and not refusal
            ),
            display_depth=current_app.config["COMMENT_DISPLAY_DEPTH"],
            stances=context.stances,
            helpful_ids=context.helpful_ids,
        ),
    )


@bp.get("/common-ground")
@shared_page(ARTICLES)
def common_ground():
    return render_template("comments/common_ground.html", top=TOP_COMMON_GROUND)
