"""Sentence and word tokenisation: Golden Rules, news specifics, verbatim offsets and robustness."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.analyse.sentences import Tokenizer, sentence_spans, split_sentences

GOLDEN = Path(__file__).parent / "data" / "sbd" / "golden_rules_en.json"

# Golden Rules we knowingly fail (1-based case numbers), with the reason:
KNOWN_FAILURES = {
    # "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store."
    # wants a boundary after "P.M." but none after "a.m." before the very same "Mr. Smith": no rule on the
    # local context can tell them apart. We keep "p.m. Mr." (and "p.m. Friday") together. pySBD fails it too.
    18,
}


def _norm(sentences: list[str]) -> list[str]:
    return [" ".join(s.split()) for s in sentences]


def _check_spans(text: str) -> list[tuple[int, int]]:
    """Assert the span invariants and return the spans."""
    spans = sentence_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        chunk = text[s:e]
        assert chunk == chunk.strip() and chunk
        assert not text[last:s].strip(), "non-space text fell between two sentences"
        last = e
    assert not text[last:].strip()
    assert split_sentences(text) == [text[s:e] for s, e in spans]
    return spans


def test_golden_rules_pass_at_least_44() -> None:
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
    assert len(cases) == 48
    failed = {i for i, c in enumerate(cases, 1) if _norm(split_sentences(c["text"])) != _norm(c["sentences"])}
    assert failed <= KNOWN_FAILURES, f"new Golden Rule failures: {sorted(failed - KNOWN_FAILURES)}"
    assert len(cases) - len(failed) >= 44


def test_every_golden_sentence_is_an_exact_substring() -> None:
    for case in json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]:
        _check_spans(case["text"])


SEED = """![]() |
One NATO official was upbeat after a first meeting of ambassadors Thursday morning.
"They are narrowing down the outstanding issues," he said. "We feel optimistic that it is possible to reach \
an agreement today, at the latest Friday," he said.
Zebari said authorities were "in a race against the clock" in their effort to ensure stability.
"NATO is very keen to finalize this package... but don't look for repetitions. History does not repeat itself," \
the official said.
WAR.WIRE |"""


def test_one_sentence_per_line_article() -> None:
    assert split_sentences(SEED) == [
        "![]() |",
        "One NATO official was upbeat after a first meeting of ambassadors Thursday morning.",
        '"They are narrowing down the outstanding issues," he said.',
        '"We feel optimistic that it is possible to reach an agreement today, at the latest Friday," he said.',
        'Zebari said authorities were "in a race against the clock" in their effort to ensure stability.',
        "\"NATO is very keen to finalize this package... but don't look for repetitions. History does not repeat "
        'itself," the official said.',
        "WAR.WIRE |",
    ]


def test_paragraphs_and_line_breaks() -> None:
    text = "NATO agrees to train Iraqi forces\nLeaders met in Brussels.\n\nTalks go on today\n\nThe end came.\nLater."
    assert split_sentences(text) == [
        "NATO agrees to train Iraqi forces",
        "Leaders met in Brussels.",
        "Talks go on today",
        "The end came.",
        "Later.",
    ]
    # A break after a terminator is a boundary even before a lower-case line; a break mid-sentence is not.
    assert split_sentences("It ended.\nthen more.") == ["It ended.", "then more."]
    assert split_sentences("The talks were held in\nthe capital on Monday.") == [
        "The talks were held in\nthe capital on Monday."
    ]
    # A line ending with a comma continues even when the next line starts with a capital.
    assert len(split_sentences("Leaders of France,\nGermany and Belgium met.")) == 1


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "The North Atlantic Treaty Organization leaders agreed in\n"
        "principle at a summit in Istanbul last month to provide such\n"
        "training after the handover of powers to Baghdad from the\n"
        "US-led coalition. But they left details to be hammered out\n"
        "by the ambassadors, diplomats say."
    )
    assert _norm(split_sentences(text)) == [
        "The North Atlantic Treaty Organization leaders agreed in principle at a summit in Istanbul last month to "
        "provide such training after the handover of powers to Baghdad from the US-led coalition.",
        "But they left details to be hammered out by the ambassadors, diplomats say.",
    ]


def test_list_lines_are_not_taken_for_wrapped_text() -> None:
    text = "- Increased spending on primary education\n- Increased spending on health\n- A package for the sugar"
    assert len(split_sentences(text)) == 3


def test_quotations() -> None:
    assert split_sentences('"They are narrowing down the outstanding issues," he said. Talks resumed.') == [
        '"They are narrowing down the outstanding issues," he said.',
        "Talks resumed.",
    ]
    # A short quotation is never cut in the middle, even before a capital.
    assert split_sentences('He said "hello. there" and left.') == ['He said "hello. there" and left.']
    assert split_sentences('"We feel optimistic. It is possible," he said. Then he left.') == [
        '"We feel optimistic. It is possible," he said.',
        "Then he left.",
    ]
    # A quotation left open (it goes on in the next paragraph) does not stop splitting.
    assert split_sentences('He said: "We will go. We will fight.') == ['He said: "We will go.', "We will fight."]


def test_abbreviations_titles_and_numbers() -> None:
    one = [
        "Mr. Smith met Mrs. Jones and Dr. Brown.",
        "Gen. Smith, Sen. Kerry, Rep. Pelosi, Gov. Bush, Lt. Col. North and Adm. Johnson met.",
        "He lives on St. James Street and Jr. Jones lives on Mt. Hood.",
        "U.S. officials met U.K. and U.N. envoys on Aug. 5 at No. 10 Downing St. in London.",
        "The rate rose 3.5 per cent on Jan. 12 and Feb. 3, the agency said.",
        "Apple Inc. Chief Executive Tim Cook and Ford Motor Co. officials met.",
        "Fruit, e.g. apples, i.e. the red ones, etc. are on sale.",
        "The meeting was at 3 p.m. Friday and 9 a.m. Saturday.",
        "J. R. R. Tolkien and George W. Bush never met.",
        "It was Liverpool vs. Chelsea on Sunday.",
    ]
    for s in one:
        assert split_sentences(s) == [s], s
    assert split_sentences("He moved to the U.S. The move was hard.") == [
        "He moved to the U.S.",
        "The move was hard.",
    ]
    assert split_sentences("They bought Acme Inc. It cost $5.5bn. Shares rose.") == [
        "They bought Acme Inc.",
        "It cost $5.5bn.",
        "Shares rose.",
    ]
    assert split_sentences("Hosts were Ant and Dec. Natalie left.") == ["Hosts were Ant and Dec.", "Natalie left."]
    assert split_sentences("It ended in 2004. The war went on.") == ["It ended in 2004.", "The war went on."]


def test_ellipses_and_lists() -> None:
    assert split_sentences("I never meant that... She left.") == ["I never meant that...", "She left."]
    assert split_sentences("He paused … and went on.") == ["He paused … and went on."]
    assert split_sentences("1. First item\n2. Second item") == ["1. First item", "2. Second item"]
    assert split_sentences("Plans: • Build roads • Train police") == ["Plans:", "• Build roads", "• Train police"]


def test_sumy_tokenizer() -> None:
    from sumy.parsers.plaintext import PlaintextParser

    tok = Tokenizer()
    assert tok.language == "english"
    assert tok.to_sentences("It rained. Mr. Smith left.") == ("It rained.", "Mr. Smith left.")
    assert tok.to_words("Mr. Smith left.") == ("Mr", "Smith", "left")
    doc = PlaintextParser.from_string("It rained. Mr. Smith left.\n\nThe end came.", tok).document
    assert [str(s) for s in doc.sentences] == ["It rained.", "Mr. Smith left.", "The end came."]


_ALPHABET = st.sampled_from(
    list("aZ .")
    + [
        "Mr.",
        "U.S.",
        " ",
        "\n",
        "\n\n",
        "  \n ",
        '"',
        "“",
        "”",
        "'",
        "(",
        ")",
        "!",
        "?",
        "…",
        ". . .",
        "1.",
        "a)",
        "•",
        "-",
        "\t",
        "é",
        "\r\n",
        "J.",
        "etc.",
        "[...]",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.text(max_size=6)), max_size=60).map("".join))
def test_spans_are_exact_stripped_substrings_covering_all_text(text: str) -> None:
    _check_spans(text)


def test_large_inputs_do_not_crash_and_stay_bounded() -> None:
    rng = random.Random(7)
    pieces = [
        "word",
        "Mr.",
        "U.S.",
        "3.5",
        "The",
        "end.",
        '"Quote.',
        'it."',
        "...",
        "\n",
        "\n\n",
        "?!",
        "(a)",
        "1.",
        "•",
        ". . .",
        "e.g.",
        "J.",
    ]
    text = " ".join(rng.choice(pieces) for _ in range(200_000))[:1_000_000]
    spans = _check_spans(text)
    assert 1_000 < len(spans) < len(text) // 2

    no_punct = " ".join(f"word{i % 97}" for i in range(50_000))
    assert sentence_spans(no_punct) == [(0, len(no_punct))]

    # Degenerate inputs that would expose quadratic scanning or regex backtracking (about 200 kB each).
    for block in (
        ". " * 100_000,
        "." * 200_000,
        '"' * 200_000,
        "\n \n" * 50_000,
        "a.b" * 70_000,
        " " * 200_000,
        "1. " * 70_000,
        "“a. " * 50_000,
        "1. a" + " " * 200_000 + "2. b",
    ):
        spans = _check_spans(block)
        assert len(spans) <= len(block)


def test_bracket_after_an_abbreviation_is_an_aside() -> None:
    text = "Airbus parent company EADS N.V. (EADS) have defeated Boeing. Boeing may appeal."
    assert split_sentences(text) == ["Airbus parent company EADS N.V. (EADS) have defeated Boeing.", "Boeing may appeal."]
