"""Limits on abuse: each action refuses the request after its budget, per address and per member,
with 429, `Retry-After` and a page or JSON that says when to try again."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.limits import in_words
from app.models import Comment, Report, User, utcnow
from config import ProductionConfig
from tests.conftest import FormClient, csrf_token
from tests.factories import make_comment

HOME, ELSEWHERE = "127.0.0.1", "198.51.100.9"
ONE_MINUTE_WORDS = re.compile(r"Please try again in (\d+ seconds?|1 minute)\.")


@pytest.fixture
def article(make_article):
    return make_article(poll_question="Would you friend your therapist?")


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def comments(article, writer):
    return [make_comment(article, writer, f"Comment number {n}") for n in range(6)]


def stored(model, *conditions) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def page_of(article):
    return f"/articles/{article.slug}"


def option(article, n):
    return article.poll.options[n % 2].id


@dataclass
class Action:
    """Something a member can do again and again, and the settings that limit it."""

    name: str
    setting: str
    run: callable  # (forms, article, comments, n) -> response
    ok: int = 302


def post_comment(forms, article, comments, n):
    return forms.submit(
        page_of(article), {"body": f"My view, take {n}"}, f"/articles/{article.slug}/comments"
    )


def post_reply(forms, article, comments, n):
    return forms.submit(f"/comments/{comments[0].id}/reply", {"body": f"A reply, take {n}"})


def report(forms, article, comments, n):
    return forms.submit(f"/comments/{comments[n].id}/report", {"reason": "off-topic"})


def mark_helpful(forms, article, comments, n):
    data = {"next": page_of(article), "marked": "1" if n % 2 == 0 else "0"}
    return forms.submit(page_of(article), data, f"/comments/{comments[0].id}/helpful")


def preview(forms, article, comments, n):
    token = csrf_token(forms.client.get(page_of(article)).get_data(as_text=True))
    return forms.client.post(
        "/comments/preview", data={"body": f"**draft** {n}"}, headers={"X-CSRFToken": token}
    )


def vote_through_the_api(forms, article, comments, n):
    token = csrf_token(forms.client.get(page_of(article)).get_data(as_text=True))
    return forms.client.post(
        f"/api/v1/polls/{article.poll.id}/votes",
        json={"option_ids": [option(article, n)]},
        headers={"X-CSRFToken": token},
    )


def vote_with_the_form(forms, article, comments, n):
    data = {"option_ids": option(article, n)}
    return forms.submit(page_of(article), data, f"/polls/{article.poll.id}/vote")


ACTIONS = [
    Action("comment", "COMMENTS", post_comment),
    Action("reply", "COMMENTS", post_reply),
    Action("report", "REPORTS", report),
    Action("helpful mark", "HELPFUL", mark_helpful),
    Action("preview", "PREVIEWS", preview, ok=200),
    Action("vote through the API", "VOTES", vote_through_the_api, ok=200),
    Action("vote with the form", "VOTES", vote_with_the_form),
]
IDS = [action.name for action in ACTIONS]


def assert_refused_until_later(response, *, json=False):
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    if json:
        error = response.get_json()["error"]
        assert error["status"] == 429
        assert ONE_MINUTE_WORDS.search(error["message"])
    else:
        html = response.get_data(as_text=True)
        assert "Too many requests" in html
        assert ONE_MINUTE_WORDS.search(html)


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_each_action_is_limited_per_member(app, member_at, article, comments, action):
    app.config[f"LIMIT_{action.setting}_PER_ACCOUNT"] = "2 per minute"
    ana = member_at("ana")
    assert action.run(ana, article, comments, 0).status_code == action.ok
    assert action.run(ana, article, comments, 1).status_code == action.ok

    refused = action.run(ana, article, comments, 2)

    assert_refused_until_later(refused, json=action.name.endswith("API"))
    assert "from your account" in refused.get_data(as_text=True)
    # Someone else on the same network still can.
    assert action.run(member_at("ben"), article, comments, 3).status_code == action.ok


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_each_action_is_limited_per_address(app, member_at, article, comments, action):
    app.config[f"LIMIT_{action.setting}_PER_ADDRESS"] = "2 per minute"
    assert action.run(member_at("ana"), article, comments, 0).status_code == action.ok
    assert action.run(member_at("ben"), article, comments, 1).status_code == action.ok

    refused = action.run(member_at("cy"), article, comments, 2)

    assert_refused_until_later(refused, json=action.name.endswith("API"))
    assert "from your network address" in refused.get_data(as_text=True)
    elsewhere = member_at("dee", ELSEWHERE)
    assert action.run(elsewhere, article, comments, 3).status_code == action.ok


def test_comments_and_replies_share_one_budget_and_a_refused_one_is_not_posted(
    app, member_at, article, comments
):
    app.config["LIMIT_COMMENTS_PER_ACCOUNT"] = "2 per minute"
    ana = member_at("ana")
    post_comment(ana, article, comments, 0)
    post_reply(ana, article, comments, 1)

    assert post_comment(ana, article, comments, 2).status_code == 429
    assert post_reply(ana, article, comments, 3).status_code == 429
    ana_id = db.session.scalar(select(User.id).where(User.username == "ana"))
    assert stored(Comment, Comment.author_id == ana_id) == 2


def test_a_refused_helpful_mark_from_the_page_script_gets_json(app, member_at, article, comments):
    app.config["LIMIT_HELPFUL_PER_ACCOUNT"] = "1 per minute"
    ana = member_at("ana")
    token = csrf_token(ana.client.get(page_of(article)).get_data(as_text=True))

    def fetch():
        return ana.client.post(
            f"/comments/{comments[0].id}/helpful",
            data={"marked": "1"},
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )

    assert fetch().status_code == 200
    assert_refused_until_later(fetch(), json=True)


def test_logins_are_limited_per_account_from_rotating_addresses(app, client, make_user):
    app.config["LIMIT_LOGIN_PER_ACCOUNT"] = "3 per hour"
    make_user("steadyoak")
    make_user("otherfern")
    forms = FormClient(client)
    for n in range(3):
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        assert (
            forms.login(" SteadyOak" if n else "steadyoak", "guessing wrongly").status_code == 200
        )

    client.environ_base["REMOTE_ADDR"] = "192.0.2.99"
    refused = forms.login("steadyoak")

    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many failed attempts to log in to this account" in html
    assert int(refused.headers["Retry-After"]) > 60
    assert re.search(r"Please try again in (\d+ minutes?|1 hour)\.", html)
    assert "Log out" not in client.get("/").get_data(as_text=True)
    # Another account from the same address is not held back.
    assert forms.login("otherfern").status_code == 302


def test_successful_logins_do_not_use_up_the_account_budget(app, make_user, member_at):
    app.config["LIMIT_LOGIN_PER_ACCOUNT"] = "2 per hour"
    make_user("steadyoak")
    for n in range(4):
        member_at("steadyoak", f"192.0.2.{n + 1}")


def test_reset_requests_are_limited_per_name_whether_or_not_it_has_an_account(
    app, client, make_user
):
    app.config["LIMIT_RESET_PER_ACCOUNT"] = "2 per hour"
    make_user("steadyoak", email="oak@example.org")
    forms = FormClient(client)
    for identifier in ("steadyoak", "nobody-here"):
        for n in range(2):
            client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
            answer = forms.submit("/account/reset", {"identifier": identifier.upper()})
            assert answer.status_code == 302
        client.environ_base["REMOTE_ADDR"] = "192.0.2.50"
        refused = forms.submit("/account/reset", {"identifier": identifier})
        assert refused.status_code == 429
        assert "Too many reset requests for this username or e-mail address" in refused.get_data(
            as_text=True
        )
        assert int(refused.headers["Retry-After"]) > 60


def test_reset_requests_are_limited_per_address(app, client):
    app.config["LIMIT_RESET_PER_ADDRESS"] = "2 per hour"
    forms = FormClient(client)
    for name in ("ana", "ben"):
        assert forms.submit("/account/reset", {"identifier": name}).status_code == 302

    refused = forms.submit("/account/reset", {"identifier": "cy"})

    assert refused.status_code == 429
    assert "Too many reset requests from your network" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers


def register(client, username):
    return FormClient(client).submit(
        "/account/register",
        {
            "username": username,
            "password": "a long and memorable passphrase",
            "community_role": "reader",
        },
    )


def test_registrations_are_limited_per_address(app):
    app.config["LIMIT_REGISTER_PER_ADDRESS"] = "2 per hour"

    def newcomer(address):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    assert register(newcomer(HOME), "firstfern").status_code == 302
    assert register(newcomer(HOME), "secondfern").status_code == 302

    refused = register(newcomer(HOME), "thirdfern")

    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many new accounts from your network address" in html
    assert re.search(r"Please try again in (\d+ minutes?|1 hour)\.", html)
    assert stored(User, User.username == "thirdfern") == 0
    assert register(newcomer(ELSEWHERE), "thirdfern").status_code == 302


@pytest.fixture
def trust_takes_time(app):
    """The production rule: members are trusted after three days and one approved comment."""
    app.config["TRUSTED_AFTER_DAYS"] = 3
    app.config["TRUSTED_AFTER_APPROVED_COMMENTS"] = 1


ESTABLISHED = {"created_at": utcnow() - timedelta(days=30), "approved_comment_count": 4}


def test_new_members_have_a_lower_daily_cap_on_comments(
    app, trust_takes_time, member_at, article, comments
):
    app.config["LIMIT_NEW_MEMBER_COMMENTS"] = "2 per day"
    newcomer = member_at("newcomer")
    for n in range(2):
        assert post_comment(newcomer, article, comments, n).status_code == 302

    refused = post_comment(newcomer, article, comments, 2)

    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "New members have a daily limit on comments" in html
    assert re.search(r"Please try again in \d+ (hours?|minutes?)\.", html)
    regular = member_at("regular", **ESTABLISHED)
    for n in range(3):
        assert post_comment(regular, article, comments, n).status_code == 302


def test_new_members_have_a_lower_daily_cap_on_reports(
    app, trust_takes_time, member_at, article, comments
):
    app.config["LIMIT_NEW_MEMBER_REPORTS"] = "2 per day"
    newcomer = member_at("newcomer")
    for n in range(2):
        assert report(newcomer, article, comments, n).status_code == 302

    refused = report(newcomer, article, comments, 2)

    assert refused.status_code == 429
    assert "New members have a daily limit on reports" in refused.get_data(as_text=True)
    assert stored(Report) == 2
    regular = member_at("regular", **ESTABLISHED)
    for n in range(3):
        assert report(regular, article, comments, n).status_code == 302


def test_production_refuses_to_start_without_redis():
    site = {"SECRET_KEY": "s3cret", "BASE_URL": "https://boundaries.example.org"}
    without = type("Config", (ProductionConfig,), {**site, "REDIS_URL": None})
    with pytest.raises(RuntimeError, match="REDIS_URL must be set in production"):
        create_app(without)
    type("Config", (ProductionConfig,), {**site, "REDIS_URL": "redis://r"}).validate()


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (170, "3 minutes"),
        (3540, "59 minutes"),
        (3600, "1 hour"),
        (3700, "62 minutes"),
        (5400, "2 hours"),
        (86400, "24 hours"),
        (3 * 86400, "3 days"),
    ],
)
def test_waits_are_said_in_words(seconds, words):
    assert in_words(seconds) == words
