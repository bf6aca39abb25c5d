"""Run `brief` as a user does: a fresh interpreter, `python -m briefing`, in a folder holding config.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def brief(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
