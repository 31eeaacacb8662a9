"""Every window test fails if the app begins a write transaction on the GUI thread.

DESIGN.md: writes run on the writer thread, never on the GUI thread. Storage
calls the installed check whenever a writing unit of work is about to BEGIN
IMMEDIATE. On the GUI (main) thread, with crmdesk's ui code on the stack, this
one records the stack, and the test fails at teardown showing it. A test's
own set-up (core services called from the test body to fill the file) has no
ui frame on its stack and is not the app's write.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

import crmdesk.ui
from crmdesk.ui.tasks.writes import install_gui_thread_check, remove_gui_thread_check

UI_FOLDER = str(Path(crmdesk.ui.__file__).parent)


def ui_code_on_stack() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.startswith(UI_FOLDER):
            return True
        frame = frame.f_back
    return False


class GuiWrites:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self) -> None:
        if threading.current_thread() is threading.main_thread() and ui_code_on_stack():
            self.seen.append("".join(traceback.format_stack(limit=16)[:-1]))


@pytest.fixture(autouse=True)
def gui_writes() -> Iterator[GuiWrites]:
    """Active in every test under tests/ui."""
    guard = GuiWrites()
    install_gui_thread_check(guard)
    try:
        yield guard
    finally:
        remove_gui_thread_check(guard)
    assert not guard.seen, "a write began on the GUI thread:\n" + guard.seen[0]
