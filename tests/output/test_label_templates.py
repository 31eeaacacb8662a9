"""Sheets from outside the catalogue: a gLabels template file a user has (any
shape gLabels writes that has a sheet, any unit, several layouts, equivalent
codes), and a sheet measured with a ruler, refused when its labels cannot fit."""

from __future__ import annotations

import gzip

import pytest

from crmdesk.output.labels.geometry import ELLIPSE, ROUND, GeometryError, custom_sheet
from crmdesk.output.labels.glabels import TemplateFileError, read_file

FILE = """<?xml version="1.0"?>
<Glabels-templates xmlns="http://glabels.org/xmlns/3.0/">
  <Template brand="Acme" part="100" size="A4" _description="Two blocks">
    <Label-rectangle id="0" width="70mm" height="1.5in" round="2mm">
      <Markup-margin size="2mm"/>
      <Layout nx="3" ny="2" x0="0" y0="10mm" dx="70mm" dy="40mm"/>
      <Layout nx="2" ny="3" x0="10mm" y0="100mm" dx="80mm" dy="1.5in"/>
    </Label-rectangle>
  </Template>
  <Template brand="Acme" part="101" equiv="100"/>
  <Template brand="Acme" part="R40" size="US-Letter" _description="Round">
    <Label-round id="0" radius="20mm">
      <Layout nx="4" ny="5" x0="10mm" y0="10mm" dx="50mm" dy="50mm"/>
    </Label-round>
  </Template>
  <Template brand="Acme" part="E1" size="Other" width="100mm" height="100mm">
    <Label-ellipse id="0" width="90" height="45">
      <Layout nx="1" ny="2" x0="10" y0="10" dx="90" dy="100"/>
    </Label-ellipse>
  </Template>
  <Template brand="Acme" part="ROLL" size="Other" width="62mm" height="100mm">
    <Label-continuous id="0" width="62mm" min_height="10mm" max_height="1000mm"
                      default_height="29mm"/>
  </Template>
  <Template brand="Acme" part="BAD" size="A4">
    <Label-rectangle id="0" width="70furlongs" height="10mm">
      <Layout nx="1" ny="1" x0="0" y0="0" dx="0" dy="0"/>
    </Label-rectangle>
  </Template>
</Glabels-templates>
"""


def test_a_glabels_file_with_shapes_units_layouts_and_equivalents(tmp_path):
    path = tmp_path / "acme.xml"
    path.write_text(FILE)
    sheets = {t.part: t for t in read_file(path)}
    assert set(sheets) == {"100", "R40", "E1"}  # the roll and the broken one passed over
    two = sheets["100"]
    assert (two.label_width, round(two.label_height, 2)) == (70.0, 38.1)
    assert two.radius == pytest.approx(2.0) and two.margin == pytest.approx(2.0)
    assert two.per_sheet == 12 and two.rows == 5 and two.columns == 3
    assert two.equivalents == ("Acme 101",)
    slots = two.slots()
    assert slots[0] == (0.0, 10.0) and slots[2] == (140.0, 10.0)
    assert slots[6] == (10.0, 100.0) and slots[7] == (90.0, 100.0)
    assert slots[8] == (10.0, pytest.approx(138.1))
    assert two.slot_at(3, 2) == 7  # row 3 is the second block's first row
    round_ = sheets["R40"]
    assert round_.shape == ROUND and round_.label_width == 40.0 and round_.page_width == 215.9
    ellipse = sheets["E1"]
    assert ellipse.shape == ELLIPSE and ellipse.page_width == 100.0
    assert ellipse.label_width == pytest.approx(90 * 25.4 / 72)


def test_a_compressed_glabels_document_is_read_too(tmp_path):
    path = tmp_path / "job.glabels"
    path.write_bytes(gzip.compress(FILE.encode()))
    assert [t.part for t in read_file(path)] == ["100", "R40", "E1"]


@pytest.mark.parametrize("content, message", [
    (b"not xml at all", "not a gLabels template file"),
    (b"<Glabels-templates/>", "holds no sheet"),
    (b"\x1f\x8b garbage", "damaged compressed file"),
])
def test_a_file_that_is_not_a_template_says_so(tmp_path, content, message):
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    with pytest.raises(TemplateFileError, match=message):
        read_file(path)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(TemplateFileError, match="could not be read"):
        read_file(tmp_path / "nope.xml")


def test_a_sheet_measured_with_a_ruler():
    sheet = custom_sheet(page_width=210, page_height=297, label_width=70, label_height=37,
                         columns=3, rows=8, left=0, top=0.5, name="Shop sheet")
    assert sheet.per_sheet == 24 and sheet.slots()[4] == (70.0, 37.5)
    assert sheet.code.endswith("Shop sheet")
    gaps = custom_sheet(page_width=215.9, page_height=279.4, label_width=66.7,
                        label_height=25.4, columns=3, rows=10, left=4.8, top=12.7,
                        horizontal=69.9, vertical=25.4)
    assert gaps.slots()[1] == (pytest.approx(74.7), 12.7)


@pytest.mark.parametrize("change, message", [
    (dict(columns=4), "past the sheet's width"),
    (dict(rows=9), "past the sheet's height"),
    (dict(horizontal=60), "would overlap"),
    (dict(vertical=30), "would overlap"),
    (dict(label_width=0), "needs a width"),
    (dict(columns=0), "at least one column"),
    (dict(left=-3), "outside the sheet"),
    (dict(radius=40), "corner radius"),
])
def test_a_sheet_whose_labels_cannot_fit_is_refused(change, message):
    values = dict(page_width=210, page_height=297, label_width=70, label_height=37,
                  columns=3, rows=8, left=0, top=0)
    values.update(change)
    with pytest.raises(GeometryError, match=message):
        custom_sheet(**values)


def test_start_position_outside_the_sheet_is_refused():
    sheet = custom_sheet(page_width=210, page_height=297, label_width=70, label_height=37,
                         columns=3, rows=8, left=0, top=0)
    with pytest.raises(GeometryError, match="8 rows; row 9"):
        sheet.slot_at(9, 1)
    with pytest.raises(GeometryError, match="column 4"):
        sheet.slot_at(1, 4)
    with pytest.raises(GeometryError, match="from 1"):
        sheet.slot_at(0, 1)
