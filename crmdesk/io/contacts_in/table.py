"""Address-book tables read into one shape: a header and rows of strings.

CSV and TSV exports come in whatever the exporting program's Windows spoke
(cp1251 from a Russian Outlook, Shift_JIS from a Japanese one, UTF-16 from
Excel's "Unicode text"), with commas, semicolons or tabs. The encoding is
found with charset-normalizer, the delimiter and quoting with csv.Sniffer
checked against how evenly each candidate splits the lines, and each can be
overridden by the user. XLSX goes through openpyxl (read-only, cached values:
never a formula); ODS is a zip with one content.xml, read here with the
standard library. A reader never raises on what a file holds: what it cannot
read is a ReadProblem with the row it was on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree

from crmdesk.core.contacts.bulk_rows import few_collections
from crmdesk.core.i18n import _
from crmdesk.io.contacts_in.encodings import detect_encoding
from crmdesk.io.contacts_in.values import ReadProblem

DELIMITERS = ",;\t|"
MAX_COLUMNS = 1000
_MAX_FIELD = 2**31 - 1
_SAMPLE = 64 * 1024
_FREEZE_EVERY = 10_000
_LOOKS_LIKE_DATA = re.compile(r"@|\d{5}|^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


@dataclass
class Table:
    """Rows of strings under a header, each row with its line (CSV) or row (sheets)
    number in the file, and how the file was read."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    quotechar: str = '"'
    has_header: bool = True
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""


# -- CSV and TSV ---------------------------------------------------------------------------


