"""Running `python -m crmdesk` the way a user runs `crmdesk`: a subprocess without a
screen, its output as text and its exit code."""

from __future__ import annotations

import os
import subprocess
import sys


def crmdesk(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DISPLAY", None)
    full_env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "crmdesk", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout)


def python(code: str, *args: str, env: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -c code args...``: the CLI run by a script that first changes something."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DISPLAY", None)
    full_env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout)
