"""Routes for comments: post, reply, edit, delete, preview and the permalink page."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import joinedload

from app.articles.queries import live_article_or_404
from app.comments import bp
from app.comments.discussion import load_thread_context, worth_showing
from app.comments.forms import CommentForm, DeleteCommentForm, EditCommentForm, ReplyForm
from app.comments.section import (
    CommentActions,
    ThreadDisplay,
    article_url,
    posting_refusal,
    viewer_id,
)
from app.errors import refusal_shown
from app.extensions import db
from app.models import Article, Comment, CommentStatus, utcnow
from app.services.discussion import comments as comment_service


def comment_or_404(comment_id: int, *, check_author: bool = False) -> Comment:
    """The comment, with its article and the article's poll loaded, if that article is live."""
    comment = db.session.scalar(
        select(Comment)
        .where(Comment.id == comment_id)
        .options(joinedload(Comment.article).joinedload(Article.poll))
    )
    if comment is None or not comment.article.is_live():
        abort(404)
    if check_author and comment.author_id != current_user.id:
        abort(403, description="Only the author of a comment can change it.")
    return comment


def discussion_url(comment: Comment) -> str:
    """Where a comment sits on its article's pages (default view), at its anchor."""
    root = comment
    if comment.root_id is not None and comment.root_id != comment.id:
        root = db.session.get(Comment, comment.root_id) or comment
    page = _page_of_thread(root)
    kwargs = {"page": page} if page > 1 else {}
    return article_url(comment.article, **kwargs) + f"#c{comment.id}"


def _page_of_thread(root: Comment) -> int:
    """The page of the default view (featured first, then oldest) that holds a thread."""
    earlier = tuple_(Comment.created_at, Comment.id) < tuple_(root.created_at, root.id)
    before = and_(Comment.featured, earlier) if root.featured else or_(Comment.featured, earlier)
    count = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == root.article_id,
            Comment.parent_id.is_(None),
            worth_showing(Comment, viewer_id()),
            before,
        )
    )
    return (count or 0) // current_app.config["COMMENTS_PER_PAGE"] + 1


@bp.post("/articles/<slug>/comments")
@login_required
def create(slug):
    article = live_article_or_404(slug)
    form = CommentForm()
    if form.validate_on_submit():
        with refusal_shown(form, field="body"):
            comment = comment_service.post_comment(article, current_user, form.body.data)
            _flash_posted(comment)
            return redirect(discussion_url(comment))
    return render_template("comments/compose.html", article=article, form=form), 422


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@login_required
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
        flash("Your comment is posted.", "success")
    else:
        flash("Your comment is posted and awaits review by a moderator.", "info")
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
            flash("Your comment is updated.", "success")
            return redirect(discussion_url(comment))
    status = 422 if request.method == "POST" else 200
    deadline = comment_service.edit_deadline(comment)
    return render_template(
        "comments/edit.html", comment=comment, form=form, deadline=deadline
    ), status


def _edit_closed_message() -> str:
    minutes = current_app.config["COMMENT_EDIT_WINDOW_MINUTES"]
    return f"Comments can be edited for {minutes} minutes after posting, by their author only."


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id):
    comment = comment_or_404(comment_id, check_author=True)
    if not comment_service.can_delete(comment, current_user):
        abort(404)
    form = DeleteCommentForm()
    if form.validate_on_submit():
        comment_service.delete_comment(comment, current_user)
        flash("Your comment is deleted.", "success")
        return redirect(discussion_url(comment))
    return render_template("comments/delete.html", comment=comment, form=form)


@bp.post("/comments/preview")
@login_required
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
    context = load_thread_context(comment, viewer_id())
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
