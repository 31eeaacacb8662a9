"""Contacts out as vCards (3.0 and 4.0): other programs read them (vobject parses
every card), and crmdesk -> vCard -> crmdesk keeps every field crmdesk has."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import vobject

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
    create_contact,
    get_contact,
)
from crmdesk.core.fields import service as fields
from crmdesk.core.lookup.query import CONTACT, find_ids
from crmdesk.io.contacts_in.vcard import read_vcards
from crmdesk.io.vcard_out import VCARD_3, VCARD_4, contact_card, export_vcards

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from cli_process import crmdesk  # noqa: E402

PHOTO = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")  # a tiny JPEG


def everything() -> ContactData:
    return ContactData(
        prefix="Dr.", given_name="Jonas", middle_name="Petras", family_name="Žukauskas",
        suffix="Jr.", nickname="Joniukas", company="UAB Žalgiris", department="Pardavimai",
        job_title="Direktorius", birthday_month=2, birthday_day=29, status="Customer",
        source="Referral", notes="Likes calls after 10:00; not on Fridays,\nsecond line",
        phones=[PhoneData("+370 612 34567", "mobile", primary=True),
                PhoneData("+370 5 212 3456", "work"), PhoneData("+370 5 200 0000", "reception")],
        emails=[EmailData("jonas@zalgiris.lt", "work", primary=True),
                EmailData("jonas@example.com", "home")],
        addresses=[AddressData("Gedimino pr. 1-5", "Vilnius", "Vilniaus apskr.", "LT-01103",
                               "LT", "work", primary=True)],
        links=[LinkData("https://zalgiris.lt/?a=1,2;b", "work")],
        dates=[DateData("anniversary", 6, 15, 2010), DateData("name day", 3, 4)],
        relatives=[RelativeData("spouse", "Ona Žukauskienė")],
        tags=["vip", "krepšinis"], photo=PHOTO, photo_mime="image/jpeg")


def comparable(data: ContactData) -> dict:
    out = dataclasses.asdict(data)
    for key in ("id", "company_id", "display_name", "created_at", "updated_at", "deleted_at"):
        out.pop(key)
    for phone in out["phones"]:
        phone.pop("e164")
    for rel in out["relatives"]:
        rel.pop("contact_id")
    # vCard keeps properties of one kind in order, not the order between kinds
    # (ANNIVERSARY and the labelled X-ABDATEs): dates compare as a set.
    out["dates"] = sorted(out["dates"], key=lambda d: (d["month"], d["day"]))
    return out


@pytest.mark.parametrize("version", [VCARD_3, VCARD_4])
def test_other_programs_read_it(version):
    text = contact_card(everything(), version=version,
                        custom=[("fleet_size", "Fleet size", 12)])
    card = vobject.readOne(text)
    assert card.version.value == version
    assert card.fn.value == "Dr. Jonas Petras Žukauskas Jr."
    assert card.n.value.family == "Žukauskas"
    assert [t.value for t in card.contents["tel"]] == [
        "+370 612 34567", "+370 5 212 3456", "+370 5 200 0000"]
    assert card.org.value == ["UAB Žalgiris", "Pardavimai"]
    assert card.categories.value == ["vip", "krepšinis"]
    assert card.note.value == "Likes calls after 10:00; not on Fridays,\nsecond line"
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize("version", [VCARD_3, VCARD_4])
def test_crmdesk_to_vcard_to_crmdesk_keeps_everything(db, version):
    original = get_contact(db, create_contact(db, everything()))  # as crmdesk keeps it
    read = read_vcards(contact_card(original, version=version).encode("utf-8"))
    assert read.problems == [] and len(read.records) == 1
    assert comparable(read.records[0]) == comparable(original)


def test_a_file_round_trip_with_custom_fields(db, tmp_path, new_db_file):
    with db.session() as s:
        fleet = fields.add_field(s, "contact", "Fleet size", fields.NUMBER).key
        renewal = fields.add_field(s, "contact", "Renewal", fields.DATE).key
        only_here = fields.add_field(s, "contact", "Shoe size", fields.TEXT).key
    cid = create_contact(db, everything())
    other = create_contact(db, ContactData(given_name="王", family_name="小明",
                                           name_order="family_first"))
    with db.session() as s:
        fields.set_values(s, "contact", cid, {fleet: "12", renewal: "2026-06-01",
                                               only_here: "44"})
    out = tmp_path / "all.vcf"
    with db.reading() as s:
        assert export_vcards(s, find_ids(s, CONTACT, "", strict=True), out) == 2
    assert len(list(vobject.readComponents(out.read_text(encoding="utf-8")))) == 2
    # another file with the same number and date fields (not the shoe size)
    target = new_db_file(tmp_path / "other.crmdesk")
    from crmdesk.core.storage.database import Database

    with Database.open(target) as other_db:
        with other_db.session() as s:
            fields.add_field(s, "contact", "Fleet size", fields.NUMBER, key=fleet)
            fields.add_field(s, "contact", "Renewal", fields.DATE, key=renewal)
    done = crmdesk("import", str(out), "--db", str(target))
    assert done.returncode == 0, done.stderr
    assert "There is no custom field 'Shoe size' here" in done.stdout + done.stderr
    with Database.open(target) as other_db:
        with other_db.reading() as s:
            ids = find_ids(s, CONTACT, "Žukauskas", strict=True)
            values = fields.get_values(s, "contact", ids)
        back = get_contact(other_db, ids[0])
    expected = comparable(get_contact(db, cid))
    got = comparable(back)
    assert got.pop("notes").endswith("Shoe size: 44")
    expected.pop("notes")
    assert got == expected
    assert str(values[ids[0]][fleet]) == "12" and str(values[ids[0]][renewal]) == "2026-06-01"
    assert other
