"""Everything published about a poll, read together, never gives away a small count.

Polls are made up (hypothesis), published through the site's entry points in all six views
with their CSVs, and read back by an outside reader (tests.privacy.reader) that solves its own
linear programmes. Set PRIVACY_EXAMPLES for a longer run, e.g. PRIVACY_EXAMPLES=2000.
"""

import os
from collections import Counter

from hypothesis import HealthCheck, given, settings

from tests.privacy.generate import MadeUpPoll, polls, the_issue_poll
from tests.privacy.publish import publish, publish_changes
from tests.privacy.reader import Reader

EXAMPLES = int(os.environ.get("PRIVACY_EXAMPLES", "40"))


def assert_safe(poll: MadeUpPoll) -> None:
    documents, texts = publish(poll)
    changes, changes_text = publish_changes(poll)
    found = Reader(documents, texts, [changes], [changes_text]).violations(poll.truth())
    assert not found, "\n".join(found)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(polls())
def test_no_view_or_combination_of_views_gives_away_a_small_count(poll):
    assert_safe(poll)


def test_the_poll_of_the_issue_is_safe_in_every_view():
    assert_safe(the_issue_poll())


def test_the_poll_of_the_issue_under_k_3_is_safe_in_every_view():
    poll = the_issue_poll()
    poll.k = 3
    assert_safe(poll)


def test_a_multiple_choice_poll_with_one_large_group_is_safe():
    poll = the_issue_poll()
    poll.kind = "multiple"
    # Three hundred members who are clients, most choosing both first answers.
    poll.voters += [("member", ("client", None), (101, 102))] * 280
    poll.voters += [("member", ("client", None), (103,))] * 20
    first_week = poll.periods[0]
    poll.ballots[(first_week, "member")] += 2 * 280 + 20
    # In a multiple-choice poll, changes have no from and to.
    poll.moves = Counter({(role, None, e): n for (role, _, e), n in poll.moves.items()})
    assert_safe(poll)


def test_a_poll_without_votes_is_safe():
    poll = the_issue_poll()
    poll.voters, poll.ballots = [], type(poll.ballots)()
    poll.voters_who_changed = poll.changes = 0
    poll.moves.clear()
    assert_safe(poll)
