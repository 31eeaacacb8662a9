"""The message catalogues in resources/locale: well formed, faithful to their
msgids (placeholders, accelerators), compiled, and in step with the code."""

from __future__ import annotations

import gettext
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crmdesk.core import i18n

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
POT = LOCALE / "crmdesk.pot"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/crmdesk.po"))
LT_PLURAL = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)"
# As resources/locale/README.md extracts: -k _ -k ngettext:1,2 on top of Babel's own.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "ngettext": (1, 2)}

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _lang(po: Path) -> str:
    return po.parent.parent.name


def _ids(m: Message) -> tuple[str, ...]:
    return (m.id,) if isinstance(m.id, str) else tuple(m.id)


def _forms(m: Message) -> tuple[str, ...]:
    if m.string is None:
        return ()
    return (m.string,) if isinstance(m.string, str) else tuple(m.string)


def _translated(catalog: Catalog) -> Iterator[Message]:
    for m in catalog:
        if m.id and "fuzzy" not in m.flags and any(_forms(m)):
            yield m


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def _compiled(catalog: Catalog) -> gettext.GNUTranslations:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def test_there_is_a_lithuanian_catalogue() -> None:
    assert LOCALE / "lt" / "LC_MESSAGES" / "crmdesk.po" in PO_FILES
    assert i18n.LOCALE_DIR == LOCALE


@pytest.mark.parametrize("po", PO_FILES, ids=_lang)
def test_catalogue_checks_clean(po: Path) -> None:
    catalog = _read(po, _lang(po))
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize("po", PO_FILES, ids=_lang)
def test_placeholders_and_accelerators_kept(po: Path) -> None:
    bad = []
    for m in _translated(_read(po, _lang(po))):
        ids = _ids(m)
        # A plural form may follow either msgid (Lithuanian's "one" form also
        # serves 21, 31 ..., so it usually keeps the plural's {n}).
        allowed = [_placeholders(i) for i in ids]
        amps = {i.count("&") for i in ids}
        for form in _forms(m):
            if not form:
                continue
            if _placeholders(form) not in allowed:
                bad.append((ids[-1], form, "placeholders"))
            if form.count("&") not in amps:
                bad.append((ids[-1], form, "&"))
    assert bad == []


@pytest.mark.parametrize("po", PO_FILES, ids=_lang)
def test_plural_entries_have_every_form(po: Path) -> None:
    catalog = _read(po, _lang(po))
    short = [m.id for m in _translated(catalog)
             if m.pluralizable and (len(_forms(m)) != catalog.num_plurals or not all(_forms(m)))]
    assert short == []


def test_lithuanian_plural_rule() -> None:
    catalog = _read(LOCALE / "lt" / "LC_MESSAGES" / "crmdesk.po", "lt")
    assert catalog.num_plurals == 3
    assert catalog.plural_expr.replace(" ", "") == LT_PLURAL.replace(" ", "")
    mo = LOCALE / "lt" / "LC_MESSAGES" / "crmdesk.mo"
    with mo.open("rb") as f:
        lt = gettext.GNUTranslations(f)
    forms = {n: lt.ngettext("{n} contact", "{n} contacts", n)
             for n in (0, 1, 2, 5, 10, 11, 12, 19, 21, 22, 25, 101, 111, 112, 122)}
    one, few, many = "{n} kontaktas", "{n} kontaktai", "{n} kontaktų"
    assert forms == {0: many, 1: one, 2: few, 5: few, 10: many, 11: many, 12: many,
                     19: many, 21: one, 22: few, 25: few, 101: one, 111: many,
                     112: many, 122: few}


@pytest.mark.parametrize("po", PO_FILES, ids=_lang)
def test_committed_mo_matches_po(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run pybabel compile -d resources/locale -D crmdesk"
    expected = _compiled(_read(po, _lang(po)))
    with mo.open("rb") as f:
        committed = gettext.GNUTranslations(f)
    assert committed._catalog == expected._catalog  # type: ignore[attr-defined]


@pytest.fixture
def restore_language() -> Iterator[None]:
    before = i18n._translation
    try:
        yield
    finally:
        i18n.install(["en"])
        i18n._translation = before


@pytest.mark.usefixtures("restore_language")
def test_install_lithuanian() -> None:
    i18n.install(["lt"])
    assert i18n._("Contacts") == "Kontaktai"
    assert i18n._("Trash") == "Šiukšlinė"
    assert i18n.ngettext("{n} company", "{n} companies", 3).format(n=3) == "3 įmonės"
    i18n.install(["en"])
    assert i18n._("Contacts") == "Contacts"


def test_template_is_not_stale() -> None:
    with POT.open("rb") as f:
        known = {_ids(m)[0] for m in read_po(f) if m.id}
    found = set()
    for _file, _line, msg, _comments, _context in extract_from_dir(
            str(ROOT / "crmdesk"), keywords=KEYWORDS):
        found.add(msg if isinstance(msg, str) else msg[0])
    missing = sorted(found - known)
    assert missing == [], (
        "resources/locale/crmdesk.pot is out of date; re-extract it (resources/locale/"
        f"README.md) and update the catalogues. Not in it: {missing[:5]}")
