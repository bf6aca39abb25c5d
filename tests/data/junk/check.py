"""Check that annotations.jsonl still lines up with the project's extraction and sentence splitter.

Usage (from the repository root, venv active):
    python tests/data/junk/check.py [--data /work/shared/data/html]

For every annotated page it re-runs the exact procedure of README.md and reports pages whose sentence
list changed (``sentences_sha1``), whose sentence count changed, or where a stored junk prefix or
dateline prefix no longer matches the sentence at its (para, sent) position. Exit status 1 on any drift.
Nothing is written; no page text is printed (positions and the stored prefixes only).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

from briefing.clean import extract_html
from briefing.ingest.web import decode_html
from briefing.text import split_sentences

HERE = Path(__file__).resolve().parent


def page_sentences(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    page = extract_html(decode_html(raw), url=None, name=path.name)
    return [split_sentences(paragraph) for paragraph in page.text.split("\n\n")]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/html", help="folder holding the two benchmark sets")
    args = ap.parse_args()
    bad = 0
    for line in (HERE / "annotations.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        group, name = rec["page"].split("/", 1)
        paras = page_sentences(Path(args.data) / group / "html" / name)
        problems = []
        sha = hashlib.sha1("\n".join("\t".join(ss) for ss in paras).encode()).hexdigest()
        if sha != rec["sentences_sha1"]:
            problems.append("sentence list changed")
        if sum(map(len, paras)) != rec["sentences"]:
            problems.append(f"sentence count {sum(map(len, paras))} != {rec['sentences']}")
        for item in rec["junk"] + rec["dateline_prefixes"]:
            p, s = item["para"], item["sent"]
            if p >= len(paras) or s >= len(paras[p]) or not paras[p][s].startswith(item["prefix"]):
                problems.append(f"prefix mismatch at {p}.{s}")
        if problems:
            bad += 1
            print(f"{rec['page']}: " + "; ".join(problems))
    print(f"{bad} page(s) drifted" if bad else "all pages line up")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
