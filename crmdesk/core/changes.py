"""What one user action changed, as one value: the whole event system.

Every service that writes returns a Changes (Anki's OpChanges): for each kind
of record it touched, which ids were added, changed or removed. The window
passes it to every view, and each view decides whether it has anything to
refresh (``changes.touches(CONTACTS)``, ``changes.ids(CONTACTS)``). A new
kind of record (activities, groups ...) is a new name here, never a new pair
of signals or a new branch in the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The kinds of record a change can touch.
CONTACTS = "contacts"
COMPANIES = "companies"
HISTORY = "history"
FIELDS = "fields"  # custom field definitions (the forms, columns and lookups follow)
LISTS = "lists"  # the drop-down lists: status, lead source, kinds, outcomes
SETTINGS = "settings"  # file-wide settings: collation, phone country
GROUPS = "groups"  # contact groups: saved lookups and static groups, their members
ACTIVITIES = "activities"  # the calendar: planned calls, meetings, to-dos

ADDED = "added"
CHANGED = "changed"
REMOVED = "removed"
_HOWS = (ADDED, CHANGED, REMOVED)


@dataclass(frozen=True)
class KindChanges:
    """The ids of one kind of record, by how they changed."""

    added: frozenset[int] = frozenset()
    changed: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()

    def all(self) -> frozenset[int]:
        return self.added | self.changed | self.removed

    def merged(self, other: KindChanges) -> KindChanges:
        return KindChanges(self.added | other.added, self.changed | other.changed,
                           self.removed | other.removed)


_EMPTY = KindChanges()


@dataclass(frozen=True)
class Changes:
    """What one action changed; ``Changes()`` is "nothing"."""

    kinds: Mapping[str, KindChanges] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, kind: str, ids: Iterable[int] = (), how: str = CHANGED) -> Changes:
        """Changes of one kind: ``Changes.of(CONTACTS, [3], ADDED)``.

        A kind with no ids (``Changes.of(FIELDS)``) still counts as touched:
        "the field definitions changed", without naming records.
        """
        if how not in _HOWS:
            raise ValueError(f"unknown kind of change {how!r}")
        ids = frozenset(int(i) for i in ids)
        return cls(MappingProxyType({kind: KindChanges(**{how: ids})}))

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.kinds)
        for kind, ch in other.kinds.items():
            merged[kind] = merged[kind].merged(ch) if kind in merged else ch
        return Changes(MappingProxyType(merged))

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, kind: str) -> bool:
        return kind in self.kinds

    def of_kind(self, kind: str) -> KindChanges:
        return self.kinds.get(kind, _EMPTY)

    def ids(self, kind: str) -> frozenset[int]:
        """Every id of ``kind`` added, changed or removed."""
        return self.of_kind(kind).all()

    def added(self, kind: str) -> frozenset[int]:
        return self.of_kind(kind).added

    def removed(self, kind: str) -> frozenset[int]:
        return self.of_kind(kind).removed

    def describe(self) -> str:
        """For logs and test failures: ``contacts +1 ~2 -0``."""
        return ", ".join(f"{k} +{len(v.added)} ~{len(v.changed)} -{len(v.removed)}"
                         for k, v in sorted(self.kinds.items())) or "nothing"
