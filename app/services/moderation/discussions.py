"""Staff controls over a discussion: locks, pre-moderation, closing polls, banned words."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    BannedWord,
    Comment,
    CommentStatus,
    Poll,
    User,
)
from app.services.moderation import ModerationError, safety
from app.services.moderation.audit import record


def set_locked(article: Article, moderator: User, locked: bool, reason=None) -> None:
    article.discussion_locked = locked
    record(moderator, "lock" if locked else "unlock", article, reason)


def set_premoderated(article: Article, moderator: User, on: bool, reason=None) -> None:
    article.premoderated = on
    record(moderator, "premoderate" if on else "stop-premoderating", article, reason)


def close_poll(poll: Poll, moderator: User, reason=None) -> None:
    try:
        poll.close()
    except ValueError as error:
        raise ModerationError(str(error)) from error
    record(moderator, "close-poll", poll, reason)


def reopen_poll(poll: Poll, moderator: User, reason=None) -> None:
    try:
        poll.reopen()
    except ValueError as error:
        raise ModerationError(str(error)) from error
    record(moderator, "reopen-poll", poll, reason)


def add_banned_word(word: str, moderator: User) -> BannedWord:
    word = " ".join(word.split()).casefold()
    if not word or len(word) > 80:
        raise ModerationError(_("A banned word must have 1 to 80 characters."))
    if db.session.scalar(select(BannedWord.id).where(BannedWord.word == word)):
        raise ModerationError(_("That word is already on the list."))
    entry = BannedWord(word=word, created_by_id=moderator.id)
    db.session.add(entry)
    db.session.flush()
    record(moderator, "ban-word", entry, word=word)
    return entry


def remove_banned_word(entry: BannedWord, moderator: User) -> None:
    record(moderator, "unban-word", entry, word=entry.word)
    db.session.delete(entry)


def banned_word_preview(word: str, limit: int = 20) -> list[Comment]:
    """Recent published comments the word would have caught."""
    pattern = safety.banned_word_pattern([word])
    if pattern is None:
        return []
    first = word.split()[0] if word.split() else word
    candidates = db.session.scalars(
        select(Comment)
        .where(
            Comment.status == CommentStatus.PUBLISHED,
            func.lower(Comment.body_markdown).contains(first.casefold()),
        )
        .order_by(Comment.created_at.desc())
        .limit(500)
    )
    return [c for c in candidates if pattern.search(c.body_markdown)][:limit]
