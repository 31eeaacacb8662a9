"""Where each label goes and what it says: the first label at the sheet's offset
(plus the printer's), the pitch, a partly used sheet, copies, one per household,
the sort orders, upper case, long text kept inside its label, addresses by the
destination's post office, and which address of a contact is used."""

from __future__ import annotations

import pytest

from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import AddressData, ContactData, create_contact
from crmdesk.output.labels import make_plan
from crmdesk.output.labels.addresses import PostalAddress, address_lines
from crmdesk.output.labels.catalogue import find
from crmdesk.output.labels.geometry import MM
from crmdesk.output.labels.layout import (
    COUNTRY,
    NAME,
    POSTCODE,
    LabelOptions,
    Measure,
    label_texts,
    plan_labels,
)
from crmdesk.output.labels.recipients import (
    HOME,
    MAILING,
    PRIMARY,
    WORK,
    Recipient,
    lookup_ids,
    read_recipients,
)


def person(i, name=None, *, street=None, city="Kaunas", postcode=None, country="LT",
           family="", given="", company="", skipped=""):
    address = PostalAddress(street or f"Laisvės al. {i}", city, "", postcode or f"{44000 + i}",
                            country)
    return Recipient(i, name or f"Person {i:03d}", family, given, "", company, "", address,
                     sort_key=(name or f"Person {i:03d}").casefold(), skipped=skipped)


def plan(people, code="5160", **options):
    opts = LabelOptions(home_country="LT", **options)
    texts, skipped = label_texts(people, opts)
    return plan_labels(find(code), texts, opts, skipped=skipped)


def test_first_label_at_the_sheets_offset_and_the_pitch():
    p = plan([person(i) for i in range(35)])
    t = find("5160")
    first, second, fourth = p.labels[0], p.labels[1], p.labels[3]
    assert (first.x, first.y) == pytest.approx((t.layouts[0].x0 * MM, t.layouts[0].y0 * MM))
    assert second.x - first.x == pytest.approx(t.layouts[0].dx * MM)
    assert fourth.y - first.y == pytest.approx(t.layouts[0].dy * MM)
    assert fourth.x == pytest.approx(first.x)
    assert p.pages == 2 and p.labels[30].page == 1 and p.labels[30].slot == 0
    assert (first.width, first.height) == pytest.approx((66.675 * MM, 25.4 * MM))


def test_the_printer_offset_moves_everything_by_its_millimetres():
    plain = plan([person(1)]).labels[0]
    moved = plan([person(1)], offset_x=1.5, offset_y=-0.8).labels[0]
    assert moved.x - plain.x == pytest.approx(1.5 * MM)
    assert moved.y - plain.y == pytest.approx(-0.8 * MM)
    assert moved.text_x - plain.text_x == pytest.approx(1.5 * MM)


def test_start_row_and_column_on_a_partly_used_sheet():
    p = plan([person(i) for i in range(30)], start_row=3, start_column=2)
    assert p.labels[0].slot == 7 and p.labels[0].page == 0
    assert p.labels[22].slot == 29 and p.labels[23].page == 1 and p.labels[23].slot == 0
    assert p.pages == 2


def test_copies_come_together():
    p = plan([person(1), person(2)], copies=3)
    assert [lab.contact_ids for lab in p.labels] == [(1,), (1,), (1,), (2,), (2,), (2,)]


def test_one_label_per_household():
    people = [person(1, "Jonas Petraitis", street="Gedimino pr. 1", postcode="01100",
                     family="Petraitis", given="Jonas"),
              person(2, "Ona Petraitis", street="Gedimino  pr. 1", postcode="01 100",
                     family="Petraitis", given="Ona"),
              person(3, "Other Person", street="Kita g. 2", postcode="01100")]
    p = plan(people, household=True)
    assert len(p.labels) == 2
    assert p.labels[0].contact_ids == (1, 2)
    assert p.labels[0].lines[0] == "Jonas and Ona Petraitis"
    mixed = [person(1, "Jonas Petraitis", street="A g. 1", postcode="01100",
                    family="Petraitis", given="Jonas"),
             person(2, "Rūta Kazlauskienė", street="A g. 1", postcode="01100",
                    family="Kazlauskienė", given="Rūta")]
    assert plan(mixed, household=True).labels[0].lines[0] == \
        "Jonas Petraitis and Rūta Kazlauskienė"


