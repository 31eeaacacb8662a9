"""Label PDFs read back as a PDF reader sees them (pdfplumber, poppler): every
name on its own label in its own script (Lithuanian, Russian, Chinese, Greek,
Japanese, Korean), each text line inside its label, the count, sort order and
start position, every font embedded, and a file that is whole or not there."""

from __future__ import annotations

import re
import shutil
import subprocess

import pdfplumber
import pytest

from crmdesk.core.errors import FileWriteError
from crmdesk.output.fonts import fonts
from crmdesk.output.labels.addresses import PostalAddress
from crmdesk.output.labels.catalogue import find
from crmdesk.output.labels.layout import NAME, LabelOptions, label_texts, plan_labels
from crmdesk.output.labels.pdf import write_pdf
from crmdesk.output.labels.recipients import Recipient

PEOPLE = [
    ("Žydrūnė Šimkutė-Čepulienė", PostalAddress("Ąžuolyno g. 7-12", "Kaunas", "", "44001",
                                                 "LT")),
    ("Иван Иванович Петров", PostalAddress("ул. Тверская, д. 7, кв. 5", "Москва", "",
                                            "125009", "RU")),
    ("王小明", PostalAddress("建国路88号", "北京市", "北京市", "100022", "CN")),
    ("Γιώργος Παπαδόπουλος", PostalAddress("Οδός Αθηνάς 12", "Αθήνα", "", "105 54", "GR")),
    ("山田太郎", PostalAddress("千代田1-1", "東京都", "", "100-0001", "JP")),
    ("김민준", PostalAddress("세종대로 110", "서울", "", "04524", "KR")),
    ("John Smith", PostalAddress("742 Evergreen Terrace", "Springfield", "IL", "62704", "US")),
]


def recipients(people=PEOPLE):
    return [Recipient(i + 1, name, "", "", "", "", "", address, sort_key=name.casefold())
            for i, (name, address) in enumerate(people)]


def make(tmp_path, people=PEOPLE, code="5160", **options):
    opts = LabelOptions(home_country="LT", **options)
    texts, skipped = label_texts(recipients(people), opts)
    plan = plan_labels(find(code), texts, opts, skipped=skipped)
    out = tmp_path / "labels.pdf"
    write_pdf(out, plan)
    return plan, out


def squeezed(text):
    return re.sub(r"\s+", "", text or "")


def test_every_name_on_its_own_label_in_its_own_script(tmp_path):
    plan, out = make(tmp_path)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert page.width == pytest.approx(612) and page.height == pytest.approx(792)
        for label, (name, _address) in zip(plan.labels, PEOPLE, strict=True):
            box = page.within_bbox((label.x, label.y, label.x + label.width,
                                    label.y + label.height))
            text = box.extract_text()
            assert squeezed(name) in squeezed(text), (name, text)
            assert squeezed(text) == squeezed("".join(label.lines))


def test_every_text_line_inside_its_labels_printable_area(tmp_path):
    plan, out = make(tmp_path, [(n * 2, a) for n, a in PEOPLE] * 5, code="L7651")
    t = find("L7651")
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        assert chars
        for label in plan.labels:
            inside = [c for c in chars if label.x <= c["x0"] < label.x + label.width
                      and label.y <= c["top"] < label.y + label.height]
            for c in inside:
                assert c["x1"] <= label.x + label.width - t.margin + 0.5, c["text"]
                assert c["bottom"] <= label.y + label.height + 0.5, c["text"]
        placed_chars = sum(len(squeezed("".join(label.lines))) for label in plan.labels)
        assert len([c for c in chars if c["text"].strip()]) == placed_chars


def test_label_count_pages_sort_order_and_start_position(tmp_path):
    people = [(f"Name {i:03d}", PostalAddress(f"G. {i}", "Kaunas", "", f"{44000 + i}", "LT"))
              for i in range(70, 0, -1)]
    plan, out = make(tmp_path, people, sort=NAME, start_row=2, start_column=3)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 3  # 28 on the first sheet, 30, 12
        names = []
        for page in pdf.pages:
            names += re.findall(r"Name (\d{3})", page.extract_text())
        assert names == [f"{i:03d}" for i in range(1, 71)][:len(names)]
        assert len(names) == 70
        first_page = pdf.pages[0]
        first = min(first_page.search("Name 001"), key=lambda m: m["top"])
        t = find("5160")
        slot_x = t.layouts[0].x0 + 2 * t.layouts[0].dx  # column 3
        slot_y = t.layouts[0].y0 + t.layouts[0].dy  # row 2
        mm = 72 / 25.4
        assert slot_x * mm < first["x0"] < (slot_x + t.label_width) * mm
        assert slot_y * mm < first["top"] < (slot_y + t.label_height) * mm
        assert first_page.within_bbox((0, 0, 612, slot_y * mm)).extract_text() == ""


