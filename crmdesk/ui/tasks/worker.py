"""One long-lived Python thread that runs jobs in order.

Why not QThreadPool: a pool thread gets a fresh Python thread state for each
job, so each job looks like a new thread to SQLAlchemy, and the database's
connection pool (one connection per thread) opens a new SQLite connection per
job and, past five, closes old ones, possibly one another thread is using,
which crashes. A plain Python thread keeps one connection for its whole life.
Jobs report back to the GUI thread through Qt signals (queued across threads).

A finished job is let go of on the GUI thread, not on the worker's: a job often
holds the last reference to a Qt object (a list's model, whose window has
closed meanwhile), and a Qt object deleted on another thread than its own
leaves its timers registered with the GUI thread, which then fire into freed
memory (a segfault, seconds later, in whatever runs next).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

Job = Callable[[], None]


class _Releaser(QObject):
    """Lives on the GUI thread; a job emitted to it is dropped there (queued)."""

    let_go = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.let_go.connect(self._drop, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _drop(self, _job: object) -> None:
        pass  # the queued event's copy of the job is released after this returns


_releaser: _Releaser | None = None


def _gui_releaser() -> _Releaser | None:
    """The GUI thread's releaser, made on first use there (None without a Qt app)."""
    global _releaser
    if _releaser is None and threading.current_thread() is threading.main_thread():
        app = QCoreApplication.instance()
        if app is not None:
            _releaser = _Releaser()
            _releaser.moveToThread(app.thread())
    return _releaser


def _let_go(job: Job) -> None:
    """Hand the finished job to the GUI thread to be released there."""
    releaser = _releaser
    if releaser is None:
        return
    try:
        releaser.let_go.emit(job)
    except RuntimeError:  # the app is gone (the end of the process): released here
        pass


class Worker:
    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        _gui_releaser()
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
                _let_go(job)
                job = None  # this thread's reference, gone now
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