def test_sort_by_postcode_name_and_country():
    people = [person(1, "Cecilia", postcode="03000"), person(2, "Adomas", postcode="09000"),
              person(3, "Bronė", postcode="01000", country="PL", city="Warszawa"),
              person(4, "Dana", postcode="02000", country="DE", city="Berlin")]
    by_post = [lab.contact_ids[0] for lab in plan(people, sort=POSTCODE).labels]
    assert by_post == [4, 1, 2, 3]  # by country code, then postcode
    assert [lab.contact_ids[0] for lab in plan(people, sort=NAME).labels] == [2, 3, 1, 4]
    by_country = [lab.contact_ids[0] for lab in plan(people, sort=COUNTRY).labels]
    assert by_country == [4, 1, 2, 3]  # GERMANY, LITHUANIA, LITHUANIA, POLAND
    assert [lab.contact_ids[0] for lab in plan(people).labels] == [1, 2, 3, 4]


def test_upper_case():
    lines = plan([person(1, "Žaneta Šimkutė", street="Ąžuolų g. 5")], upper=True).labels[0].lines
    assert lines == ("ŽANETA ŠIMKUTĖ", "ĄŽUOLŲ G. 5", "LT-44001 KAUNAS")


def test_long_text_shrinks_wraps_or_is_cut_and_reported_never_past_its_label():
    measure = Measure()
    long_firm = "Acme Widgets International Holdings Incorporated of Springfield"
    wraps = " ".join(["Supercalifragilisticexpialidocious"] * 3)
    longer = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3  # one word: no space
    people = [person(1, "Short Name"), person(2, "Jonas", company=long_firm),
              person(3, longer), person(5, wraps), person(4, "Many", street="\n".join(f"Line {i}"
                                                                  for i in range(12)))]
    p = plan(people, company=True)
    by_id = {lab.contact_ids[0]: lab for lab in p.labels}
    assert by_id[1].size == 10.0 and not by_id[1].cut
    assert not by_id[2].cut and 6.0 <= by_id[2].size < 10.0
    assert " ".join(by_id[2].lines).count("Acme Widgets") == 1
    assert by_id[3].cut and by_id[3].lines[0].endswith("…")
    assert by_id[4].cut
    assert not by_id[5].cut and len(by_id[5].lines) > 3  # wrapped at its spaces
    assert p.cut == [longer, "Many"]
    for lab in p.labels:
        assert lab.size >= 6.0
        assert lab.text_y >= lab.y and lab.text_x >= lab.x
        bottom = lab.text_y + len(lab.lines) * lab.leading
        assert bottom <= lab.y + lab.height + 0.01
        for line in lab.lines:
            assert lab.text_x + measure(line) * lab.size <= lab.x + lab.width + 0.01, line


def test_contacts_without_a_deliverable_address_are_listed_not_dropped():
    people = [person(1), Recipient(2, "No Address", "", "", "", "", "", None,
                                   skipped="no address")]
    p = plan(people)
    assert len(p.labels) == 1
    assert p.skipped == [("No Address", "no address")]
    assert "No Address: no address" in "\n".join(p.report())


@pytest.mark.parametrize("address, lines", [
    (PostalAddress("742 Evergreen Terrace", "Springfield", "IL", "62704", "US"),
     ["Ann Lee", "742 Evergreen Terrace", "SPRINGFIELD IL 62704", "UNITED STATES"]),
    (PostalAddress("Gedimino pr. 1", "Vilnius", "", "LT-01100", "LT"),
     ["Ann Lee", "Gedimino pr. 1", "LT-01100 VILNIUS"]),
    (PostalAddress("Gedimino pr. 1", "Vilnius", "", "01100", "LT"),
     ["Ann Lee", "Gedimino pr. 1", "LT-01100 VILNIUS"]),
    (PostalAddress("ул. Тверская, д. 7", "Москва", "", "125009", "RU"),
     ["Ann Lee", "ул. Тверская, д. 7", "МОСКВА", "125009", "RUSSIAN FEDERATION"]),
    (PostalAddress("建国路88号", "北京市", "北京市", "100022", "CN"),
     ["100022", "北京市", "建国路88号", "Ann Lee", "CHINA"]),
    (PostalAddress("Hauptstr. 5", "Berlin", "", "10115", "DE"),
     ["Ann Lee", "Hauptstr. 5", "10115 BERLIN", "GERMANY"]),
    (PostalAddress("ul. Długa 5", "Gdańsk", "", "80-001", "PL"),
     ["Ann Lee", "ul. Długa 5", "80-001 GDAŃSK", "POLAND"]),
    (PostalAddress("10 Downing St", "London", "", "SW1A 2AA", "GB"),
     ["Ann Lee", "10 Downing St", "LONDON", "SW1A 2AA", "UNITED KINGDOM"]),
    (PostalAddress("Somewhere 1", "Town", "", "123", "ZZ"),
     ["Ann Lee", "Somewhere 1", "123 Town", "ZZ"]),
])
def test_addresses_by_the_destinations_post_office(address, lines):
    assert address_lines(address, name=["Ann Lee"], home_country="LT") == lines


