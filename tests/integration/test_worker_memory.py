"""Each gunicorn worker stays within its memory budget while serving 10,000 comments."""

import pytest

from benchmarks.memory import GOALS_MB, measure
from tests.servers import running_redis

pytestmark = pytest.mark.slow


def test_workers_stay_within_their_memory_goals(tmp_path):
    with running_redis() as redis_url:
        readings = measure(f"sqlite:///{tmp_path / 'memory.db'}", redis_url, workers=2)

    for stage, goal in GOALS_MB.items():
        largest = max(reading["VmRSS"] for reading in readings[stage]) / 1024
        assert largest <= goal, f"{stage}: a worker uses {largest:.1f} MB (goal: {goal} MB)"
