"""A finished background job lets go of what it held on the GUI thread.

A list's model is often kept alive only by the job reading its rows when the
window closes; if the worker thread dropped that last reference, the model (a
QObject with a running timer) would be deleted off its thread and its timer
would later fire into freed memory: the segfault that once took down a CI run.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

from crmdesk.ui.tasks.worker import Worker


class _WithTimer(QObject):
    def __init__(self, deleted_on: list[str]) -> None:
        super().__init__()
        self.timer = QTimer(self, singleShot=True, interval=30)
        self.timer.timeout.connect(lambda: None)
        self.timer.start()
        self.destroyed.connect(lambda *_: deleted_on.append(threading.current_thread().name),
                               Qt.ConnectionType.DirectConnection)


def test_the_last_reference_a_job_held_is_released_on_the_gui_thread(qtbot) -> None:
    worker = Worker("test-release")
    deleted_on: list[str] = []
    held = _WithTimer(deleted_on)
    started = threading.Event()

    def make_job(obj: QObject):  # the job holds the only reference
        def job() -> None:
            started.set()
            assert obj.objectName() == ""
        return job

    worker.submit(make_job(held))
    del held
    assert worker.wait(5)
    assert deleted_on == []  # not on the worker thread
    qtbot.waitUntil(lambda: deleted_on != [], timeout=2000)
    assert deleted_on == [threading.main_thread().name]
    qtbot.wait(60)  # the timer's due time passes: nothing fires into freed memory
    QCoreApplication.sendPostedEvents()