def test_the_country_line_only_for_abroad():
    us = PostalAddress("1 Main St", "Springfield", "IL", "62704", "US")
    assert address_lines(us, name=["A"], home_country="US")[-1] == "SPRINGFIELD IL 62704"
    no_country = PostalAddress("Laisvės al. 1", "Kaunas", "", "44001", "")
    assert address_lines(no_country, home_country="LT") == ["Laisvės al. 1",
                                                            "LT-44001 KAUNAS"]


def _make(db, **kw):
    return create_contact(db, ContactData(**kw))


def test_which_address_of_a_contact(db):
    a = AddressData
    both = _make(db, given_name="Both", family_name="Kinds", addresses=[
        a("Home g. 1", "Kaunas", "", "44001", "LT", "home", True),
        a("Work g. 2", "Vilnius", "", "01100", "LT", "work"),
        a("P.d. 5", "Vilnius", "", "01001", "LT", "Mailing")])
    create_company(db, CompanyData(name="UAB Firma", addresses=[
        a("Firmos g. 9", "Klaipėda", "", "91001", "LT", "office", True)]))
    staff = _make(db, given_name="Staff", family_name="Member", company="UAB Firma",
                  addresses=[a("Namų g. 3", "Alytus", "", "62001", "LT", "home", True)])
    only_firm = _make(db, given_name="Only", family_name="Firm", company="UAB Firma")
    none = _make(db, given_name="No", family_name="Where")
    half = _make(db, given_name="Half", family_name="Address",
                 addresses=[a("", "", "", "44001", "LT")])
    ids = [both, staff, only_firm, none, half]
    with db.reading() as s:
        def street(kind, cid):
            r = {x.contact_id: x for x in read_recipients(s, ids, address=kind)}[cid]
            return r.address.street if r.address else None
        assert street(HOME, both) == "Home g. 1"
        assert street(WORK, both) == "Work g. 2"
        assert street(MAILING, both) == "P.d. 5"
        assert street(PRIMARY, both) == "Home g. 1"
        assert street(WORK, staff) == "Firmos g. 9"  # the company's, for business mail
        assert street(HOME, staff) == "Namų g. 3"
        assert street(MAILING, staff) == "Namų g. 3"  # none for mail: the primary
        assert street(HOME, only_firm) == "Firmos g. 9"
        reasons = {r.contact_id: r.skipped for r in read_recipients(s, ids)}
    assert reasons[none] == "no address"
    assert reasons[half] == "the address has no city"
    assert reasons[both] == ""


def test_labels_from_a_lookup_in_its_order(db):
    for i, city in enumerate(["Kaunas", "Vilnius", "Kaunas"]):
        _make(db, given_name=f"N{i}", family_name="Test", prefix="Dr.",
              addresses=[AddressData(f"G. {i}", city, "", f"0{i}000", "LT")])
    with db.reading() as s:
        ids = lookup_ids(s, "city:Kaunas")
        p = make_plan(s, ids, find("L7160"), LabelOptions(home_country="LT"))
        untitled = make_plan(s, ids, find("L7160"),
                             LabelOptions(home_country="LT", title=False))
    assert [lab.lines[0] for lab in p.labels] == ["Dr. N0 Test", "Dr. N2 Test"]
    assert untitled.labels[0].lines[0] == "N0 Test"


def test_household_names_of_three_and_of_many():
    def at_home(i, given, family):
        return person(i, f"{given} {family}", street="Namų g. 1", postcode="01100",
                      family=family, given=given)

    three = [at_home(1, "Jonas", "Petraitis"), at_home(2, "Ona", "Petraitis"),
             at_home(3, "Rūta", "Petraitis")]
    assert plan(three, household=True).labels[0].lines[0] == \
        "Jonas, Ona and Rūta Petraitis"
    many = [*three, at_home(4, "Other", "Kazlauskas")]
    only = plan(many, household=True).labels
    assert len(only) == 1 and only[0].lines[0] == "Jonas Petraitis and family"
    assert only[0].contact_ids == (1, 2, 3, 4)


def test_greek_in_capitals_drops_its_accents():
    athens = PostalAddress("Οδός Αθηνάς 12", "Αθήνα", "", "105 54", "GR")
    assert address_lines(athens, name=["Γιώργος"], home_country="LT", upper=True) == \
        ["ΓΙΩΡΓΟΣ", "ΟΔΟΣ ΑΘΗΝΑΣ 12", "105 54 ΑΘΗΝΑ", "GREECE"]
