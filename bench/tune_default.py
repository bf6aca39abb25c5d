"""Choose the default ranking's weights on bbc-dev (tune split only), then report the held-back split.

Run: ``python bench/tune_default.py`` (reads ../shared/data/bbc-dev; needs rouge-score).
Coordinate search over a small grid per weight, scoring ROUGE-1 F1 exactly as rouge-score does (same
tokenizer and stemmer, unigram counts per sentence precomputed once). The held-back fifth (see
``quality.held_out``) is scored only at the end, for checking. Prints the chosen ``Weights(...)``.
By default a robustness rule chooses the position setting (see ``main``); ``--free`` is the plain search.
The penalties in ``HELD_FLAGS`` are not searched: they are rules for the reader (see the ``Weights`` docstring).
The committed ``Weights`` are this script's ``--rounds 1`` choice.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
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


def lead_rate(prepared: Sequence[Prepared], weights: Weights, k: int = 3) -> float:
    """Share (%) of articles whose first sentence is among the facts: how strongly a setting keeps the lead."""
    return 100 * statistics.fmean(0 in rank_facts(p.article, k, weights) for p in prepared)


FEATURE_GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0)
FLAG_GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
# The position settings the robustness rule chooses among, fixed before any run: prior weight x lead slot.
POSITION_GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)
LEAD_SLOTS = (0, 3)
# Penalties held at these values, never searched. Junk and dateline (almost) never occur in bbc-dev, so it gives
# no evidence on them. The others are rules for a reader that ROUGE on bbc-dev cannot see (the search drove them
# to 0 or 0.05): a quote without its speaker, a run-on sentence, and a fact opening with a pronoun or connective
# ("It says ...", "However, ...") whose sentence before is not also shown.
HELD_FLAGS = {"junk": 1.0, "dateline": 1.0, "orphan_quote": 0.2, "long": 0.3, "pronoun": 1.0, "connective": 1.0}
START = dataclasses.replace(
    DEFAULT_WEIGHTS, flags=tuple(HELD_FLAGS.get(n, v) for n, v in zip(FLAGS, DEFAULT_WEIGHTS.flags, strict=True))
)
_TUNE: list[Prepared] = []
_HITS = 0.0


def axes(fixed_position: bool) -> list[tuple[str, int | None, Sequence[float]]]:
    """The weights searched (TextRank's stays 1: the others are relative to it)."""
    fixed = {"textrank", "position"} if fixed_position else {"textrank"}
    out: list[tuple[str, int | None, Sequence[float]]] = [
        ("features", i, FEATURE_GRID) for i, name in enumerate(FEATURES) if name not in fixed
    ]
    out += [("flags", i, FLAG_GRID) for i, name in enumerate(FLAGS) if name not in HELD_FLAGS]
    out.append(("redundancy", None, (0.0, 0.1, 0.2, 0.3, 0.5, 0.8)))
    if not fixed_position:
        out.append(("decay", None, (1.0, 2.0, 3.0, 5.0, 8.0, 15.0)))
    return out


def search(start: Weights, rounds: int, fixed_position: bool) -> tuple[Weights, float]:
    """Coordinate search from ``start`` on the tune split; returns the best weights and their objective."""
    best, best_score = start, score(_TUNE, start, hits=_HITS)
    for rnd in range(rounds):
        improved = False
        for field, index, grid in axes(fixed_position):
            for value in grid:
                candidate = with_value(best, field, index, value)
                s = score(_TUNE, candidate, hits=_HITS)
                if s > best_score + 1e-6:
                    best, best_score, improved = candidate, s, True
        print(f"  {start.features[FEATURES.index('position')]}/{start.lead_slot} round {rnd}: {best_score:.2f}",
              file=sys.stderr)
        if not improved:
            break
    return best, best_score


def _search_position(setting: tuple[float, int, int]) -> tuple[Weights, float, float]:
    position, slot, rounds = setting
    start = dataclasses.replace(with_value(START, "features", FEATURES.index("position"), position),
                                lead_slot=slot)
    best, objective = search(start, rounds, fixed_position=True)
    return best, objective, lead_rate(_TUNE, best)


def main(argv: Sequence[str] | None = None) -> int:
    global _HITS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hits", type=float, default=0.0, help="weight of the sentence hit rate in the objective")
    parser.add_argument("--tolerance", type=float, default=0.5,
                        help="robustness rule: tune objective points a setting may give up for a stronger lead")
    parser.add_argument("--rule", choices=("calibrated", "tolerance"), default="calibrated",
                        help="calibrated: best tune objective among the settings that keep the lead sentence at least "
                        "as often as the tune references contain it; tolerance: the strongest lead within --tolerance")
    parser.add_argument("--free", action="store_true", help="plain search of all weights, no robustness rule")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    _HITS = args.hits
    from rouge_score import tokenizers

    tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize
    _TUNE.extend(Prepared(d, tokenize) for d in load_bbc(DEFAULT_ROOT, "tune"))
    held = [Prepared(d, tokenize) for d in load_bbc(DEFAULT_ROOT, "held")]
    print(f"tune {len(_TUNE)} articles, held {len(held)}", file=sys.stderr)

    if args.free:
        best, _ = search(with_value(START, "features", FEATURES.index("textrank"), 1.0), args.rounds, False)
    else:
        # Robustness rule: tune the other weights for each position setting, then choose among them by a rule
        # fixed before looking at the result. bbc-dev's long references reward long sentences, not the lead,
        # while wire news rewards the lead (CNN/DM: Lead-3 41.1 vs best sumy 34.9), so the plain optimum drops
        # the position prior. "calibrated": the best setting that keeps the lead sentence at least as often as
        # bbc-dev's own references contain it; "tolerance": the setting that keeps the lead most often among
        # those within --tolerance of the best objective (tried first: it kept the lead in only 63% of articles).
        settings = [(p, slot, args.rounds) for p in POSITION_GRID for slot in LEAD_SLOTS]
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(_search_position, settings)
        top = max(objective for _, objective, _ in results)
        print(f"{'position':>8} {'slot':>4} {'tune obj':>8} {'lead%':>6}")
        for (position, slot, _), (_, objective, lead) in zip(settings, results, strict=True):
            print(f"{position:8.2f} {slot:4d} {objective:8.2f} {lead:6.1f}")
        reference_lead = 100 * statistics.fmean(p.in_reference[0] for p in _TUNE)
        print(f"tune references contain the lead sentence in {reference_lead:.1f}% of articles")
        near = [r for r in results if r[1] >= top - args.tolerance]
        calibrated = [r for r in results if r[2] >= reference_lead] or [max(results, key=lambda r: r[2])]
        by_rule = {
            "tolerance": max(near, key=lambda r: (r[2], r[1]))[0],
            "calibrated": max(calibrated, key=lambda r: r[1])[0],
        }
        for rule, weights in by_rule.items():
            print(f"rule {rule}: {weights}")
        best = by_rule[args.rule]

    print(f"chosen: {best}")
    print(f"tune lead kept {lead_rate(_TUNE, best):.1f}%   held lead kept {lead_rate(held, best):.1f}%")
    print(f"tune R1 {score(_TUNE, best):.2f}   held R1 {score(held, best):.2f}   (held, start weights: {score(held, DEFAULT_WEIGHTS):.2f})")
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
