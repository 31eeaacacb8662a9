"""vCards from phones, Outlook, Apple, Google and the RFCs read into contacts: names in
any script, phones and e-mails with their labels, and a broken card reported by line
while the rest is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.core.contacts.records import errors_only, validate
from crmdesk.io.contacts_in.vcard import read_vcards

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "vcard"
ALL_FILES = sorted(p for p in DATA.rglob("*") if p.is_file()
                   and p.suffix != ".txt" and p.name != "README") if DATA.is_dir() else []


def shared(name: str) -> bytes:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return (DATA / name).read_bytes()


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the project")
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_shared_vcard_reads(path):
    result = read_vcards(path.read_bytes())
    assert result.records, result.problems
    assert len(result.lines) == len(result.records)
    for record in result.records:
        assert record.name() or record.company, record
    for problem in result.problems:
        assert problem.line >= 0 and problem.message


def names(result):
    return [r.name() for r in result.records]


def test_iphone_card():
    result = read_vcards(shared("ez-vcard/io/text/John_Doe_IPHONE.vcf"))
    assert result.problems == []
    (c,) = result.records
    assert c.name() == "Mr. John Richter James Doe Sr."
    assert (c.given_name, c.family_name, c.nickname) == ("John", "Doe", "Johny")
    assert (c.company, c.department, c.job_title) == ("IBM", "Accounting", "Money Counter")
    assert [(p.number, p.label, p.primary) for p in c.phones[:3]] == [
        ("905-555-1234", "mobile", True), ("905-666-1234", "home", False),
        ("905-777-1234", "work", False)]
    assert ("905-999-1234", "work fax") in [(p.number, p.label) for p in c.phones]
    assert ("905-222-1234", "assistantphone") in [(p.number, p.label) for p in c.phones]
    assert [e.address for e in c.emails] == ["john.doe@ibm.com"]
    assert (c.birthday_year, c.birthday_month, c.birthday_day) == (2012, 6, 6)
    assert c.addresses[0].city == "New York" and c.addresses[0].country == "US"
    assert c.addresses[1].street == "Street4\nBuilding 6\nFloor 8"
    assert c.links[0].url == "http://www.ibm.com" and c.links[0].label == "homepage"
    assert c.photo is not None and c.photo.startswith(b"\xff\xd8") and \
        c.photo_mime == "image/jpeg"
    assert errors_only(validate(c)) == []


def test_outlook_quoted_printable_and_cp1252():
    (c,) = read_vcards(shared("ez-vcard/io/text/John_Doe_MS_OUTLOOK.vcf")).records
    assert c.name() == "Mr. John Richter James Doe Sr."
    assert [p.number for p in c.phones] == ["(905) 555-1234", "(905) 666-1234"]
    assert c.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD")
    (c,) = read_vcards(shared("roundcubemail/src/johndoe.vcf")).records
    assert c.name() == "John Doë"  # N;CHARSET=windows-1252
    assert [(e.address, e.label, e.primary) for e in c.emails] == [
        ("inbox@roundcube.net", "work", False), ("roundcube@gmail.com", "home", True)]
    assert [(p.number, p.label) for p in c.phones] == [("+123456789", "work"),
                                                       ("+987654321", "mobile")]


def test_a_polish_name_without_a_charset_is_guessed():
    (c,) = read_vcards(shared("roundcubemail/src/thebat.vcf")).records
    assert c.name() == "Piotr Iksiński"
    assert c.emails[0].address == "piotr.iksinski@somedomain.com"


def test_rfc_examples_and_several_cards():
    result = read_vcards(shared("ez-vcard/io/text/rfc2426-example.vcf"))
    assert names(result) == ["Frank Dawson", "Tim Howes"]
    frank = result.records[0]
    assert [e.address for e in frank.emails] == ["Frank_Dawson@Lotus.com",
                                                 "fdawson@earthlink.net"]
    assert frank.emails[0].primary
    assert frank.company == "Lotus Development Corporation"
    assert frank.addresses[0].city == "Raleigh" and frank.addresses[0].postcode == "27613-3502"
    result = read_vcards(shared("ez-vcard/io/text/gmail-list.vcf"))
    assert names(result) == ["Arnold Smith", "Chris Beatle", "Doug White"]
    assert [r.emails[0].address for r in result.records] == [
        "asmithk@gmail.com", "chrisy55d@yahoo.com", "dwhite@gmail.com"]
    assert result.lines == [1, 7, 13]


def test_categories_become_tags_and_korean_names_are_family_first():
    (c,) = read_vcards(shared("khard/vcards/category.vcf")).records
    assert c.tags == ["bar"] and c.emails[0].address == "foo@example.org"
    (c,) = read_vcards(shared("khard/vcards/korean-c.vcf")).records
    assert (c.family_name, c.given_name, c.name_order) == ("최", "유림", "family_first")
    assert c.name() == "최유림"


def test_utf16_file_without_a_bom():
    (c,) = read_vcards(shared("roundcubemail/src/utf-16_sample.vcf")).records
    assert c.family_name == "ĽdaMonté" and c.addresses[0].city == "LaPaz"


def test_broken_cards_in_the_shared_files_are_reported_by_line():
    result = read_vcards(shared("khard/vcards/unparsable.vcf"))
    assert names(result) == ["second contact with minimal Vcard"]
    assert [(p.line, "END:VCARD" in p.message) for p in result.problems] == [(1, True)]
    result = read_vcards(shared("khard/vcards/text-bday.vcf"))
    assert result.records[0].notes == "Birthday: circa 1800"
    assert [p.line for p in result.problems] == [5]
    result = read_vcards(shared("ez-vcard/io/text/John_Doe_ANDROID.vcf"))
    assert len(result.records) == 6
    assert result.records[2].name() == "Ñ Ñ Ñ Ñ"
    assert [p.line for p in result.problems] == [52, 82]  # a damaged photo, a bad byte


# -- cards made here -----------------------------------------------------------------------


def test_japanese_phone_shift_jis_quoted_printable():
    name = "山田;太郎;;;".encode("shift_jis")
    qp = "".join(f"={b:02X}" for b in name)
    card = (b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
            b"N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:" + qp[:30].encode() + b"=\r\n"
            + qp[30:].encode() + b"\r\n"
            b"TEL;CELL:090-1234-5678\r\n"
            b"NOTE;CHARSET=SHIFT_JIS:" + "東京の取引先".encode("shift_jis") + b"\r\n"
            b"END:VCARD\r\n")
    result = read_vcards(card)
    assert result.problems == []
    (c,) = result.records
    assert (c.family_name, c.given_name, c.name_order) == ("山田", "太郎", "family_first")
    assert c.name() == "山田太郎"
    assert c.notes == "東京の取引先"
    assert [(p.number, p.label) for p in c.phones] == [("090-1234-5678", "mobile")]


def test_a_fold_inside_a_multibyte_character():
    fn = "Žalgirytė Rūta".encode()
    cut = fn.index("ė".encode()) + 1  # between the two bytes of ė
    card = (b"BEGIN:VCARD\nVERSION:3.0\nN:" + "Žalgirytė;Rūta;;;".encode()[:cut] + b"\n "
            + "Žalgirytė;Rūta;;;".encode()[cut:] + b"\nFN:" + fn[:cut] + b"\n\t" + fn[cut:]
            + b"\nEND:VCARD\n")
    (c,) = read_vcards(card).records
    assert (c.given_name, c.family_name) == ("Rūta", "Žalgirytė")


def test_charsets_of_eastern_europe():
    card = (b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
            + b"N;CHARSET=WINDOWS-1251:" + "Иванова;Мария;Петровна;;".encode("cp1251") + b"\r\n"
            + b"ORG;CHARSET=windows-1251:" + "ООО Ромашка".encode("cp1251") + b"\r\n"
            + b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
            + b"N;CHARSET=windows-1257;ENCODING=QUOTED-PRINTABLE:"
            + "".join(f"={b:02X}" for b in "Žalgirytė;Rūta".encode("cp1257")).encode()
            + b"\r\nADR;HOME:;;Gedimino pr. 1;Vilnius;;01103;Lietuva\r\nEND:VCARD\r\n")
    result = read_vcards(card)
    assert result.problems == []
    maria, ruta = result.records
    assert maria.name() == "Мария Петровна Иванова" and maria.company == "ООО Ромашка"
    assert ruta.name() == "Rūta Žalgirytė"
    assert (ruta.addresses[0].city, ruta.addresses[0].country) == ("Vilnius", "LT")


def test_the_encoding_can_be_chosen_for_values_without_a_charset():
    card = b"BEGIN:VCARD\nVERSION:2.1\nFN:" + "Пётр Смирнов".encode("koi8-r") + b"\nEND:VCARD\n"
    (c,) = read_vcards(card, encoding="koi8-r").records
    assert c.name() == "Пётр Смирнов"
    result = read_vcards(card, encoding="no-such-encoding")
    assert result.records and "no-such-encoding" in result.problems[0].message


def test_a_broken_card_is_reported_and_the_rest_read():
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:First Person\nEMAIL:first@example.com\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nthis line has no colon\nFN:Second Person\nEND:VCARD\n"
            "END:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing else\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:4.0\nFN:王小明\nTEL;VALUE=uri;TYPE=work:tel:+86-10-1234-5678\n"
            "BDAY:--0305\nEND:VCARD\n")
    result = read_vcards(text.encode())
    assert names(result) == ["First Person", "Second Person", "王小明"]
    assert result.lines == [1, 6, 16]
    assert [p.line for p in result.problems] == [8, 11, 12]
    assert "this line has no colon" in result.problems[0].message
    assert "END:VCARD" in result.problems[1].message
    assert "no name" in result.problems[2].message
    wang = result.records[2]
    assert (wang.family_name, wang.given_name) == ("王", "小明")
    assert [(p.number, p.label) for p in wang.phones] == [("+86-10-1234-5678", "work")]
    assert (wang.birthday_year, wang.birthday_month, wang.birthday_day) == (None, 3, 5)


def test_not_a_vcard_at_all():
    result = read_vcards(b"name,phone\nAnna,123\n")
    assert result.records == []
    assert [p.line for p in result.problems] == [0, 1]
    assert read_vcards(b"").records == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_read_without_an_error(data):
    result = read_vcards(data)
    assert len(result.records) == len(result.lines)


_CARD = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98;=D0=90\r\n"
         b"TEL;CELL:+370 600 00000\r\nEMAIL;PREF:a@b.lt\r\nADR:;;x;y;;;LT\r\n"
         b"BDAY:1980-01-02\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\nEND:VCARD\r\n")


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_CARD)), st.binary(max_size=20), st.integers(0, 30))
def test_damaged_cards_read_without_an_error(at, junk, cut):
    data = _CARD[:at] + junk + _CARD[at + cut:]
    result = read_vcards(data + _CARD)
    assert result.records  # the good card after the damage is always read
    assert result.records[-1].emails[0].address == "a@b.lt"


def test_a_card_without_its_end_and_an_agent_inside_a_card():
    text = ("BEGIN:VCARD\nVERSION:2.1\nFN:No End\n"
            "BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\n"
            "FN:Assistant\nEND:VCARD\nTEL:123\nEND:VCARD\n")
    result = read_vcards(text.encode())
    assert names(result) == ["No End", "Boss"]
    assert [p.phones[0].number for p in result.records[1:]] == ["123"]
    assert [p.line for p in result.problems] == [1]


def test_relatives_under_their_many_names():
    result = read_vcards(shared("syncevolution/vcard21.vcf"))
    john = next(r for r in result.records if r.relatives)
    assert [(r.relation, r.name) for r in john.relatives] == [
        ("manager", "John Doe Senior"), ("assistant", "John Doe Junior"), ("spouse", "Joan Doe")]
    card = ("BEGIN:VCARD\nVERSION:4.0\nFN:Anna\nRELATED;TYPE=child:text:Ona\n"
            "RELATED;TYPE=spouse:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\n"
            "item1.X-ABRELATEDNAMES:Jonas\nitem1.X-ABLabel:_$!<Brother>!$_\nEND:VCARD\n")
    (anna,) = read_vcards(card.encode()).records
    assert [(r.relation, r.name) for r in anna.relatives] == [("child", "Ona"),
                                                              ("brother", "Jonas")]


def test_an_address_given_only_as_printed_lines():
    card = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ona\r\n"
            b"LABEL;HOME;ENCODING=QUOTED-PRINTABLE:Gedimino pr. 1=0D=0AVilnius\r\nEND:VCARD\r\n")
    (ona,) = read_vcards(card).records
    assert [(a.street, a.label) for a in ona.addresses] == [("Gedimino pr. 1\nVilnius", "home")]


def test_cards_without_a_charset_are_read_in_the_files_encoding_and_say_so():
    people = ["Иванов;Иван", "Петрова;Мария", "Сидоров;Пётр", "Кузнецова;Ольга",
              "Смирнов;Алексей"]
    data = b"".join(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:" + p.encode("cp1251")
                    + b"\r\nEND:VCARD\r\n" for p in people)
    result = read_vcards(data)
    assert names(result) == ["Иван Иванов", "Мария Петрова", "Пётр Сидоров", "Ольга Кузнецова",
                             "Алексей Смирнов"]
    assert [(p.line, "cp1251" in p.message) for p in result.problems] == [(0, True)]


def test_messengers_blogs_and_dates_kept_from_x_properties():
    c = next(r for r in read_vcards(shared("syncevolution/eds_contact.vcf")).records
             if r.name() == "John Doe" and r.links)
    links = [(ln.url, ln.label) for ln in c.links]
    assert ("web%20log", "blog") in links
    assert ("aim:AIM%20JOHN", "aim") in links and ("icq:ICQ%20JD", "icq") in links
    assert [(d.label, d.year, d.month, d.day) for d in c.dates] == [
        ("anniversary", 2006, 1, 9)]
    card = ("BEGIN:VCARD\nVERSION:3.0\nFN:Li Hua\nX-SKYPE:li.hua\n"
            "IMPP;X-SERVICE-TYPE=Jabber:xmpp:li@example.cn\n"
            "item1.X-ABDATE:2015-06-01\nitem1.X-ABLabel:_$!<Anniversary>!$_\nEND:VCARD\n")
    (li,) = read_vcards(card.encode()).records
    assert [(ln.url, ln.label) for ln in li.links] == [("skype:li.hua", "skype"),
                                                      ("xmpp:li@example.cn", "jabber")]
    assert [(d.label, d.year) for d in li.dates] == [("anniversary", 2015)]
    assert errors_only(validate(li)) == []


def test_a_date_crmdesk_would_refuse_is_kept_in_the_notes():
    result = read_vcards(shared("ez-vcard/io/text/gmail-single2.vcf"))
    (c,) = result.records
    assert [(d.label, d.year) for d in c.dates] == [("anniversary", 1930),
                                                    ("customdatecategory", 2000)]
    assert "date: 1776-07-04" in c.notes
    assert [("1776" in p.message) for p in result.problems] == [True]
    assert errors_only(validate(c)) == []
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Old Timer\nBDAY:1700-02-30\nEND:VCARD\n"
    (old,) = read_vcards(card).records
    assert old.birthday_year is None and old.notes == "Birthday: 1700-02-30"
