"""gunicorn as production runs it: the app preloaded in the master, metrics from every worker."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.servers import running_server

pytestmark = pytest.mark.slow

TOKEN = "operator-secret-0123456789"
REQUESTS = 40


def count_of(text: str, endpoint: str) -> float:
    prefix = f'boundaries_request_duration_seconds_count{{endpoint="{endpoint}",method="GET",'
    return sum(
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)
    )


def test_a_scrape_adds_up_every_workers_requests(database_url, tmp_path):
    directory = tmp_path / "prometheus"
    env = {"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    with running_server(database_url, workers=2, env=env) as base:

        def get(path):
            with requests.Session() as session:
                response = session.get(f"{base}{path}", timeout=30)
                return response.status_code, response.headers.get("X-Request-ID")

        with ThreadPoolExecutor(8) as pool:
            health = list(pool.map(get, ["/healthz"] * REQUESTS))
            pages = list(pool.map(get, ["/"] * 10))
        scrapes = [
            requests.get(
                f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
            ).text
            for _ in range(4)
        ]

    assert {status for status, _ in health + pages} == {200}
    assert len({request_id for _, request_id in health + pages}) == REQUESTS + 10
    # Whichever worker answered the scrape, it reports the requests of both.
    assert [count_of(text, "healthz") for text in scrapes] == [REQUESTS] * 4
    assert [count_of(text, "articles.home") for text in scrapes] == [10] * 4
    assert len({path.name for path in Path(directory).glob("histogram_*.db")}) == 2
