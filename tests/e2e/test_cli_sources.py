"""The CLI never touches the ORM: it reads what was typed, calls core services in a
unit of work, and prints the plain values they return. A query that crept into a
command module would skip the services' rules, so the sources are read here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "crmdesk" / "cli"
SOURCES = sorted(CLI.rglob("*.py"))

FORBIDDEN_MODULES = ("sqlalchemy", "crmdesk.core.storage.models",
                     "crmdesk.core.storage.field_models")
# Session and SQL calls (not dict.update or list.insert: too common to tell apart).
FORBIDDEN_CALLS = {"select", "execute", "scalars", "scalar", "query"}
FORBIDDEN_TEXT = re.compile(r"\bsqlalchemy\b|crmdesk\.core\.storage\.(field_)?models\b|"
                            r"\bsession\.execute\b|\bselect\(")


def test_there_are_command_modules():
    names = {p.stem for p in SOURCES}
    assert {"main", "common", "search", "check", "demo", "gui", "fields", "history",
            "log"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_orm_in_the_cli(path):
    source = path.read_text(encoding="utf-8")
    found = [f"{path.name}:{n}: {line.strip()}"
             for n, line in enumerate(source.splitlines(), 1) if FORBIDDEN_TEXT.search(line)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            modules = []
        found += [f"{path.name}:{node.lineno}: imports {m}" for m in modules
                  if m.startswith(FORBIDDEN_MODULES)]
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno}: calls {name}(...)")
    assert found == [], "the CLI queries the ORM itself:\n" + "\n".join(found)


def test_the_cli_imports_qt_only_to_open_the_window():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("PySide6"), path.name
                if node.module.startswith("crmdesk.ui"):
                    assert node.col_offset > 0, f"{path.name} imports the ui at module level"
