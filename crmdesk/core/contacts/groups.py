"""Contact groups: saved lookups (dynamic groups) and static groups made by hand.

A lookup group keeps only its lookup text, so its members are whoever the
lookup finds now; a static group keeps its members (group_member). Both are
named (the name folded is the key, so "Kaunas VIP" and "kaunas vip" are one
group), ordered for the navigation by ``position``, and can be named in any
lookup as ``group:"Kaunas VIP"`` (lookup/contact_fields.py), which is how the
contact list, labels, exports and the CLI show a group's contacts: one way
from text to ids. Contacts in the trash are in no group's count or list.

Every function here is one step of a user action in the caller's unit of work
and returns plain values; the ones that write also say what they changed
(changes.GROUPS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crmdesk.core.changes import CHANGED, GROUPS, REMOVED, Changes
from crmdesk.core.errors import CrmdeskError, NotFoundError, QuerySyntaxError
from crmdesk.core.i18n import _
from crmdesk.core.lookup.query import CONTACT, compile_text, find_ids, lookup_problem
from crmdesk.core.lookup.syntax import And, Cond, Node, Not, Or, parse, to_text
from crmdesk.core.storage.models import (
    GROUP_LOOKUP,
    GROUP_STATIC,
    Contact,
    ContactGroup,
    group_member,
    utcnow,
)
from crmdesk.core.text.folding import fold
from crmdesk.core.text.validation import MAX_NAME

__all__ = ["GROUP_LOOKUP", "GROUP_STATIC", "GroupCount", "GroupInfo", "add_members",
           "count_members", "counts", "create_static_group", "delete_group", "group_by_id",
           "group_named", "group_term", "list_groups", "member_ids", "move_group",
           "remove_members", "rename_group", "reorder_groups", "save_lookup_group"]

_CHUNK = 500  # ids per IN (...)


@dataclass(frozen=True)
class GroupInfo:
    """A group as the navigation and the CLI show it."""

    id: int
    name: str
    kind: str  # GROUP_LOOKUP or GROUP_STATIC
    query: str  # the lookup text of a lookup group, "" for a static one
    position: int

    @property
    def is_static(self) -> bool:
        return self.kind == GROUP_STATIC

    @property
    def term(self) -> str:
        """How a lookup names this group (``group:"Kaunas VIP"``)."""
        return group_term(self.name)


@dataclass(frozen=True)
class GroupCount:
    """How many live contacts a group has now, or why it cannot say (a lookup that has
    become invalid: a custom field it names was deleted, a group it names is gone)."""

    group_id: int
    count: int | None
    problem: str = ""


def group_term(name: str) -> str:
    """The lookup that finds a group's contacts: ``group:"Kaunas VIP"``, quoted as needed."""
    return to_text(Cond("group", ":", name))


def _info(row: ContactGroup) -> GroupInfo:
    return GroupInfo(row.id, row.name, row.kind, row.query, row.position)


def list_groups(session: Session) -> list[GroupInfo]:
    """Every group, in the navigation's order."""
    rows = session.scalars(select(ContactGroup).order_by(ContactGroup.position,
                                                         ContactGroup.id))
    return [_info(r) for r in rows]


def _row(session: Session, group_id: int) -> ContactGroup:
    row = session.get(ContactGroup, group_id)
    if row is None:
        raise NotFoundError(_("That group no longer exists."))
    return row


def group_by_id(session: Session, group_id: int) -> GroupInfo:
    return _info(_row(session, group_id))


def group_named(session: Session, name: str) -> GroupInfo:
    """The group of that name (any case and accents); NotFoundError naming the groups
    there are otherwise."""
    row = session.scalars(select(ContactGroup).where(ContactGroup.key == fold(name))).first()
    if row is None:
        names = [g.name for g in list_groups(session)]
        message = _("There is no group named {name!r}.").format(name=name)
        if names:
            message += " " + _("The groups are: {names}.").format(
                names=", ".join(names[:12]))
        raise NotFoundError(message)
    return _info(row)


