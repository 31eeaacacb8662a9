"""Background operations: results on the GUI thread, progress, cancel, errors."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget

from crmdesk.core.errors import CrmdeskError
from crmdesk.ui.tasks.operations import Operations


def test_result_comes_back_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    ops = Operations(parent)
    seen = {}

    def job(progress):
        seen["job"] = threading.current_thread() is threading.main_thread()
        progress.report(1, 2, "half")
        return 42

    def done(result):
        seen["done"] = (result, threading.current_thread() is threading.main_thread())

    ops.run(job, label="Working", on_success=done)
    assert ops.busy()
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen == {"job": False, "done": (42, True)}
    qtbot.waitUntil(lambda: not ops.busy())


def test_cancel_stops_the_job_without_an_error(qtbot, dialogs):
    parent = QWidget()
    qtbot.addWidget(parent)
    ops = Operations(parent)
    steps = []

    def job(progress):
        for i in range(1000):
            progress.report(i, 1000)
            steps.append(i)
            time.sleep(0.005)
        return "finished"

    results = []
    op = ops.run(job, label="Long job", on_success=results.append)
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=5000)
    op.cancel()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=5000)
    assert results == [] and dialogs.errors == [] and len(steps) < 1000


def test_a_failing_job_is_shown_as_an_error(qtbot, dialogs):
    parent = QWidget()
    qtbot.addWidget(parent)
    ops = Operations(parent)

    def job(progress):
        raise CrmdeskError("The disk is full.")

    ops.run(job, label="Failing")
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=5000)
    assert dialogs.errors == [("The disk is full.", None)]


def test_progress_dialog_appears_for_long_jobs(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    ops = Operations(parent)
    release = threading.Event()
    op = ops.run(lambda p: (p.report(1, 4, "Step one"), release.wait(5)), label="Slow")
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=3000)
    assert op.dialog.labelText() == "Step one"
    release.set()
    qtbot.waitUntil(lambda: not ops.busy(), timeout=5000)
