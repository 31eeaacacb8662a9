"""Names sort by each script's own alphabet (text.collation): Lithuanian letters
for a Lithuanian file, the Russian alphabet for Cyrillic names, pinyin for Chinese
ones, and the keys of an older file computed again when it is opened."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, select

from crmdesk.core.companies.records import CompanyData, create_company
from crmdesk.core.contacts.records import ContactData, create_contact, set_collation
from crmdesk.core.lookup import listing
from crmdesk.core.storage import migrate
from crmdesk.core.storage.database import APPLICATION_ID, Database
from crmdesk.core.storage.models import Company, Contact
from crmdesk.core.text.collation import (
    collation_key,
    is_han,
    name_sort_key,
    pinyin,
    tone_number,
)
from crmdesk.core.text.company_names import company_sort_key


def order(words, lang):
    return sorted(words, key=lambda w: collation_key(w, lang))


def names_order(names, lang=""):
    return sorted(names, key=lambda n: name_sort_key(fallback=n, language=lang))


def test_chinese_names_sort_by_pinyin():
    # a, chen, li, lin, liu, shan (单 as a surname), wang, zeng (曾 as a surname),
    # zhang, zhao: a Chinese reader's order, not the code points' (张 < 李 < 王 ...)
    names = ["王小明", "李娜", "林峰", "刘伟", "张伟", "陈静", "曾国藩", "单田芳", "阿里", "赵四"]
    assert names_order(names) == ["阿里", "陈静", "李娜", "林峰", "刘伟", "单田芳", "王小明",
                                  "曾国藩", "张伟", "赵四"]
    assert sorted(names) != names_order(names)  # code-point order differs
    # family name and given name kept apart: 王 Wang before 张 Zhang, whatever follows
    assert name_sort_key(family="王", given="左") < name_sort_key(family="张", given="阿")


def test_pinyin_details():
    assert pinyin("李") == "li3" and pinyin("绿") == "lv4" and pinyin("x") == ""
    assert tone_number("zhōng") == "zhong1" and tone_number("de") == "de5"
    assert tone_number("lǚ") == "lv3"
    # same syllable: by tone, then by character
    assert order(["妈", "马", "麻", "骂"], "zh") == ["妈", "麻", "马", "骂"]
    # li before lin before liu: the tone digit sorts before any letter
    assert order(["林", "刘", "李"], "") == ["李", "林", "刘"]
    # a surname reading only for the first character of a family name
    assert collation_key("曾经", "zh") != collation_key("曾经", "zh", surname=True)
    assert is_han("王") and is_han("\U00020000") and not is_han("あ") and not is_han("Ж")


def test_scripts_keep_their_blocks():
    mixed = ["Zuikis", "Žalys", "Иванов", "Ёлкин", "王小明", "Adams", "阿里"]
    # Latin, then Cyrillic, then Chinese; each in its own order, Ž after Z for Lithuanian
    assert order(mixed, "lt") == ["Adams", "Zuikis", "Žalys", "Ёлкин", "Иванов", "阿里", "王小明"]
    assert order(mixed, "en") == ["Adams", "Žalys", "Zuikis", "Ёлкин", "Иванов", "阿里", "王小明"]


def test_cyrillic_follows_russian_even_in_a_lithuanian_file():
    words = ["Йошкин", "Иванов", "Кузнецов", "Ёлкин", "Ершов", "Ильин"]
    want = ["Ёлкин", "Ершов", "Иванов", "Ильин", "Йошкин", "Кузнецов"]
    assert order(words, "lt") == want and order(words, "") == want and order(words, "ru") == want
    # Ukrainian keeps its own alphabet: І and Ї after И, Й after them
    assert order(["Йосип", "Їжак", "Іван", "Иван"], "uk") == ["Иван", "Іван", "Їжак", "Йосип"]


def test_japanese_keeps_code_point_order_for_kanji():
    # Under Japanese, kanji are not read in pinyin (a reading needs the furigana)
    assert order(["王", "阿"], "ja") == ["王", "阿"]
    assert order(["王", "阿"], "zh") == ["阿", "王"]
    assert order(["さとう", "あべ", "かとう"], "ja") == ["あべ", "かとう", "さとう"]


def test_decomposed_letters_sort_as_composed():
    assert collation_key("Z\u030calys", "lt") == collation_key("Žalys", "lt")


def test_companies_follow_the_file_language(db):
    set_collation(db, "lt")
    for name in ["UAB Žalgiris", "Zebra UAB", "ООО Ёлка", "北京有限公司", "阿里巴巴有限公司"]:
        create_company(db, CompanyData(name=name))
    with db.reading() as s:
        ids = listing.company_ids(s)
        shown = [s.get(Company, i).name for i in ids]
    assert shown == ["Zebra UAB", "UAB Žalgiris", "ООО Ёлка", "阿里巴巴有限公司", "北京有限公司"]
    # back to an accent-blind order: Ž with Z
    set_collation(db, "")
    with db.reading() as s:
        shown = [s.get(Company, i).name for i in listing.company_ids(s)]
    assert shown[:2] == ["UAB Žalgiris", "Zebra UAB"]


def test_contacts_list_in_pinyin_order(db):
    ids = {n: create_contact(db, ContactData(family_name=n[0], given_name=n[1:]))
           for n in ["王小明", "李娜", "张伟", "阿里"]}
    with db.reading() as s:
        found = listing.contact_ids(s)
    assert found == [ids[n] for n in ["阿里", "李娜", "王小明", "张伟"]]


def test_a_version_4_file_gets_the_new_keys(db_path):
    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _fk(conn, _record):
        conn.execute("PRAGMA foreign_keys=ON")

    migrate.upgrade(engine, "0004")
    names = ["王小明", "李娜", "张伟", "Žalys", "Zuikis"]
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql("PRAGMA user_version=4")
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('collation', 'lt')")
        for name in names:
            # keys as version 4 made them: folded, code-point order for Chinese
            conn.exec_driver_sql(
                "INSERT INTO contact (given_name, middle_name, family_name, prefix, suffix, "
                "nickname, display_name, sort_key, name_order, job_title, department, "
                "notes, created_at, updated_at) VALUES ('', '', ?, '', '', '', ?, lower(?), 'given_first', "
                "'', '', '', '2020-01-01', '2020-01-01')", (name, name, name))
        conn.exec_driver_sql(
            "INSERT INTO company (name, name_key, sort_key, industry, notes, created_at, "
            "updated_at) VALUES ('北京有限公司', '北京有限公司', '北京', '', '', '2020-01-01', "
            "'2020-01-01')")
    engine.dispose()
    with Database.open(db_path) as db:
        assert migrate.current_revision(db.engine) == migrate.head()
        with db.reading() as s:
            ids = listing.contact_ids(s)
            shown = [s.get(Contact, i).display_name for i in ids]
            company_key = s.scalar(select(Company.sort_key))
        assert shown == ["Zuikis", "Žalys", "李娜", "王小明", "张伟"]
        assert company_key == company_sort_key("北京有限公司", "lt")
    # the version-4 file was backed up before the upgrade
    from crmdesk.core.storage.backups import list_backups

    assert any(b.reason == "before-0004" for b in list_backups(db_path))


@pytest.mark.parametrize("lang", ["", "lt", "ru", "zh"])
def test_keys_are_plain_text_sql_can_order(lang):
    # SQLite orders TEXT by its UTF-8 bytes, which is code-point order: the key
    # order must hold as bytes too (the HAN and AFTER marks are 4-byte characters).
    words = ["Zuikis", "Žalys", "Иванов", "王小明", "阿里", "Adams"]
    by_key = sorted(words, key=lambda w: collation_key(w, lang))
    by_bytes = sorted(words, key=lambda w: collation_key(w, lang).encode("utf-8"))
    assert by_key == by_bytes


def test_plain_ascii_names_keep_the_languages_own_letters():
    # Lithuanian Y is a letter of its own, right after I: even in all-ASCII names
    assert order(["Jonaitis", "Ylakis", "Ivanauskas"], "lt") == \
        ["Ivanauskas", "Ylakis", "Jonaitis"]
    assert order(["Jonaitis", "Ylakis", "Ivanauskas"], "en") == \
        ["Ivanauskas", "Jonaitis", "Ylakis"]
