"""Choose the default ranking's weights on the tune parts of bbc-dev and of the lead-style sets.

Run: ``python bench/tune_default.py`` (reads ../shared/data and tests/data/keypoints; needs rouge-score; about 25
minutes on 2 cores); ``--write`` stores the choice in briefing/data/default_weights.json.
The aim (the issue "a default that keeps the news lead and beats it"): on lead-style news at least ``lead``'s
ROUGE-1, on bbc-dev at least Lead-3 + 10. So the objective is the worst of four margins on the tune parts (see
``bench/sets.py``): bbc-dev tune R1 - (Lead-3 + 10), and R1 - lead on GUM news + interview tune documents (human
summary), on the keypoints tune articles against their verbatim key facts (.ref) and against their key points
(.points); plus 0.02 x their sum, to break ties. Held-out parts and the gate are never read here.
Coordinate search over a small grid per weight, from the committed weights and then from random perturbations of
the best so far (restarts split over ``--jobs`` processes), scoring ROUGE-1 F1 exactly as rouge-score does (same
tokenizer and stemmer, unigram counts per sentence precomputed once, scores memoised per choice of sentences).
The penalties in ``HELD_FLAGS`` are not searched: they are rules for the reader, which ROUGE cannot see.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import random
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from quality import _key
from sets import Doc, load_bbc, load_gum, load_keypoints

from briefing.analyse.facts import (
    DEFAULT_WEIGHTS,
    FEATURES,
    FLAGS,
    ArticleFeatures,
    Weights,
    article_features,
    dump_weights,
    rank_facts,
)

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "briefing" / "data" / "default_weights.json"
BBC = "bbc tune"
BBC_MARGIN = 10.0  # the aim on bbc-dev: Lead-3 + 10


class Prepared:
    """One article with everything precomputed: features and unigram counts per sentence."""

    def __init__(self, doc: Doc, tokenize) -> None:  # type: ignore[no-untyped-def]
        self.sentences = doc.sentences
        self.article: ArticleFeatures = article_features(doc.sentences)
        self.counts = [Counter(tokenize(s)) for s in doc.sentences]
        self.reference = Counter(tokenize(" ".join(doc.reference)))
        self.ref_total = sum(self.reference.values())
        keys = {_key(r) for r in doc.reference}
        self.in_reference = [_key(s) in keys for s in doc.sentences]
        self._memo: dict[tuple[int, ...], float] = {}

    def rouge1(self, chosen: Sequence[int]) -> float:
        key = tuple(sorted(chosen))
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = rouge1(self, key)
        return value


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


def score(prepared: Sequence[Prepared], weights: Weights, k: int = 3) -> float:
    """Mean ROUGE-1 F1 x 100 of the default ranking with ``weights``."""
    return 100 * statistics.fmean(p.rouge1(rank_facts(p.article, k, weights)) for p in prepared)


def lead_score(prepared: Sequence[Prepared], k: int = 3) -> float:
    return 100 * statistics.fmean(p.rouge1(range(min(k, len(p.counts)))) for p in prepared)


def lead_rate(prepared: Sequence[Prepared], weights: Weights, k: int = 3) -> float:
    """Share (%) of articles whose first sentence is among the facts: how strongly a setting keeps the lead."""
    return 100 * statistics.fmean(0 in rank_facts(p.article, k, weights) for p in prepared)


def with_value(w: Weights, field: str, index: int | None, value: float) -> Weights:
    if index is None:
        return dataclasses.replace(w, **{field: type(getattr(w, field))(value)})
    values = list(getattr(w, field))
    values[index] = value
    return dataclasses.replace(w, **{field: tuple(values)})


FEATURE_GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 2.0, 3.0, 4.0)
FLAG_GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
# Penalties held at these values, never searched. Junk and dateline (almost) never occur in the fact spans, so the
# sets give no evidence on them. The others are rules for a reader that ROUGE cannot see (searches drove them to 0
# or 0.05): a quote without its speaker, a run-on sentence, and a fact opening with a pronoun or connective
# ("It says ...", "However, ...") whose sentence before is not also shown.
HELD_FLAGS = {"junk": 1.0, "dateline": 1.0, "orphan_quote": 0.2, "long": 0.3, "pronoun": 1.0, "connective": 1.0}
START = dataclasses.replace(
    DEFAULT_WEIGHTS, flags=tuple(HELD_FLAGS.get(n, v) for n, v in zip(FLAGS, DEFAULT_WEIGHTS.flags, strict=True))
)
AXES: list[tuple[str, int | None, Sequence[float]]] = [
    *(("features", i, FEATURE_GRID) for i, name in enumerate(FEATURES) if name != "textrank"),  # TextRank stays 1
    *(("flags", i, FLAG_GRID) for i, name in enumerate(FLAGS) if name not in HELD_FLAGS),
    ("redundancy", None, (0.0, 0.1, 0.2, 0.3, 0.5)),
    ("decay", None, (1.0, 1.5, 2.0, 3.0, 5.0, 8.0)),
    ("lead_slot", None, (0, 1, 2, 3)),
    ("second_slot", None, (0, 2, 3, 4, 5, 6)),
    ("lead_similarity", None, (0.0, 0.3, 0.5, 1.0, 2.0)),
]
_TUNE: dict[str, list[Prepared]] = {}
_TARGET: dict[str, float] = {}


def margins(weights: Weights) -> dict[str, float]:
    """R1 minus the aim on each tune part: Lead-3 + 10 on bbc-dev, lead on the lead-style sets."""
    return {name: score(prepared, weights) - _TARGET[name] for name, prepared in _TUNE.items()}


def objective(weights: Weights) -> float:
    m = margins(weights)
    return min(m.values()) + 0.02 * sum(m.values())


def search(start: Weights, rounds: int, rng: random.Random) -> tuple[Weights, float]:
    """Coordinate search from ``start``, axes in a random order each round; returns the best and its objective."""
    best, best_score = start, objective(start)
    for _ in range(rounds):
        improved = False
        for field, index, grid in rng.sample(AXES, len(AXES)):
            for value in grid:
                candidate = with_value(best, field, index, value)
                s = objective(candidate)
                if s > best_score + 1e-6:
                    best, best_score, improved = candidate, s, True
        if not improved:
            break
    return best, best_score


def _restarts(job: tuple[int, int, int]) -> tuple[Weights, float]:
    """One process's restarts: the first job starts from ``START``, every later start perturbs the best so far."""
    seed, restarts, rounds = job
    rng = random.Random(seed)
    best, best_score = START, float("-inf")
    for restart in range(restarts):
        start = best
        if restart or seed:
            for _ in range(4):
                field, index, grid = rng.choice(AXES)
                start = with_value(start, field, index, rng.choice(list(grid)))
        found, s = search(start, rounds, rng)
        print(f"  job {seed} restart {restart}: objective {s:.2f}", file=sys.stderr, flush=True)
        if s > best_score:
            best, best_score = found, s
    return best, best_score


