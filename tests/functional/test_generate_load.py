"""`flask generate-load`: synthetic members, articles with polls, votes and comments."""

import re

from app.extensions import db
from app.models import Article, Comment, User, Vote, VoteHistory
from app.services.polls import tally
from app.services.polls.rebuild import rebuild_tallies
from app.services.polls.tally import Scope


def snapshot(poll_id):
    return (
        tally.option_counts(poll_id, Scope.ALL),
        tally.voter_counts(poll_id, Scope.MEMBERS),
        tally.daily_counts(poll_id, Scope.VERIFIED),
        tally.stance_changes(poll_id),
    )


def test_generate_load_creates_articles_polls_votes_and_comments(client, runner):
    result = runner.invoke(
        args=[
            "generate-load",
            "--articles",
            "2",
            "--members",
            "30",
            "--votes",
            "120",
            "--comments",
            "15",
            "--seed",
            "5",
        ]
    )
    assert result.exit_code == 0, result.output
    created = re.findall(r"^slug=(\S+) poll=(\d+)$", result.stdout, re.MULTILINE)
    assert len(created) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 30

    for slug, poll_id in created:
        poll_id = int(poll_id)
        article = db.session.scalar(db.select(Article).where(Article.slug == slug))
        assert article.poll.id == poll_id
        assert client.get(f"/articles/{slug}").status_code == 200
        votes = db.session.scalar(
            db.select(db.func.count()).select_from(Vote).where(Vote.poll_id == poll_id)
        )
        assert votes == 120
        assert sum(c.voters for c in tally.voter_counts(poll_id, Scope.ALL)) == 120
        assert sum(c.voters for c in tally.voter_counts(poll_id, Scope.MEMBERS)) == 30
        history = db.session.scalar(
            db.select(db.func.count())
            .select_from(VoteHistory)
            .where(VoteHistory.poll_id == poll_id)
        )
        assert history == 120 + tally.stance_changes(poll_id).changes
        comments = db.session.scalar(
            db.select(db.func.count()).select_from(Comment).where(Comment.article_id == article.id)
        )
        assert comments == 15
        before = snapshot(poll_id)
        rebuild_tallies(poll_id)
        assert snapshot(poll_id) == before
