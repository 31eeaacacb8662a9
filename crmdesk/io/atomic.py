"""Writing a file so that it is either all there or not there at all.

An export is written to a temporary file beside the target (same folder, so
same disk) and moved over it with os.replace only when complete and flushed
to disk. A full disk, a read-only folder, a cancel or a crash mid-way leave
the old file (if any) untouched and no half file behind. What went wrong is
said in words a shop owner understands (a FileWriteError), like
database.translate_error does for the database file.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from crmdesk.core.errors import FileWriteError
from crmdesk.core.i18n import _


def write_error(exc: OSError, path: Path) -> FileWriteError:
    """A plain message for why ``path`` could not be written."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return FileWriteError(_("The disk holding {path} is full. The file was not written; "
                                "free some space and try again.").format(path=path))
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return FileWriteError(_("crmdesk may not write to the folder {folder} (it is "
                                "read-only or belongs to someone else), so {name} was not "
                                "saved. Choose another folder.").format(folder=path.parent,
                                                                       name=path.name))
    if code == errno.ENOENT:
        return FileWriteError(_("The folder {folder} does not exist, so {name} was not "
                                "saved.").format(folder=path.parent, name=path.name))
    if code in (errno.EISDIR, errno.ENOTDIR) or path.is_dir():
        return FileWriteError(_("{path} is a folder; choose a file name.").format(path=path))
    reason = exc.strerror or str(exc)
    return FileWriteError(_("{path} could not be written: {reason}. Nothing was saved.")
                          .format(path=path, reason=reason))


@contextmanager
def _atomic(path: str | os.PathLike[str], opener: Callable[[Path], IO[Any]]
            ) -> Iterator[IO[Any]]:
    """A stream (made by ``opener`` on a temporary name beside ``path``) whose
    contents become ``path`` only if the block succeeds."""
    target = Path(path)
    if target.is_dir():
        raise FileWriteError(_("{path} is a folder; choose a file name.").format(path=target))
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        stream = opener(tmp)
    except OSError as exc:
        raise write_error(exc, target) from exc
    try:
        with stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: str | os.PathLike[str], *, encoding: str = "utf-8",
                newline: str | None = None) -> Iterator[TextIO]:
    """Open a text stream whose contents become ``path`` only if the block succeeds."""
    # "x": never reuse someone else's file; created with the user's umask.
    with _atomic(path, lambda tmp: open(tmp, "x", encoding=encoding,  # noqa: SIM115
                                        newline=newline)) as stream:
        yield cast(TextIO, stream)


@contextmanager
def atomic_binary(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """atomic_text for bytes (a spreadsheet, a PDF)."""
    with _atomic(path, lambda tmp: open(tmp, "xb")) as stream:  # noqa: SIM115
        yield cast(BinaryIO, stream)
