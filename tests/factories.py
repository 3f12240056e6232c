"""Builders for the records tests need, committed so that requests can see them.

They commit through app.transaction, so that what waits for a commit runs as it does after a
request: new versions of the pages that show what they made (app/services/infra/page_versions).
"""

from datetime import timedelta
from itertools import count

from app import transaction
from app.extensions import db
from app.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    CommunityRole,
    Discipline,
    Poll,
    PollKind,
    PollOption,
    ResultsVisibility,
    StaffLevel,
    User,
    VerificationStatus,
    utcnow,
)
from app.services.articles import search
from app.services.infra.markdown import render_article

DEFAULT_PASSWORD = "correct horse battery staple"
_sequence = count(1)


def make_user(
    username=None,
    *,
    password=DEFAULT_PASSWORD,
    role=CommunityRole.READER,
    discipline=None,
    staff=StaffLevel.MEMBER,
    verified=False,
    email=None,
    **fields,
):
    user = User(
        username=username or f"member{next(_sequence)}",
        email=email,
        community_role=CommunityRole(role),
        discipline=Discipline(discipline) if discipline else None,
        staff_level=StaffLevel(staff),
        verification_status=(
            VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
        ),
        **fields,
    )
    user.set_password(password)
    db.session.add(user)
    transaction.commit()
    return user


def make_author(display_name="Riverside Counseling Collective", **fields):
    n = next(_sequence)
    author = AuthorProfile(
        slug=fields.pop("slug", f"author-{n}"),
        display_name=display_name,
        organisation=fields.pop("organisation", "Riverside Counseling Collective"),
        location=fields.pop("location", "Portland, Oregon"),
        credentials=fields.pop("credentials", "LMHC, LPC"),
        bio=fields.pop("bio", "A group practice that trains new counselors."),
        **fields,
    )
    db.session.add(author)
    transaction.commit()
    return author


def make_article(
    title=None,
    *,
    body="Would you connect with your therapist on social media?\n\nTell us below.",
    summary="A question about boundaries.",
    author=None,
    status=ArticleStatus.PUBLISHED,
    published_at=None,
    poll_question=None,
    poll_options=("Yes", "No"),
    poll_kind=PollKind.SINGLE,
    allow_anonymous=False,
    results_visibility=ResultsVisibility.ALWAYS,
    **fields,
):
    n = next(_sequence)
    title = title or f"Would you friend your therapist? ({n})"
    article = Article(
        slug=fields.pop("slug", f"article-{n}"),
        title=title,
        summary=summary,
        body_markdown=body,
        body_html=render_article(body),
        status=ArticleStatus(status),
        published_at=published_at
        or (utcnow() - timedelta(hours=n) if status != ArticleStatus.DRAFT else None),
        author=author or make_author(),
        **fields,
    )
    if poll_question:
        article.poll = Poll(
            question=poll_question,
            kind=poll_kind,
            allow_anonymous=allow_anonymous,
            results_visibility=results_visibility,
            options=[PollOption(position=i, label=label) for i, label in enumerate(poll_options)],
        )
    db.session.add(article)
    db.session.flush()
    search.index_article(article)
    transaction.commit()
    return article


def make_comment(article, author, body="I would never add my therapist.", *, parent=None, **fields):
    """A comment stored directly, bypassing the posting rules (for moderation tests)."""
    from app.models import Comment, CommentStatus
    from app.services.infra.markdown import render_comment

    status = fields.pop("status", CommentStatus.PUBLISHED)
    comment = Comment(
        article_id=article.id,
        author_id=author.id if author else None,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body_markdown=body,
        body_html=render_comment(body),
        status=status,
        **fields,
    )
    db.session.add(comment)
    if status == CommentStatus.PUBLISHED:
        article.comment_count += 1
    transaction.commit()
    return comment
