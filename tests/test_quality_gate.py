"""Quality gate: the default key facts must keep their ROUGE-1 on hand-written references.

tests/data/summaries holds 16 Wikinews articles (CC BY 2.5) with the 3 sentences judged to be their key facts
(see its README). ROUGE-1 F1 uses rouge-score with Porter stemming, as bench/quality.py does. A change that
lowers the score below its floor (tests/data/quality_floors.json) fails here; a floor is lowered only with a reason.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from rouge_score import rouge_scorer

from briefing.analyse.facts import select_key_facts
from briefing.analyse.sentences import split_sentences
from tests.quality import floor

DATA = Path(__file__).parent / "data" / "summaries"
# Measured 78.84 (default: lead slots 2/3 and similarity to the lead, tuned on the tune parts of bbc-dev and the
# lead-style sets by bench/tune_default.py; 71.59 before, 65.52 before that) and 74.88 (Lead-3) with the sentence
# splitter of this commit; the floors leave 0.6 / 0.4 points for small splitter changes. Each reference starts
# with the article's lead sentence, which the default now keeps. These references are a check only: no weight is
# tuned on them (bench/quality.py shows them next to the held-out parts).


def mean_rouge1(method: str) -> float:
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    scores = []
    for ref_path in sorted(DATA.glob("*.ref")):
        body = ref_path.with_suffix(".txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
        sentences = split_sentences(body)
        chosen = select_key_facts(sentences, 3, method)
        summary = "\n".join(sentences[i] for i in chosen)
        scores.append(scorer.score(ref_path.read_text(encoding="utf-8"), summary)["rouge1"].fmeasure)
    assert len(scores) == 16
    return 100 * statistics.fmean(scores)


def test_default_keeps_its_rouge1_floor() -> None:
    assert mean_rouge1("default") >= floor("keyfacts.rouge1.default")


def test_lead_baseline_is_what_the_floor_was_set_against() -> None:
    # guards the harness itself: if reading or splitting the fixtures broke, Lead-3 would move too
    assert mean_rouge1("lead") >= floor("keyfacts.rouge1.lead")