def _decode(data: bytes, encoding: str, problems: list[ReadProblem]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.append(ReadProblem(line, _(
            "Some characters are not {encoding}; they are shown as \ufffd. Choose the file's "
            "encoding if names look wrong.").format(encoding=encoding)))
        return data.decode(encoding, errors="replace")


def _split_evenly(lines: list[str], delimiter: str, quotechar: str) -> tuple[int, int]:
    """(lines split into the same number of fields, that number) for a delimiter."""
    counts: dict[int, int] = {}
    try:
        for row in csv.reader(lines, delimiter=delimiter, quotechar=quotechar):
            if row:
                counts[len(row)] = counts.get(len(row), 0) + 1
    except csv.Error:
        return 0, 0
    if not counts:
        return 0, 0
    width = max(counts, key=lambda w: (counts[w], w))
    return (counts[width], width) if width > 1 else (0, 1)


def detect_dialect(text: str) -> tuple[str, str]:
    """(delimiter, quote character) of CSV text: csv.Sniffer's answer if it splits the
    lines as evenly as the best candidate does, else that candidate."""
    sample = text[:_SAMPLE]
    lines = sample.splitlines()[:200]
    if len(sample) == _SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # the last may be cut
    scores = {d: _split_evenly(lines, d, '"') for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (scores[d], -DELIMITERS.index(d)))
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter, quotechar = sniffed.delimiter, sniffed.quotechar or '"'
    except csv.Error:
        delimiter, quotechar = best, '"'
    if delimiter not in DELIMITERS or scores[delimiter] < scores[best]:
        delimiter = best
    if quotechar not in ("'", '"'):
        quotechar = '"'
    return (delimiter if scores[delimiter][1] > 1 else ","), quotechar


def _looks_like_header(first: list[str]) -> bool:
    """A first row is a header unless it holds what data looks like (an e-mail, a long
    number, a date)."""
    cells = [c.strip() for c in first if c.strip()]
    if not cells:
        return False
    return not any(_LOOKS_LIKE_DATA.search(c) for c in cells)


def _stripped(raw: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The rows with their cells stripped, empty rows dropped (each a list of its own:
    a sheet's repeated rows are one list in ``raw``)."""
    out = []
    for n, row in raw:
        cells = [c.strip() for c in row]
        if any(cells):
            out.append((n, cells))
    return out


def _shape(table: Table, raw: list[tuple[int, list[str]]], has_header: bool | None, *,
           stripped: bool = False) -> Table:
    """Header and rows from the raw rows: empty rows dropped, the header made unique,
    every row as wide as the widest. The rows' lists become the table's (a CSV of
    100,000 rows is not copied twice); ``stripped``: the cells are stripped already
    and no row is empty."""
    if not stripped:
        raw = _stripped(raw)
    if has_header is None:
        has_header = bool(raw) and _looks_like_header(raw[0][1])
    table.has_header = has_header
    head = raw[0][1] if raw and has_header else []
    body = raw[1:] if raw and has_header else raw
    width = min(max([len(head), *(len(r) for _n, r in body)]), MAX_COLUMNS)
    if any(len(r) > MAX_COLUMNS for _n, r in body):
        table.problems.append(ReadProblem(0, _("Only the first {n} columns were read.").format(
            n=MAX_COLUMNS)))
    names: list[str] = []
    for i in range(width):
        name = head[i] if i < len(head) and head[i] else _("Column {n}").format(n=i + 1)
        while name in names:
            name += "*"
        names.append(name)
    table.header = names
    for _n, r in body:
        if len(r) < width:
            r += [""] * (width - len(r))
        elif len(r) > width:
            del r[width:]
    table.rows = [r for _n, r in body]
    table.row_numbers = [n for n, _r in body]
    return table


def read_csv(data: bytes, *, encoding: str | None = None, delimiter: str | None = None,
             quotechar: str | None = None, has_header: bool | None = None) -> Table:
    """A CSV or TSV file as a Table. Each of ``encoding``, ``delimiter``, ``quotechar``
    and ``has_header`` is found from the file when None, and used as given otherwise."""
    table = Table()
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            table.problems.append(ReadProblem(0, _("Unknown encoding {name!r}; the file's own "
                                                   "was found instead.").format(name=encoding)))
            encoding = None
    table.encoding = encoding or detect_encoding(data)
    text = _decode(data, table.encoding, table.problems).lstrip("\ufeff")
    text = text.replace("\x00", "")  # stray NULs (a UTF-16 file read as 8-bit) help nobody
    found_delimiter, found_quote = detect_dialect(text)
    table.delimiter = delimiter if delimiter else found_delimiter
    table.quotechar = quotechar if quotechar else found_quote
    if len(table.delimiter) != 1 or len(table.quotechar) != 1:
        table.problems.append(ReadProblem(0, _("The delimiter and the quote must be one "
                                               "character each; the file's own were used.")))
        table.delimiter, table.quotechar = found_delimiter, found_quote
    # Python's csv refuses a field over 128 KiB; a long note must not cost the row.
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_FIELD))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter,
                        quotechar=table.quotechar)
    raw: list[tuple[int, list[str]]] = []
    with few_collections() as freeze:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                table.problems.append(ReadProblem(start, _(
                    "This line could not be read as CSV ({error}); it was skipped.").format(
                        error=exc)))
                continue
            row = [c.strip() for c in row]
            if any(row):
                raw.append((start, row))
                if len(raw) % _FREEZE_EVERY == 0:
                    freeze()  # the rows so far: see few_collections
        return _shape(table, raw, has_header, stripped=True)


