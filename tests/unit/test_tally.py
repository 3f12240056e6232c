"""Tallies kept with each vote agree with tallies rebuilt from the votes, however votes change."""

import random
from collections import Counter
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    AccountStatus,
    CommunityRole,
    Discipline,
    Engagement,
    HelpfulMark,
    PollKind,
    VerificationStatus,
    Vote,
    VoteChoice,
    VoteHistory,
    utcnow,
)
from app.services.polls import tally
from app.services.polls.rebuild import rebuild_tallies
from app.services.polls.tally import Scope
from app.services.polls.voting import VotingError, cast_vote
from tests.factories import make_comment


def everything(poll_id):
    return {
        "options": {scope: tally.option_counts(poll_id, scope) for scope in Scope},
        "voters": {scope: tally.voter_counts(poll_id, scope) for scope in Scope},
        "daily": {scope: tally.daily_counts(poll_id, scope) for scope in Scope},
        "stance": tally.stance_changes(poll_id),
        "changes": tally.change_cells(poll_id),
    }


def choices_per_option(poll_id):
    rows = db.session.execute(
        db.select(VoteChoice.option_id, db.func.count())
        .join(Vote)
        .where(Vote.poll_id == poll_id)
        .group_by(VoteChoice.option_id)
    )
    return dict(rows.all())


def _profile_change(user, rng):
    user.community_role = rng.choice(list(CommunityRole))
    user.discipline = (
        rng.choice(list(Discipline)) if user.community_role is CommunityRole.PROFESSIONAL else None
    )
    user.verification_status = rng.choice(
        [VerificationStatus.VERIFIED, VerificationStatus.UNVERIFIED]
    )


def _random_ballot(poll, rng):
    ids = [option.id for option in poll.options]
    if poll.kind is PollKind.SINGLE:
        return [rng.choice(ids)]
    return rng.sample(ids, rng.randint(1, len(ids)))


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.MULTIPLE])
def test_incremental_tallies_equal_rebuilt_tallies_after_random_votes(
    make_user, make_article, kind
):
    rng = random.Random(20240611)
    article = make_article(
        poll_question="Would you follow your therapist on social media?",
        poll_options=("Yes", "No", "Only professionally", "Not sure"),
        poll_kind=kind,
        allow_anonymous=True,
    )
    poll = article.poll
    members = [
        make_user(
            role=rng.choice(["client", "professional", "reader"]),
            discipline="counselor",
            verified=rng.random() < 0.5,
        )
        for _ in range(12)
    ]
    tokens = [f"token-{n}" for n in range(10)]
    start = utcnow() - timedelta(days=5)
    comments = []
    for step in range(300):
        now = start + timedelta(minutes=20 * step)
        if rng.random() < 0.1:
            _profile_change(rng.choice(members), rng)
        # The discussion opens a third of the way in; members then post and mark comments.
        if step >= 100 and rng.random() < 0.15:
            comments.append(make_comment(article, rng.choice(members), created_at=now))
        if comments and rng.random() < 0.1:
            marker = rng.choice(members)
            mark = HelpfulMark(
                comment_id=rng.choice(comments).id,
                user_id=marker.id,
                marker_role=marker.community_role,
            )
            if not db.session.scalar(
                db.select(HelpfulMark).filter_by(comment_id=mark.comment_id, user_id=mark.user_id)
            ):
                mark.created_at = now
                db.session.add(mark)
        if rng.random() < 0.6:
            cast_vote(poll, _random_ballot(poll, rng), user=rng.choice(members), now=now)
        else:
            cast_vote(
                poll,
                _random_ballot(poll, rng),
                voter_token=rng.choice(tokens),
                role=rng.choice(["client", "professional", "reader"]),
                discipline=rng.choice([None, "psychologist"]),
                now=now,
            )
        db.session.commit()

    incremental = everything(poll.id)
    counted = Counter()
    for cell in incremental["options"][Scope.ALL]:
        counted[cell.option_id] += cell.count
    assert dict(counted) == choices_per_option(poll.id)
    assert sum(c.voters for c in incremental["voters"][Scope.ALL]) == db.session.scalar(
        db.select(db.func.count()).select_from(Vote).where(Vote.poll_id == poll.id)
    )
    assert sum(n for _, _, n in incremental["daily"][Scope.ALL]) == sum(
        len(h.option_ids) for h in db.session.scalars(db.select(VoteHistory))
    )
    assert incremental["stance"].changes > 0
    engagements = {cell.engagement for cell in incremental["changes"]}
    assert engagements == {e.value for e in Engagement}
    assert 0 < sum(c.count for c in incremental["changes"]) < incremental["stance"].changes
    assert incremental["options"][Scope.MEMBERS] != incremental["options"][Scope.ALL]

    rebuild_tallies(poll.id)
    db.session.commit()
    assert everything(poll.id) == incremental

    rebuild_tallies()
    db.session.commit()
    assert everything(poll.id) == incremental


def test_scopes_separate_members_and_verified_professionals(make_user, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    poll = article.poll
    yes, no = (option.id for option in poll.options)
    verified = make_user(role="professional", discipline="psychologist", verified=True)
    client = make_user(role="client")
    cast_vote(poll, [yes], user=verified)
    cast_vote(poll, [no], user=client)
    cast_vote(poll, [no], voter_token="abc", role="reader")
    db.session.commit()

    def counts(scope):
        return sorted(
            (c.option_id, c.role, c.discipline, c.count)
            for c in tally.option_counts(poll.id, scope)
        )

    assert counts(Scope.ALL) == [
        (yes, "professional", "psychologist", 1),
        (no, "client", None, 1),
        (no, "reader", None, 1),
    ]
    assert counts(Scope.MEMBERS) == [
        (yes, "professional", "psychologist", 1),
        (no, "client", None, 1),
    ]
    assert counts(Scope.VERIFIED) == [(yes, "professional", "psychologist", 1)]
    assert tally.voter_counts(poll.id, Scope.VERIFIED) == [
        tally.VoterCell("professional", "psychologist", 1)
    ]


def test_change_of_answer_moves_counts_and_counts_stance_changes(make_user, make_article):
    article = make_article(poll_question="Friend request?")
    poll = article.poll
    yes, no = (option.id for option in poll.options)
    member = make_user(role="client")
    other = make_user(role="client")
    cast_vote(poll, [yes], user=member)
    cast_vote(poll, [yes], user=other)
    cast_vote(poll, [no], user=member)
    cast_vote(poll, [yes], user=member)
    cast_vote(poll, [yes], user=member)  # the same answer again is no change
    db.session.commit()

    assert [(c.option_id, c.count) for c in tally.option_counts(poll.id)] == [(yes, 2)]
    assert tally.stance_changes(poll.id) == tally.StanceChanges(
        total_voters=2, voters_who_changed=1, changes=2
    )
    today = utcnow().date()
    assert tally.daily_counts(poll.id) == [(today, yes, 4), (today, no, 1)]


def test_restricted_member_cannot_vote_and_nothing_is_counted(make_user, make_article):
    article = make_article(poll_question="Friend request?")
    banned = make_user(role="client", account_status=AccountStatus.BANNED)
    with pytest.raises(VotingError, match="banned"):
        cast_vote(article.poll, [article.poll.options[0].id], user=banned)
    db.session.rollback()
    assert tally.option_counts(article.poll.id) == []
