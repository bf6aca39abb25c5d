"""Key-fact selection: the registry, the default ranking and the top lines of the day."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from briefing.analyse.facts import (
    FEATURES,
    FLAGS,
    MAX_SCORED_SENTENCES,
    SUMMARIZERS,
    ArticleFeatures,
    Weights,
    _pair_sums,
    _sumy_summarizer,
    article_features,
    document,
    fact_quality,
    rank_facts,
    select_key_facts,
    select_top_lines,
    sentence_flags,
)
from briefing.analyse.sentences import split_sentences
from briefing.evaluation import read_article_text
from briefing.words import word_set

DATA = Path(__file__).parent / "data" / "summaries"

ARTICLE = [
    "The dollar has hit its highest level against the euro in almost three months after the Federal Reserve "
    "head said the US trade deficit is set to stabilise.",
    "Traders said Federal Reserve chairman Alan Greenspan had calmed fears about the US trade deficit in a speech in London.",
    "Will the dollar keep rising against the euro this year?",
    "Photo: Getty Images | traders on the floor",
    "The euro fell to $1.2871 against the dollar in late trading in New York on Friday after the speech.",
    "Analysts expect the dollar to stay strong against the euro while the US trade deficit stabilises.",
    "Meanwhile, the weather in London was mild.",
]


def flags(sentence: str) -> dict[str, bool]:
    return dict(zip(FLAGS, sentence_flags(sentence), strict=True))


def test_default_is_registered_and_returns_sorted_verbatim_indices() -> None:
    assert "default" in SUMMARIZERS
    chosen = select_key_facts(ARTICLE, 3, "default")
    assert len(chosen) == 3
    assert chosen == sorted(set(chosen))
    assert all(0 <= i < len(ARTICLE) for i in chosen)


def test_default_skips_question_caption_and_connective() -> None:
    chosen = select_key_facts(ARTICLE, 3, "default")
    assert not {2, 3, 6} & set(chosen)
    assert 0 in chosen  # the lead states the news


def test_default_handles_tiny_and_empty_input() -> None:
    assert select_key_facts([], 3) == []
    assert select_key_facts(["One sentence only."], 3) == [0]
    assert select_key_facts(ARTICLE, 0) == []
    assert sorted(SUMMARIZERS["default"](["a b c.", "d e f.", "g h i.", "j."], 2)) == SUMMARIZERS["default"](
        ["a b c.", "d e f.", "g h i.", "j."], 2
    )


def test_mmr_never_keeps_two_copies_of_a_fact() -> None:
    doubled = ARTICLE[:2] + [ARTICLE[0]] + ARTICLE[4:]
    chosen = select_key_facts(doubled, 3, "default")
    assert not {0, 2} <= set(chosen)
    assert select_key_facts(["The same fact, repeated."] * 5, 3, "default") == [0]


@pytest.mark.parametrize("name", ["gum_news_flag", "amalgum_news_nato"])
def test_vectorised_scores_equal_sumys_own(name: str) -> None:
    sentences = split_sentences(read_article_text(DATA / f"{name}.txt"))
    features = article_features(sentences).features
    doc, objects = document(sentences)
    textrank = _sumy_summarizer("textrank").rate_sentences(doc)
    expected = np.array([textrank[o] for o in objects])
    assert np.allclose(features[:, FEATURES.index("textrank")], expected / expected.max())
    lexrank = _sumy_summarizer("lexrank")
    words = [lexrank._to_words_set(o) for o in objects]
    matrix = lexrank._create_matrix(words, lexrank.threshold, lexrank._compute_tf(words), lexrank._compute_idf(words))
    expected = lexrank.power_method(matrix, lexrank.epsilon)
    assert np.allclose(features[:, FEATURES.index("lexrank")], expected / expected.max())


def test_flags() -> None:
    assert flags("Will the dollar keep rising?")["question"]
    assert flags('"Is it over?" he asked.')["question"] is False
    assert flags('"We will live in one united Russian state."')["orphan_quote"]
    assert not flags('"We will live in one united Russian state," Kokoiti said.')["orphan_quote"]
    assert flags("It was my mistake.\"")["orphan_quote"]
    assert flags("![]() | WAR.WIRE | Baghdad")["junk"]
    assert flags("LONDON, Friday 13 August 2004")["dateline"]
    assert flags("and then the talks resumed on Monday in Geneva.")["fragment"]
    assert flags("Internet shutdown")["fragment"]
    assert flags("Valeska Paris")["short"]
    assert flags(" ".join(["word"] * 60) + ".")["long"]
    assert flags("He blamed the attacks on Al-Qaeda in Iraq.")["pronoun"]
    assert flags("But Greene believes he lost the race in the semi-finals.")["connective"]
    clean = flags("The first A380 superjumbo was delivered today to Singapore Airlines, 18 months behind schedule.")
    assert not any(clean.values())


def _distinct(n: int) -> tuple[frozenset[str], ...]:
    """Word sets of ``n`` sentences that share no word (none is a near-copy of another)."""
    return tuple(frozenset({f"word{i}"}) for i in range(n))


def test_leading_pronoun_penalty_is_lifted_when_the_sentence_before_is_chosen() -> None:
    n = 4
    features = np.zeros((n, len(FEATURES)))
    features[:, FEATURES.index("textrank")] = [1.0, 0.9, 0.85, 0.0]
    flag_rows = np.zeros((n, len(FLAGS)))
    flag_rows[1, FLAGS.index("pronoun")] = 1  # sentence 1 follows sentence 0
    flag_rows[3, FLAGS.index("pronoun")] = 1
    article = ArticleFeatures(features, flag_rows, np.eye(n), _distinct(n))
    weights = Weights(
        features=tuple(1.0 if f == "textrank" else 0.0 for f in FEATURES),
        flags=tuple(0.2 if f == "pronoun" else 0.0 for f in FLAGS),
        redundancy=0.0,
    )
    assert rank_facts(article, 2, weights) == [0, 1]  # 0.9 is not penalised once sentence 0 is in
    flag_rows[0, FLAGS.index("question")] = 1
    weights = Weights(features=weights.features, flags=tuple(5.0 if f == "question" else w
                                                             for f, w in zip(FLAGS, weights.flags, strict=True)))
    assert rank_facts(ArticleFeatures(features, flag_rows, np.eye(n), _distinct(n)), 2, weights) == [2, 1]


def test_top_lines_follow_importance_and_never_repeat_a_fact() -> None:
    candidates = [
        ("Egypt has shut down practically all Internet traffic into and out of the country.", 0.9),
        ("The European Central Bank left interest rates unchanged at two percent on Thursday.", 0.5),
        ("Egypt shut down practically all Internet traffic into and out of the country on Friday.", 0.8),
        ("At least eighteen people died in clashes between riot police and protestors in Cairo.", 0.7),
    ]
    assert select_top_lines(candidates, 3) == [0, 3, 1]
    assert select_top_lines(candidates, 10) == [0, 3, 1]  # the near-duplicate is never chosen
    assert select_top_lines(candidates, 0) == []
    assert select_top_lines([], 3) == []
    assert select_top_lines([("x", 1.0), ("", 0.5), ("X", 2.0)], 3) == [2]  # same text, and an empty line


def test_top_lines_prefer_good_facts_and_spread_over_stories() -> None:
    candidates = [
        ("Protests against President Hosni Mubarak continued in Cairo for a fourth straight day.", 1.0),
        ("Police fired tear gas and rubber bullets at crowds near the state broadcasting building.", 1.0),
        ("He was earlier supposed to make a statement?", 1.0),
        ("General Motors filed for bankruptcy protection in a New York court on Monday.", 0.8),
    ]
    assert select_top_lines(candidates, 2) == [0, 1]  # no story keys: importance and quality only
    assert select_top_lines(candidates, 2, groups=["egypt", "egypt", "egypt", "gm"]) == [0, 3]
    assert fact_quality(candidates[2][0]) < fact_quality(candidates[0][0])


def test_lead_slot_makes_the_first_fact_one_of_the_first_sentences() -> None:
    n = 6
    features = np.zeros((n, len(FEATURES)))
    features[:, FEATURES.index("textrank")] = [0.2, 0.5, 0.1, 0.9, 1.0, 0.8]
    article = ArticleFeatures(features, np.zeros((n, len(FLAGS))), np.eye(n), _distinct(n))
    plain = Weights(features=tuple(1.0 if f == "textrank" else 0.0 for f in FEATURES), redundancy=0.0, lead_slot=0)
    assert rank_facts(article, 3, plain) == [4, 3, 5]
    slotted = Weights(features=plain.features, redundancy=0.0, lead_slot=3)
    assert rank_facts(article, 3, slotted) == [1, 4, 3]  # the best of sentences 0-2 first, then by score


def test_a_near_copy_of_a_chosen_fact_is_never_a_second_fact() -> None:
    sentences = ["NATO agreed on Thursday to train Iraqi forces.", "Iraq holds elections in January.",
                 "On Thursday, NATO agreed to train Iraqi forces, officials said.", "France sends no troops."]
    n = len(sentences)
    features = np.zeros((n, len(FEATURES)))
    features[:, FEATURES.index("textrank")] = [1.0, 0.2, 0.9, 0.1]
    plain = Weights(features=tuple(1.0 if f == "textrank" else 0.0 for f in FEATURES), redundancy=0.0, lead_slot=0)
    copies = ArticleFeatures(features, np.zeros((n, len(FLAGS))), np.eye(n), tuple(map(word_set, sentences)))
    assert rank_facts(copies, 2, plain) == [0, 1]  # sentence 2 restates sentence 0
    assert rank_facts(ArticleFeatures(features, np.zeros((n, len(FLAGS))), np.eye(n), _distinct(n)), 2, plain) == [0, 2]


def test_no_default_fact_opens_with_a_dangling_pronoun_or_connective() -> None:
    """A fact that opens with "It says", "They" or "However" is shown only after the sentence it leans on."""
    samples = Path(__file__).parents[1] / "samples" / "articles"
    texts = [read_article_text(p) for p in sorted(DATA.glob("*.txt"))]
    texts += [read_article_text(p) for p in sorted(samples.glob("*.txt"))]
    leaning = (FLAGS.index("pronoun"), FLAGS.index("connective"))
    checked = 0
    for text in texts:
        sentences = split_sentences(text)
        chosen = set(select_key_facts(sentences, 3))
        for i in chosen:
            row = sentence_flags(sentences[i])
            if any(row[j] for j in leaning):
                assert i - 1 in chosen, sentences[i]
        checked += len(chosen)
    assert checked > 100


def long_article(sentences: int) -> list[str]:
    """Real sentences (the test articles and the samples, repeated as needed): one very long article."""
    samples = Path(__file__).parents[1] / "samples" / "articles"
    paths = sorted(DATA.glob("*.txt")) + sorted(samples.glob("*.txt"))
    pool = [s for p in paths for s in split_sentences(read_article_text(p))]
    return (pool * (sentences // len(pool) + 1))[:sentences]


def test_a_6000_sentence_article_is_scored_in_bounded_memory() -> None:
    """Dense (sentences x sentences) matrices took 3.5 GB here; only the first sentences are scored now."""
    sentences = long_article(6000)
    tracemalloc.start()
    try:
        chosen = select_key_facts(sentences, 3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(chosen) == 3
    assert peak < 6000 * 6000 * 8 / 2  # less than half of one dense 6000 x 6000 float matrix


def test_only_the_first_sentences_are_scored() -> None:
    sentences = long_article(3 * MAX_SCORED_SENTENCES)
    chosen = select_key_facts(sentences, 3)
    assert max(chosen) < MAX_SCORED_SENTENCES
    assert chosen == select_key_facts(sentences[:MAX_SCORED_SENTENCES], 3)
    assert select_key_facts(sentences, 3, "lead") == [0, 1, 2]


def test_sparse_pair_sums_equal_the_dense_product() -> None:
    rng = np.random.default_rng(0)
    dense = rng.random((7, 12)) * (rng.random((7, 12)) < 0.3)  # many terms in one sentence only, some in several
    dense[3] = 0  # a sentence without content words
    rows, cols = np.nonzero(dense)
    assert np.allclose(_pair_sums(rows, cols, dense[rows, cols], 7), dense @ dense.T)
    assert _pair_sums(np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0), 2).tolist() == [[0, 0], [0, 0]]


def test_open_issues_and_actors_of_a_huge_article_come_from_its_first_sentences() -> None:
    from briefing.analyse import analyse_article
    from briefing.analyse.facts import MAX_SCORED_SENTENCES
    from briefing.models import Article

    body = " ".join(f"The council met on day {i} of the long session in the town hall." for i in range(MAX_SCORED_SENTENCES))
    tail = " Secretary General Jaap de Hoop Scheffer said it is unclear whether NATO will fund the mission."
    analysis = analyse_article(Article(id="x", title="Long", text=body + tail, source="S"))
    assert len(analysis.sentences) == MAX_SCORED_SENTENCES + 1
    assert not analysis.open_issues and not any("Scheffer" in a.name for a in analysis.actors)
    short = analyse_article(Article(id="y", title="Short", text=tail.strip(), source="S"))
    assert any("Scheffer" in a.name for a in short.actors)  # the same sentence, within the cap, is read