# -- spreadsheets --------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a user sees: whole numbers without ".0", dates as ISO 8601
    (a time only when there is one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else \
            value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _pick(names: list[str], sheet: str | int | None, table: Table) -> int | None:
    table.sheets = names
    if not names:
        table.problems.append(ReadProblem(0, _("The workbook has no sheets.")))
        return None
    folded = [n.casefold() for n in names]
    if sheet is None or sheet == "":
        index = 0
    elif isinstance(sheet, int):
        index = sheet
    elif sheet.casefold() in folded:  # a name first: a sheet may be called "2024"
        index = folded.index(sheet.casefold())
    elif sheet.strip().isdigit():
        index = int(sheet) - 1  # as a user counts them, from 1
    else:
        index = -1
    if not 0 <= index < len(names):
        table.problems.append(ReadProblem(0, _("There is no sheet {sheet!r}; the sheets are: "
                                               "{names}.").format(sheet=sheet,
                                                                  names=", ".join(names))))
        return None
    table.sheet = names[index]
    return index


def read_xlsx(data: bytes, *, sheet: str | int | None = None,
              has_header: bool | None = None) -> Table:
    """A sheet of an Excel workbook: the first, or ``sheet`` by name (any case), by
    number from 1 as text ("2"), or by 0-based index as an int."""
    from openpyxl import load_workbook

    table = Table()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        table.problems.append(ReadProblem(0, _("This is not an Excel workbook that can be "
                                               "read ({error}).").format(error=exc)))
        return table
    raw: list[tuple[int, list[str]]] = []
    try:
        index = _pick(list(book.sheetnames), sheet, table)
        if index is None:
            return table
        for number, values in enumerate(book.worksheets[index].iter_rows(values_only=True), 1):
            raw.append((number, [cell_text(v) for v in values[:MAX_COLUMNS + 1]]))
    except Exception as exc:  # noqa: BLE001
        table.problems.append(ReadProblem(len(raw) + 1, _("The sheet could not be read past "
                                                          "this row ({error}).").format(
                                                              error=exc)))
    finally:
        book.close()
    return _shape(table, raw, has_header)


_ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
_MAX_REPEAT = 10_000


def _q(prefix: str, name: str) -> str:
    return f"{{{_ODS[prefix]}}}{name}"


def _ods_text(cell: ElementTree.Element) -> str:
    kind = cell.get(_q("office", "value-type"), "")
    if kind == "date":
        return (cell.get(_q("office", "date-value")) or "").replace("T00:00:00", "")
    paragraphs = []
    for p in cell.iter(_q("text", "p")):
        parts: list[str] = []
        for node in p.iter():
            if node is not p and node.tag == _q("text", "s"):
                parts.append(" " * int(node.get(_q("text", "c"), "1") or 1))
            elif node is not p and node.tag == _q("text", "tab"):
                parts.append("\t")
            elif node is not p and node.tag == _q("text", "line-break"):
                parts.append("\n")
            if node.text and node.tag != _q("text", "s"):
                parts.append(node.text)
            if node is not p and node.tail:
                parts.append(node.tail)
        paragraphs.append("".join(parts))
    if paragraphs:
        return "\n".join(paragraphs)
    return cell.get(_q("office", "value"), "")


def _ods_rows(table_el: ElementTree.Element) -> list[tuple[int, list[str]]]:
    raw: list[tuple[int, list[str]]] = []
    number = 0
    for row in table_el.iter(_q("table", "table-row")):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
                continue
            text = _ods_text(cell)
            repeat = int(cell.get(_q("table", "number-columns-repeated"), "1") or 1)
            cells.extend([text] * min(repeat, MAX_COLUMNS + 1 - len(cells)))
            if len(cells) > MAX_COLUMNS:
                break
        while cells and not cells[-1]:
            cells.pop()
        repeat = int(row.get(_q("table", "number-rows-repeated"), "1") or 1)
        if cells:
            for _i in range(min(repeat, _MAX_REPEAT)):
                number += 1
                raw.append((number, cells))
        else:
            number += repeat
    return raw


def read_ods(data: bytes, *, sheet: str | int | None = None,
             has_header: bool | None = None) -> Table:
    """A sheet of an OpenDocument spreadsheet (LibreOffice), like read_xlsx."""
    table = Table()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            content = book.read("content.xml")
        if b"<!DOCTYPE" in content[:4096] or b"<!ENTITY" in content:
            raise ValueError(_("it declares XML entities"))  # no entity bombs
        root = ElementTree.fromstring(content)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError,
            OSError, RuntimeError, EOFError) as exc:
        table.problems.append(ReadProblem(0, _("This is not an OpenDocument spreadsheet that "
                                               "can be read ({error}).").format(error=exc)))
        return table
    sheets = list(root.iter(_q("table", "table")))
    index = _pick([s.get(_q("table", "name"), "") for s in sheets], sheet, table)
    if index is None:
        return table
    return _shape(table, _ods_rows(sheets[index]), has_header)


def read_table(data: bytes, kind: str, *, encoding: str | None = None,
               delimiter: str | None = None, quotechar: str | None = None,
               sheet: str | int | None = None, has_header: bool | None = None) -> Table:
    """``data`` read as ``kind`` ("csv", "tsv", "xlsx" or "ods")."""
    if kind == "xlsx":
        return read_xlsx(data, sheet=sheet, has_header=has_header)
    if kind == "ods":
        return read_ods(data, sheet=sheet, has_header=has_header)
    if kind == "tsv" and not delimiter:
        delimiter = "\t"
    return read_csv(data, encoding=encoding, delimiter=delimiter, quotechar=quotechar,
                    has_header=has_header)
