"""Junk sentences (captions, prompts, bylines, datelines, fragments) on real page text: precision and recall.

Run: ``python bench/junk_eval.py [--data ../shared/data/html] [--split dev|held_out|all]``.

The check set is ``tests/data/junk/annotations.jsonl``: 45 real news pages of two extraction benchmarks, run
through briefing's own extraction and sentence splitter, with the junk sentences marked by hand before the
filter was written (positions and 40-character prefixes only; the pages stay in ../shared). The filter is
``briefing.clean.sentence_junk`` (its "run-on" verdict, a sentence over 60 words, is a length rule for facts,
not junk, and is not counted). Sentences marked "unsure" are left out of the scores. Beside it, the same
figures for the filter the key facts used before (``summarise``'s junk and headline flags) as the baseline.
Agreement: Cohen's kappa between the annotator and a second, independent one on the 10 pages both marked
(``tests/data/agreement/junk_second.jsonl``).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable
from pathlib import Path

from briefing.analyse.facts import FLAGS, sentence_flags
from briefing.analyse.sentences import split_sentences
from briefing.clean import extract_html, sentence_junk
from briefing.ingest.web import decode_html

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "tests" / "data" / "junk" / "annotations.jsonl"
SECOND = ROOT / "tests" / "data" / "agreement" / "junk_second.jsonl"


def page_sentences(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    page = extract_html(decode_html(raw), url=None, name=path.name)
    return [split_sentences(paragraph) for paragraph in page.text.split("\n\n")]


def _labels(record: dict) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    junk = {(j["para"], j["sent"]) for j in record["junk"] if not j.get("unsure")}
    unsure = {(j["para"], j["sent"]) for j in record["junk"] if j.get("unsure")}
    return junk, unsure


def old_filter(sentence: str) -> bool:
    flags = dict(zip(FLAGS, sentence_flags(sentence), strict=True))
    return flags["junk"] or flags["dateline"]


def score(records: list[dict], data: Path, is_junk: Callable[[str], bool]) -> tuple[float, float, float, int, int]:
    tp = fp = fn = total = drift = 0
    for record in records:
        group, name = record["page"].split("/", 1)
        paras = page_sentences(data / group / "html" / name)
        if sum(map(len, paras)) != record["sentences"]:
            drift += 1
        gold, unsure = _labels(record)
        for p, sentences in enumerate(paras):
            for s, sentence in enumerate(sentences):
                if (p, s) in unsure:
                    continue
                total += 1
                said, truth = is_junk(sentence), (p, s) in gold
                tp += said and truth
                fp += said and not truth
                fn += truth and not said
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, total, drift


def kappa() -> tuple[float, int] | None:
    if not SECOND.exists():
        return None
    first = {json.loads(line)["page"]: json.loads(line) for line in ANNOTATIONS.read_text().splitlines()}
    a = b = both = n = 0
    for line in SECOND.read_text().splitlines():
        second = json.loads(line)
        one = first.get(second["page"])
        if one is None or one["sentences"] != second["sentences"]:
            continue
        x = {(j["para"], j["sent"]) for j in one["junk"]}
        y = {(j["para"], j["sent"]) for j in second["junk"]}
        n += one["sentences"]
        a, b, both = a + len(x), b + len(y), both + len(x & y)
    if not n:
        return None
    observed = (n - a - b + 2 * both) / n
    expected = (a / n) * (b / n) + (1 - a / n) * (1 - b / n)
    return (observed - expected) / (1 - expected), n


def drifted_pages(records: list[dict], data: Path) -> int:
    """Pages whose sentences no longer line up with the annotations (sentence list hash, count, prefixes)."""
    import hashlib

    bad = 0
    for record in records:
        group, name = record["page"].split("/", 1)
        paras = page_sentences(data / group / "html" / name)
        problems = []
        if hashlib.sha1("\n".join("\t".join(ss) for ss in paras).encode()).hexdigest() != record["sentences_sha1"]:
            problems.append("sentence list changed")
        for item in record["junk"] + record["dateline_prefixes"]:
            p, s = item["para"], item["sent"]
            if p >= len(paras) or s >= len(paras[p]) or not paras[p][s].startswith(item["prefix"]):
                problems.append(f"prefix mismatch at {p}.{s}")
        if problems:
            bad += 1
            print(f"{record['page']}: " + "; ".join(problems))
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "html")
    parser.add_argument("--split", choices=("dev", "held_out", "all"), default="all")
    parser.add_argument("--check", action="store_true", help="only report pages whose sentences drifted (exit 1)")
    args = parser.parse_args()
    records = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines()]
    if args.check:
        bad = drifted_pages(records, args.data)
        print(f"{bad} page(s) drifted" if bad else "all pages line up")
        raise SystemExit(1 if bad else 0)
    records = [r for r in records if r.get("lang", "en") == "en"]
    splits = ("dev", "held_out") if args.split == "all" else (args.split,)
    print(f"{'split':10} {'filter':22} {'P':>6} {'R':>6} {'F1':>6} {'sentences':>10}")
    for split in splits:
        chosen = [r for r in records if r["split"] == split]
        for label, filt in (("sentence_junk", lambda s: sentence_junk(s) not in (None, "run-on")),
                            ("baseline (old flags)", old_filter)):
            p, r, f, total, drift = score(chosen, args.data, filt)
            print(f"{split:10} {label:22} {p:6.3f} {r:6.3f} {f:6.3f} {total:10d}" + (f"  ({drift} pages drifted)" if drift else ""))
    agreement = kappa()
    if agreement:
        print(f"annotator agreement (Cohen's kappa, junk or not, {agreement[1]} sentences of 10 pages): {agreement[0]:.3f}")


if __name__ == "__main__":
    main()
