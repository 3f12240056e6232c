"""Where jobs run, behind one method: `submit(name, args, at=None, key=None)`.

- `RedisRunner` ("rq"): RQ on Redis; `flask --app app worker` processes run the jobs, and
  their scheduler hands over the jobs that wait for a time (`at`).
- `ThreadRunner` ("threads"): a small thread pool in this process, with the same retries.
- `InlineRunner` ("inline"): at once in the committing thread, so tests see the effects.

`key` names a job that must be queued once only, however many processes ask for it
(periodic jobs); RQ refuses a second job with the same id.
"""

import contextvars
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.jobs.execution import execute, resolve, run
from app.models import utcnow

log = logging.getLogger(__name__)


class Runner(Protocol):
    def submit(
        self, name: str, args: tuple, *, at: datetime | None = None, key: str | None = None
    ) -> None: ...


def make_runner(app) -> Runner:
    backend = app.config["JOBS_BACKEND"]
    if backend == "rq":
        return RedisRunner(app)
    if backend == "threads":
        return ThreadRunner(app, app.config["JOBS_THREADS"])
    if backend == "inline":
        return InlineRunner(app)
    raise RuntimeError(f"JOBS_BACKEND must be rq, threads or inline, not {backend!r}")


@dataclass(frozen=True)
class Scheduled:
    at: datetime
    name: str
    args: tuple


class InlineRunner:
    """Runs a job at once, in the thread whose commit released it; later jobs wait in a list.

    The job runs in an empty context, as it would in a worker: it sees neither the request
    that queued it nor that request's database session. A job that raises is not retried: the
    error reaches the test.
    """

    def __init__(self, app):
        self.app = app
        self.scheduled: list[Scheduled] = []

    def submit(self, name, args, *, at=None, key=None):
        if at is not None and at > utcnow():
            self.scheduled.append(Scheduled(at, name, tuple(args)))
            return
        contextvars.Context().run(execute, self.app, name, tuple(args))

    def run_scheduled(self) -> list[Scheduled]:
        """Run the jobs that were waiting for a later time, as if it had come; answer them."""
        due, self.scheduled = self.scheduled, []
        for item in due:
            contextvars.Context().run(execute, self.app, item.name, item.args)
        return due


class ThreadRunner:
    """Runs jobs on a small thread pool of this process, and retries them as RQ would.

    Jobs that wait for a later time wait on daemon timers, so they are lost if the process
    stops first; mail keeps its state in the outbox, whose sweep picks it up again. Jobs
    already in the pool finish before the process exits.
    """

    def __init__(self, app, threads: int):
        self.app = app
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, name, args, *, at=None, key=None, attempt=0):
        delay = (at - utcnow()).total_seconds() if at is not None else 0
        if delay > 0:
            timer = threading.Timer(delay, self.submit, (name, args), {"attempt": attempt})
            timer.daemon = True
            timer.name = f"job-timer-{name}"
            timer.start()
            return
        self._executor().submit(self._run, name, tuple(args), attempt)

    def _executor(self) -> ThreadPoolExecutor:
        # Made on first use: a process that forks workers (gunicorn --preload) starts none.
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="job")
            return self._pool

    def _run(self, name, args, attempt):
        try:
            execute(self.app, name, args)
        except Exception:
            delays = resolve(name).job_retry_delays
            if attempt >= len(delays):
                log.exception("Job %s%r failed %d times; giving up", name, args, attempt + 1)
                return
            log.warning(
                "Job %s%r failed; trying again in %d s", name, args, delays[attempt], exc_info=True
            )
            again = utcnow() + timedelta(seconds=delays[attempt])
            self.submit(name, args, at=again, attempt=attempt + 1)


class RedisRunner:
    """Hands jobs to RQ on Redis, where `flask --app app worker` processes pick them up.

    If Redis cannot take a job, it runs in this process instead: the commit it follows is
    already acknowledged, and its work should not be dropped.
    """

    def __init__(self, app):
        self.app = app
        self.queue_name = app.config["JOBS_QUEUE"]
        self._queue = None
        self._fallback = ThreadRunner(app, 1)

    @property
    def queue(self):
        if self._queue is None:
            from redis import Redis
            from rq import Queue
            from rq.serializers import JSONSerializer

            connection = Redis.from_url(self.app.config["REDIS_URL"])
            # JSON rather than pickle: what is read back from Redis is data, never code.
            self._queue = Queue(self.queue_name, connection=connection, serializer=JSONSerializer)
        return self._queue

    def submit(self, name, args, *, at=None, key=None):
        from redis.exceptions import RedisError
        from rq.exceptions import DuplicateJobError

        try:
            self.enqueue(name, args, at=at, key=key)
        except DuplicateJobError:
            pass  # another process queued this very job already
        except RedisError:
            log.exception("Redis did not take the job %s%r; running it in this process", name, args)
            self._fallback.submit(name, args, at=at)

    def enqueue(self, name, args, *, at=None, key=None):
        from rq import Retry

        function = resolve(name)
        delays = function.job_retry_delays
        options = {
            "args": (name, *args),
            # Prefixed with the queue's name, so that sites sharing one Redis keep apart.
            "job_id": f"{self.queue_name}-{key}" if key else None,
            "unique": key is not None,
            "retry": Retry(max=len(delays), interval=list(delays)) if delays else None,
            "job_timeout": function.job_timeout,
            "description": f"{name}{tuple(args)!r}",
        }
        if at is None:
            return self.queue.enqueue(run, **options)
        return self.queue.enqueue_at(at, run, **options)
