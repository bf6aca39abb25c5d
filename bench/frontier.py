"""The position trade-off of the default ranking, measured on two kinds of news in one run.

bbc-dev's long extractive references reward long central sentences (TextRank is the best baseline there); on
lead-style news (wire copy, CNN/DM highlights) Lead-3 is. This prints, for position settings (prior weight x lead
slot, the other weights as committed), ROUGE-1 F1 on bbc-dev's tune and held splits, and two lead-style checks:
ROUGE-1 recall of the headline on the Wikinews samples in ../shared/data/samples that the quality gate does not
use (the headline as a short abstractive reference), and ROUGE-1 F1 on the gate's 16 hand-written references.
Each column also gives the best baseline of that column (TextRank or Lead-3), measured in the same run.

Run: ``python bench/frontier.py`` (needs ../shared/data and rouge-score; about 2 minutes).
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable, Sequence

from common import SHARED
from quality import DEFAULT_ROOT, load_bbc, load_wikinews
from rouge_score import rouge_scorer
from tune_default import with_value

from briefing.summarise import DEFAULT_WEIGHTS, FEATURES, article_features, rank_facts, select_key_facts
from briefing.text import split_sentences

SETTINGS = ((0.0, 0), (0.3, 0), (0.0, 3), (0.3, 3), (0.3, 2), (0.3, 1), (0.8, 0), (1.5, 0))


def headline_set() -> list[tuple[str, list[str]]]:
    """(headline, sentences) of the Wikinews samples outside the quality gate."""
    gate = {doc.name for doc in load_wikinews()}
    out = []
    for path in sorted((SHARED / "samples").glob("*/*.txt")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        titles = [line[6:].strip() for line in head.splitlines() if line.startswith("Title:")]
        sentences = split_sentences(body)
        if titles and path.stem not in gate and len(sentences) > 3:
            out.append((titles[0], sentences))
    return out


def main() -> int:
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    sets = {
        "bbc tune": [(d.reference, d.sentences) for d in load_bbc(DEFAULT_ROOT, "tune")],
        "bbc held": [(d.reference, d.sentences) for d in load_bbc(DEFAULT_ROOT, "held")],
        "headline recall": [([title], sentences) for title, sentences in headline_set()],
        "gate refs": [(d.reference, d.sentences) for d in load_wikinews()],
    }
    measure = {name: "recall" if name == "headline recall" else "fmeasure" for name in sets}
    features = {name: [article_features(s) for _, s in docs] for name, docs in sets.items()}

    def run(name: str, pick: Callable[[int, Sequence[str]], list[int]]) -> float:
        scores = [
            getattr(scorer.score("\n".join(ref), "\n".join(s[i] for i in pick(j, s)))["rouge1"], measure[name])
            for j, (ref, s) in enumerate(sets[name])
        ]
        return 100 * statistics.fmean(scores)

    print(f"sizes: {', '.join(f'{name} {len(docs)}' for name, docs in sets.items())}")
    print(f"{'setting':<22}" + "".join(f"{name:>17}" for name in sets))
    baselines = {"textrank": lambda j, s: select_key_facts(s, 3, "textrank"), "lead-3": lambda j, s: [0, 1, 2]}
    for label, pick in baselines.items():
        print(f"{label:<22}" + "".join(f"{run(name, pick):17.2f}" for name in sets))
    for prior, slot in SETTINGS:
        w = dataclasses.replace(with_value(DEFAULT_WEIGHTS, "features", FEATURES.index("position"), prior), lead_slot=slot)
        mark = " (default)" if w == DEFAULT_WEIGHTS else ""
        row = "".join(f"{run(name, lambda j, s, n=name, w=w: rank_facts(features[n][j], 3, w)):17.2f}" for name in sets)
        print(f"{f'prior {prior} slot {slot}{mark}':<22}{row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
