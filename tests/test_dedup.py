"""Near-duplicate detection: MinHash signatures, LSH banding and the in-memory index."""

from __future__ import annotations

import random

from briefing.assemble import dedup

WIRE = (
    "NATO agreed on Thursday to send military instructors to Iraq to train the country's new security forces, "
    "ending months of disagreement among the allies over the alliance's role in the country. "
    "The decision was taken at a meeting of ambassadors in Brussels after France and Germany dropped their "
    "objections, diplomats said. The alliance will set up a training centre near Baghdad, and the first "
    "officers are expected to arrive within weeks. Who will pay for the mission has not been settled, and "
    "several members said they would not send troops of their own. The interim Iraqi government had asked "
    "for help in training its army and police before elections planned for January."
)
OTHER = (
    "The European Central Bank left its main interest rate unchanged on Thursday, saying inflation was "
    "expected to ease over the coming months. Its president told reporters that the bank was ready to act "
    "if energy prices rose further, and that growth in the euro area remained moderate but steady."
)


def _words_replaced(text: str, n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    for _ in range(n):
        words[rng.randrange(len(words))] = "changed"
    return " ".join(words)


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert dedup.content_hash("Hello,  World!\n") == dedup.content_hash("hello world")
    assert dedup.content_hash("hello world") != dedup.content_hash("hello there world")


def test_identical_texts_have_identical_signatures_and_bands() -> None:
    sig = dedup.minhash(dedup.shingles(WIRE))
    assert len(sig) == dedup.BINS
    assert sig == dedup.minhash(dedup.shingles(WIRE))
    assert len(dedup.band_keys(sig)) == dedup.BANDS
    assert all(0 <= k < 2**63 for k in dedup.band_keys(sig))


def test_estimated_jaccard_tracks_the_exact_value() -> None:
    a, b = dedup.shingles(WIRE), dedup.shingles(_words_replaced(WIRE, 6))
    exact = dedup.jaccard(a, b)
    estimate = dedup.estimated_jaccard(dedup.minhash(a), dedup.minhash(b))
    assert 0.5 < exact < 0.95
    assert abs(estimate - exact) < 0.2
    assert dedup.estimated_jaccard(dedup.minhash(a), dedup.minhash(dedup.shingles(OTHER))) < 0.2


def test_small_edits_are_near_duplicates_and_other_texts_are_not() -> None:
    edited = _words_replaced(WIRE, 3).replace("NATO agreed", "The North Atlantic alliance agreed")
    assert dedup.is_near_duplicate(WIRE, edited)
    assert not dedup.is_near_duplicate(WIRE, OTHER)
    # The same event told in other words is a different article, not a copy.
    retold = ("Allied ambassadors meeting in Brussels decided that NATO instructors will train Iraqi forces. "
              "France and Germany no longer object. Funding is unresolved.")
    assert not dedup.is_near_duplicate(WIRE, retold)


def test_index_finds_the_copy_among_candidates_only() -> None:
    index = dedup.NearDuplicateIndex()
    index.add("wire", WIRE)
    index.add("ecb", OTHER)
    for i in range(50):
        index.add(f"noise{i}", " ".join(random.Random(i).choice(OTHER.split()) for _ in range(80)))
    assert index.find(_words_replaced(WIRE, 2, seed=3)) == "wire"
    assert index.find("A completely different text about football results and the weather tomorrow.") is None
    # Blocking: the two queries were checked against a handful of candidates, not all 52 texts.
    assert index.comparisons < 10


def test_empty_and_short_texts() -> None:
    assert dedup.shingles("") == set()
    assert dedup.minhash(set()) == (0,) * dedup.BINS
    assert len(dedup.shingles("two words")) == 1
    assert dedup.is_near_duplicate("Short one.", "short ONE")


def test_text_identity_normalises_once_and_agrees_with_the_separate_measures() -> None:
    long = dedup.text_identity("NATO to train Iraqi forces", WIRE)
    assert not long.short and long.digest == dedup.content_hash(WIRE)
    assert long.shingles == dedup.shingles(WIRE)
    assert long.band_keys == dedup.band_keys(dedup.minhash(dedup.shingles(WIRE)))
    teaser = dedup.text_identity("Talks resume", "Read the full story on our site.")
    assert teaser.short and teaser.digest == dedup.content_hash("Talks resume\nRead the full story on our site.")
    assert dedup.text_identity("", "Read the full story.").digest == dedup.content_hash("\nRead the full story.")


def test_signatures_rule_out_only_pairs_far_from_the_threshold() -> None:
    wire = dedup.minhash(dedup.shingles(WIRE))
    for seed in range(20):  # copies at or above the threshold are always checked exactly
        copy = dedup.shingles(_words_replaced(WIRE, 3, seed=seed))
        assert dedup.jaccard(copy, dedup.shingles(WIRE)) >= dedup.NEAR_DUPLICATE_JACCARD
        assert dedup.worth_checking(wire, dedup.minhash(copy))
    assert not dedup.worth_checking(wire, dedup.minhash(dedup.shingles(OTHER)))
    assert dedup.unpack_signature(dedup.pack_signature(wire)) == wire
