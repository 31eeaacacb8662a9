"""Closing never hangs, and switching files leaves nothing running on the old one:
a job that ignores Cancel is left behind after a bounded wait, with a word of what
was kept; id queries still queued for a list that goes away are dropped."""

from __future__ import annotations

import threading
import time

from crmdesk.ui.contacts.table_model import reader
from crmdesk.ui.window import main_window


def test_a_job_that_ignores_cancel_does_not_keep_the_window_open(qtbot, make_window, db,
                                                                   dialogs, monkeypatch):
    monkeypatch.setattr(main_window, "CLOSE_WAIT_S", 0.3)
    window = make_window(db)
    release = threading.Event()

    def stubborn(_progress):
        release.wait(30)  # never looks at Cancel

    window.operations.run(stubborn, label="Importing contacts…", show_progress=False)
    dialogs.answers.append(True)  # "Stop It and Quit"
    started = time.monotonic()
    try:
        assert window.close()
        assert time.monotonic() - started < 5
        said = [text for _title, text in dialogs.asked]
        assert any("“Importing contacts” did not stop in time" in t
                   and "not saved" in t for t in said), said
    finally:
        release.set()
        window.operations.wait(10)
        db.close()


def test_a_job_that_stops_is_waited_for(qtbot, make_window, db, dialogs):
    window = make_window(db)

    def polite(progress):
        for i in range(200):
            progress.report(i, 200)
            time.sleep(0.005)

    window.operations.run(polite, label="Exporting…", show_progress=False)
    dialogs.answers.append(True)
    assert window.close()
    assert not any("did not stop" in text for _t, text in dialogs.asked)


def test_queued_reads_are_dropped_when_a_list_goes_away(qtbot, make_window, db, monkeypatch):
    window = make_window(db)
    model = window.contacts.model
    model.wait()
    calls = []
    original = type(model)._load

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(model), "_load", counted)
    gate = threading.Event()
    reader().submit(lambda: gate.wait(10))  # the reader is busy with something else
    for text in ("a", "an", "ann", "anna"):
        model.set_query(text)
    assert model.stop(0.05) is False  # still busy: not waited for beyond the bound
    gate.set()
    assert model.stop(5) is True
    assert calls == []  # none of the queued queries ran against the file
