"""Evaluate open-issue extraction on the development set, and time it.

Precision, recall and F1 against ``tests/data/open_issues/gold.json`` (matching rule in
``tests/data/open_issues/GUIDELINE.md``), then on held-out sets (``heldout*.json``: sets 1-3 of 10 BBC
politics articles each, set 4 of 30 articles: 15 BBC politics, 10 BBC business, 5 Wikinews; see the
data README for which were run once before any change they informed) and on the seed article. BBC articles are read from ``../shared/data`` when present
(their text is not in the repo); Wikinews articles from the repo copy. Speed: milliseconds per
600-word article, with sentence splitting measured apart, and a baseline (one regex scan of the
same sentences for "whether") measured in the same run.

Usage:
    python bench/issues_eval.py [--shared PATH] [--verbose] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from briefing.ingest.folder import read_article_text
from briefing.issues import extract_open_issues
from briefing.models import OpenIssue
from briefing.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "open_issues"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
_STOP = frozenset("the a an of in on to for and or by with at from its his her their our this that s".split())


def locate(article: dict, shared: Path) -> Path | None:
    """Where the text of an annotated article is, or None when unavailable."""
    if article["corpus"] == "bbc":
        path = shared / "bbc-dev" / "News Articles" / article["file"]
    elif article["corpus"] == "seed":
        path = DATA / "seed" / article["file"]
    else:
        path = DATA / "wikinews" / Path(article["file"]).name
    return path if path.exists() else None


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z\-]*", text.lower().replace("'s", "").replace("’s", ""))
    return {w for w in words if w not in _STOP and len(w) >= 3}


def topic_compatible(predicted: str, gold: Iterable[str]) -> bool:
    """True when a word of ``predicted`` and a gold topic word are equal or share a stem (prefix, >= 4 letters)."""
    pred = _stems(predicted)
    for g in gold:
        for a in _stems(g):
            for b in pred:
                short, long_ = sorted((a, b), key=len)
                if a == b or (len(short) >= 4 and long_.startswith(short)):
                    return True
    return False


def match(pred: list[OpenIssue], gold: list[dict], use_topic: bool = True) -> tuple[int, list[OpenIssue], list[dict]]:
    """Greedy one-to-one matching; returns (true positives, unmatched predictions, unmatched gold)."""
    left = list(gold)
    fps: list[OpenIssue] = []
    tp = 0
    for p in pred:
        for g in left:
            if any(e in p.evidence for e in g["evidence"]) and (
                not use_topic or topic_compatible(p.topic, [g["topic"], *g.get("topics", [])])
            ):
                left.remove(g)
                tp += 1
                break
        else:
            fps.append(p)
    return tp, fps, left


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(gold_file: Path, shared: Path, verbose: bool) -> dict[str, tuple[int, int, int, int]]:
    """Score each corpus of ``gold_file``; returns corpus -> (tp, predicted, gold, evidence-only tp)."""
    articles = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    totals: dict[str, list[int]] = {}
    for art in articles:
        path = locate(art, shared)
        if path is None:
            print(f"skip {art['corpus']}:{art['file']} (text not available)", file=sys.stderr)
            continue
        pred = extract_open_issues(split_sentences(read_article_text(path)))
        tp, fps, fns = match(pred, art["issues"])
        etp, _, _ = match(pred, art["issues"], use_topic=False)
        t = totals.setdefault(art["corpus"], [0, 0, 0, 0])
        for i, v in enumerate((tp, len(pred), len(art["issues"]), etp)):
            t[i] += v
        if verbose and (fps or fns):
            print(f"--- {art['corpus']}:{art['file']}  tp={tp}")
            for p in fps:
                ev = p.evidence[:70] if art["corpus"] != "bbc" else p.evidence[:30]
                print(f"  FP [{p.topic}] {p.question}  <{ev}…>")
            for g in fns:
                print(f"  FN [{g['topic']}] {g['question']}  <{g['evidence'][0]}…>")
    return {k: (v[0], v[1], v[2], v[3]) for k, v in totals.items()}


def report(name: str, tp: int, npred: int, ngold: int, etp: int) -> None:
    p, r, f = prf(tp, npred, ngold)
    ep, er, ef = prf(etp, npred, ngold)
    print(f"{name:18s} gold={ngold:3d} pred={npred:3d} tp={tp:3d}  P={p:.3f} R={r:.3f} F1={f:.3f}"
          f"   (evidence only: P={ep:.3f} R={er:.3f} F1={ef:.3f})")


def speed(texts: list[str], repeat: int) -> None:
    """Print ms per 600-word article: extraction, splitting, and a one-regex baseline."""
    words = sum(len(t.split()) for t in texts)
    sentences = [split_sentences(t) for t in texts]
    baseline_re = re.compile(r"\bwhether\b", re.IGNORECASE)

    def run(fn) -> float:  # best-of-repeat seconds for the whole set
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best

    ext = run(lambda: [extract_open_issues(s) for s in sentences])
    spl = run(lambda: [split_sentences(t) for t in texts])
    base = run(lambda: [[baseline_re.search(x) for x in s] for s in sentences])
    scale = 600 / words * 1000
    print(f"speed over {len(texts)} articles, {words} words, best of {repeat}:")
    print(f"  extract_open_issues  {ext * scale:.3f} ms per 600 words")
    print(f"  split_sentences      {spl * scale:.3f} ms per 600 words")
    print(f"  baseline (1 regex)   {base * scale:.3f} ms per 600 words")
    long_text = " ".join(["the committee asked whether it would decide"] * 7150)  # ~50,000 words, one sentence
    t0 = time.perf_counter()
    extract_open_issues([long_text])
    print(f"  one 50,000-word sentence: {(time.perf_counter() - t0) * 1000:.1f} ms")


SETS = {  # name -> (file, label)
    "dev": ("gold.json", "dev"),
    "h1": ("heldout.json", "held-out"),
    "h2": ("heldout2.json", "held-out 2"),
    "h3": ("heldout3.json", "held-out 3"),
    "h4": ("heldout4.json", "held-out 4"),
    "seed": ("seed.json", "seed"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    ap.add_argument("--verbose", action="store_true", help="list false positives and negatives")
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated subset of {','.join(SETS)}")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    for key in args.sets.split(","):
        file, label = SETS[key]
        scores = evaluate(DATA / file, args.shared, args.verbose)
        for name, v in sorted(scores.items()):
            report(f"{label}:{name}" if len(scores) > 1 else label, *v)
        if len(scores) > 1:
            report(f"{label} (all)", *[sum(v[i] for v in scores.values()) for i in range(4)])

    articles = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["articles"]
    texts = [read_article_text(p) for a in articles if (p := locate(a, args.shared))]
    speed(texts, args.repeat)
    return 0

if __name__ == "__main__":
    sys.exit(main())
