"""Sentence splitter speed and accuracy: ours (briefing.analyse.sentences) against pySBD, measured in the same run.

Run: ``python bench/text.py [--root DIR] [--limit N] [--repeat R]``.
Articles: ../shared/data/bbc-dev "News Articles" (title line dropped) when present, else the repo's
samples/articles. Prints ms per article and per 600 words for both splitters and their ratio, the English
Golden Rules pass count for both, and how many of pySBD's sentences ours reproduces exactly (agreement).
pySBD is fed one paragraph at a time (its fast way: it slows badly on long blocks), with ``clean=False``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pysbd
from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.analyse.sentences import split_sentences

GOLDEN = REPO / "tests" / "data" / "sbd" / "golden_rules_en.json"
_PARAGRAPHS = re.compile(r"\n\s*\n")



def load_articles(root: Path | None, limit: int) -> tuple[str, list[str]]:
    """Return (where from, article bodies)."""
    if root is None:
        root = BBC if BBC.is_dir() else REPO / "samples" / "articles"
    paths = sorted(root.rglob("*.txt"))[:limit]
    texts = []
    for p in paths:
        text = read_text(p)
        if root.name == "News Articles":
            text = text.split("\n", 1)[1] if "\n" in text else text  # first line is the title
        texts.append(text.strip())
    return str(root), texts


def make_pysbd() -> Callable[[str], list[str]]:
    seg = pysbd.Segmenter(language="en", clean=False)

    def split(text: str) -> list[str]:
        out: list[str] = []
        for para in _PARAGRAPHS.split(text):
            out.extend(s.strip() for s in seg.segment(para) if s.strip())
        return out

    return split


def timed(split: Callable[[str], list[str]], texts: list[str], repeat: int) -> float:
    """Best total seconds over ``repeat`` passes."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            split(t)
        best = min(best, time.perf_counter() - t0)
    return best


def golden(split: Callable[[str], list[str]]) -> tuple[int, int, list[int]]:
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]

    def norm(xs: list[str]) -> list[str]:
        return [" ".join(x.split()) for x in xs]

    failed = [i for i, c in enumerate(cases, 1) if norm(split(c["text"])) != norm(c["sentences"])]
    return len(cases) - len(failed), len(cases), failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=None, help="folder of .txt articles")
    ap.add_argument("--limit", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    where, texts = load_articles(args.root, args.limit)
    if not texts:
        print(f"no articles under {where}", file=sys.stderr)
        return 1
    words = sum(len(t.split()) for t in texts)
    pysbd_split = make_pysbd()
    print(f"articles: {len(texts)} from {where}; {words / len(texts):.0f} words/article on average")

    ours_s = timed(split_sentences, texts, args.repeat)
    base_s = timed(pysbd_split, texts, max(1, args.repeat - 2))
    per = 1000 / len(texts)
    per600 = 1000 * 600 / words
    print(f"{'splitter':<10} {'ms/article':>11} {'ms/600 words':>13}")
    print(f"{'ours':<10} {ours_s * per:>11.3f} {ours_s * per600:>13.3f}")
    print(f"{'pysbd':<10} {base_s * per:>11.3f} {base_s * per600:>13.3f}")
    print(f"speed ratio pysbd/ours: {base_s / ours_s:.1f}x")

    agree = total = ours_n = 0
    for t in texts:
        ours = {" ".join(s.split()) for s in split_sentences(t)}
        base = [" ".join(s.split()) for s in pysbd_split(t)]
        ours_n += len(ours)
        total += len(base)
        agree += sum(1 for s in base if s in ours)
    print(
        f"sentences: ours {ours_n}, pysbd {total}; pysbd sentences reproduced exactly by ours: "
        f"{agree}/{total} ({100 * agree / total:.1f}%)"
    )

    for name, split in (("ours", split_sentences), ("pysbd", pysbd_split)):
        ok, n, failed = golden(split)
        print(f"golden rules {name:<6}: {ok}/{n} pass; failing cases (1-based): {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
