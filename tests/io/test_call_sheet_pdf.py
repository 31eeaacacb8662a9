"""The PDF call sheet, read back as a user's PDF reader would (pdfplumber, poppler):
every row and page there, long values wrapped and whole, the header and "Page N of
M" on every page, blank Result and Notes columns, every font embedded, mixed
scripts drawn with real glyphs, hostile values harmless."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pdfplumber
import pytest

from crmdesk.core.contacts.records import AddressData, ContactData, PhoneData, create_contact
from crmdesk.core.errors import FileWriteError
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.io.call_export import export_contacts
from crmdesk.io.call_list import CallList
from crmdesk.io.call_sheet_pdf import A4, LETTER, PAPERS, SheetLayout, paper_for, write_pdf

HEAD = ["Name", "Company", "Phones", "City"]
LONG_NOTE = " ".join(f"word{i:04d}" for i in range(700)) + " THE-END"  # ~6,300 chars


def sheet(rows, keys=("name", "company", "phones", "city"), head=HEAD):
    return CallList(list(keys), list(head), ["text"] * len(keys), [list(r) for r in rows])


def text_of(path):
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def squeezed(text):
    return re.sub(r"\s+", "", text)


def column_text(path, rows, column, keys=("name", "company", "phones", "city"), head=HEAD):
    """What a column holds on every page, under the header, read in order: a value
    wrapped over lines and pages comes out whole if nothing was cut off."""
    layout = SheetLayout(sheet(rows, keys, head), paper=A4)
    edges = [*layout.xs, layout.page_width - 28]
    parts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            box = (edges[column], layout.body_top, edges[column + 1], layout.body_bottom)
            parts.append(page.crop(box).extract_text() or "")
    return squeezed("".join(parts))


def test_every_row_and_page(tmp_path):
    rows = [[f"Contact {i:04d}", f"Company {i}", f"+370 600 {i:05d}", "Kaunas"]
            for i in range(300)]
    out = tmp_path / "calls.pdf"
    assert write_pdf(out, sheet(rows), title="city:Kaunas", day=date(2026, 12, 5)) == 300
    pages = text_of(out)
    assert len(pages) > 5
    everything = "\n".join(pages)
    found = re.findall(r"Contact (\d{4})", everything)
    assert found == [f"{i:04d}" for i in range(300)]  # each row once, in order
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        # the header on every page, with the blank columns to write in
        assert re.search(r"Name\s+Company\s+Phones\s+City\s+Result\s+Notes", page), page[:200]
    assert pages[0].startswith("city:Kaunas")
    assert "2026-12-05 · 300 contacts" in pages[0]


def test_landscape_a4_or_letter(tmp_path):
    for paper in (A4, LETTER):
        out = tmp_path / f"{paper}.pdf"
        write_pdf(out, sheet([["Ona", "", "", ""]]), paper=paper)
        with pdfplumber.open(out) as pdf:
            page = pdf.pages[0]
            assert (round(page.width), round(page.height)) == tuple(round(v) for v in
                                                                     PAPERS[paper])
            assert page.width > page.height
    assert paper_for("en_US.UTF-8") == LETTER and paper_for("es_MX") == LETTER
    assert paper_for("lt_LT.UTF-8") == A4 and paper_for("en_GB") == A4
    assert paper_for("C.UTF-8") == A4 and paper_for("") == A4


def test_long_values_wrap_whole_inside_their_cell(tmp_path):
    rows = [["Jonas Žukauskas", "UAB " + "Labai Ilgas Pavadinimas " * 6, "+370 612 34567",
             "Vilnius"],
            ["Ona", "", "", "x" * 400]]  # one "word" wider than any column
    out = tmp_path / "long.pdf"
    write_pdf(out, sheet(rows + [["Petras", LONG_NOTE, "", ""]]))
    layout = SheetLayout(sheet(rows), paper=A4)
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for ch in page.chars:  # nothing drawn outside the page's margins
                assert 0 < ch["x0"] and ch["x1"] < page.width - 20
        # each character lies inside its own column: nothing runs over
        edges = [*layout.xs, layout.page_width - 28]
        first = pdf.pages[0]
        body = [c for c in first.chars if c["top"] > layout.body_top]
        for c in body:
            column = max(i for i, x in enumerate(edges) if x <= c["x0"] + 0.01)
            assert c["x1"] <= edges[column + 1] + 0.5, c
    rows.append(["Petras", LONG_NOTE, "", ""])
    assert "x" * 400 in column_text(out, rows, 3)
    company = column_text(out, rows, 1)
    assert squeezed(LONG_NOTE) in company  # a note longer than a page goes on overleaf
    assert squeezed("UAB " + "Labai Ilgas Pavadinimas " * 6) in company


def test_hostile_values_go_through(tmp_path):
    rows = [['=HYPERLINK("http://evil.example","click")', "+SUM(1,2)", "@cmd", "-2+3"],
            ["", "", "", ""],  # an empty name
            ["שלום עולם", "مرحبا", "", ""],  # right-to-left
            ["Smile 😀 🎉", "tab\there", "null\x00byte", "line\r\nbreak"],
            ["Note", "n" * 5000, "", ""]]
    out = tmp_path / "hostile.pdf"
    assert write_pdf(out, sheet(rows)) == 5
    whole = "\n".join(text_of(out))
    for expected in ('=HYPERLINK("http://evil.example","click")', "+SUM(1,2)", "@cmd",
                     "-2+3", "Smile", "tab", "here", "null", "byte", "line", "break"):
        assert expected in whole
    assert "n" * 5000 in column_text(out, rows, 1)


def test_fonts_embedded_and_mixed_scripts_drawn(tmp_path):
    if not shutil.which("pdffonts") or not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdffonts, pdftoppm) is not installed")
    rows = [["Jonas Žukauskas", "UAB „Ąžuolas“", "+370 612 34567", "Šiauliai"],
            ["Ąčęėįšųūž ĄČĘĖĮŠŲŪŽ", "", "", "Kaunas"],
            ["Иван Иванов", "ООО «Ромашка»", "+7 495 123-45-67", "Москва"],
            ["王小明", "北京科技有限公司", "+86 138 0013 8000", "北京"],
            ["Li Wei 李伟 (Vilnius)", "", "", "上海"]]
    out = tmp_path / "mixed.pdf"
    write_pdf(out, sheet(rows), title="Skambučiai · Звонки · 电话")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert len(fonts) == 3, fonts
    for line in fonts:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line  # embedded, subsetted
    assert any("DejaVuSans" in f for f in fonts) and any("WenQuanYi" in f for f in fonts)
    whole = "\n".join(text_of(out))
    for row in rows:
        for value in row:
            for word in value.split():
                assert word in whole, word
    picture = tmp_path / "mixed"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                    str(picture)], check=True)
    png = next(tmp_path.glob("mixed*.png"))
    assert png.stat().st_size > 10_000


def test_a_lookup_exported_as_pdf(db, tmp_path):
    for given, family, city in (("Jonas", "Žukauskas", "Kaunas"), ("Ona", "Petraitė", "Vilnius"),
                                ("Иван", "Иванов", "Kaunas")):
        create_contact(db, ContactData(given_name=given, family_name=family,
                                       phones=[PhoneData("+370 612 34567")],
                                       addresses=[AddressData(city=city)]))
    out = tmp_path / "kaunas.pdf"
    with db.reading() as s:
        ids = find_ids(s, CONTACT, "city:Kaunas", strict=True)
        n = export_contacts(s, ids, ["name", "city", "notes"], out, file_format="pdf",
                            title="city:Kaunas", sort="name", descending=True)
    assert n == 2
    page = text_of(out)[0]
    # the data's Notes column and the blank one to write in are told apart
    assert re.search(r"Name\s+City\s+Notes\s+Result\s+New\s+notes", page), page
    assert page.index("Иван Иванов") < page.index("Jonas Žukauskas")  # sorted, descending


def test_cancel_and_a_folder_leave_nothing(tmp_path):
    rows = [[f"C{i}", "", "", ""] for i in range(200)]

    class Stop(Exception):
        pass

    def progress(done, total):
        if done > 50:
            raise Stop

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Stop):
        write_pdf(out, sheet(rows), progress=progress)
    assert list(tmp_path.iterdir()) == []  # no file, no half file
    with pytest.raises(FileWriteError, match="is a folder"):
        write_pdf(tmp_path, sheet(rows))


def test_many_columns_still_fit(tmp_path):
    keys = [f"k{i}" for i in range(14)]
    head = [f"Column number {i}" for i in range(14)]
    rows = [[f"value {i}-{j} with words" for j in range(14)] for i in range(20)]
    layout = SheetLayout(sheet(rows, keys, head), paper=A4)
    assert abs(sum(layout.widths) - (layout.page_width - 56)) < 0.01
    out = tmp_path / "wide.pdf"
    write_pdf(out, sheet(rows, keys, head))
    last = column_text(out, rows, 13, keys, head)
    assert last == "".join(squeezed(f"value {i}-13 with words") for i in range(20))


def test_a_missing_font_is_said(tmp_path, monkeypatch):
    from crmdesk.io import call_sheet_pdf

    call_sheet_pdf.fonts.cache_clear()
    monkeypatch.setattr(call_sheet_pdf, "FONT_DIR", tmp_path / "nowhere")
    try:
        with pytest.raises(FileWriteError, match="DejaVuSans.ttf is missing .*reinstall"):
            write_pdf(tmp_path / "x.pdf", sheet([["Ona", "", "", ""]]))
    finally:
        call_sheet_pdf.fonts.cache_clear()
    assert not (tmp_path / "x.pdf").exists()


def test_how_a_long_word_breaks():
    layout = SheetLayout(sheet([["x", "", "", ""]]), paper=A4)
    # an e-mail address after its @ and dots, not in the middle of a name
    assert layout.wrap("allison.acosta@wallace-auto-parts.com", 80) == [
        "allison.acosta@", "wallace-auto-", "parts.com"]
    # no line starts with the space it broke at, and nothing is lost
    lines = layout.wrap("a " + "b" * 80 + " c", 60)
    assert lines[0] == "a" and lines[-1] == "c" and not any(x.startswith(" ") for x in lines)
    assert "".join(lines[1:-1]) == "b" * 80
    # Chinese between any two characters
    lines = layout.wrap("王小明北京科技有限公司" * 2, 60)
    assert len(lines) > 1 and "".join(lines) == "王小明北京科技有限公司" * 2
    # each line fits its column
    for text in ("x" * 300, "word " * 50, "王" * 40):
        assert all(layout.measure(line) <= 60 - 6 for line in layout.wrap(text, 60))
