"""Staff pages: the queue, members, verification, banned words, curation and the audit log."""

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.redirects import safe_next_url
from app.errors import refusal_shown
from app.extensions import db
from app.models import (
    Appeal,
    AppealStatus,
    Article,
    BannedWord,
    Comment,
    ModerationAction,
    Poll,
    StaffLevel,
    User,
    VerificationRequest,
    VerificationStatus,
)
from app.moderation import bp, queue
from app.moderation.forms import (
    BannedWordForm,
    OptionalReasonForm,
    ReasonForm,
    RemoveForm,
    StaffLevelForm,
    SuspendForm,
)
from app.permissions import admin_required, moderator_required
from app.services.moderation import discussions, review, sanctions, verification


@bp.before_request
@moderator_required
def require_moderator():
    """Every page here is for moderators and above."""


@bp.app_context_processor
def inject_queue_counts():
    if current_user.is_authenticated and current_user.has_staff_level(StaffLevel.MODERATOR):
        return {"moderation_counts": queue.counts()}
    return {}


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _back(default: str):
    return redirect(safe_next_url(request.form.get("back")) or default)


def _apply(action, success: str, default_url: str):
    """Run a service call and tell the moderator how it went."""
    with refusal_shown():
        action()
        flash(success, "success")
    return _back(default_url)


# --- the queue -------------------------------------------------------------------------------


@bp.get("/")
def index():
    return redirect(url_for("moderation.queue_view", view="pending"))


@bp.get("/queue/<view>")
def queue_view(view):
    if view not in queue.VIEWS:
        abort(404)
    pagination = queue.queue_page(view, _page())
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
    return _apply(
        lambda: review.approve(comment, current_user),
        "Comment approved.",
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/remove")
def remove(comment_id):
    comment = _comment(comment_id)
    form = RemoveForm()
    if not form.validate():
        flash("Choose the rule the comment broke.", "error")
        return _back(url_for(".queue_view", view="pending"))
    return _apply(
        lambda: review.remove(comment, current_user, form.reason()),
        "Comment removed; the author has been told why.",
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/restore")
def restore(comment_id):
    comment = _comment(comment_id)
    return _apply(
        lambda: review.restore(comment, current_user),
        "Comment restored.",
        url_for(".queue_view", view="removed"),
    )


@bp.post("/comments/<int:comment_id>/feature")
def feature(comment_id):
    comment = _comment(comment_id)
    return _apply(
        lambda: review.set_featured(comment, current_user, True),
        "Comment featured.",
        url_for(".queue_view", view="pending"),
    )


@bp.post("/comments/<int:comment_id>/unfeature")
def unfeature(comment_id):
    comment = _comment(comment_id)
    return _apply(
        lambda: review.set_featured(comment, current_user, False),
        "Comment no longer featured.",
        url_for(".queue_view", view="pending"),
    )


def _selected_comments() -> list[Comment]:
    ids = [int(i) for i in request.form.getlist("comment_ids") if i.isdigit()]
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
        flash("Select at least one comment.", "error")
        return _back(url_for(".queue_view", view="pending"))

    def approve_all():
        for comment in comments:
            review.approve(comment, current_user)

    return _apply(approve_all, f"{len(comments)} comments approved.", url_for(".index"))


@bp.post("/bulk/remove")
def bulk_remove():
    comments = _selected_comments()
    form = RemoveForm()
    if not comments or not form.validate():
        flash("Select at least one comment and the rule it broke.", "error")
        return _back(url_for(".queue_view", view="pending"))

    def remove_all():
        for comment in comments:
            review.remove(comment, current_user, form.reason())

    return _apply(remove_all, f"{len(comments)} comments removed.", url_for(".index"))


# --- members ---------------------------------------------------------------------------------


@bp.get("/members")
def members():
    q = request.args.get("q", "").strip()[:30]
    return render_template(
        "moderation/members.html", pagination=queue.member_search(q, _page()), q=q
    )


@bp.get("/members/<int:user_id>")
def member(user_id):
    member = db.get_or_404(User, user_id)
    recent = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == member.id)
        .options(joinedload(Comment.article))
        .order_by(Comment.created_at.desc())
        .limit(20)
    ).all()
    actions = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == member.id)
        .options(joinedload(ModerationAction.actor))
        .order_by(ModerationAction.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "moderation/member.html",
        member=member,
        recent=recent,
        actions=actions,
        history=queue.author_histories(recent).get(member.id, {}),
        reason_form=ReasonForm(),
        optional_form=OptionalReasonForm(),
        suspend_form=SuspendForm(),
        staff_form=StaffLevelForm(level=member.staff_level.value),
    )


