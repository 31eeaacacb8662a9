"""The layering of DESIGN.md holds: import-linter's contracts pass."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert exe, "import-linter is installed with the test extras"
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or " 0 broken" in result.stdout


def test_core_io_output_do_not_import_qt():
    for layer in ("core", "io", "output"):
        for path in (ROOT / "crmdesk" / layer).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "PySide6" not in text, f"{path} mentions PySide6"
