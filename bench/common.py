"""What the benchmarks share: where the development data lives and how to read its files."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"  # present on a development machine, absent in a user's clone
BBC = SHARED / "bbc-dev" / "News Articles"
SAMPLES = REPO / "samples" / "articles"


def read_text(path: Path) -> str:
    """UTF-8, falling back to latin-1 (one BBC file is latin-1)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
