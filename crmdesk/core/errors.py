"""Errors a user can understand. Each carries a message meant for a shop owner.

Anything that is not a CrmdeskError is a bug: the GUI shows it with details to
copy and the CLI prints a traceback to the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CrmdeskError(Exception):
    """A known problem with a plain message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseFileError(CrmdeskError):
    """The database file cannot be used; the file was left untouched."""


class FolderMissingError(DatabaseFileError):
    pass


class NotADatabaseError(DatabaseFileError):
    pass


class NewerSchemaError(DatabaseFileError):
    pass


class ReadOnlyError(DatabaseFileError):
    pass


class AlreadyOpenError(DatabaseFileError):
    pass


class DiskFullError(DatabaseFileError):
    pass


class NotFoundError(CrmdeskError):
    pass


class QuerySyntaxError(CrmdeskError):
    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


# A Problem's severity: an error blocks saving, a warning does not.
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value a user typed: where, and why.

    ``field`` names the field (``"emails"``, ``"phones"``, ``"given_name"``),
    ``index`` the row of a repeatable field, ``severity`` is "error" (blocks
    saving) or "warning" (saved, but shown).
    """

    field: str
    message: str
    index: int | None = None
    severity: str = "error"


@dataclass
class ValidationError(CrmdeskError):
    problems: list[Problem] = field(default_factory=list)

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class FileWriteError(CrmdeskError):
    """A file (an export, a report) could not be written; nothing half-written was left."""
