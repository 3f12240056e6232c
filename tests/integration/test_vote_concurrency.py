"""Hundreds of members vote at once through gunicorn: no error, no lost or doubled vote."""

import random
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from requests.adapters import HTTPAdapter

from app.extensions import db
from app.models import Vote, VoteChoice
from app.services.polls import tally
from app.services.polls.rebuild import rebuild_tallies
from app.services.polls.tally import Scope
from tests.factories import DEFAULT_PASSWORD
from tests.servers import running_server

# gunicorn's workers must see the test's data: it is committed for real.
pytestmark = [pytest.mark.slow, pytest.mark.real_commits]

MEMBERS = 220
THREADS = 32
DOUBLE_SUBMITTERS = 80
CHANGERS = 40
CSRF = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"'
)


def _token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class FromAddress(HTTPAdapter):
    """Connects from a given loopback address, as distinct people connect from their own."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Voter:
    """One member's browser: a logged-in session and the page's CSRF token."""

    def __init__(self, base: str, number: int, username: str, article_path: str):
        self.session = requests.Session()
        # Logins are rate-limited per address; every member has their own.
        self.session.mount("http://", FromAddress(f"127.1.{number // 250}.{number % 250 + 1}"))
        login = self.session.get(f"{base}/account/login", timeout=30)
        response = self.session.post(
            f"{base}/account/login",
            data={
                "csrf_token": _token(login.text),
                "username": username,
                "password": DEFAULT_PASSWORD,
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code in (302, 303), f"login of {username}: {response.status_code}"
        page = self.session.get(f"{base}{article_path}", timeout=30)
        assert username in page.text, "the article page does not show the member as logged in"
        self.csrf = _token(page.text)

    def vote(self, url: str, option_id: int) -> int:
        response = self.session.post(
            url, json={"option_ids": [option_id]}, headers={"X-CSRFToken": self.csrf}, timeout=60
        )
        return response.status_code


def _everything(poll_id):
    return (
        {scope: tally.option_counts(poll_id, scope) for scope in Scope},
        {scope: tally.voter_counts(poll_id, scope) for scope in Scope},
        {scope: tally.daily_counts(poll_id, scope) for scope in Scope},
        tally.stance_changes(poll_id),
    )


def test_concurrent_votes_and_double_submits_are_counted_exactly(
    app, database_url, make_user, make_article
):
    rng = random.Random(7)
    article = make_article(
        poll_question="Would you friend your therapist?", poll_options=("Yes", "No", "Unsure")
    )
    poll_id, article_path = article.poll.id, f"/articles/{article.slug}"
    options = [option.id for option in article.poll.options]
    roles = ["client", "professional", "reader"]
    usernames = [
        make_user(f"crowd{n}", role=roles[n % 3], discipline="counselor").username
        for n in range(MEMBERS)
    ]
    db.session.remove()

    with running_server(database_url, workers=4) as base:
        with ThreadPoolExecutor(THREADS) as pool:
            voters = list(
                pool.map(
                    lambda n: Voter(base, n, usernames[n], article_path),
                    range(MEMBERS),
                )
            )
        url = f"{base}/api/v1/polls/{poll_id}/votes"
        answers = {n: rng.choice(options) for n in range(MEMBERS)}
        first_wave = [(n, answers[n]) for n in range(MEMBERS)]
        # The same ballot sent twice at once, as a double-click does.
        first_wave += [(n, answers[n]) for n in rng.sample(range(MEMBERS), DOUBLE_SUBMITTERS)]
        rng.shuffle(first_wave)
        with ThreadPoolExecutor(THREADS) as pool:
            statuses = list(pool.map(lambda job: voters[job[0]].vote(url, job[1]), first_wave))
        assert 500 not in statuses
        assert Counter(statuses) == {200: len(first_wave)}

        changers = rng.sample(range(MEMBERS), CHANGERS)
        second_wave = []
        for n in changers:
            answers[n] = rng.choice([o for o in options if o != answers[n]])
            second_wave += [(n, answers[n]), (n, answers[n])]
        with ThreadPoolExecutor(THREADS) as pool:
            statuses = list(pool.map(lambda job: voters[job[0]].vote(url, job[1]), second_wave))
        assert Counter(statuses) == {200: len(second_wave)}

        expected = Counter(answers.values())
        results = requests.get(f"{base}/api/v1/polls/{poll_id}/results", timeout=30).json()
        assert results["total"] == MEMBERS
        assert {o["id"]: o["count"] for o in results["options"]} == dict(expected)

    stored = db.session.execute(
        db.select(VoteChoice.option_id, db.func.count())
        .join(Vote)
        .where(Vote.poll_id == poll_id)
        .group_by(VoteChoice.option_id)
    )
    assert dict(stored.all()) == dict(expected)
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Vote).where(Vote.poll_id == poll_id)
        )
        == MEMBERS
    )
    incremental = _everything(poll_id)
    assert incremental[3].voters_who_changed == CHANGERS
    rebuild_tallies(poll_id)
    db.session.commit()
    assert _everything(poll_id) == incremental
