"""The polls API: the poll, its results as the reader may see them, and voting with JSON."""

from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from app.extensions import db
from app.models import PollKind, ResultsVisibility, Vote, utcnow
from tests.conftest import form_token


def option(article, label):
    return next(o.id for o in article.poll.options if o.label == label)


def token_for(client, article):
    return form_token(client, client.get(f"/articles/{article.slug}").get_data(as_text=True))


def post_vote(client, article, body, token=None, poll_id=None):
    headers = {} if token is False else {"X-CSRFToken": token or token_for(client, article)}
    return client.post(
        f"/api/v1/polls/{poll_id or article.poll.id}/votes", json=body, headers=headers
    )


def stored_votes(article):
    db.session.expire_all()
    return db.session.scalar(
        db.select(db.func.count()).select_from(Vote).where(Vote.poll_id == article.poll.id)
    )


@pytest.fixture
def member(forms, make_user):
    make_user("robin", role="client")
    forms.login("robin")
    return forms.client


def test_poll_detail(client, make_article):
    article = make_article(poll_question="Would you friend your therapist?")
    data = client.get(f"/api/v1/polls/{article.poll.id}").get_json()
    assert data["id"] == article.poll.id
    assert data["question"] == "Would you friend your therapist?"
    assert (data["kind"], data["status"], data["closes_at"]) == ("single", "open", None)
    assert [o["label"] for o in data["options"]] == ["Yes", "No"]


