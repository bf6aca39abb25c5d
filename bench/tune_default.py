"""Choose the default ranking's weights on bbc-dev (tune split only), then report the held-back split.

Run: ``python bench/tune_default.py`` (reads ../shared/data/bbc-dev; needs rouge-score).
Coordinate search over a small grid per weight, scoring ROUGE-1 F1 exactly as rouge-score does (same
tokenizer and stemmer, unigram counts per sentence precomputed once). The held-back fifth (see
``quality.held_out``) is scored only at the end, for checking. Prints the chosen ``Weights(...)``.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from collections import Counter
from collections.abc import Sequence

from quality import DEFAULT_ROOT, Doc, _key, load_bbc

from briefing.summarise import DEFAULT_WEIGHTS, FEATURES, FLAGS, ArticleFeatures, Weights, article_features, rank_facts


class Prepared:
    """One article with everything precomputed: features and unigram counts per sentence."""

    def __init__(self, doc: Doc, tokenize) -> None:  # type: ignore[no-untyped-def]
        self.article: ArticleFeatures = article_features(doc.sentences)
        self.counts = [Counter(tokenize(s)) for s in doc.sentences]
        self.reference = Counter(tokenize(" ".join(doc.reference)))
        self.ref_total = sum(self.reference.values())
        keys = {_key(r) for r in doc.reference}
        self.in_reference = [_key(s) in keys for s in doc.sentences]


def rouge1(p: Prepared, chosen: Sequence[int]) -> float:
    summary: Counter[str] = Counter()
    for i in chosen:
        summary.update(p.counts[i])
    overlap = sum((summary & p.reference).values())
    total = sum(summary.values())
    if not overlap or not total:
        return 0.0
    precision, recall = overlap / total, overlap / p.ref_total
    return 2 * precision * recall / (precision + recall)


def score(prepared: Sequence[Prepared], weights: Weights, k: int = 3, hits: float = 0.0) -> float:
    """Mean ROUGE-1 F1 x 100, plus ``hits`` x the share (%) of chosen sentences that are reference sentences."""
    total = 0.0
    for p in prepared:
        chosen = rank_facts(p.article, k, weights)
        total += rouge1(p, chosen) + hits * statistics.fmean(p.in_reference[i] for i in chosen)
    return 100 * total / len(prepared)


def with_value(w: Weights, field: str, index: int | None, value: float) -> Weights:
    if index is None:
        return dataclasses.replace(w, **{field: value})
    values = list(getattr(w, field))
    values[index] = value
    return dataclasses.replace(w, **{field: tuple(values)})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--hits", type=float, default=0.0, help="weight of the sentence hit rate in the objective")
    args = parser.parse_args(argv)
    from rouge_score import tokenizers

    tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize
    tune = [Prepared(d, tokenize) for d in load_bbc(DEFAULT_ROOT, "tune")]
    held = [Prepared(d, tokenize) for d in load_bbc(DEFAULT_ROOT, "held")]
    print(f"tune {len(tune)} articles, held {len(held)}", file=sys.stderr)

    # TextRank's weight stays 1: the others are relative to it
    feature_grid = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0)
    flag_grid = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
    axes: list[tuple[str, int | None, Sequence[float]]] = [
        ("features", i, feature_grid) for i, name in enumerate(FEATURES) if name != "textrank"
    ]
    axes += [("flags", i, flag_grid) for i in range(len(FLAGS))]
    axes += [("redundancy", None, (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)), ("decay", None, (1.0, 2.0, 3.0, 5.0, 8.0, 15.0))]

    def objective(w: Weights) -> float:
        return score(tune, w, hits=args.hits)

    best = with_value(DEFAULT_WEIGHTS, "features", FEATURES.index("textrank"), 1.0)
    best_score = objective(best)
    print(f"start: tune R1 {best_score:.2f}", file=sys.stderr)
    for rnd in range(args.rounds):
        improved = False
        for field, index, grid in axes:
            for value in grid:
                candidate = with_value(best, field, index, value)
                s = objective(candidate)
                if s > best_score + 1e-6:
                    best, best_score, improved = candidate, s, True
            name = FEATURES[index] if field == "features" else FLAGS[index] if field == "flags" else field
            current = getattr(best, field) if index is None else getattr(best, field)[index]
            print(f"round {rnd} {name:<15} -> {current:<5} objective {best_score:.2f}", file=sys.stderr)
        if not improved:
            break

    print(f"chosen: {best}")
    print(f"tune R1 {score(tune, best):.2f}   held R1 {score(held, best):.2f}   (held, start weights: {score(held, DEFAULT_WEIGHTS):.2f})")
    hit_rate = score(held, best, hits=1.0) - score(held, best)
    print(f"held: share of chosen sentences that are reference sentences {hit_rate:.1f}%")
    for i, name in enumerate(FEATURES):  # what each part is worth on the held split
        print(f"  held R1 without {name:<10} {score(held, with_value(best, 'features', i, 0.0)):.2f}")
    print(f"  held R1 without penalties  {score(held, dataclasses.replace(best, flags=(0.0,) * len(FLAGS))):.2f}")
    print(f"  held R1 without MMR        {score(held, dataclasses.replace(best, redundancy=0.0)):.2f}")
    length_only = Weights(features=tuple(1.0 if n == "length" else 0.0 for n in FEATURES), flags=(0.0,) * len(FLAGS),
                          redundancy=0.0)
    print(f"  held R1 length feature alone {score(held, length_only):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