def test_every_font_embedded_and_every_character_has_a_glyph(tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is not installed")
    _plan, out = make(tmp_path)
    report = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(report) >= 2
    for line in report:
        assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, unicode
    assert "Helvetica" not in "\n".join(report)
    every = "".join(name + a.street + a.city for name, a in PEOPLE)
    assert fonts().missing(every) == ""


def test_outlines_draw_every_label_of_the_sheet(tmp_path):
    _plan, out = make(tmp_path, PEOPLE[:1], outlines=True)
    with pdfplumber.open(out) as pdf:
        shapes = pdf.pages[0].rects + pdf.pages[0].curves
        assert len(pdf.pages[0].rects) + len({(round(c["x0"]), round(c["top"]))
                                              for c in pdf.pages[0].curves}) >= 30
        assert shapes
    _plan, plain = make(tmp_path, PEOPLE[:1])
    with pdfplumber.open(plain) as pdf:
        assert not pdf.pages[0].rects and not pdf.pages[0].curves


def test_envelopes_one_a_page_with_the_return_address(tmp_path):
    plan, out = make(tmp_path, PEOPLE[:3], code="DL",
                     sender=("UAB Crmdesk", "Vilniaus g. 1", "LT-01100 Vilnius"))
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 3
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx((220 * 72 / 25.4, 110 * 72 / 25.4))
        top_left = page.within_bbox((0, 0, page.width * 0.4, page.height * 0.4)).extract_text()
        assert "UAB Crmdesk" in top_left and "Žydrūnė" not in top_left
        rest = page.within_bbox((page.width * 0.4, page.height * 0.4, page.width,
                                 page.height)).extract_text()
        assert "Žydrūnė Šimkutė-Čepulienė" in rest and "LT-44001 KAUNAS" in rest
        assert "王小明" in pdf.pages[2].extract_text().replace(" ", "")


def test_the_file_is_whole_or_not_there(tmp_path):
    plan, out = make(tmp_path)
    before = out.read_bytes()

    def cancel(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pdf(out, plan, progress=cancel)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["labels.pdf"]
    with pytest.raises(FileWriteError, match="does not exist"):
        write_pdf(tmp_path / "no" / "such.pdf", plan)
    with pytest.raises(FileWriteError, match="is a folder"):
        write_pdf(tmp_path, plan)


def test_characters_no_font_has_are_left_out_and_reported_never_boxes(tmp_path):
    people = [("Jonas 🦄 Petraitis", PostalAddress("Laisvės al. 1", "Kaunas", "", "44001",
                                                 "LT"))]
    plan, out = make(tmp_path, people)
    assert plan.labels[0].lines[0] == "Jonas Petraitis"
    assert plan.unprintable == [("Jonas 🦄 Petraitis", "🦄")]
    assert "  Jonas 🦄 Petraitis: 🦄" in plan.report()
    with pdfplumber.open(out) as pdf:
        assert "🦄" not in pdf.pages[0].extract_text()


def test_a_calibration_page_has_its_crosses_20_mm_from_the_edges(tmp_path):
    from crmdesk.output.labels.pdf import write_calibration_pdf

    out = write_calibration_pdf(tmp_path / "cal.pdf", find("L7160"), offset_x=1.0)
    mm = 72 / 25.4
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        long_lines = [ln for ln in page.lines if abs(ln["x1"] - ln["x0"]) > 15 * mm]
        centres = sorted({(round((ln["x0"] + ln["x1"]) / 2 / mm, 1), round(ln["top"] / mm, 1))
                          for ln in long_lines})
        assert centres == [(21.0, 20.0), (21.0, 277.0), (106.0, 148.5), (191.0, 20.0),
                           (191.0, 277.0)]  # 1 mm of offset to the right
        assert "calibration" in page.extract_text()


def test_a_missing_font_is_a_plain_message(monkeypatch, tmp_path):
    from crmdesk.core.errors import CrmdeskError
    from crmdesk.output import fonts as fonts_module

    monkeypatch.setattr(fonts_module, "SHIPPED", tmp_path)
    monkeypatch.setattr(fonts_module, "SYSTEM", ())
    with pytest.raises(CrmdeskError, match="DejaVuSans.ttf is missing.*reinstall"):
        fonts_module.font_path("DejaVuSans.ttf")


def test_the_rendered_sheet_has_ink_only_inside_labels(tmp_path):
    """pdftoppm's picture of a sheet of long mixed-script addresses: every dark
    pixel is inside a label's box (nothing ran into the gaps or off the sheet)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    from PIL import Image

    long_people = [(n + " " + n, PostalAddress(a.street + " " + a.street, a.city, a.region,
                                               a.postcode, a.country)) for n, a in PEOPLE]
    plan, out = make(tmp_path, long_people * 4, code="L7651")
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", "-png", str(out),
                    str(tmp_path / "sheet")], check=True)
    image = Image.open(next(tmp_path.glob("sheet*.png"))).convert("L")
    boxes = [(lab.x - 1, lab.y - 1, lab.x + lab.width + 1, lab.y + lab.height + 1)
             for lab in plan.labels]
    pixels = image.load()
    dark = [(x, y) for y in range(image.height) for x in range(image.width)
            if pixels[x, y] < 128]
    assert len(dark) > 1000  # there is text
    outside = [(x, y) for x, y in dark
               if not any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes)]
    assert outside == []
