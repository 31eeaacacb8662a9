"""A guard against a reference-counting bug of PySide6 6.12.0 on Python 3.11.

That PySide returns None from every void method (setText, setEnabled,
update ...) and True/False from SignalInstance.emit() without taking a
reference, as if they were immortal, which they are only from Python 3.12 on.
On 3.11 every such call takes one reference from None, True or False; after a
few thousand calls (a minute of use) the process dies with "Fatal Python
error: none_dealloc" or "bool_dealloc", often at exit.

install() checks whether this PySide has the bug and, only then, gives None,
True and False the huge reference count that Python 3.12 gives its immortal
objects. They are statically allocated and never freed anyway, so the only
effect is that the lost references can no longer reach zero. The real fix is
a PySide6 without the bug or Python >= 3.12; this keeps 3.11 users safe.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL = 1 << 40
_installed = False


def calls_lose_references() -> bool:
    """Whether void calls or emits take a reference from None/True/False."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        probed = Signal()

    probe = _Probe()
    singletons = (None, True, False)
    before = sum(sys.getrefcount(x) for x in singletons)
    for _ in range(8):
        probe.setObjectName("probe")
        probe.probed.emit()
    return sum(sys.getrefcount(x) for x in singletons) < before


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    if sys.version_info >= (3, 12) or not calls_lose_references():
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += IMMORTAL
