"""Two gunicorn workers count against one limit when the counts live in Redis."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from tests.factories import make_user
from tests.servers import running_redis, running_server

pytestmark = pytest.mark.slow

LIMIT = 4


@pytest.fixture
def redis_url():
    with running_redis() as url:
        yield url


def wrong_password(base: str, session: requests.Session) -> int:
    page = session.get(f"{base}/account/login", timeout=30)
    token = page.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = session.post(
        f"{base}/account/login",
        data={"csrf_token": token, "username": "steadyoak", "password": "guessing wrongly"},
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def test_every_worker_counts_against_the_same_limit(app, database_url, redis_url):
    make_user("steadyoak")
    env = {"TEST_REDIS_URL": redis_url, "LIMIT_LOGIN_PER_ADDRESS": f"{LIMIT} per hour"}
    # Attempts sent at the same time keep both workers busy.
    with running_server(database_url, workers=2, env=env) as base, ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(lambda _: wrong_password(base, requests.Session()), range(4 * LIMIT))
        )

    assert Counter(statuses) == {200: LIMIT, 429: 3 * LIMIT}
    assert redis.Redis.from_url(redis_url).keys("LIMITS:*")
