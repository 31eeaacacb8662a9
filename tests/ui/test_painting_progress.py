"""The print runs' progress dialog never outlives its run: left alive, Qt's own
timer would show it later over an unrelated window (and, modal, keep that window
from ever becoming active)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QProgressDialog, QWidget

from crmdesk.ui.common.painting_progress import SHOW_AFTER_MS, painting_progress


def visible_progress() -> list[QProgressDialog]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()]


@pytest.mark.parametrize("how", ["a page range short of the last page", "an error"])
def test_the_dialog_is_gone_however_the_run_ends(qtbot, how):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    with pytest.raises(RuntimeError) if how == "an error" else _nothing():
        with painting_progress(parent, "Printing…", 10) as step:
            assert step(0, 10) and step(3, 10)  # pages 1-4 of 10 printed, then it ends
            if how == "an error":
                raise RuntimeError("the printer went away")
    qtbot.wait(SHOW_AFTER_MS * 2)
    assert visible_progress() == []


def test_cancel_says_stop(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    with painting_progress(parent, "Printing…", 5) as step:
        assert step(1, 5)
        [dialog] = [w for w in parent.findChildren(QProgressDialog)]
        dialog.cancel()
        assert step(2, 5) is False


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False
