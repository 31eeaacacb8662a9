"""A call list written to a file in the format asked for: the one entry point the
window and `crmdesk export` use (CSV and XLSX from call_list.py, the PDF call sheet
from call_sheet_pdf.py, which reads call_list's rows: kept apart so that neither
module imports the other)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from crmdesk.core.errors import FileWriteError
from crmdesk.core.i18n import _
from crmdesk.io.call_list import FORMATS, INTERNATIONAL, call_list, write_csv, write_xlsx
from crmdesk.io.call_sheet_pdf import write_pdf

__all__ = ["FORMATS", "export_contacts"]


def export_contacts(session: Session, ids: Sequence[int], keys: Sequence[str],
                    path: str | os.PathLike[str], *, file_format: str = "csv",
                    encoding: str = "utf-8-sig", delimiter: str = ",",
                    phones: str = INTERNATIONAL, title: str = "", sort: str = "",
                    descending: bool = False, paper: str = "",
                    progress: Callable[[int, int], None] | None = None) -> int:
    """The contacts ``ids`` (in that order, or sorted by ``sort``) with the columns
    ``keys`` as a call list at ``path`` (CSV, XLSX or a PDF call sheet on ``paper``,
    A4 or Letter, by default the locale's); how many rows were written.
    ``progress(done, total)`` is called as it goes (it may raise to cancel: nothing
    is written then)."""
    if file_format not in FORMATS:
        raise FileWriteError(_("{format!r} is not a format crmdesk writes (csv, xlsx, pdf).")
                             .format(format=file_format))
    sheet = call_list(session, ids, keys, phones=phones, sort=sort, descending=descending,
                      progress=progress)
    if file_format == "xlsx":
        return write_xlsx(path, sheet.head, sheet.rows, title=title)
    if file_format == "pdf":
        return write_pdf(path, sheet, title=title, paper=paper, progress=progress)
    return write_csv(path, sheet.head, sheet.rows, encoding=encoding, delimiter=delimiter,
                     names=sheet.names())
