"""A worker starts without the heavy libraries: they load when a poll's tables are planned.

SciPy, NumPy and HiGHS took about 100 MB of every worker at start; Alembic another 10 MB.
Each check runs in a fresh interpreter, since this test process has long imported them all.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "numpy", "highspy", "alembic", "markdown_it")

SERVE_PAGES = """
import json, sys
from app import create_app
app = create_app()
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/", "/articles", "/insights/")]
loaded_by_pages = [name for name in HEAVY if name in sys.modules]

from app.services.polls.suppression import System, protect
system = System()
counts = [system.item(("group", n), [system.variable(value)]) for n, value in enumerate((3, 9))]
protect(system, counts, k=5)
loaded_by_planning = [name for name in HEAVY if name in sys.modules]
print(json.dumps([statuses, loaded_by_pages, loaded_by_planning]))
"""


def _run(code: str, database_url: str) -> list:
    env = {
        **os.environ,
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_serving_pages_loads_no_heavy_library_until_a_poll_is_planned(database_url):
    statuses, loaded_by_pages, loaded_by_planning = _run(SERVE_PAGES, database_url)
    assert statuses == [200, 200, 200]
    assert loaded_by_pages == []
    # Planning what a poll's tables show brings the linear programming with it.
    assert {"numpy", "highspy"} <= set(loaded_by_planning)
    assert "scipy" not in loaded_by_planning
