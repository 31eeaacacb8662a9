"""Mapping presets: a table's columns saved by name in the file, applied to the next
file like it (columns it lacks passed over)."""

from __future__ import annotations

import pytest

from crmdesk.core.errors import CrmdeskError
from crmdesk.io.contacts_in.mapping import parse_target, suggest_mapping
from crmdesk.io.contacts_in.presets import (
    apply_preset,
    preset_named,
    preset_of,
    presets,
    save_preset,
)

HEADER = ["Vardas", "Pavardė", "Tel.", "Pastabos"]


def test_save_and_apply(db):
    mapping = suggest_mapping(HEADER)
    mapping.columns[0] = parse_target("given_name")
    mapping.columns[1] = parse_target("family_name")
    mapping.columns[2] = parse_target("phone:mobile")
    mapping.columns.pop(3, None)  # the notes column left out
    mapping.dayfirst = True
    with db.session() as s:
        save_preset(s, "  Old   CRM ", preset_of(mapping, HEADER))
    with db.reading() as s:
        assert list(presets(s)) == ["Old CRM"]
        preset = preset_named(s, "Old CRM")
    assert preset.pairs == ["Vardas=given_name", "Pavardė=family_name", "Tel.=phone:mobile",
                            "Pastabos=ignore"]
    # another file with the columns in another order, one more and one less
    other = ["Tel.", "E-mail", "vardas", "PAVARDĖ"]
    applied = apply_preset(suggest_mapping(other), other, preset)
    assert {i: t.text() for i, t in applied.columns.items()} == {
        0: "phone:mobile", 1: "email", 2: "given_name", 3: "family_name"}
    assert applied.dayfirst is True


def test_names_and_unknown(db):
    with db.session() as s, pytest.raises(CrmdeskError, match="needs a name"):
        save_preset(s, "   ", preset_of(suggest_mapping(HEADER), HEADER))
    with db.reading() as s, pytest.raises(CrmdeskError, match="no saved mapping 'Nope'"):
        preset_named(s, "Nope")
