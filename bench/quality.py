"""Summary quality: ROUGE-1 F1 of 3-sentence key facts for every method on every evaluation set, in one table.

Run: ``python bench/quality.py`` (reads ../shared/data; needs the bench extra: rouge-score). The columns are the
held-out parts (see ``bench/sets.py``): bbc-dev's held fifth (long extractive references), and the lead-style
sets: GUM news + interview test documents (human summary), the keypoints set's held-out articles against their 3
verbatim key-fact sentences (.ref) and their abstractive key points (.points), and the quality gate's 16 Wikinews
references. ``--parts tune`` prints the parts that tuning may use instead (no gate). Time per article is measured
on the bbc column, methods interleaved per article.
``--split all|tune|held`` (bbc-dev) or ``--wikinews`` (the gate's 16) print the older single-set table instead:
ROUGE-1, ROUGE-2, ROUGE-Lsum, the share of chosen sentences that are reference sentences, and time.
Scores are rouge-score F1 x 100 with Porter stemming, averaged over articles. Every method ranks the article's
fact spans (``common.fact_sentences``), as ``briefing.analyse`` does.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sets import BBC_ROOT, Doc, load_bbc, load_gate, load_gum, load_keypoints

from briefing.analyse.facts import SUMMARIZERS, select_key_facts

DEFAULT_ROOT = BBC_ROOT
Method = Callable[[Sequence[str], int], list[int]]
LEAD_STYLE = "lead-style"
# The methods listed first, in this order; then the other registered ones.
FIRST = ("default", "lead", "textrank")


def _key(sentence: str) -> str:
    return re.sub(r"\W+", "", sentence.lower())


def longest(sentences: Sequence[str], k: int) -> list[int]:
    """Diagnostic, not a method: the k longest sentences, to show what length alone earns on bbc-dev."""
    return sorted(sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))[:k])


def evaluate(docs: Sequence[Doc], methods: dict[str, Method], k: int = 3):  # type: ignore[no-untyped-def]
    """Return {method: (R1, R2, RLsum, hits, seconds per article)}: rouge-score F1 x 100, and the share (%) of
    chosen sentences that are reference sentences, a check on fact choice that sentence length cannot game."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in methods}
    seconds = dict.fromkeys(methods, 0.0)
    for doc in docs:  # methods interleaved per article, so a change in machine load hits them alike
        reference = "\n".join(doc.reference)
        in_reference = {_key(r) for r in doc.reference}
        for name, method in methods.items():
            start = time.perf_counter()
            chosen = method(doc.sentences, k)
            seconds[name] += time.perf_counter() - start
            s = scorer.score(reference, "\n".join(doc.sentences[i] for i in chosen))
            hits = statistics.fmean(_key(doc.sentences[i]) in in_reference for i in chosen) if chosen else 0.0
            scores[name].append((s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeLsum"].fmeasure, hits))
    return {
        name: tuple(100 * statistics.fmean(x[j] for x in rows) for j in range(4)) + (seconds[name] / len(docs),)
        for name, rows in scores.items()
    }


def registered_methods(names: Sequence[str] | None = None) -> dict[str, Method]:
    chosen = [n for n in FIRST if n in SUMMARIZERS] + sorted(n for n in SUMMARIZERS if n not in FIRST)
    if names:
        chosen = [n for n in chosen if n in names]
    return {name: (lambda s, k, m=name: select_key_facts(s, k, m)) for name in chosen}


def evaluation_sets(parts: str) -> dict[str, list[Doc]]:
    """The table's columns: bbc-dev first, then the lead-style sets. ``parts`` is "held" or "tune"."""
    if parts == "tune":
        return {
            "bbc tune": load_bbc(BBC_ROOT, "tune"),
            "GUM tune": load_gum("tune"),
            "kp tune .ref": load_keypoints("tune", "ref"),
            "kp tune .points": load_keypoints("tune", "points"),
        }
    return {
        "bbc held": load_bbc(BBC_ROOT, "held"),
        "GUM test": load_gum("test"),
        "kp held .ref": load_keypoints("held", "ref"),
        "kp held .points": load_keypoints("held", "points"),
        "gate 16": load_gate(),
    }


def table(parts: str, k: int, names: Sequence[str] | None = None) -> int:
    """Print every method's ROUGE-1 on every set of ``parts``, with default - lead per column."""
    sets = evaluation_sets(parts)
    methods = registered_methods(names)
    first = next(iter(sets))
    for name in ("default", "lexrank"):  # warm caches (stemmer, imports) so the first method timed is not penalised
        select_key_facts(sets[first][0].sentences, k, name)
    results = {label: evaluate(docs, methods, k) for label, docs in sets.items()}
    width = max(16, *(len(label) + 1 for label in sets))
    print(f"key facts, k={k}: ROUGE-1 F1 x 100 on the {parts} parts (columns after the first are lead-style news)")
    print("articles: " + ", ".join(f"{label}: {len(docs)}" for label, docs in sets.items()))
    print(f"{'method':<12}" + "".join(f"{label:>{width}}" for label in sets) + f"{'ms/article':>12}")
    for name in methods:
        row = "".join(f"{results[label][name][0]:{width}.2f}" for label in sets)
        print(f"{name:<12}{row}{1000 * results[first][name][4]:12.2f}")
    if "default" in methods and "lead" in methods:
        diffs = {label: results[label]["default"][0] - results[label]["lead"][0] for label in sets}
        print(f"{'default-lead':<12}" + "".join(f"{diffs[label]:+{width}.2f}" for label in sets))
        lead_style = [label for label in sets if label != first]
        met = sum(diffs[label] >= 0 for label in lead_style)
        print(f"default - Lead-3 on {first}: {diffs[first]:+.2f} R1 (aim >= +10); "
              f"default >= lead on {met} of {len(lead_style)} lead-style sets (aim: all)")
        t = results[first]
        if "textrank" in methods:
            print(f"time per article on {first}: default {1000 * t['default'][4]:.2f} ms, "
                  f"textrank {1000 * t['textrank'][4]:.2f} ms")
    return 0


def detail(docs: Sequence[Doc], label: str, k: int) -> int:
    """The single-set table: R1, R2, RLsum, hits and time for every method (and the longest-sentence diagnostic)."""
    methods = registered_methods()
    methods["(longest, diagnostic)"] = longest
    for name in ("default", "lexrank"):
        select_key_facts(docs[0].sentences, k, name)
    results = evaluate(docs, methods, k)
    mean_sentences = statistics.fmean(len(d.sentences) for d in docs)
    print(f"{label}: {len(docs)} articles, {mean_sentences:.1f} sentences each, k={k}")
    print(f"{'method':<22} {'R1':>6} {'R2':>6} {'RLsum':>6} {'hits%':>6} {'ms/article':>11}")
    for name, (r1, r2, rl, hits, sec) in sorted(results.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:<22} {r1:6.2f} {r2:6.2f} {rl:6.2f} {hits:6.1f} {1000 * sec:11.2f}")
    baselines = {n: v for n, v in results.items() if n not in ("default", "(longest, diagnostic)")}
    best = max(baselines, key=lambda n: baselines[n][0])
    d = results["default"]
    print(f"default - best baseline ({best}): {d[0] - baselines[best][0]:+.2f} R1")
    print(f"default - lead: {d[0] - results['lead'][0]:+.2f} R1")
    print(f"time default / lexrank: {d[4] / results['lexrank'][4]:.2f}x")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="bbc-dev (for --split)")
    parser.add_argument("--parts", choices=("held", "tune"), default="held",
                        help="held: the held-out parts and the gate (the default); tune: the parts tuning may use")
    parser.add_argument("--methods", nargs="+", help="only these methods (the table)")
    parser.add_argument("--split", choices=("all", "tune", "held"),
                        help="the older single-set table on bbc-dev's split instead of the table")
    parser.add_argument("-k", type=int, default=3)
    parser.add_argument("--wikinews", action="store_true",
                        help="the older single-set table on the quality gate's 16 Wikinews references instead")
    args = parser.parse_args(argv)
    if args.wikinews:
        return detail(load_gate(), "wikinews check (gate)", args.k)
    if not (args.root / "News Articles").is_dir():
        print(f"bbc-dev not found at {args.root}", file=sys.stderr)
        return 1
    if args.split:
        return detail(load_bbc(args.root, args.split), f"bbc-dev ({args.split})", args.k)
    return table(args.parts, args.k, args.methods)


if __name__ == "__main__":
    raise SystemExit(main())
