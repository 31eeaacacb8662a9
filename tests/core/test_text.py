"""Folding and alphabetical order: the rules search and lists rest on."""

from hypothesis import given
from hypothesis import strategies as st

from crmdesk.core.text.collation import collation_key, language_of, name_sort_key
from crmdesk.core.text.folding import digits, display_name, fold, looks_like_phone


def test_fold_examples():
    assert fold("Žalgiris") == "zalgiris"
    assert fold("ИВАНОВА") == "иванова"
    assert fold("Sørensen") == "sorensen"
    assert fold("Łódź") == "lodz"
    assert fold("Straße") == "strasse"
    assert fold("Ｆｕｌｌ　ｗｉｄｔｈ") == "full width"
    assert fold("Ёлкин") == "елкин"
    assert fold("  many   spaces ") == "many spaces"
    assert fold("王小明") == "王小明"
    assert fold(None) == "" and fold("") == ""


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_digits_and_phone_words():
    assert digits("+7 (495) 123-45-67") == "74951234567"
    assert digits("１２３") == "123"
    assert looks_like_phone("+7") and looks_like_phone("123-45-67")
    assert not looks_like_phone("12345") and not looks_like_phone("abc")


def test_display_names():
    assert display_name(given="Ivan", middle="Petrovich", family="Sidorov") == \
        "Ivan Petrovich Sidorov"
    assert display_name(given="小明", family="王", family_first=True) == "王小明"
    assert display_name(nickname="Bobby") == "Bobby"
    assert display_name(prefix="Dr.", given="Ann", family="Lee", suffix="PhD") == \
        "Dr. Ann Lee PhD"


def test_language_orders():
    def order(words, lang):
        return sorted(words, key=lambda w: collation_key(w, lang))

    assert order(["Žalys", "Zuikis", "Yla", "Ilgis"], "lt") == ["Ilgis", "Yla", "Zuikis", "Žalys"]
    assert order(["Йошкин", "Иванов", "Кузнецов", "Ёлкин", "Ершов"], "ru") == \
        ["Ёлкин", "Ершов", "Иванов", "Йошкин", "Кузнецов"]
    assert order(["Öberg", "Zorn", "Åsa"], "sv") == ["Zorn", "Åsa", "Öberg"]
    assert order(["Öberg", "Zorn", "Oak"], "en") == ["Oak", "Öberg", "Zorn"]
    assert language_of("lt_LT.UTF-8") == "lt" and language_of("ru-RU") == "ru"


def test_name_sort_key_puts_family_first():
    assert name_sort_key(given="Ann", family="Zed") > name_sort_key(given="Zoe", family="Abe")
    assert name_sort_key(fallback="Acme") == "acme"


def test_new_file_takes_language_and_phone_region_from_the_locale(tmp_path, monkeypatch):
    from crmdesk.core.contacts.records import ContactData, PhoneData, create_contact, get_contact
    from crmdesk.core.storage.database import Database
    from crmdesk.core.storage.settings import get_setting

    monkeypatch.setenv("LANG", "lt_LT.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_COLLATE", raising=False)
    with Database.open(tmp_path / "lt.crmdesk") as db:
        with db.reading() as s:
            assert get_setting(s, "collation") == "lt"
            assert get_setting(s, "phone_region") == "LT"
        cid = create_contact(db, ContactData(given_name="Jonas",
                                             phones=[PhoneData("8 5 212 3456")]))
        assert get_contact(db, cid).phones[0].e164 == "+37052123456"