def prepare() -> None:
    from rouge_score import tokenizers

    tokenize = tokenizers.DefaultTokenizer(use_stemmer=True).tokenize
    parts = {
        BBC: load_bbc(split="tune"),
        "GUM tune": load_gum("tune"),
        "kp tune .ref": load_keypoints("tune", "ref"),
        "kp tune .points": load_keypoints("tune", "points"),
    }
    for name, docs in parts.items():
        _TUNE[name] = [Prepared(d, tokenize) for d in docs]
        _TARGET[name] = lead_score(_TUNE[name]) + (BBC_MARGIN if name == BBC else 0.0)


def report(label: str, weights: Weights) -> None:
    m = margins(weights)
    cells = "  ".join(f"{name} {m[name] + _TARGET[name]:.2f} ({m[name]:+.2f})" for name in _TUNE)
    print(f"{label:<10} {cells}  lead kept {lead_rate(_TUNE[BBC], weights):.0f}% on bbc, "
          f"{lead_rate(_TUNE['kp tune .ref'], weights):.0f}% on kp")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--restarts", type=int, default=10, help="restarts per job")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help=f"write the choice to {WEIGHTS_FILE.name}")
    args = parser.parse_args(argv)
    prepare()
    print("tune parts: " + ", ".join(f"{name} {len(p)}" for name, p in _TUNE.items()), file=sys.stderr)
    print("aims: " + ", ".join(f"{name} {_TARGET[name]:.2f}" for name in _TUNE))
    jobs = [(seed, args.restarts, args.rounds) for seed in range(args.jobs)]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        results = pool.map(_restarts, jobs)
    best, best_score = max(results, key=lambda r: r[1])
    report("committed", DEFAULT_WEIGHTS)
    report("chosen", best)
    print(f"objective {objective(DEFAULT_WEIGHTS):.2f} -> {best_score:.2f}")
    print(f"chosen: {best}")
    for i, name in enumerate(FEATURES):  # what each part is worth on the tune parts
        if best.features[i]:
            print(f"  min margin without {name:<16} {min(margins(with_value(best, 'features', i, 0.0)).values()):+.2f}")
    for field in ("lead_slot", "second_slot", "lead_similarity"):
        print(f"  min margin without {field:<16} {min(margins(with_value(best, field, None, 0)).values()):+.2f}")
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps(dump_weights(best), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