def _member(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _member_action(user_id, form, action, success):
    member = _member(user_id)
    back = url_for(".member", user_id=user_id)
    if not form.validate():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return redirect(back)
    return _apply(lambda: action(member, form), success, back)


@bp.post("/members/<int:user_id>/warn")
def warn(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: sanctions.warn(m, current_user, f.reason.data),
        "Warning sent.",
    )


@bp.post("/members/<int:user_id>/suspend")
def suspend(user_id):
    def action(member, form):
        until = datetime.combine(form.until.data, time(23, 59), tzinfo=UTC)
        sanctions.suspend(member, current_user, until, form.reason.data)

    return _member_action(user_id, SuspendForm(), action, "Member suspended.")


@bp.post("/members/<int:user_id>/ban")
def ban(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: sanctions.ban(m, current_user, f.reason.data),
        "Member banned.",
    )


@bp.post("/members/<int:user_id>/unban")
def unban(user_id):
    return _member_action(
        user_id,
        OptionalReasonForm(),
        lambda m, f: sanctions.unban(m, current_user, f.reason.data),
        "Member can take part again.",
    )


@bp.post("/members/<int:user_id>/revoke-verification")
def revoke_verification(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: verification.revoke_verification(m, current_user, f.reason.data),
        "Verification revoked.",
    )


@bp.post("/members/<int:user_id>/staff-level")
@admin_required
def staff_level(user_id):
    return _member_action(
        user_id,
        StaffLevelForm(),
        lambda m, f: sanctions.set_staff_level(
            m, current_user, StaffLevel(f.level.data), f.reason.data
        ),
        "Staff level changed.",
    )


# --- professional verification ------------------------------------------------------------


@bp.get("/verifications")
def verifications():
    pending = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.status == VerificationStatus.PENDING)
        .options(joinedload(VerificationRequest.user))
        .order_by(VerificationRequest.created_at)
    ).all()
    return render_template(
        "moderation/verifications.html", pending=pending, reason_form=ReasonForm()
    )


@bp.post("/verifications/<int:request_id>/approve")
def approve_verification(request_id):
    entry = db.get_or_404(VerificationRequest, request_id)
    return _apply(
        lambda: verification.decide_verification(entry, current_user, True),
        f"{entry.user.username} is now a verified professional.",
        url_for(".verifications"),
    )


