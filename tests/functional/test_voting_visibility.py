"""Results on the article page follow the poll's rule: always, after voting, after closing."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Poll, ResultsVisibility, utcnow


def page(forms, article):
    return forms.client.get(f"/articles/{article.slug}").get_data(as_text=True)


def vote(forms, article):
    yes = article.poll.options[0].id
    forms.submit(
        f"/articles/{article.slug}",
        {"option_ids": yes},
        action_url=f"/polls/{article.poll.id}/vote",
    )


@pytest.mark.parametrize(
    ("rule", "voted", "closed", "visible"),
    [
        (ResultsVisibility.ALWAYS, False, False, True),
        (ResultsVisibility.AFTER_VOTE, False, False, False),
        (ResultsVisibility.AFTER_VOTE, True, False, True),
        (ResultsVisibility.AFTER_VOTE, False, True, True),
        (ResultsVisibility.AFTER_CLOSE, True, False, False),
        (ResultsVisibility.AFTER_CLOSE, False, True, True),
    ],
)
def test_results_visible_rule(rule, voted, closed, visible):
    poll = Poll(question="?", results_visibility=rule)
    if closed:
        poll.closed_at = utcnow() - timedelta(hours=1)
    assert poll.results_visible(voted) is visible


def test_after_vote_results_appear_once_the_member_voted(forms, make_user, make_article):
    make_user("robin")
    article = make_article(
        poll_question="Friend request?", results_visibility=ResultsVisibility.AFTER_VOTE
    )
    forms.login("robin")
    before = page(forms, article)
    assert "Results appear once you have voted" in before
    vote(forms, article)
    after = page(forms, article)
    assert "Results appear" not in after
    assert "You voted:" in after


def test_after_close_results_wait_for_the_close(forms, make_user, make_article):
    make_user("robin")
    article = make_article(
        poll_question="Friend request?", results_visibility=ResultsVisibility.AFTER_CLOSE
    )
    forms.login("robin")
    vote(forms, article)
    assert "Results appear when the poll closes" in page(forms, article)
    article.poll.closed_at = utcnow()
    db.session.commit()
    closed = page(forms, article)
    assert "Results appear" not in closed
    assert "This poll is closed" in closed and "Change my vote" not in closed


def test_always_visible_results_show_before_voting(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    html = page(forms, article)
    assert "Results appear" not in html
    assert ">Vote</button>" in html


def test_panel_fragment_is_what_the_script_swaps_in(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    fragment = forms.client.get(f"/polls/{article.poll.id}/panel")
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert html.count("data-poll-panel") == 1 and "<html" not in html
    assert forms.client.get("/polls/9999/panel").status_code == 404
