"""What makes a new comment wait for a moderator before anyone else sees it."""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    BannedWord,
    User,
)
from app.services.moderation import safety

LOW_TRUST = -3


def premoderation_reasons(
    author: User, article: Article, text: str, *, first_comments: bool = True
) -> list[str]:
    """Why a comment must wait for a moderator; empty when it may appear at once."""
    reasons = []
    if article.premoderated:
        reasons.append("every comment on this article is reviewed")
    if (
        first_comments
        and author.approved_comment_count < current_app.config["PREMODERATE_FIRST_COMMENTS"]
    ):
        reasons.append("a member's first comments are reviewed")
    if author.trust_score <= LOW_TRUST:
        reasons.append("comments from this account are reviewed")
    words = db.session.scalars(select(BannedWord.word)).all()
    if safety.banned_words_in(text, words):
        reasons.append("contains a word on the moderators' list")
    links_until = current_app.config["PREMODERATE_LINKS_UNTIL"]
    if safety.contains_link(text) and author.approved_comment_count < links_until:
        reasons.append("links from new members are reviewed")
    if safety.identity_signals(text):
        reasons.append(safety.IDENTITY_REASON)
    return reasons
