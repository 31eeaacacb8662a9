"""vCard 2.1, 3.0 and 4.0 files read into ContactData records, card by card.

vobject parses a well-formed file, but one bad line ends its reading of the
whole file, and it works on text that must already be decoded, whereas a
vCard 2.1 from a phone or Outlook is bytes whose encoding changes property by
property (CHARSET=SHIFT_JIS on one, windows-1251 on the next, quoted-printable
with soft line breaks, a fold in the middle of a multi-byte character). So the
file is cut into cards and unfolded here, as bytes; each property line goes
through vobject's own line parser and value splitters; and a value is decoded
only once its ENCODING and CHARSET are known. A line or card that cannot be
read is reported with its line number and the reading goes on.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from vobject.base import ParseError, parseLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

from crmdesk.core.contacts.records import (
    AddressData,
    ContactData,
    DateData,
    EmailData,
    LinkData,
    PhoneData,
    RelativeData,
)
from crmdesk.core.i18n import _
from crmdesk.io.contacts_in.encodings import detect_encoding
from crmdesk.io.contacts_in.values import (
    ContactsRead,
    ReadProblem,
    apple_label,
    country_code,
    day_problem,
    day_text,
    label_of,
    name_order_of,
    split_full_name,
    vcard_date,
)

MAX_PHOTO = 10 * 1024 * 1024
_LINE_BREAK = re.compile(rb"\r*\n|\r")  # Outlook writes \r\r\n too
_BEGIN = re.compile(rb"\s*BEGIN\s*:\s*VCARD\s*", re.IGNORECASE)
_END = re.compile(rb"\s*END\s*:\s*VCARD\s*", re.IGNORECASE)
_AGENT = re.compile(rb"\s*(?:[\w-]+\.)?AGENT[^:]*:\s*", re.IGNORECASE)
_QP = re.compile(rb"QUOTED-PRINTABLE", re.IGNORECASE)
# Relatives under the names programs give them: vCard 4.0's RELATED, Apple's labelled
# X-ABRELATEDNAMES, and the X- properties of Evolution, KAddressBook and Outlook.
_RELATIVES = {"X-SPOUSE": "spouse", "X-EVOLUTION-SPOUSE": "spouse", "X-MS-SPOUSE": "spouse",
              "X-KADDRESSBOOK-X-SPOUSENAME": "spouse", "X-ASSISTANT": "assistant",
              "X-EVOLUTION-ASSISTANT": "assistant", "X-MS-ASSISTANT": "assistant",
              "X-KADDRESSBOOK-X-ASSISTANTSNAME": "assistant", "X-MANAGER": "manager",
              "X-EVOLUTION-MANAGER": "manager", "X-MS-MANAGER": "manager",
              "X-KADDRESSBOOK-X-MANAGERSNAME": "manager", "X-MS-CHILD": "child",
              "X-CHILD": "child", "RELATED": "", "X-ABRELATEDNAMES": ""}
# Messenger handles as links (IMPP is vCard 4.0's; the X- ones older programs'), and
# other web addresses and dates that programs keep in X- properties.
_MESSENGERS = {"X-SKYPE": "skype", "X-SKYPE-USERNAME": "skype", "X-JABBER": "xmpp",
               "X-AIM": "aim", "X-ICQ": "icq", "X-MSN": "msnim", "X-YAHOO": "ymsgr",
               "X-GADUGADU": "gg", "X-SIP": "sip", "X-GROUPWISE": "groupwise",
               "X-GOOGLE-TALK": "xmpp", "X-QQ": "tencent"}
_X_LINKS = {"X-EVOLUTION-BLOG-URL": "blog", "X-EVOLUTION-VIDEO-URL": "video",
            "X-SOCIALPROFILE": "profile"}
_X_DATES = {"ANNIVERSARY": "anniversary", "X-ANNIVERSARY": "anniversary",
            "X-EVOLUTION-ANNIVERSARY": "anniversary", "X-MS-ANNIVERSARY": "anniversary",
            "X-ABDATE": ""}
# What only crmdesk writes (io/vcard_out.py): the status, the lead source, custom fields.
_CRMDESK = frozenset({"X-CRMDESK-STATUS", "X-CRMDESK-SOURCE", "X-CRMDESK-FIELD"})
_READ = frozenset({"N", "FN", "NICKNAME", "ORG", "TITLE", "TEL", "EMAIL", "ADR", "URL", "BDAY",
                   "NOTE", "CATEGORIES", "LABEL", "IMPP", *_RELATIVES, *_MESSENGERS,
                   *_X_LINKS, *_X_DATES, *_CRMDESK})
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})


@dataclass
class _Property:
    line: int
    name: str
    group: str
    types: list[str]
    params: dict[str, str]
    raw: bytes  # the value after quoted-printable or base64, before any charset


@dataclass
class _Card:
    line: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    closed: bool = False


# -- bytes to cards ------------------------------------------------------------------------


def _as_utf8_bytes(data: bytes) -> bytes:
    """UTF-16 and UTF-32 files (with a BOM, or ASCII with every other byte zero) as
    UTF-8, and a UTF-8 BOM dropped: the rest of the reading works on 8-bit bytes."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").encode("utf-8")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):]
    head = data[:200]
    if len(head) >= 4 and head.count(0) >= len(head) // 3:
        codec = "utf-16-le" if head[1] == 0 else "utf-16-be"
        return data.decode(codec, errors="replace").encode("utf-8")
    return data


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, line) with folds undone: a line that begins with a space or tab
    continues the one before it, and so does the line after a quoted-printable value
    that ends in "=" (vCard 2.1's soft line break). Joined as bytes, so a fold inside
    a multi-byte character is mended before anything is decoded."""
    current: bytearray | None = None
    start = 0
    for number, line in enumerate(_LINE_BREAK.split(data), 1):
        if current is not None and line[:1] in (b" ", b"\t"):
            current += line[1:]
            continue
        if current is not None and current.endswith(b"=") and _QP.search(
                current.split(b":", 1)[0]):
            current[-1:] = line.lstrip(b" \t") if line[:1] != b"=" else line
            continue
        if current is not None:
            yield start, bytes(current)
        current, start = bytearray(line), number
    if current is not None:
        yield start, bytes(current)


def _cards(data: bytes, problems: list[ReadProblem]) -> list[_Card]:
    cards: list[_Card] = []
    card: _Card | None = None
    depth = 0  # cards nested in a card (a 2.1 AGENT) are skipped with their parent
    stray = 0
    for number, line in _logical_lines(data):
        if _BEGIN.fullmatch(line):
            if card is not None and (depth or (card.lines and _AGENT.fullmatch(
                    card.lines[-1][1]))):
                depth += 1  # a 2.1 AGENT's card inside this one
                continue
            if card is not None:  # the card before had no END:VCARD
                cards.append(card)
            card = _Card(number)
            continue
        if _END.fullmatch(line):
            if card is None:
                problems.append(ReadProblem(number, _("END:VCARD without a BEGIN:VCARD before "
                                                      "it; the line was skipped.")))
            elif depth:
                depth -= 1
            else:
                card.closed = True
                cards.append(card)
                card = None
            continue
        if card is None:
            if line.strip() and not stray:
                stray = number
            continue
        if not depth:
            card.lines.append((number, line))
    if card is not None:
        cards.append(card)
    if stray:
        problems.append(ReadProblem(stray, _("Text outside any card (between END:VCARD and "
                                             "BEGIN:VCARD) was skipped.")))
    return cards


# -- lines to properties -------------------------------------------------------------------


def _params(pairs: list[list[str]]) -> tuple[list[str], dict[str, str]]:
    """vobject's parameter lists as TYPEs and the rest. vCard 2.1 writes its types
    bare (TEL;WORK;VOICE) and its encoding too (ADR;QUOTED-PRINTABLE)."""
    types: list[str] = []
    params: dict[str, str] = {}
    for pair in pairs:
        name, values = pair[0].upper(), pair[1:]
        if not values:
            if name in _ENCODINGS:
                params["ENCODING"] = name
            else:
                types.append(name)
        elif name == "TYPE":
            for value in values:
                types.extend(v for v in value.split(",") if v)
        else:
            params[name] = ",".join(values)
    if "PREF" in params and params["PREF"].strip() and "PREF" not in (t.upper() for t in types):
        types.append("PREF")
    return types, params


def _property(number: int, line: bytes, problems: list[ReadProblem]) -> _Property | None:
    if not line.strip():
        return None
    try:
        # Latin-1 keeps every byte as one character, so the value's bytes come back exact.
        name, pairs, value, group = parseLine(line.decode("latin-1"), number)
    except ParseError:
        shown = line.decode("utf-8", errors="replace")[:60]
        problems.append(ReadProblem(number, _("This line is not a vCard property and was "
                                              "skipped: {line}").format(line=shown)))
        return None
    types, params = _params(pairs)
    raw = value.encode("latin-1")
    encoding = params.get("ENCODING", "").upper()
    if encoding == "QUOTED-PRINTABLE":
        raw = quopri.decodestring(raw)
    elif encoding in ("B", "BASE64"):
        try:
            raw = base64.b64decode(b"".join(raw.split()), validate=False)
        except (binascii.Error, ValueError):
            problems.append(ReadProblem(number, _("The base64 value of {name} is damaged and "
                                                  "was skipped.").format(name=name)))
            return None
    return _Property(number, name.upper(), (group or "").upper(), types, params, raw)


def _odd_bytes(props: list[_Property]) -> list[bytes]:
    """Values that name no CHARSET and are not UTF-8: their encoding must be guessed."""
    return [p.raw for p in props if "CHARSET" not in p.params and
            p.params.get("ENCODING", "").upper() not in ("B", "BASE64") and
            p.name in _READ and not _is_utf8(p.raw)]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text(prop: _Property, fallback: str, problems: list[ReadProblem]) -> str:
    charset = prop.params.get("CHARSET", "").strip().strip('"')
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            problems.append(ReadProblem(prop.line, _("Unknown character set {charset!r}; the "
                                                     "value was read as {fallback}.").format(
                                                         charset=charset, fallback=fallback)))
            codec = fallback
        try:
            return prop.raw.decode(codec)
        except UnicodeDecodeError:
            pass  # a label that lies: try what the file's other values are in
    if _is_utf8(prop.raw):
        return prop.raw.decode("utf-8")
    try:
        return prop.raw.decode(fallback)
    except (UnicodeDecodeError, LookupError):
        problems.append(ReadProblem(prop.line, _("Some characters of {name} could not be "
                                                 "read and are shown as \ufffd.").format(
                                                     name=prop.name)))
        return prop.raw.decode("utf-8", errors="replace")


# -- values --------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    """A single text value without its backslash escapes (\\n, \\, \\; \\\\)."""
    out: list[str] = []
    chars = iter(text)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        out.append("\n" if nxt in ("n", "N") else nxt or "\\")
    return "".join(out)


def _parts(text: str, n: int) -> list[str]:
    """A structured value (N, ADR, ORG) in exactly ``n`` fields, each unescaped, a
    comma list within a field joined with spaces."""
    fields = [" ".join(v.strip() for v in f if v.strip()) if isinstance(f, list)
              else f.strip() for f in splitFields(text)]
    return (fields + [""] * n)[:n]


def _uri_value(text: str, scheme: str) -> str:
    value = text.strip()
    if value.lower().startswith(scheme + ":"):
        value = value[len(scheme) + 1:]
    return value


def _card_to_contact(card: _Card, props: list[_Property], fallback: str,
                     problems: list[ReadProblem],
                     custom: dict[str, tuple[str, str]] | None = None) -> ContactData | None:
    group_labels = {p.group: apple_label(_unescape(_text(p, fallback, problems)))
                    for p in props if p.name == "X-ABLABEL" and p.group}
    data = ContactData()
    full_name = ""
    notes: list[str] = []
    labels: list[tuple[_Property, str]] = []
    for prop in props:
        label = group_labels.get(prop.group) if prop.group else None
        name = prop.name
        if name == "PHOTO":
            _photo(data, prop, problems)
            continue
        if name not in _READ:
            continue  # X- properties, keys, sounds ...: nothing crmdesk keeps
        text = _text(prop, fallback, problems)
        if name == "N":
            family, given, middle, prefix, suffix = _parts(text, 5)
            data.family_name, data.given_name, data.middle_name = family, given, middle
            data.prefix, data.suffix = prefix, suffix
        elif name == "FN":
            full_name = _unescape(text).strip()
        elif name == "NICKNAME" and not data.nickname:
            data.nickname = ", ".join(v.strip() for v in stringToTextValues(text) if v.strip())
        elif name == "ORG":
            company, department = _parts(text, 2)
            data.company = data.company or company
            data.department = data.department or department
        elif name == "TITLE":
            data.job_title = data.job_title or _unescape(text).strip()
        elif name == "TEL":
            number = _uri_value(_unescape(text), "tel")
            if number:
                data.phones.append(PhoneData(number, label if label is not None
                                             else label_of(prop.types), _pref(prop)))
        elif name == "EMAIL":
            address = _uri_value(_unescape(text), "mailto")
            if address:
                data.emails.append(EmailData(address, label if label is not None
                                             else label_of(prop.types), _pref(prop)))
        elif name == "ADR":
            _address(data, prop, text, label)
        elif name == "URL":
            url = _unescape(text).strip()
            if url:
                data.links.append(LinkData(url, label or label_of(prop.types), _pref(prop)))
        elif name == "BDAY":
            note = _birthday(data, prop, _unescape(text), problems)
            if note:
                notes.append(note)
        elif name in _X_DATES:
            day = vcard_date(_unescape(text))
            kind = _X_DATES[name] or (label or "date").lower()
            refused = day_problem(kind, day) if day else None
            if day and refused:
                problems.append(ReadProblem(prop.line, refused))
                notes.append(f"{kind}: {day_text(day)}")
            elif day:
                data.dates.append(DateData(kind, day[1], day[2], day[0]))
        elif name == "IMPP" or name in _MESSENGERS or name in _X_LINKS:
            _messenger(data, prop, _unescape(text).strip(), label)
        elif name == "NOTE":
            note = _unescape(text).strip()
            if note:
                notes.append(note)
        elif name in _RELATIVES:
            who = _uri_value(_unescape(text), "text").strip()
            relation = _RELATIVES[name] or (label or label_of(prop.types) or "relative").lower()
            if who and not who.lower().startswith(("urn:", "http:", "https:", "mailto:")):
                data.relatives.append(RelativeData(relation, who))
        elif name == "LABEL":
            labels.append((prop, _unescape(text)))
        elif name == "CATEGORIES":
            for tag in stringToTextValues(text):
                if tag.strip() and tag.strip() not in data.tags:
                    data.tags.append(tag.strip())
        elif name == "X-CRMDESK-STATUS":
            data.status = _unescape(text).strip()
        elif name == "X-CRMDESK-SOURCE":
            data.source = _unescape(text).strip()
        elif name == "X-CRMDESK-FIELD":
            key = prop.params.get("KEY", "").strip('"')
            if key and custom is not None:
                custom[key] = (prop.params.get("LABEL", "").strip('"') or key,
                               _unescape(text))
    if not data.addresses:  # a 2.1 card may give its address only as printed lines
        for prop, text in labels:
            lines = [x.strip() for x in text.splitlines() if x.strip()]
            if lines:
                data.addresses.append(AddressData(street="\n".join(lines),
                                                  label=label_of(prop.types),
                                                  primary=_pref(prop)))
    if not (data.given_name or data.family_name or data.middle_name) and full_name:
        data.given_name, data.middle_name, data.family_name = split_full_name(full_name)
    data.notes = "\n\n".join(notes)
    data.name_order = name_order_of(data)
    if not (data.name() or data.company):
        email = data.emails[0].address if data.emails else ""
        phone = data.phones[0].number if data.phones else ""
        if not (email or phone):
            problems.append(ReadProblem(card.line, _("The card has no name, company, e-mail "
                                                     "or phone and was skipped.")))
            return None
        data.nickname = email or phone  # a name to find the contact by
    return data


def _messenger(data: ContactData, prop: _Property, value: str, label: str | None) -> None:
    """A messenger handle or an X- web address as a link: "skype:anna.berg" labelled
    "skype"; IMPP keeps its own URI and takes its label from X-SERVICE-TYPE."""
    if not value:
        return
    value = value.replace(" ", "%20")
    if prop.name in _X_LINKS:
        data.links.append(LinkData(value, label or _X_LINKS[prop.name]))
        return
    scheme = _MESSENGERS.get(prop.name, "")
    if scheme and not value.lower().startswith(scheme + ":"):
        value = f"{scheme}:{value}"
    service = prop.params.get("X-SERVICE-TYPE", "").strip('"').lower()
    if scheme:
        service = prop.name.removeprefix("X-").removesuffix("-USERNAME").lower()
    kind = service or label or (value.split(":", 1)[0] if ":" in value else "") or \
        label_of(prop.types)
    data.links.append(LinkData(value, kind, _pref(prop)))


def _pref(prop: _Property) -> bool:
    return any(t.upper() == "PREF" for t in prop.types)


def _address(data: ContactData, prop: _Property, text: str, label: str | None) -> None:
    pobox, extended, street, city, region, postcode, country = _parts(text, 7)
    lines = "\n".join(x for x in (street, extended, pobox) if x)
    code = country_code(country) if country else ""
    if code is None:  # a country we cannot name by code: kept in the region, not lost
        region = ", ".join(x for x in (region, country) if x)
        code = ""
    if any((lines, city, region, postcode)):
        data.addresses.append(AddressData(
            street=lines, city=city, region=region, postcode=postcode, country=code,
            label=label if label is not None else label_of(prop.types), primary=_pref(prop)))


def _birthday(data: ContactData, prop: _Property, text: str,
              problems: list[ReadProblem]) -> str:
    """Sets the birthday; a text that is no date comes back, to be kept in the notes."""
    day = vcard_date(text)
    if day is None:
        if not text.strip():
            return ""
        problems.append(ReadProblem(prop.line, _("The birthday {text!r} is not a date; it "
                                                 "was kept in the notes.").format(
                                                     text=text.strip())))
        return _("Birthday: {text}").format(text=text.strip())
    refused = day_problem(_("The birthday"), day)
    if refused:
        problems.append(ReadProblem(prop.line, refused))
        return _("Birthday: {text}").format(text=day_text(day))
    data.birthday_year, data.birthday_month, data.birthday_day = day
    return ""


def _photo(data: ContactData, prop: _Property, problems: list[ReadProblem]) -> None:
    if prop.params.get("ENCODING", "").upper() not in ("B", "BASE64"):
        text = prop.raw.decode("latin-1").strip()
        if text.lower().startswith("data:") and ";base64," in text:
            head, _sep, body = text.partition(";base64,")
            try:
                raw = base64.b64decode(body, validate=False)
            except (binascii.Error, ValueError):
                return
            mime = head[len("data:"):]
        else:
            return  # a link to a picture elsewhere: nothing to keep in the file
    else:
        raw = prop.raw
        kind = (prop.params.get("TYPE") or next(iter(prop.types), "")).lower()
        mime = kind if "/" in kind else f"image/{kind or 'jpeg'}"
    if len(raw) > MAX_PHOTO:
        problems.append(ReadProblem(prop.line, _("The photo is larger than 10 MB and was "
                                                 "skipped.")))
        return
    if raw and data.photo is None:
        data.photo, data.photo_mime = raw, mime


# -- the entry point -----------------------------------------------------------------------


def read_vcards(data: bytes, *, encoding: str | None = None) -> ContactsRead:
    """Every card in ``data`` as a ContactData, with the line it begins on, and the
    problems met. ``encoding`` is the one for values that name no CHARSET and are not
    UTF-8 (found from the file when None). Never raises on what the file holds."""
    result = ContactsRead()
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            result.problems.append(ReadProblem(0, _("Unknown encoding {name!r}; the file's own "
                                                    "was used.").format(name=encoding)))
            encoding = None
    cards = _cards(_as_utf8_bytes(data), result.problems)
    if not cards:
        result.problems.append(ReadProblem(0, _("The file holds no vCard (no BEGIN:VCARD "
                                                "line).")))
    props = [[p for number, line in card.lines
              if (p := _property(number, line, result.problems)) is not None]
             for card in cards]
    # One guess for the whole file: a single short name says too little about its bytes.
    odd = [raw for card_props in props for raw in _odd_bytes(card_props)]
    fallback = encoding or (detect_encoding(b"\n".join(odd)) if odd else "utf-8")
    if odd and not encoding:
        result.problems.append(ReadProblem(0, _(
            "Some values do not say their character set and are not UTF-8; they were read "
            "as {encoding}. If names look wrong, choose the file's encoding.").format(
                encoding=fallback)))
    for card, card_props in zip(cards, props, strict=True):
        if not card.closed:
            result.problems.append(ReadProblem(card.line, _(
                "The card that begins here has no END:VCARD; what it holds was read.")))
        custom: dict[str, tuple[str, str]] = {}
        contact = _card_to_contact(card, card_props, fallback, result.problems, custom)
        if contact is not None:
            result.records.append(contact)
            result.lines.append(card.line)
            result.custom.append(custom)
    result.problems.sort(key=lambda p: p.line)
    return result
