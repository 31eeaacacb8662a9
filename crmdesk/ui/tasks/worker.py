"""One long-lived Python thread that runs jobs in order.

Why not QThreadPool: a pool thread gets a fresh Python thread state for each
job, so each job looks like a new thread to SQLAlchemy, and the database's
connection pool (one connection per thread) opens a new SQLite connection per
job and, past five, closes old ones, possibly one another thread is using,
which crashes. A plain Python thread keeps one connection for its whole life.
Jobs report back to the GUI thread through Qt signals (queued across threads).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]


class Worker:
    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(job)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                job()
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def is_current(self) -> bool:
        """Whether the caller runs on this worker's thread."""
        return threading.current_thread() is self._thread

    def busy(self) -> bool:
        with self._idle:
            return self._pending > 0

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every submitted job has run; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)


_workers: dict[str, Worker] = {}
_lock = threading.Lock()


def shared(name: str) -> Worker:
    """The app's worker of this name ("reader" for id queries, "writer" for jobs)."""
    with _lock:
        if name not in _workers:
            _workers[name] = Worker(f"crmdesk-{name}")
        return _workers[name]
