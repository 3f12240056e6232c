"""Voting through the article page's form: members, anonymous readers, and every refusal."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import (
    AccountStatus,
    CommunityRole,
    PollKind,
    Vote,
    VoteHistory,
    utcnow,
)
from app.services.polls import tally
from app.services.polls.rebuild import rebuild_tallies


def page_of(article):
    return f"/articles/{article.slug}"


def vote(forms, article, data, follow=False):
    return forms.submit(
        page_of(article), data, action_url=f"/polls/{article.poll.id}/vote", follow_redirects=follow
    )


def option(article, label):
    return next(o.id for o in article.poll.options if o.label == label)


def votes_of(poll):
    db.session.expire_all()
    return db.session.scalars(db.select(Vote).where(Vote.poll_id == poll.id)).all()


def counts(poll):
    return {cell.option_id: cell.count for cell in tally.option_counts(poll.id)}


def label_for(html, text):
    """The id of the input whose <label> reads `text`."""
    match = re.search(rf'<label for="([^"]+)">{re.escape(text)}</label>', html)
    return match and match.group(1)


def test_member_votes_with_the_form_and_sees_their_answer(forms, make_user, make_article):
    make_user("robin", role="client")
    article = make_article(poll_question="Would you friend your therapist?")
    forms.login("robin")
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert label_for(page, "Yes") and label_for(page, "No")
    assert 'type="radio"' in page and ">Vote</button>" in page
    assert "neither" not in page.lower()  # members do not declare a role again

    response = vote(forms, article, {"option_ids": option(article, "Yes")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page_of(article)}#poll")

    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert "You voted: <strong>Yes</strong>" in page
    assert "Change my vote" in page
    assert "your vote is counted" in page
    [stored] = votes_of(article.poll)
    assert (stored.voter_role, stored.voter_token) == (CommunityRole.CLIENT, None)
    assert counts(article.poll) == {option(article, "Yes"): 1}


def test_member_changes_their_vote_and_history_is_kept(forms, make_user, make_article):
    make_user("robin", role="professional", discipline="counselor", verified=True)
    article = make_article(poll_question="Would you friend your therapist?")
    forms.login("robin")
    vote(forms, article, {"option_ids": option(article, "Yes")})
    vote(forms, article, {"option_ids": option(article, "No")})

    [stored] = votes_of(article.poll)
    assert [c.option_id for c in stored.choices] == [option(article, "No")]
    history = db.session.scalars(db.select(VoteHistory).order_by(VoteHistory.id)).all()
    assert [h.option_ids for h in history] == [[option(article, "Yes")], [option(article, "No")]]
    assert counts(article.poll) == {option(article, "No"): 1}
    assert tally.stance_changes(article.poll.id).voters_who_changed == 1
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert "You voted: <strong>No</strong>" in page


def test_multiple_choice_poll_takes_several_answers(forms, make_user, make_article):
    make_user("robin")
    article = make_article(
        poll_question="Where would you connect?",
        poll_options=("Facebook", "LinkedIn", "Nowhere"),
        poll_kind=PollKind.MULTIPLE,
    )
    forms.login("robin")
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert page.count('type="checkbox"') == 3
    vote(forms, article, {"option_ids": [option(article, "Facebook"), option(article, "LinkedIn")]})
    [stored] = votes_of(article.poll)
    assert sorted(c.option.label for c in stored.choices) == ["Facebook", "LinkedIn"]
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert "You voted: <strong>Facebook, LinkedIn</strong>" in page


def test_single_choice_refuses_two_answers_and_empty_ballots(forms, make_user, make_article):
    make_user("robin")
    article = make_article(poll_question="Would you friend your therapist?")
    forms.login("robin")
    both = [option(article, "Yes"), option(article, "No")]
    page = vote(forms, article, {"option_ids": both}, follow=True).get_data(as_text=True)
    assert "This poll takes a single answer: choose only one." in page
    page = vote(forms, article, {}, follow=True).get_data(as_text=True)
    assert "Choose an answer before voting." in page
    page = vote(forms, article, {"option_ids": "999999"}, follow=True).get_data(as_text=True)
    assert "not one of this poll&#39;s options" in page
    assert votes_of(article.poll) == []


def test_closed_and_not_yet_open_polls_refuse_votes(forms, make_user, make_article):
    make_user("robin")
    closed = make_article(poll_question="Closed question?")
    closed.poll.closed_at = utcnow() - timedelta(days=1)
    later = make_article(poll_question="Later question?")
    later.poll.opens_at = utcnow() + timedelta(days=3)
    db.session.commit()
    forms.login("robin")

    page = forms.client.get(page_of(closed)).get_data(as_text=True)
    assert "This poll is closed" in page and ">Vote</button>" not in page
    page = vote(forms, closed, {"option_ids": option(closed, "Yes")}, follow=True).get_data(
        as_text=True
    )
    assert "This poll is closed: votes can no longer be cast or changed." in page

    page = forms.client.get(page_of(later)).get_data(as_text=True)
    assert "This poll is not open yet" in page and ">Vote</button>" not in page
    response = vote(forms, later, {"option_ids": option(later, "Yes")}, follow=True)
    assert "This poll is not open yet: it opens on" in response.get_data(as_text=True)
    assert votes_of(closed.poll) == [] and votes_of(later.poll) == []


def test_unknown_poll_is_not_found(forms, make_user, make_article):
    article = make_article(poll_question="Friend request?")
    response = forms.submit(page_of(article), {"option_ids": "1"}, action_url="/polls/9999/vote")
    assert response.status_code == 404


def test_anonymous_reader_is_sent_to_log_in_where_the_poll_counts_members_only(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=False)
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert "Log in to vote</a>" in page and ">Vote</button>" not in page
    page = vote(forms, article, {"option_ids": option(article, "Yes"), "role": "client"}, True)
    assert "Log in to vote" in page.get_data(as_text=True)
    assert votes_of(article.poll) == []


def test_anonymous_reader_votes_once_with_a_voter_cookie(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    for role_label in ("client", "professional", "Neither"):
        assert re.search(rf"<label for=\"role-\d\">[^<]*{role_label}", page), role_label

    response = vote(forms, article, {"option_ids": option(article, "Yes"), "role": "client"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("voter=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie

    vote(forms, article, {"option_ids": option(article, "No"), "role": "client"})
    [stored] = votes_of(article.poll)
    assert stored.user_id is None and stored.voter_role is CommunityRole.CLIENT
    assert re.fullmatch(r"[0-9a-f]{64}", stored.address_hash)
    assert "127.0.0.1" not in stored.address_hash
    assert [c.option_id for c in stored.choices] == [option(article, "No")]
    page = forms.client.get(page_of(article)).get_data(as_text=True)
    assert "You voted: <strong>No</strong>" in page

    # Another browser: no voter cookie.
    forms.client.delete_cookie("voter")
    vote(forms, article, {"option_ids": option(article, "Yes"), "role": "reader"})
    assert len(votes_of(article.poll)) == 2


def test_anonymous_reader_must_declare_a_role(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    page = vote(forms, article, {"option_ids": option(article, "Yes")}, follow=True)
    assert "Tell us whether you are a client, a professional or neither" in page.get_data(
        as_text=True
    )
    assert votes_of(article.poll) == []


def test_a_forged_voter_cookie_is_not_trusted(forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    vote(forms, article, {"option_ids": option(article, "Yes"), "role": "client"})
    [first] = votes_of(article.poll)
    forms.client.set_cookie("voter", first.voter_token)  # the raw token, unsigned
    vote(forms, article, {"option_ids": option(article, "No"), "role": "client"})
    assert len(votes_of(article.poll)) == 2


def test_anonymous_votes_are_rate_limited_per_address(app, forms, make_user, make_article):
    app.config["ANONYMOUS_VOTE_RATE_LIMIT"] = "2 per minute"
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    data = {"option_ids": option(article, "Yes"), "role": "reader"}
    assert vote(forms, article, data).status_code == 302
    assert vote(forms, article, data).status_code == 302
    response = vote(forms, article, data)
    assert response.status_code == 429
    assert "Too many votes from your network address" in response.get_data(as_text=True)

    make_user("robin")
    forms.login("robin")
    for _ in range(3):
        assert vote(forms, article, {"option_ids": option(article, "No")}).status_code == 302


def test_the_role_at_voting_time_stays_with_the_vote(forms, make_user, make_article):
    member = make_user("robin", role="client")
    article = make_article(poll_question="Friend request?")
    forms.login("robin")
    vote(forms, article, {"option_ids": option(article, "Yes")})
    member.community_role = CommunityRole.PROFESSIONAL
    member.discipline = "psychologist"
    db.session.commit()
    rebuild_tallies(article.poll.id)
    db.session.commit()

    [stored] = votes_of(article.poll)
    assert stored.voter_role is CommunityRole.CLIENT and stored.voter_discipline is None
    assert [(c.role, c.count) for c in tally.option_counts(article.poll.id)] == [("client", 1)]


def test_suspended_member_is_told_why_they_cannot_vote(forms, make_user, make_article):
    make_user(
        "robin",
        account_status=AccountStatus.SUSPENDED,
        suspended_until=utcnow() + timedelta(days=3),
    )
    article = make_article(poll_question="Friend request?")
    forms.login("robin")
    response = vote(forms, article, {"option_ids": option(article, "Yes")}, follow=True)
    assert "Your account is suspended until" in response.get_data(as_text=True)
    assert votes_of(article.poll) == []


def test_purge_command_forgets_old_address_hashes(runner, forms, make_article):
    article = make_article(poll_question="Friend request?", allow_anonymous=True)
    vote(forms, article, {"option_ids": option(article, "Yes"), "role": "client"})
    forms.client.delete_cookie("voter")
    vote(forms, article, {"option_ids": option(article, "No"), "role": "client"})
    old, recent = sorted(votes_of(article.poll), key=lambda v: v.id)
    old.updated_at = utcnow() - timedelta(days=31)
    db.session.commit()

    result = runner.invoke(args=["purge-voter-addresses"])
    assert result.exit_code == 0 and "Cleared 1 voter address hashes." in result.output
    old, recent = sorted(votes_of(article.poll), key=lambda v: v.id)
    assert old.address_hash is None and recent.address_hash is not None


def test_rebuild_command_restores_damaged_tallies(runner, make_user, make_article):
    from app.models.polls import OptionTally
    from app.services.polls.voting import cast_vote

    article = make_article(poll_question="Friend request?")
    cast_vote(article.poll, [option(article, "Yes")], user=make_user())
    db.session.commit()
    db.session.execute(db.update(OptionTally).values(count=40))
    db.session.commit()
    result = runner.invoke(args=["rebuild-tallies", "--poll", str(article.poll.id)])
    assert result.exit_code == 0
    assert counts(article.poll) == {option(article, "Yes"): 1}
