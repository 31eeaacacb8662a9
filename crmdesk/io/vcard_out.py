"""Contacts as vCards: 3.0 (what every phone and address book reads) or 4.0.

Written with vobject (escaping, line folding at 75 octets without splitting a
character). What crmdesk keeps goes where other programs look for it: N and
FN, ORG with the department, TITLE, TEL/EMAIL/ADR/URL with their labels as TYPEs
where vCard has a word for them (mobile -> CELL, work -> WORK ...) and as Apple's
grouped X-ABLabel otherwise, BDAY (a birthday without a year as --MMDD),
ANNIVERSARY and other dates, relatives (RELATED in 4.0, X-ABRELATEDNAMES in
3.0), CATEGORIES for tags, NOTE, PHOTO. What only crmdesk has (the status, the
lead source, custom fields) goes in X-CRMDESK- properties, which other programs
keep or ignore. Files are written atomically (io.atomic).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import vobject
from sqlalchemy.orm import Session

from crmdesk.core.contacts.records import ContactData, load_contact
from crmdesk.core.errors import FileWriteError, NotFoundError
from crmdesk.core.fields import service as fields
from crmdesk.core.i18n import _
from crmdesk.io.atomic import atomic_text

VCARD_3 = "3.0"
VCARD_4 = "4.0"
VERSIONS = (VCARD_3, VCARD_4)
# A crmdesk label word and the vCard TYPE for it.
_TYPES = {"mobile": "CELL", "cell": "CELL", "work": "WORK", "home": "HOME", "fax": "FAX",
          "pager": "PAGER", "car": "CAR", "video": "VIDEO"}
_CHUNK = 200


def _types(label: str) -> list[str] | None:
    """The TYPEs for a label when vCard has a word for each of its words, else None."""
    words = label.strip().lower().split()
    if not words:
        return []
    types = [_TYPES.get(w) for w in words]
    return None if any(t is None for t in types) else [t for t in types if t]


class _Card:
    def __init__(self, version: str) -> None:
        self.version = version
        self.card = vobject.vCard()
        self.card.add("version").value = version
        self._groups = 0

    def add(self, name: str, value: Any, *, label: str = "", pref: bool = False,
            uri: bool = False) -> Any:
        types = _types(label) if label else []
        group = None
        if types is None:  # a label vCard has no word for: Apple's grouped X-ABLabel
            self._groups += 1
            group = f"item{self._groups}"
        prop = self.card.add(name, group) if group else self.card.add(name)
        prop.value = value
        if uri:  # a URI is written as it is: no text escaping of its , and ;
            prop.encoded = True
        params = list(types or [])
        if pref and self.version == VCARD_3:
            params.append("PREF")
        if params:
            prop.type_param = params
        if pref and self.version == VCARD_4:
            prop.pref_param = "1"
        if group:
            self.card.add("x-ablabel", group).value = label
        return prop


def _day(year: int | None, month: int, day: int, version: str) -> str:
    if year:
        return f"{year:04d}-{month:02d}-{day:02d}" if version == VCARD_3 \
            else f"{year:04d}{month:02d}{day:02d}"
    return f"--{month:02d}{day:02d}" if version == VCARD_4 else f"--{month:02d}-{day:02d}"


def _custom_text(value: Any) -> str:
    if isinstance(value, fields.Unconverted):
        return value.raw
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


def contact_card(data: ContactData, *, version: str = VCARD_3,
                 custom: Sequence[tuple[str, str, Any]] = ()) -> str:
    """One contact as a vCard (text with CRLF line ends). ``custom``: (key, label,
    value) of its custom field values."""
    if version not in VERSIONS:
        raise FileWriteError(_("vCard {version} is not one crmdesk writes (3.0, 4.0).")
                             .format(version=version))
    c = _Card(version)
    card = c.card
    card.add("n").value = vobject.vcard.Name(
        family=data.family_name, given=data.given_name, additional=data.middle_name,
        prefix=data.prefix, suffix=data.suffix)
    card.add("fn").value = data.name() or data.company or _("(no name)")
    if data.nickname:
        card.add("nickname").value = data.nickname
    if data.company or data.department:
        card.add("org").value = [data.company, data.department] if data.department \
            else [data.company]
    if data.job_title:
        card.add("title").value = data.job_title
    for ph in data.phones:
        if ph.number.strip():
            c.add("tel", ph.number.strip(), label=ph.label, pref=ph.primary)
    for em in data.emails:
        if em.address.strip():
            c.add("email", em.address.strip(), label=em.label, pref=em.primary)
    for ad in data.addresses:
        c.add("adr", vobject.vcard.Address(street=ad.street, city=ad.city, region=ad.region,
                                           code=ad.postcode, country=ad.country),
              label=ad.label, pref=ad.primary)
    for ln in data.links:
        if ln.url.strip():
            c.add("url", ln.url.strip(), label=ln.label, pref=ln.primary, uri=True)
    if data.birthday_month and data.birthday_day:
        card.add("bday").value = _day(data.birthday_year, data.birthday_month,
                                      data.birthday_day, version)
    for d in data.dates:
        value = _day(d.year, d.month, d.day, version)
        if d.label.strip().lower() == "anniversary":
            card.add("anniversary" if version == VCARD_4 else "x-anniversary").value = value
        else:
            c._groups += 1
            group = f"item{c._groups}"
            card.add("x-abdate", group).value = value
            card.add("x-ablabel", group).value = d.label
    for rel in data.relatives:
        if not rel.name.strip():
            continue
        if version == VCARD_4:
            prop = card.add("related")
            prop.value = rel.name
            prop.value_param = "text"
            if rel.relation:
                prop.type_param = rel.relation
        else:
            c._groups += 1
            group = f"item{c._groups}"
            card.add("x-abrelatednames", group).value = rel.name
            card.add("x-ablabel", group).value = rel.relation
    if data.tags:
        card.add("categories").value = list(data.tags)
    if data.notes:
        card.add("note").value = data.notes
    if data.photo:
        mime = data.photo_mime or "image/jpeg"
        photo = card.add("photo")
        encoded = base64.b64encode(data.photo).decode("ascii")
        # Written as it is (vobject would escape a data: URI's , and ;): base64 has
        # neither, and the line is folded like any other.
        photo.encoded = True
        if version == VCARD_4:
            photo.value = f"data:{mime};base64,{encoded}"
        else:
            photo.value = encoded
            photo.params["ENCODING"] = ["b"]
            photo.params["TYPE"] = [mime.split("/")[-1].upper()]
    if data.status:
        card.add("x-crmdesk-status").value = data.status
    if data.source:
        card.add("x-crmdesk-source").value = data.source
    for key, label, value in custom:
        if value is None:
            continue
        prop = card.add("x-crmdesk-field")
        prop.value = _custom_text(value)
        prop.params["KEY"] = [key]
        prop.params["LABEL"] = [label]
    return _fold(card.serialize())


def _fold(text: str, limit: int = 75) -> str:
    """Every line at most ``limit`` octets, folded where a character begins (vobject
    leaves the lines it was given as they are, a photo's base64 among them). A
    continuation line's leading space counts toward its octets."""
    out: list[str] = []
    for line in text.split("\r\n"):
        while len(line.encode("utf-8")) > limit:
            size, cut = 0, 0
            for ch in line:
                size += len(ch.encode("utf-8"))
                if size > limit:
                    break
                cut += 1
            out.append(line[:cut])
            line = " " + line[cut:]
        out.append(line)
    return "\r\n".join(out)


def contact_cards(session: Session, ids: Sequence[int], *,
                  version: str = VCARD_3) -> Iterable[str]:
    """The vCards of these contacts, in this order (contacts gone meanwhile skipped)."""
    labels = {f.key: f.label for f in fields.describe_fields(session, fields.CONTACT,
                                                            include_archived=True)}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start:start + _CHUNK])
        values = fields.get_values(session, fields.CONTACT, chunk)
        for cid in chunk:
            try:
                data = load_contact(session, cid)
            except NotFoundError:
                continue
            custom = [(k, labels.get(k, k), v) for k, v in values.get(cid, {}).items()]
            yield contact_card(data, version=version, custom=custom)


def write_vcards(path: str | os.PathLike[str], cards: Iterable[str]) -> int:
    """The cards, one after another, as a UTF-8 .vcf file; how many."""
    n = 0
    with atomic_text(path, encoding="utf-8", newline="") as stream:
        for card in cards:
            stream.write(card)
            n += 1
    return n


def export_vcards(session: Session, ids: Sequence[int], path: str | os.PathLike[str], *,
                  version: str = VCARD_3) -> int:
    """These contacts as a .vcf file at ``path``; how many cards were written."""
    return write_vcards(path, contact_cards(session, ids, version=version))
