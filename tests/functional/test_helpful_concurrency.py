"""Helpful marks under concurrent requests: the counter never drifts from the marks."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment, HelpfulMark
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_comment
from tests.servers import running_server

# gunicorn's workers must see the test's data: it is committed for real.
pytestmark = [pytest.mark.slow, pytest.mark.real_commits]

MEMBERS = 4
REQUESTS_PER_MEMBER = 12


@pytest.fixture
def server(app, database_url):
    with running_server(database_url, workers=3, threads=4) as base_url:
        yield base_url


def logged_in_session(base_url, username):
    session = requests.Session()
    page = session.get(f"{base_url}/account/login", timeout=10)
    response = session.post(
        f"{base_url}/account/login",
        data={
            "csrf_token": csrf_token(page.text),
            "username": username,
            "password": DEFAULT_PASSWORD,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    token = csrf_token(session.get(base_url, timeout=10).text)
    session.headers.update({"X-CSRFToken": token, "Accept": "application/json"})
    return session


def test_concurrent_marks_and_toggles_keep_the_count_exact(server, make_article, make_user):
    article = make_article()
    comment = make_comment(article, make_user("author"), "A comment many find helpful")
    usernames = [make_user(f"fan{i}").username for i in range(MEMBERS)]
    comment_id = comment.id
    # Reading attributes after a commit opened a transaction; SQLite's write lock must go.
    db.session.commit()
    # Two browsers per member, so the same member's requests overlap.
    sessions = [logged_in_session(server, name) for name in usernames for _ in range(2)]
    url = f"{server}/comments/{comment_id}/helpful"

    def hammer(session):
        answers = []
        for i in range(REQUESTS_PER_MEMBER):
            # Explicit marks, unmarks and plain toggles, interleaved.
            data = ({"marked": "1"}, {"marked": "1"}, {}, {"marked": "0"})[i % 4]
            answers.append(session.post(url, data=data, timeout=30).status_code)
        return answers

    with ThreadPoolExecutor(max_workers=MEMBERS * 2) as pool:
        statuses = [s for answers in pool.map(hammer, sessions) for s in answers]

    assert set(statuses) == {200}
    db.session.expire_all()
    marks = db.session.scalar(
        select(func.count(HelpfulMark.id)).where(HelpfulMark.comment_id == comment_id)
    )
    assert db.session.get(Comment, comment_id).helpful_count == marks
    assert 0 <= marks <= MEMBERS
