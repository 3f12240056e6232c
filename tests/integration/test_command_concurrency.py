"""Writing commands run several at once beside a voting load on SQLite, and none is refused."""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.integration.test_vote_concurrency import FromAddress
from tests.servers import ROOT, running_server

pytestmark = pytest.mark.slow

VOTERS = 4
LAST_LINE = re.compile(r"^slug=(?P<slug>[a-z0-9-]+) poll=(?P<poll>\d+|none)$", re.M)
POLL_ARTICLE = "# Would you friend your therapist?\n\nA question put to every reader.\n"
SECOND_ARTICLE = "# Gifts at the last session\n\nIs a small gift at the end of therapy fine?\n"


def _flask(database_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "FLASK_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


class VotingLoad:
    """Threads of anonymous readers, each from their own address, voting until stopped."""

    def __init__(self, base: str, article_path: str, poll_id: int, option_ids: list[int]):
        self.base, self.article_path, self.poll_id = base, article_path, poll_id
        self.option_ids = option_ids
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.counted = 0
        self._lock = threading.Lock()
        self._next = 0
        self.threads = [threading.Thread(target=self._run) for _ in range(VOTERS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _address(self) -> str:
        with self._lock:
            self._next += 1
            number = self._next
        return f"127.3.{number // 250}.{number % 250 + 1}"

    def _run(self):
        while not self.stop.is_set():
            session = requests.Session()
            session.mount("http://", FromAddress(self._address()))
            session.get(f"{self.base}{self.article_path}", timeout=60)
            # The shared page carries no token: the page's script asks for one, as here.
            token = session.get(f"{self.base}/csrf-token", timeout=60).json()["csrf_token"]
            option = self.option_ids[len(self.statuses) % len(self.option_ids)]
            response = session.post(
                f"{self.base}/api/v1/polls/{self.poll_id}/votes",
                json={"option_ids": [option], "role": "reader"},
                headers={"X-CSRFToken": token},
                timeout=60,
            )
            with self._lock:
                self.statuses.append(response.status_code)
                self.counted += response.status_code == 200

    def wait_for_votes(self, count: int, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while self.counted < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.counted >= count, f"the voting load did not start: {self.statuses}"


def test_writing_commands_run_at_once_beside_votes(tmp_path: Path):
    database = tmp_path / "commands.db"
    url = f"sqlite:///{database}"
    code, output = _finish(_flask(url, "db", "upgrade"))
    assert code == 0, output
    (tmp_path / "poll.md").write_text(POLL_ARTICLE, encoding="utf-8")
    (tmp_path / "gifts.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    poll_args = ["--poll", "Would you?", "--option", "Yes", "--option", "No", "--anonymous-votes"]
    code, output = _finish(_flask(url, "import-article", str(tmp_path / "poll.md"), *poll_args))
    assert code == 0, output
    found = LAST_LINE.search(output)
    slug, poll_id = found["slug"], int(found["poll"])
    with sqlite3.connect(database) as connection:
        option_ids = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM poll_options WHERE poll_id = ? ORDER BY position", (poll_id,)
            )
        ]

    with running_server(url, workers=2) as base:
        with VotingLoad(base, f"/articles/{slug}", poll_id, option_ids) as load:
            load.wait_for_votes(3)
            commands = [
                ["users", "create", "racer-one", "--role", "client", "--password", "pass-one-x"],
                ["users", "create", "racer-two", "--role", "reader", "--password", "pass-two-x"],
                ["import-article", str(tmp_path / "gifts.md")],
                ["rebuild-tallies"],
            ]
            processes = [_flask(url, *command) for command in commands]
            results = [_finish(process) for process in processes]
        results_page = requests.get(f"{base}/api/v1/polls/{poll_id}/results", timeout=30)

    for command, (code, output) in zip(commands, results, strict=True):
        assert "database is locked" not in output, f"{command[0]}: {output}"
        assert code == 0, f"{command[0]} exited with {code}: {output}"
    assert set(load.statuses) == {200}, load.statuses
    with sqlite3.connect(database) as connection:
        users = {row[0] for row in connection.execute("SELECT username FROM users")}
        titles = {row[0] for row in connection.execute("SELECT title FROM articles")}
        votes = connection.execute(
            "SELECT count(*) FROM votes WHERE poll_id = ?", (poll_id,)
        ).fetchone()[0]
    assert {"racer-one", "racer-two"} <= users
    assert "Gifts at the last session" in titles
    assert votes == load.counted
    assert results_page.json()["total"] == load.counted
