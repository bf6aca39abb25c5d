"""The hand-made reference sets are well-formed: verbatim references, complete splits, no held-out leak."""

from __future__ import annotations

import json
from pathlib import Path

from briefing.ingest.folder import split_header

DATA = Path(__file__).parent / "data"


def test_keypoint_references_are_verbatim_and_split() -> None:
    folder = DATA / "keypoints"
    names = sorted(p.stem for p in folder.glob("*.ref"))
    assert len(names) >= 40
    for name in names:
        body = split_header((folder / f"{name}.txt").read_text(encoding="utf-8"))[1]
        lines = (folder / f"{name}.ref").read_text(encoding="utf-8").splitlines()
        positions = [body.find(line) for line in lines]
        assert lines and all(p >= 0 for p in positions) and positions == sorted(positions), name
        points = (folder / f"{name}.points").read_text(encoding="utf-8").splitlines()
        assert 1 <= len(points) <= 3 and all(len(p.split()) <= 20 for p in points), name
    splits = json.loads((folder / "splits.json").read_text(encoding="utf-8"))
    assert sorted(splits["tune"] + splits["held_out"]) == names and not set(splits["tune"]) & set(splits["held_out"])


def test_junk_annotations_store_positions_and_short_prefixes_only() -> None:
    records = [json.loads(line) for line in (DATA / "junk" / "annotations.jsonl").read_text().splitlines()]
    assert len(records) >= 40 and {r["split"] for r in records} == {"dev", "held_out"}
    kinds = {"caption", "prompt", "byline", "dateline", "fragment"}
    for record in records:
        for item in record["junk"]:
            assert item["kind"] in kinds and len(item["prefix"]) <= 40
            assert 0 <= item["para"] < record["paragraphs"]
