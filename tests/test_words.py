"""The package's words: tokeniser, stemmer, stop list and the near-duplicate measure."""

from __future__ import annotations

from briefing import words


def test_tokenize_keeps_abbreviations_contractions_and_numbers_whole() -> None:
    assert words.tokenize("The U.S. didn't pay $3.5bn, well-known officials said.") == [
        "The", "U.S", "didn't", "pay", "3.5bn", "well-known", "officials", "said",
    ]
    assert words.tokenize("...!?") == []


def test_content_words_are_stemmed_without_stop_words_numbers_or_short_tokens() -> None:
    assert words.content_words("The ministers said on Monday that 12 of us agreed to the talks.") == [
        "minist", "monday", "agre", "talk",
    ]
    assert words.stem("recorded") == "record"
    assert {"said", "says", "the", "would"} <= words.STOP_WORDS
    assert words.word_set("Talks, talks and more talks.") == frozenset({"talk"})


def test_similarity_and_containment() -> None:
    a, b = frozenset("abcd"), frozenset("abce")
    assert words.similarity(a, b) == 3 / 5
    assert words.containment(frozenset("ab"), a) == 1.0
    assert words.similarity(frozenset(), frozenset()) == 1.0
    assert words.containment(frozenset(), a) == 0.0


def test_same_statement_is_shared_words_or_one_inside_the_other() -> None:
    fact = words.word_set("NATO agreed on Thursday to train Iraqi forces.")
    assert words.same_statement(fact, words.word_set("On Thursday, NATO agreed to train Iraqi forces, officials said."))
    assert words.same_statement(fact, words.word_set(
        "NATO agreed on Thursday to train Iraqi forces in Baghdad and Basra next year."))  # contains the fact
    assert not words.same_statement(fact, words.word_set("France refused to send soldiers to Iraq."))


def test_shingles_and_signatures_measure_the_same_similarity() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    edited = text.replace("word50 ", "changed ").replace("word150 ", "changed ")
    exact = words.similarity(words.shingles(text), words.shingles(edited))
    estimate = words.estimated_similarity(words.signature(words.shingles(text)), words.signature(words.shingles(edited)))
    assert 0.9 < exact < 1.0
    assert abs(estimate - exact) < 0.15
    assert words.shingles("Hello, WORLD") == words.shingles("hello world") == words.word_shingles(["hello", "world"])
    assert len(words.band_keys(words.signature(words.shingles(text)))) == words.BANDS