@bp.post("/verifications/<int:request_id>/decline")
def decline_verification(request_id):
    entry = db.get_or_404(VerificationRequest, request_id)
    form = ReasonForm()
    if not form.validate():
        flash("Give the reason for declining; the member will see it.", "error")
        return redirect(url_for(".verifications"))
    return _apply(
        lambda: verification.decide_verification(entry, current_user, False, form.reason.data),
        "Request declined.",
        url_for(".verifications"),
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
    return _apply(
        lambda: review.decide_appeal(entry, current_user, True),
        "Appeal granted; the comment is back.",
        url_for(".appeals"),
    )


@bp.post("/appeals/<int:appeal_id>/deny")
def deny_appeal(appeal_id):
    entry = db.get_or_404(Appeal, appeal_id)
    return _apply(
        lambda: review.decide_appeal(entry, current_user, False),
        "Appeal denied.",
        url_for(".appeals"),
    )


# --- banned words ----------------------------------------------------------------------------


@bp.get("/words")
def words():
    preview = request.args.get("preview", "").strip()[:80]
    return render_template(
        "moderation/words.html",
        words=db.session.scalars(select(BannedWord).order_by(BannedWord.word)).all(),
        form=BannedWordForm(word=preview or None),
        preview=preview,
        caught=discussions.banned_word_preview(preview) if preview else [],
    )


@bp.post("/words")
def add_word():
    form = BannedWordForm()
    if not form.validate():
        flash("Enter a word or phrase of up to 80 characters.", "error")
        return redirect(url_for(".words"))
    return _apply(
        lambda: discussions.add_banned_word(form.word.data, current_user),
        "Word added; new comments containing it will wait for review.",
        url_for(".words"),
    )


@bp.post("/words/<int:word_id>/delete")
def delete_word(word_id):
    entry = db.get_or_404(BannedWord, word_id)
    return _apply(
        lambda: discussions.remove_banned_word(entry, current_user),
        "Word removed from the list.",
        url_for(".words"),
    )


# --- curation of discussions and polls ------------------------------------------------------


@bp.get("/articles")
def articles():
    pagination = db.paginate(
        select(Article).options(joinedload(Article.poll)).order_by(Article.created_at.desc()),
        page=_page(),
        per_page=30,
        error_out=False,
    )
    return render_template("moderation/articles.html", pagination=pagination)


def _article_action(article_id, action, success):
    article = db.get_or_404(Article, article_id)
    return _apply(lambda: action(article), success, url_for(".articles"))


@bp.post("/articles/<int:article_id>/lock")
def lock(article_id):
    return _article_action(
        article_id, lambda a: discussions.set_locked(a, current_user, True), "Discussion locked."
    )


@bp.post("/articles/<int:article_id>/unlock")
def unlock(article_id):
    return _article_action(
        article_id, lambda a: discussions.set_locked(a, current_user, False), "Discussion unlocked."
    )


@bp.post("/articles/<int:article_id>/premoderate")
def premoderate(article_id):
    return _article_action(
        article_id,
        lambda a: discussions.set_premoderated(a, current_user, True),
        "Every new comment on this article now waits for review.",
    )


@bp.post("/articles/<int:article_id>/stop-premoderating")
def stop_premoderating(article_id):
    return _article_action(
        article_id,
        lambda a: discussions.set_premoderated(a, current_user, False),
        "New comments on this article appear at once again.",
    )


@bp.post("/polls/<int:poll_id>/close")
def close_poll(poll_id):
    poll = db.get_or_404(Poll, poll_id)
    return _apply(
        lambda: discussions.close_poll(poll, current_user), "Poll closed.", url_for(".articles")
    )


@bp.post("/polls/<int:poll_id>/reopen")
def reopen_poll(poll_id):
    poll = db.get_or_404(Poll, poll_id)
    return _apply(
        lambda: discussions.reopen_poll(poll, current_user), "Poll reopened.", url_for(".articles")
    )


# --- the audit log ---------------------------------------------------------------------------

LOG_FILTERS = ("action", "target_type")


@bp.get("/log")
def log():
    statement = (
        select(ModerationAction)
        .options(joinedload(ModerationAction.actor))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    )
    filters = {name: request.args.get(name, "").strip()[:40] for name in LOG_FILTERS}
    for name, value in filters.items():
        if value:
            statement = statement.where(getattr(ModerationAction, name) == value)
    actor = request.args.get("actor", "").strip()[:30]
    if actor:
        statement = statement.join(ModerationAction.actor).where(User.username == actor)
    actions = db.session.scalars(select(ModerationAction.action).distinct()).all()
    return render_template(
        "moderation/log.html",
        pagination=db.paginate(statement, page=_page(), per_page=50, error_out=False),
        filters={**filters, "actor": actor},
        known_actions=sorted(actions),
    )