def _clean_name(session: Session, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise CrmdeskError(_("A group needs a name."))
    if len(name) > MAX_NAME:
        raise CrmdeskError(_("A group's name is too long (at most {n} characters).")
                           .format(n=MAX_NAME))
    other = session.scalar(select(ContactGroup.name).where(ContactGroup.key == fold(name),
                                                           ContactGroup.id != (exclude or 0)))
    if other is not None:
        raise CrmdeskError(_("There is already a group named {name!r}.").format(name=other))
    return name


def _next_position(session: Session) -> int:
    last = session.scalar(select(func.max(ContactGroup.position)))
    return 0 if last is None else last + 1


def save_lookup_group(session: Session, name: str, query: str) -> GroupInfo:
    """Save a lookup as a group at the end of the navigation. A lookup with a problem
    (malformed, an unknown field, a group that is not there) is refused with it, and so
    is an empty one (it would be every contact) and a name that is taken."""
    name = _clean_name(session, name)
    query = query.strip()
    if not query:
        raise CrmdeskError(_("Type a lookup first: an empty one finds every contact."))
    problem = lookup_problem(session, CONTACT, query)
    if problem is not None:
        raise QuerySyntaxError(_("The lookup cannot be saved as a group: {problem}").format(
            problem=problem.message), position=problem.position)
    row = ContactGroup(name=name, key=fold(name), kind=GROUP_LOOKUP, query=query,
                       position=_next_position(session))
    session.add(row)
    session.flush()
    return _info(row)


def create_static_group(session: Session, name: str,
                        contact_ids: Iterable[int] = ()) -> GroupInfo:
    """A group whose members are added and removed by hand (these to begin with)."""
    name = _clean_name(session, name)
    row = ContactGroup(name=name, key=fold(name), kind=GROUP_STATIC, query="",
                       position=_next_position(session))
    session.add(row)
    session.flush()
    add_members(session, row.id, contact_ids)
    return _info(row)


def _renamed(node: Node, old_key: str, new: str) -> Node:
    if isinstance(node, Cond) and node.key == "group" and fold(node.value) == old_key:
        return replace(node, value=new)
    if isinstance(node, And | Or):
        return replace(node, items=tuple(_renamed(i, old_key, new) for i in node.items))
    if isinstance(node, Not):
        return replace(node, item=_renamed(node.item, old_key, new))
    return node


def rename_group(session: Session, group_id: int, name: str) -> Changes:
    """Rename a group; the lookup groups that name it follow (``group:OLD`` becomes
    ``group:NEW`` in their text), so they go on finding the same contacts."""
    row = _row(session, group_id)
    name = _clean_name(session, name, exclude=group_id)
    old_key, changed = row.key, {group_id}
    row.name, row.key, row.updated_at = name, fold(name), utcnow()
    for other in session.scalars(select(ContactGroup).where(ContactGroup.kind == GROUP_LOOKUP,
                                                            ContactGroup.id != group_id)):
        if "group" not in other.query:
            continue
        try:
            tree = parse(other.query)
        except QuerySyntaxError:
            continue
        new_tree = _renamed(tree, old_key, name)
        if new_tree != tree:
            other.query = to_text(new_tree)
            changed.add(other.id)
    session.flush()
    return Changes.of(GROUPS, changed, CHANGED)


def reorder_groups(session: Session, ordered_ids: Sequence[int]) -> Changes:
    """Put the groups in this order (those not named keep theirs, after them)."""
    rows = {r.id: r for r in session.scalars(select(ContactGroup))}
    order = [i for i in ordered_ids if i in rows]
    order += [r.id for r in sorted(rows.values(), key=lambda r: (r.position, r.id))
              if r.id not in order]
    for position, group_id in enumerate(order):
        rows[group_id].position = position
    session.flush()
    return Changes.of(GROUPS, order, CHANGED)


def move_group(session: Session, group_id: int, steps: int) -> Changes:
    """Move a group up (negative) or down the navigation by ``steps`` places."""
    order = [g.id for g in list_groups(session)]
    if group_id not in order:
        raise NotFoundError(_("That group no longer exists."))
    here = order.index(group_id)
    there = max(0, min(len(order) - 1, here + steps))
    order.insert(there, order.pop(here))
    return reorder_groups(session, order)


def delete_group(session: Session, group_id: int) -> Changes:
    """Delete a group (its contacts stay; a static group's memberships go with it)."""
    row = _row(session, group_id)
    session.delete(row)
    session.flush()
    return Changes.of(GROUPS, [group_id], REMOVED)


def _static(session: Session, group_id: int) -> ContactGroup:
    row = _row(session, group_id)
    if row.kind != GROUP_STATIC:
        raise CrmdeskError(_("{name!r} is a saved lookup: whom it finds decides who is in "
                             "it, so contacts cannot be added or removed by hand.")
                           .format(name=row.name))
    return row


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def add_members(session: Session, group_id: int, contact_ids: Iterable[int]) -> Changes:
    """Add contacts to a static group (those already in it, or gone, are passed over)."""
    row = _static(session, group_id)
    wanted = sorted(set(contact_ids))
    new: list[int] = []
    for chunk in _chunks(wanted):
        there = set(session.scalars(select(Contact.id).where(Contact.id.in_(chunk))))
        have = set(session.scalars(select(group_member.c.contact_id).where(
            group_member.c.group_id == group_id, group_member.c.contact_id.in_(chunk))))
        new += [c for c in chunk if c in there and c not in have]
    if new:
        session.execute(group_member.insert(), [{"group_id": group_id, "contact_id": c}
                                                for c in new])
        row.updated_at = utcnow()
    session.flush()
    return Changes.of(GROUPS, [group_id], CHANGED) if new else Changes()


def remove_members(session: Session, group_id: int, contact_ids: Iterable[int]) -> Changes:
    """Take contacts out of a static group (the contacts themselves stay)."""
    row = _static(session, group_id)
    removed = 0
    for chunk in _chunks(sorted(set(contact_ids))):
        result = session.execute(delete(group_member).where(
            group_member.c.group_id == group_id, group_member.c.contact_id.in_(chunk)))
        removed += getattr(result, "rowcount", 0) or 0
    if removed:
        row.updated_at = utcnow()
    session.flush()
    return Changes.of(GROUPS, [group_id], CHANGED) if removed else Changes()


def count_members(session: Session, group_id: int) -> int:
    """How many live contacts the group has now; QuerySyntaxError for a lookup group
    whose lookup has become invalid."""
    row = _row(session, group_id)
    return _count(session, row.id, row.kind, row.query)


def _count(session: Session, group_id: int, kind: str, query: str) -> int:
    live = Contact.deleted_at.is_(None)
    if kind == GROUP_STATIC:
        stmt = (select(func.count()).select_from(group_member)
                .join(Contact, Contact.id == group_member.c.contact_id)
                .where(group_member.c.group_id == group_id, live))
    else:
        lookup = compile_text(session, CONTACT, query, strict=True)
        stmt = select(func.count()).select_from(Contact).where(live, lookup.condition)
    return session.scalar(stmt) or 0


def counts(session: Session, group_ids: Iterable[int] | None = None) -> list[GroupCount]:
    """Every group's count (or those of ``group_ids``), in the navigation's order; a
    group that cannot be counted says why instead."""
    wanted = None if group_ids is None else set(group_ids)
    out: list[GroupCount] = []
    for g in list_groups(session):
        if wanted is not None and g.id not in wanted:
            continue
        try:
            out.append(GroupCount(g.id, _count(session, g.id, g.kind, g.query)))
        except QuerySyntaxError as exc:
            out.append(GroupCount(g.id, None, exc.message))
    return out


def member_ids(session: Session, group_id: int, *, sort: str | None = None,
               descending: bool = False, limit: int | None = None) -> list[int]:
    """The group's live contacts in the contact list's order (by name unless ``sort``
    says otherwise): the same lookup the list runs for ``group:NAME``."""
    row = _row(session, group_id)
    return find_ids(session, CONTACT, group_term(row.name), strict=True, sort=sort,
                    descending=descending, limit=limit)