def test_unknown_poll_is_a_json_404(client, make_article):
    article = make_article(poll_question="Friend request?")
    for response in (
        client.get("/api/v1/polls/9999"),
        client.get("/api/v1/polls/9999/results"),
        post_vote(client, article, {"option_ids": [1]}, poll_id=9999),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["status"] == 404


def test_member_votes_and_gets_the_results(member, make_article):
    article = make_article(poll_question="Friend request?")
    response = post_vote(member, article, {"option_ids": [option(article, "No")]})
    assert response.status_code == 200
    data = response.get_json()
    assert data["voted"] is True and data["your_answer"] == [option(article, "No")]
    assert data["poll_id"] == article.poll.id
    assert {o["id"] for o in data["options"]} == {o.id for o in article.poll.options}
    assert "breakdown" in data and data["min_group_size"] == 5
    assert stored_votes(article) == 1

    again = post_vote(member, article, {"option_ids": [option(article, "Yes")]})
    assert again.status_code == 200 and again.get_json()["your_answer"] == [option(article, "Yes")]
    assert stored_votes(article) == 1


def test_hidden_results_answer_with_a_message(member, make_article):
    article = make_article(
        poll_question="Friend request?", results_visibility=ResultsVisibility.AFTER_CLOSE
    )
    data = post_vote(member, article, {"option_ids": [option(article, "Yes")]}).get_json()
    assert data["voted"] is True and data["results"] is None
    assert "shown once it closes" in data["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"option_ids": [999999]}, "not one of this poll's options"),
        ({"option_ids": []}, "Choose an answer"),
        ({"option_ids": "1"}, "must be a list of option ids"),
        ({"option_ids": [True]}, "must be a list of option ids"),
        ({"option_ids": [1.5]}, "must be a list of option ids"),
        ({"options": [1]}, "must be a list of option ids"),
        (["not", "an", "object"], "not valid JSON"),
    ],
)
def test_bad_ballots_are_json_400s(member, make_article, body, message):
    article = make_article(poll_question="Friend request?")
    response = post_vote(member, article, body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    assert stored_votes(article) == 0


def test_two_options_on_a_single_choice_poll(member, make_article):
    article = make_article(poll_question="Friend request?")
    response = post_vote(member, article, {"option_ids": [o.id for o in article.poll.options]})
    assert response.status_code == 400
    assert "single answer" in response.get_json()["error"]["message"]
    multiple = make_article(poll_question="Where?", poll_kind=PollKind.MULTIPLE)
    ok = post_vote(member, multiple, {"option_ids": [o.id for o in multiple.poll.options]})
    assert ok.status_code == 200


def test_malformed_json_is_a_400(member, make_article):
    article = make_article(poll_question="Friend request?")
    response = member.post(
        f"/api/v1/polls/{article.poll.id}/votes",
        data="{option_ids: [",
        content_type="application/json",
        headers={"X-CSRFToken": token_for(member, article)},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["error"]["message"]


def test_missing_or_wrong_csrf_token_is_a_400(member, make_article):
    article = make_article(poll_question="Friend request?")
    ballot = {"option_ids": [option(article, "Yes")]}
    for token in (False, "forged-token"):
        response = post_vote(member, article, ballot, token=token)
        assert response.status_code == 400
        assert "CSRF" in response.get_json()["error"]["message"]
    assert stored_votes(article) == 0


def test_closed_and_not_yet_open_polls_are_409s(member, make_article):
    closed = make_article(poll_question="Closed?")
    closed.poll.closes_at = utcnow() - timedelta(minutes=1)
    later = make_article(poll_question="Later?")
    later.poll.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    for article, message in ((closed, "closed"), (later, "not open yet")):
        response = post_vote(member, article, {"option_ids": [option(article, "Yes")]})
        assert response.status_code == 409
        assert message in response.get_json()["error"]["message"]
    assert member.get(f"/api/v1/polls/{closed.poll.id}").get_json()["status"] == "closed"


def test_anonymous_votes(client, make_article):
    members_only = make_article(poll_question="Members only?")
    response = post_vote(client, members_only, {"option_ids": [option(members_only, "Yes")]})
    assert response.status_code == 401
    assert "Log in to vote" in response.get_json()["error"]["message"]

    open_poll = make_article(poll_question="Anyone?", allow_anonymous=True)
    response = post_vote(client, open_poll, {"option_ids": [option(open_poll, "Yes")]})
    assert (
        response.status_code == 400
        and "client, a professional or neither" in (response.get_json()["error"]["message"])
    )
    body = {"option_ids": [option(open_poll, "Yes")], "role": "professional"}
    response = post_vote(client, open_poll, body)
    assert response.status_code == 200
    assert "HttpOnly" in response.headers["Set-Cookie"]
    body["option_ids"] = [option(open_poll, "No")]
    assert post_vote(client, open_poll, body).status_code == 200
    assert stored_votes(open_poll) == 1


def test_anonymous_votes_are_rate_limited(app, client, make_article):
    app.config["ANONYMOUS_VOTE_RATE_LIMIT"] = "1 per minute"
    article = make_article(poll_question="Anyone?", allow_anonymous=True)
    token = token_for(client, article)
    body = {"option_ids": [option(article, "Yes")], "role": "reader"}
    assert post_vote(client, article, body, token=token).status_code == 200
    response = post_vote(client, article, body, token=token)
    assert response.status_code == 429
    assert "Too many votes" in response.get_json()["error"]["message"]


def test_results_obey_the_visibility_rule(member, make_article):
    article = make_article(
        poll_question="After voting?", results_visibility=ResultsVisibility.AFTER_VOTE
    )
    url = f"/api/v1/polls/{article.poll.id}/results"
    response = member.get(url)
    assert response.status_code == 403
    assert "after you vote" in response.get_json()["error"]["message"]
    post_vote(member, article, {"option_ids": [option(article, "Yes")]})
    data = member.get(f"{url}?by=discipline&scope=members").get_json()
    assert data["breakdown"]["by"] == "discipline"

    after_close = make_article(
        poll_question="After closing?", results_visibility=ResultsVisibility.AFTER_CLOSE
    )
    post_vote(member, after_close, {"option_ids": [option(after_close, "Yes")]})
    url = f"/api/v1/polls/{after_close.poll.id}/results"
    assert member.get(url).status_code == 403
    after_close.poll.closed_at = utcnow()
    db.session.commit()
    assert member.get(url).status_code == 200


def test_results_reject_unknown_breakdowns(client, make_article):
    article = make_article(poll_question="Friend request?")
    url = f"/api/v1/polls/{article.poll.id}/results"
    for query in ("by=age", "scope=everyone"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert response.get_json()["error"]["status"] == 400


def test_openapi_document_describes_the_poll_routes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    paths = document["paths"]
    assert {"/polls/{poll_id}", "/polls/{poll_id}/results", "/polls/{poll_id}/votes"} <= set(paths)
    responses = paths["/polls/{poll_id}/votes"]["post"]["responses"]
    assert {"200", "400", "401", "404", "409", "429"} <= set(responses)
    error = responses["409"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}


def test_the_document_says_a_ballot_names_at_least_one_option(client):
    # An empty list is refused ("Choose an answer"), so the document must not call it valid.
    document = client.get("/api/v1/openapi.json").get_json()
    option_ids = document["components"]["schemas"]["Ballot"]["properties"]["option_ids"]
    assert option_ids["minItems"] == 1
