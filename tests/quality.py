"""The quality floors of tests/data/quality_floors.json: one file, so that lowering one is visible and explained."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FLOORS_FILE = Path(__file__).parent / "data" / "quality_floors.json"


@cache
def floors_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    return data


def floor(name: str) -> float:
    """The pinned floor called ``name``; a KeyError names the file to add it to."""
    try:
        return float(floors_data()["floors"][name]["floor"])
    except KeyError:
        raise KeyError(f"no quality floor {name!r} in {FLOORS_FILE}") from None
