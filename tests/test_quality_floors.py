"""The quality floors file itself: every floor is used by its test, and none is lowered without a reason."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from tests.quality import FLOORS_FILE, floors_data

ROOT = FLOORS_FILE.parents[2]


def lowering_problems(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Floors of ``old`` that ``new`` lowers or drops without a matching ``lowered`` entry (name, from, why)."""
    explained = {(e["name"], float(e["from"])) for e in new.get("lowered", []) if str(e.get("why", "")).strip()}
    problems = []
    for name, entry in old["floors"].items():
        before = float(entry["floor"])
        after = new["floors"].get(name, {}).get("floor")
        if (after is None or float(after) < before) and (name, before) not in explained:
            problems.append(f"{name}: {before} -> {after} with no 'lowered' entry saying why")
    return problems


def committed_versions() -> list[tuple[str, dict[str, Any]]]:
    """Every version of the floors file in the repository's history, oldest first ([] outside a git checkout)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return []
    relative = FLOORS_FILE.relative_to(ROOT).as_posix()
    log = subprocess.run([git, "log", "--format=%H", "--", relative], cwd=ROOT, capture_output=True, text=True)
    versions = []
    for commit in reversed(log.stdout.split()):
        shown = subprocess.run([git, "show", f"{commit}:{relative}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            versions.append((commit[:10], json.loads(shown.stdout)))
    return versions


def test_every_floor_is_well_formed_and_below_what_was_measured() -> None:
    floors = floors_data()["floors"]
    assert len(floors) >= 8
    for name, entry in floors.items():
        assert entry["floor"] <= entry["measured"], name
        assert (ROOT / entry["test"]).is_file(), name
        assert name in (ROOT / entry["test"]).read_text(encoding="utf-8"), f"{name} is not read by {entry['test']}"


def test_no_floor_is_lowered_silently() -> None:
    """Against each committed version of the file, and the working copy against the last one."""
    versions = [*committed_versions(), ("working copy", floors_data())]
    for (_, old), (label, new) in zip(versions, versions[1:], strict=False):
        assert lowering_problems(old, new) == [], label


def test_the_guard_catches_a_silent_lowering() -> None:
    old = {"floors": {"a": {"floor": 0.9}, "b": {"floor": 0.5}}}
    assert lowering_problems(old, {"floors": {"a": {"floor": 0.95}, "b": {"floor": 0.5}}}) == []
    assert len(lowering_problems(old, {"floors": {"a": {"floor": 0.8}, "b": {"floor": 0.5}}})) == 1
    assert len(lowering_problems(old, {"floors": {"a": {"floor": 0.9}}})) == 1  # dropped
    why = {"name": "a", "from": 0.9, "why": "the references were corrected"}
    assert lowering_problems(old, {"floors": {"a": {"floor": 0.8}, "b": {"floor": 0.5}}, "lowered": [why]}) == []
