"""Near-duplicate articles: MinHash over word shingles, with LSH banding to find candidates.

The same wire copy reaches us through several outlets with small edits (a changed word, a new
headline, a trimmed last paragraph). Such copies share most of their word 3-shingles, so their
Jaccard similarity is high, while two different reports of the same event share few shingles.

The shingles, the signature (a one-permutation MinHash) and the similarity are ``briefing.words``'s,
the package's one near-duplicate measure.

Candidates are found by LSH banding: the signature is cut into ``BANDS`` bands of ``ROWS`` values
and two articles are candidates when one band is equal. With 16 bands of 4 rows a pair of
Jaccard 0.7 becomes a candidate with probability 0.99, a pair of Jaccard 0.3 with 0.12 and a
pair of 0.1 with 0.002, so only a few articles are ever compared, never all pairs. Each candidate
is then checked with the exact Jaccard of the shingle sets against ``NEAR_DUPLICATE_JACCARD``.

At ingest a text is normalised once (``text_identity``: the short-text rule, the content hash, the shingles
and the band keys all come from that one pass) and its MinHash signature is stored with it (``pack_signature``): a candidate
whose stored signature rules it out (``worth_checking``) is neither re-shingled nor compared exactly, and most
candidates are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

# The near-duplicate measure is the package's (briefing.words), which the store also uses at ingest.
from briefing.words import (
    BANDS,
    BINS,
    MIN_WORDS,
    NEAR_DUPLICATE_JACCARD,
    TextIdentity,
    band_keys,
    content_hash,
    normalise_text,
    pack_signature,
    shingles,
    text_identity,
    unpack_signature,
    worth_checking,
)
from briefing.words import estimated_similarity as estimated_jaccard
from briefing.words import signature as minhash
from briefing.words import similarity as jaccard

__all__ = ["BANDS", "BINS", "MIN_WORDS", "NEAR_DUPLICATE_JACCARD", "NearDuplicateIndex", "TextIdentity", "band_keys",
           "content_hash", "estimated_jaccard", "is_near_duplicate", "jaccard", "minhash", "normalise_text",
           "pack_signature", "shingles", "text_identity", "unpack_signature", "worth_checking"]

def is_near_duplicate(text_a: str, text_b: str, threshold: float = NEAR_DUPLICATE_JACCARD) -> bool:
    """True if the two texts are the same copy with small edits (shingle Jaccard at least ``threshold``)."""
    return jaccard(shingles(text_a), shingles(text_b)) >= threshold


class NearDuplicateIndex:
    """An in-memory LSH index: add texts under a key, query the keys of their near-duplicates.

    The store keeps the same band keys, signatures and shingles in SQLite (the structure for stored articles,
    which need not fit in memory); this class serves texts held in memory: the near-copies among a large story's
    reports in ``briefing.assemble.corroborate``.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD):
        self.threshold = threshold
        self._bands: list[dict[int, list[Hashable]]] = [defaultdict(list) for _ in range(BANDS)]
        self._shingles: dict[Hashable, set[int]] = {}
        self.comparisons = 0  # exact Jaccard checks made, to show the blocking works

    def candidates(self, text_shingles: set[int]) -> set[Hashable]:
        """Keys sharing at least one LSH band with the given shingles."""
        found: set[Hashable] = set()
        for band, key in enumerate(band_keys(minhash(text_shingles))):
            found.update(self._bands[band].get(key, ()))
        return found

    def find(self, text: str) -> Hashable | None:
        """The key of the most similar indexed near-duplicate of ``text``, or None."""
        sh = shingles(text)
        best, best_score = None, self.threshold
        for key in self.candidates(sh):
            self.comparisons += 1
            score = jaccard(sh, self._shingles[key])
            if score >= best_score:
                best, best_score = key, score
        return best

    def add(self, key: Hashable, text: str) -> None:
        """Index ``text`` under ``key``."""
        sh = shingles(text)
        self._shingles[key] = sh
        for band, bkey in enumerate(band_keys(minhash(sh))):
            self._bands[band][bkey].append(key)
