"""Article page and comments API: the same number of queries at 10 and 10,000 comments."""

import random
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from app.demo.load import generate_comments
from app.extensions import db
from app.models import Comment, Vote, VoteChoice

# Savepoints around each request would count as queries.
pytestmark = [pytest.mark.slow, pytest.mark.real_commits]


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        # Transaction control (SQLite's BEGIN IMMEDIATE/BEGIN) is not a query.
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def discussion_of(make_article, make_user, count, name):
    article = make_article(poll_question="Would you friend your therapist?")
    members = [
        make_user(
            f"{name}{i}",
            role=("client", "professional")[i % 2],
            show_stance=True,
            show_role_badge=True,
        )
        for i in range(6)
    ]
    for i, member in enumerate(members):
        option = article.poll.options[i % 2]
        db.session.add(
            Vote(
                poll_id=article.poll.id,
                user_id=member.id,
                voter_role=member.community_role,
                choices=[VoteChoice(option_id=option.id)],
            )
        )
    generate_comments(article.id, [m.id for m in members], count, random.Random(count))
    db.session.commit()
    return article, members


def queries_for(client, url):
    db.session.expunge_all()
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


PATHS = (
    "/articles/{slug}",
    "/articles/{slug}?sort=helpful&page=2",
    "/articles/{slug}?sort=common_ground&page=2",
    "/articles/{slug}?role=clients",
    "/articles/{slug}?stance={stance}",
    "/api/v1/articles/{slug}/comments",
    "/api/v1/articles/{slug}/comments?sort=newest&page=3",
    "/api/v1/articles/{slug}/comments?sort=common_ground&page=2",
)


def test_query_count_does_not_grow_with_the_discussion(client, forms, make_article, make_user):
    small, _ = discussion_of(make_article, make_user, 10, "s")
    large, _ = discussion_of(make_article, make_user, 10_000, "l")
    assert (
        db.session.scalar(select(func.count(Comment.id)).where(Comment.article_id == large.id))
        == 10_000
    )
    small_url = {"slug": small.slug, "stance": small.poll.options[0].id}
    large_url = {"slug": large.slug, "stance": large.poll.options[0].id}
    # A member who voted in neither poll, so the poll panel does the same work on both pages.
    member = make_user("viewer").username

    for logged_in in (False, True):
        if logged_in:
            forms.login(member)
            client.get("/")  # shows the welcome message, which no measured page should carry
        for path in PATHS:
            # The small discussion has a single page; it answers on its first.
            small_path = path.replace("page=2", "page=1").replace("page=3", "page=1")
            at_10 = queries_for(client, small_path.format(**small_url))
            at_10_000 = queries_for(client, path.format(**large_url))
            assert len(at_10) == len(at_10_000), (
                path,
                logged_in,
                [q[:90] for q in at_10],
                [q[:90] for q in at_10_000],
            )
            if path.startswith("/api/"):
                # article, poll options, page of threads, their total, their comments, stances;
                # and, as the JSON is kept, the three moments the clock could change it at
                assert len(at_10_000) <= 6 + 3 + logged_in, (path, at_10_000)
