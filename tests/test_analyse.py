"""The analyser fingerprint: any change to the analysis code or shipped data makes stored analyses stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import briefing
from briefing.analyse import analyser_version, code_fingerprint

PACKAGE = Path(briefing.__file__).resolve().parent


def test_every_file_of_the_analysis_and_its_data_counts(tmp_path: Path) -> None:
    root = tmp_path / "briefing"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    first = code_fingerprint(root, "v:3:default")
    assert first == code_fingerprint(PACKAGE, "v:3:default")
    assert code_fingerprint(root, "v:4:default") != first  # settings count
    touched = [root / "analyse" / "issues" / "cues.py", root / "analyse" / "actors" / "merge.py",
               root / "data" / "common_words.txt", root / "words.py", root / "clean.py"]
    seen = {first}
    for path in touched:
        path.write_bytes(path.read_bytes() + b"\n")
        seen.add(code_fingerprint(root, "v:3:default"))
    assert len(seen) == len(touched) + 1  # each change moved the fingerprint
    (root / "analyse" / "actors" / "new_rules.py").write_text("X = 1\n")  # a new module counts too
    assert code_fingerprint(root, "v:3:default") not in seen
    before = code_fingerprint(root, "v:3:default")
    (root / "render.py").write_bytes((root / "render.py").read_bytes() + b"\n")  # not part of the analysis
    assert code_fingerprint(root, "v:3:default") == before


def test_the_stored_version_is_the_fingerprint_of_the_installed_package() -> None:
    assert len(analyser_version(3, "default")) == 16
    assert analyser_version(3, "default") != analyser_version(3, "lexrank")
