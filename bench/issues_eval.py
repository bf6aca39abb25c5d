"""Evaluate open-issue extraction: the annotated ECB+ set (train / dev / held-out test), the older sets, and speed.

Scores (matching rule in ``tests/data/open_issues/GUIDELINE.md``, code in ``briefing.evaluation``):
- strict: a predicted issue matches a gold issue when its evidence is one of the gold evidence sentences and their
  topics share a stem; evidence: the evidence condition alone (one-to-one, so an unmerged duplicate is a false
  positive); sentences: the detector's evidence sentences against the gold evidence sentences.
- questions: the share of predicted issues whose question passes ``briefing.analyse.issues.questions.check_question``
  (the extractor shows "" for the others and keeps their evidence).

Sets: ECB+ (``tests/data/open_issues/ecbplus.json``, 300 documents, CC BY 3.0, text read from
``../shared/data/ecbplus``): train and dev always, the held-out test only with ``--test`` (score it once, at the
end of a change). Older sets: ``gold.json`` (dev of the rules), ``heldout*.json`` (held-out 4: the 30 articles
scored F1 0.34 by the rules), ``seed.json``; BBC text from ``../shared/data`` when present.

Usage:
    python bench/issues_eval.py [--test] [--rules] [--agreement] [--verbose] [--sets ecb,dev,h1,...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.analyse.issues import extract_open_issues, rule_issues
from briefing.analyse.issues.questions import check_question
from briefing.analyse.sentences import split_sentences
from briefing.evaluation import (
    DATA,
    DEFAULT_SHARED,
    Counts,
    agreement,
    ecbplus_path,
    ecbplus_sentences,
    load_ecbplus,
    load_set,
    match,
    old_set,
    prf,
    score_article,
)
from briefing.models import OpenIssue

Extractor = Callable[[Sequence[str]], list[OpenIssue]]


def _question_counts(pred: Sequence[OpenIssue], sentences: Sequence[str]) -> tuple[int, int]:
    """(issues with a question that passes the checks, issues)."""
    index = {s: i for i, s in enumerate(sentences)}
    ok = 0
    for p in pred:
        i = index.get(p.evidence, 0)
        if p.question and check_question(p.question, p.evidence, sentences[i - 1] if i else "") is None:
            ok += 1
    return ok, len(pred)


def score(articles: Sequence[tuple[dict, list[str]]], extract: Extractor, verbose: bool, label: str) -> Counts:
    total = Counts()
    for art, sentences in articles:
        pred = extract(sentences)
        c = score_article(pred, art["issues"], sentences)
        c.questions, c.checked = _question_counts(pred, sentences)
        total.add(c)
        if verbose:
            _, fps, fns = match(pred, art["issues"], True, sentences)
            if fps or fns:
                print(f"--- {label} {art.get('doc') or art.get('file')}")
                for p in fps:
                    print(f"  FP [{p.topic}] {p.question or '(no question)'}  <{p.evidence[:90]}>")
                for g in fns:
                    e = g["evidence"][0]
                    ev = sentences[e["line"]][:90] if isinstance(e, dict) else e
                    print(f"  FN [{g['topic']}] {g['question']}  <{ev}>")
    return total


def report(name: str, c: Counts) -> None:
    p, r, f = prf(c.tp, c.pred, c.gold)
    ep, er, ef = prf(c.etp, c.pred, c.gold)
    sp, sr, sf = prf(c.stp, c.spred, c.sgold)
    q = c.questions / c.checked if c.checked else 1.0
    print(f"{name:20s} gold={c.gold:3d} pred={c.pred:3d}  strict P={p:.3f} R={r:.3f} F1={f:.3f}  "
          f"evidence P={ep:.3f} R={er:.3f} F1={ef:.3f}  sentences P={sp:.3f} R={sr:.3f} F1={sf:.3f}  "
          f"questions ok {q:.3f} ({c.questions}/{c.checked})")


def speed(texts: list[str], repeat: int, extract: Extractor) -> None:
    """Print ms per 600-word article: extraction, splitting, and a one-regex baseline."""
    words = sum(len(t.split()) for t in texts)
    sentences = [split_sentences(t) for t in texts]
    baseline_re = re.compile(r"\bwhether\b", re.IGNORECASE)

    def run(fn: Callable[[], object]) -> float:  # best-of-repeat seconds for the whole set
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    ext = run(lambda: [extract(s) for s in sentences])
    spl = run(lambda: [split_sentences(t) for t in texts])
    base = run(lambda: [[baseline_re.search(x) for x in s] for s in sentences])
    scale = 600 / words * 1000
    print(f"speed over {len(texts)} articles, {words} words, best of {repeat}:")
    print(f"  extract_open_issues  {ext * scale:.3f} ms per 600 words")
    print(f"  split_sentences      {spl * scale:.3f} ms per 600 words")
    print(f"  baseline (1 regex)   {base * scale:.3f} ms per 600 words")
    long_text = " ".join(["the committee asked whether it would decide"] * 7150)  # ~50,000 words, one sentence
    t0 = time.perf_counter()
    extract([long_text])
    print(f"  one 50,000-word sentence: {(time.perf_counter() - t0) * 1000:.1f} ms")


OLD_SETS = {  # key -> (file, label)
    "dev": ("gold.json", "dev (gold.json)"),
    "h1": ("heldout.json", "held-out 1"),
    "h2": ("heldout2.json", "held-out 2"),
    "h3": ("heldout3.json", "held-out 3"),
    "h4": ("heldout4.json", "held-out 4"),
    "seed": ("seed.json", "seed"),
}


def print_agreement(shared: Path) -> None:
    docs = load_ecbplus(ecbplus_path(shared))
    batches = json.loads((DATA / "batches.json").read_text(encoding="utf-8"))
    ann = {a: {x["doc"]: x["issues"] for x in json.loads((DATA / "annotated" / f"{a}.json").read_text(
        encoding="utf-8"))["articles"]} for a in ("A", "B", "C")}
    ag = agreement(ann, batches["shared"], {d: len(v) for d, v in docs.items()})
    print(f"agreement on the shared {len(batches['shared'])} ECB+ documents ({ag['lines']} sentences; evidence "
          f"sentences {ag['evidence_lines']}, issues {ag['issues']}):")
    for pair, v in ag["pairs"].items():
        print(f"  {pair}: sentence F1 {v['line_f1']:.3f}, Cohen's kappa {v['kappa']:.3f}; issue F1 {v['issue_f1']:.3f} "
              f"(evidence only {v['issue_f1_evidence']:.3f})")
    print(f"  Fleiss' kappa {ag['fleiss']:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    ap.add_argument("--verbose", action="store_true", help="list false positives and negatives")
    ap.add_argument("--test", action="store_true", help="also score the ECB+ held-out test split (once, at the end)")
    ap.add_argument("--rules", action="store_true", help="score the cue rules alone (the extractor before the detector)")
    ap.add_argument("--agreement", action="store_true", help="print the inter-annotator agreement")
    ap.add_argument("--sets", default="ecb," + ",".join(OLD_SETS), help=f"comma-separated subset of ecb,{','.join(OLD_SETS)}")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    extract: Extractor = rule_issues if args.rules else extract_open_issues
    print(f"extractor: {'cue rules alone (rule_issues)' if args.rules else 'detector + rules (extract_open_issues)'}")
    if args.agreement:
        print_agreement(args.shared)
    keys = args.sets.split(",")
    if "ecb" in keys and ecbplus_path(args.shared).exists():
        docs = load_ecbplus(ecbplus_path(args.shared))
        arts = load_set()
        for split in ("train", "dev", "test") if args.test else ("train", "dev"):
            part = [(a, ecbplus_sentences(a, docs)) for a in arts if a["split"] == split]
            report(f"ecb+ {split} ({len(part)})", score(part, extract, args.verbose, f"ecb+ {split}"))
    for key in keys:
        if key not in OLD_SETS:
            continue
        file, label = OLD_SETS[key]
        arts_old = old_set(file, args.shared)
        by_corpus: dict[str, list[tuple[dict, list[str]]]] = {}
        for a, s in arts_old:
            by_corpus.setdefault(a["corpus"], []).append((a, s))
        total = Counts()
        for corpus, part in sorted(by_corpus.items()):
            c = score(part, extract, args.verbose, f"{label}:{corpus}")
            total.add(c)
            if len(by_corpus) > 1:
                report(f"{label}:{corpus}", c)
        report(f"{label} (all)" if len(by_corpus) > 1 else label, total)
    texts = [" ".join(s) for _, s in old_set("gold.json", args.shared)]
    speed(texts, args.repeat, extract)
    return 0


if __name__ == "__main__":
    sys.exit(main())
