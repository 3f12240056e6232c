"""Staff pages for curation: banned words, locked and pre-moderated articles, polls, the log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Article,
    BannedWord,
    ModerationAction,
    Poll,
    User,
)
from app.moderation import bp
from app.moderation.actions import apply_action, page_arg
from app.moderation.forms import (
    BannedWordForm,
)
from app.services.moderation import discussions

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
        flash(_("Enter a word or phrase of up to 80 characters."), "error")
        return redirect(url_for(".words"))
    return apply_action(
        lambda: discussions.add_banned_word(form.word.data, current_user),
        _("Word added; new comments containing it will wait for review."),
        url_for(".words"),
    )


@bp.post("/words/<int:word_id>/delete")
def delete_word(word_id):
    entry = db.get_or_404(BannedWord, word_id)
    return apply_action(
        lambda: discussions.remove_banned_word(entry, current_user),
        _("Word removed from the list."),
        url_for(".words"),
    )


# --- curation of discussions and polls ------------------------------------------------------


@bp.get("/articles")
def articles():
    pagination = db.paginate(
        select(Article).options(joinedload(Article.poll)).order_by(Article.created_at.desc()),
        page=page_arg(),
        per_page=30,
        error_out=False,
    )
    return render_template("moderation/articles.html", pagination=pagination)


def _article_action(article_id, action, success):
    article = db.get_or_404(Article, article_id)
    return apply_action(lambda: action(article), success, url_for(".articles"))


@bp.post("/articles/<int:article_id>/lock")
def lock(article_id):
    return _article_action(
        article_id, lambda a: discussions.set_locked(a, current_user, True), _("Discussion locked.")
    )


@bp.post("/articles/<int:article_id>/unlock")
def unlock(article_id):
    return _article_action(
        article_id,
        lambda a: discussions.set_locked(a, current_user, False),
        _("Discussion unlocked."),
    )


@bp.post("/articles/<int:article_id>/premoderate")
def premoderate(article_id):
    return _article_action(
        article_id,
        lambda a: discussions.set_premoderated(a, current_user, True),
        _("Every new comment on this article now waits for review."),
    )


@bp.post("/articles/<int:article_id>/stop-premoderating")
def stop_premoderating(article_id):
    return _article_action(
        article_id,
        lambda a: discussions.set_premoderated(a, current_user, False),
        _("New comments on this article appear at once again."),
    )


@bp.post("/polls/<int:poll_id>/close")
def close_poll(poll_id):
    poll = db.get_or_404(Poll, poll_id)
    return apply_action(
        lambda: discussions.close_poll(poll, current_user), _("Poll closed."), url_for(".articles")
    )


@bp.post("/polls/<int:poll_id>/reopen")
def reopen_poll(poll_id):
    poll = db.get_or_404(Poll, poll_id)
    return apply_action(
        lambda: discussions.reopen_poll(poll, current_user),
        _("Poll reopened."),
        url_for(".articles"),
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
        pagination=db.paginate(statement, page=page_arg(), per_page=50, error_out=False),
        filters={**filters, "actor": actor},
        known_actions=sorted(actions),
    )
