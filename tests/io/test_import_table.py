"""CSV, TSV, XLSX and ODS address books read into a header and rows: the encoding,
delimiter, quoting and header found (or chosen), names in any script intact."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmdesk.io.contacts_in.table import (
    cell_text,
    detect_encoding,
    read_csv,
    read_ods,
    read_table,
    read_xlsx,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "csv"
ALL_FILES = sorted(DATA.rglob("*.csv")) if DATA.is_dir() else []

ROWS = {
    "ru": [["Фамилия", "Имя", "Отчество", "Телефон"],
           ["Иванов", "Иван", "Иванович", "+7 495 123-45-67"],
           ["Петрова", "Мария", "Сергеевна", "+7 812 555-00-11"],
           ["Сидоров", "Пётр", "Алексеевич", "8 800 200-00-00"],
           ["Ёлкина", "Юлия", "Эдуардовна", "+7 903 000-11-22"]],
    "lt": [["Vardas", "Pavardė", "Miestas", "Telefonas"],
           ["Rūta", "Žalgirytė", "Vilnius", "+370 600 00001"],
           ["Jonas", "Šimkus", "Kaunas", "+370 600 00002"],
           ["Aušra", "Čiurlionienė", "Klaipėda", "+370 600 00003"],
           ["Vytautas", "Kęstutaitis", "Šiauliai", "+370 600 00004"]],
    "fr": [["Prénom", "Nom", "Ville", "Téléphone"],
           ["José", "Müller", "Zürich", "+41 44 000 00 00"],
           ["François", "Lefèvre", "Besançon", "+33 3 81 00 00 00"],
           ["Hélène", "Dubœuf", "Orléans", "+33 2 38 00 00 00"]],
    "zh": [["姓名", "电话", "城市", "公司"],
           ["王小明", "13800138000", "北京", "北京科技有限公司"],
           ["李华", "13900139000", "上海", "上海贸易有限公司"],
           ["张伟", "13700137000", "广州", "广州制造厂"]],
    "ja": [["氏名", "電話", "住所", "会社"],
           ["山田太郎", "090-1234-5678", "東京都千代田区", "株式会社サンプル"],
           ["佐藤花子", "080-2345-6789", "大阪府大阪市", "有限会社テスト"],
           ["鈴木一郎", "070-3456-7890", "北海道札幌市", "合同会社見本"]],
}

CASES = [("utf-8", "ru"), ("utf-8-sig", "lt"), ("utf-16", "zh"), ("cp1251", "ru"),
         ("koi8-r", "ru"), ("cp1257", "lt"), ("cp1252", "fr"), ("gb18030", "zh"),
         ("shift_jis", "ja")]


def make_csv(rows, delimiter=",", quote_all=False):
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all
               else csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(("encoding", "language"), CASES)
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_made_csvs_in_each_encoding_and_delimiter(tmp_path, encoding, language, delimiter):
    rows = ROWS[language]
    path = tmp_path / "contacts.csv"
    path.write_bytes(make_csv(rows, delimiter).encode(encoding))
    table = read_csv(path.read_bytes())
    assert table.delimiter == delimiter
    assert table.header == rows[0]
    assert table.rows == rows[1:]
    assert table.row_numbers == list(range(2, len(rows) + 1))
    assert table.problems == []


def test_found_encodings_by_name():
    ru = make_csv(ROWS["ru"]).encode
    assert detect_encoding(ru("cp1251")) == "cp1251"
    assert detect_encoding(ru("koi8-r")) == "koi8_r"
    assert detect_encoding(ru("utf-8")) == "utf-8"
    assert detect_encoding(ru("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding(ru("utf-16")) == "utf-16"
    assert detect_encoding(make_csv(ROWS["lt"]).encode("cp1257")) == "cp1257"
    assert detect_encoding(make_csv(ROWS["zh"]).encode("gb18030")) == "gb18030"
    assert detect_encoding(make_csv(ROWS["ja"]).encode("shift_jis")) == "shift_jis"


def test_overrides_win():
    data = make_csv(ROWS["ru"], ";").encode("cp1251")
    table = read_csv(data, encoding="cp1251", delimiter=";", has_header=False)
    assert table.header == ["Column 1", "Column 2", "Column 3", "Column 4"]
    assert table.rows[0] == ROWS["ru"][0] and table.row_numbers[0] == 1
    wrong = read_csv(data, encoding="utf-8")
    assert wrong.encoding == "utf-8"
    assert wrong.problems and "utf-8" in wrong.problems[0].message  # shown, not hidden
    unknown = read_csv(data, encoding="martian")
    assert unknown.header == ROWS["ru"][0]
    assert "martian" in unknown.problems[0].message


def test_quotes_line_breaks_and_a_file_without_a_header():
    text = ('"Ivanov, Ivan";"ivan@example.ru";"line one\nline two"\r\n'
            "'x';petrov@example.ru;\"say \"\"hi\"\"\"\r\n")
    table = read_csv(text.encode())
    assert table.has_header is False  # the first row holds an e-mail: it is data
    assert table.delimiter == ";"
    assert table.rows[0] == ["Ivanov, Ivan", "ivan@example.ru", "line one\nline two"]
    assert table.rows[1] == ["'x'", "petrov@example.ru", 'say "hi"']
    assert table.row_numbers == [1, 3]


def test_ragged_rows_empty_rows_and_repeated_headers():
    table = read_csv(b"Name,Phone,Phone\nAnna,1\n,,\nBoris,2,3,extra\n")
    assert table.header == ["Name", "Phone", "Phone*", "Column 4"]
    assert table.rows == [["Anna", "1", "", ""], ["Boris", "2", "3", "extra"]]
    assert table.row_numbers == [2, 4]
    assert read_csv(b"").rows == [] and read_csv(b"").header == []


def test_a_huge_value_is_kept():
    big = "x" * 300_000
    table = read_csv(f"Name,Notes\nAnna,{big}\n".encode())
    assert table.rows == [["Anna", big]] and table.problems == []


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the project")
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_shared_csv_reads(path):
    table = read_csv(path.read_bytes())
    assert table.header and table.rows
    assert all(len(r) == len(table.header) for r in table.rows)


def test_shared_csv_sample():
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    table = read_csv((DATA / "roundcubemail/Csv2vcard/gmail.csv").read_bytes())
    assert table.encoding == "utf-8" and table.delimiter == ","
    assert table.header[:4] == ["Name", "Given Name", "Additional Name", "Family Name"]
    row = dict(zip(table.header, table.rows[0], strict=True))
    assert row["Notes"] == 'note"note'
    assert row["Address 1 - Formatted"].startswith("home_street\nhome_pobox")
    table = read_csv((DATA / "glabels-qt/crew-orientation-list.csv").read_bytes())
    assert table.header == ["Name", "Department", "SN"]
    assert [r[0] for r in table.rows] == ["Jim Kirk", "Mr. Spock", "Leonard McCoy",
                                          "Montgomery Scott"]


# -- spreadsheets --------------------------------------------------------------------------


def test_xlsx_with_sheet_choice(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["nothing here"])
    sheet = book.create_sheet("Клиенты")
    sheet.append(["ФИО", "Телефон", "Дата рождения", "Сумма", "Постоянный"])
    sheet.append(["Иванов Иван Иванович", "+7 495 123-45-67", datetime(1980, 3, 5), 1500.0,
                  True])
    sheet.append(["王小明", 8613800138000, date(1990, 12, 31), 12.5, None])
    sheet.append(["=1+1", None, None, None, None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = read_xlsx(path.read_bytes(), sheet="клиенты")
    assert table.sheets == ["Notes", "Клиенты"] and table.sheet == "Клиенты"
    assert table.header == ["ФИО", "Телефон", "Дата рождения", "Сумма", "Постоянный"]
    assert table.rows[0] == ["Иванов Иван Иванович", "+7 495 123-45-67", "1980-03-05", "1500",
                             "yes"]
    assert table.rows[1] == ["王小明", "8613800138000", "1990-12-31", "12.5", ""]
    assert len(table.rows) == 2  # a formula is never run: without a saved value, nothing
    assert read_table(path.read_bytes(), "xlsx").sheet == "Notes"
    assert read_xlsx(path.read_bytes(), sheet="2").sheet == "Клиенты"
    assert read_xlsx(path.read_bytes(), sheet=0).sheet == "Notes"
    book.create_sheet("1")
    book.save(path)
    assert read_xlsx(path.read_bytes(), sheet="1").sheet == "1"  # the name comes first
    missing = read_xlsx(path.read_bytes(), sheet="Other")
    assert missing.rows == [] and "Клиенты" in missing.problems[0].message


def test_a_broken_workbook_is_a_problem_not_a_crash():
    for reader in (read_xlsx, read_ods):
        table = reader(b"PK\x03\x04 not really a zip")
        assert table.rows == [] and table.problems[0].line == 0


def make_ods(sheets):
    cells = []
    for name, rows in sheets:
        body = "".join(
            "<table:table-row>" + "".join(cell for cell in row) + "</table:table-row>"
            for row in rows)
        cells.append(f'<table:table table:name="{name}">{body}'
                     '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                     'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:spreadsheet>" + "".join(cells) +
        "</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return buffer.getvalue()


def text_cell(text, repeat=1):
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" '
            f'office:value-type="string"><text:p>{text}</text:p></table:table-cell>')


def test_ods_with_sheet_choice_repeats_and_dates():
    data = make_ods([
        ("Empty", []),
        ("Kontaktai", [
            [text_cell("Vardas"), text_cell("Pavardė"), text_cell("Gimimo data"),
             text_cell("Pastabos")],
            [text_cell("Rūta"), text_cell("Žalgirytė"),
             '<table:table-cell office:value-type="date" office:date-value="1985-07-14">'
             "<text:p>85-07-14</text:p></table:table-cell>",
             '<table:table-cell office:value-type="string"><text:p>line<text:s text:c="2"/>'
             "one</text:p><text:p>line <text:span>two</text:span></text:p></table:table-cell>"],
            ['<table:table-cell office:value-type="float" office:value="37060000000">'
             "<text:p>37060000000</text:p></table:table-cell>", text_cell("same", 2)],
        ]),
    ])
    table = read_ods(data, sheet=1)
    assert table.sheets == ["Empty", "Kontaktai"] and table.sheet == "Kontaktai"
    assert table.header == ["Vardas", "Pavardė", "Gimimo data", "Pastabos"]
    assert table.rows == [["Rūta", "Žalgirytė", "1985-07-14", "line  one\nline two"],
                          ["37060000000", "same", "same", ""]]
    assert table.row_numbers == [2, 3]
    assert read_ods(data).rows == []  # the first sheet is empty


def test_ods_with_entities_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x/>')
    table = read_ods(buffer.getvalue())
    assert table.rows == [] and "entities" in table.problems[0].message


def test_cell_text():
    assert cell_text(None) == "" and cell_text(3.0) == "3" and cell_text(2.5) == "2.5"
    assert cell_text(datetime(2026, 1, 2, 9, 30)) == "2026-01-02 09:30"
    assert cell_text(date(2026, 1, 2)) == "2026-01-02"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_read_as_csv_without_an_error(data):
    table = read_csv(data)
    assert all(len(r) == len(table.header) for r in table.rows)
    assert len(table.rows) == len(table.row_numbers)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1,
                max_size=6), st.sampled_from([",", ";", "\t"]))
def test_any_text_table_reads_without_an_error(rows, delimiter):
    table = read_csv(make_csv(rows, delimiter, quote_all=True).encode("utf-8"),
                     delimiter=delimiter)
    assert all(len(r) == len(table.header) for r in table.rows)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_as_a_spreadsheet_are_a_problem_not_a_crash(data):
    for kind in ("xlsx", "ods"):
        table = read_table(b"PK\x03\x04" + data, kind)
        assert table.rows == [] or table.header
