"""Near-duplicate articles: MinHash over word shingles, with LSH banding to find candidates.

The same wire copy reaches us through several outlets with small edits (a changed word, a new
headline, a trimmed last paragraph). Such copies share most of their word 3-shingles, so their
Jaccard similarity is high, while two different reports of the same event share few shingles.

The signature is a one-permutation MinHash (Li, Owen and Zhang 2012): one 64-bit hash per
shingle, split into ``BINS`` bins, the minimum kept per bin, empty bins filled from the next
non-empty one (rotation densification, Shrivastava 2017). That costs one hash per shingle
instead of one per shingle and permutation, which keeps pure Python fast enough.

Candidates are found by LSH banding: the signature is cut into ``BANDS`` bands of ``ROWS`` values
and two articles are candidates when one band is equal. With 16 bands of 4 rows a pair of
Jaccard 0.7 becomes a candidate with probability 0.99, a pair of Jaccard 0.3 with 0.12 and a
pair of 0.1 with 0.002, so only a few articles are ever compared, never all pairs. Each candidate
is then checked with the exact Jaccard of the shingle sets against ``NEAR_DUPLICATE_JACCARD``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

SHINGLE = 3  # words per shingle
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
NEAR_DUPLICATE_JACCARD = 0.7
MIN_WORDS = 20  # shorter texts (feed teasers) are too short to identify an article by text alone
_MASK64 = (1 << 64) - 1
_EMPTY = 1 << 64
_BIN_BITS = BINS.bit_length() - 1
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces (for hashing and shingling)."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal for texts that differ only in case, spacing or punctuation."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _hash64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """The set of hashed word ``size``-shingles of ``text`` (a text shorter than that is one shingle)."""
    words = normalise_text(text).split()
    if len(words) <= size:
        return {_hash64(" ".join(words))} if words else set()
    return {_hash64(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def minhash(hashed_shingles: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash signature of ``BINS`` values, densified; empty input gives all zeros."""
    sig = [_EMPTY] * BINS
    for h in hashed_shingles:
        b = h & (BINS - 1)
        v = h >> _BIN_BITS
        if v < sig[b]:
            sig[b] = v
    if all(v == _EMPTY for v in sig):
        return (0,) * BINS
    out = list(sig)
    for i, v in enumerate(sig):
        if v == _EMPTY:  # rotation densification: borrow from the next non-empty bin, offset by distance
            step = 1
            while sig[(i + step) % BINS] == _EMPTY:
                step += 1
            out[i] = (sig[(i + step) % BINS] + step * 0x9E3779B97F4A7C15) & _MASK64
    return tuple(out)


def band_keys(signature: Sequence[int]) -> list[int]:
    """One key per LSH band: a signed 63-bit hash of the band's values (fits an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in signature[band * ROWS : (band + 1) * ROWS])
        keys.append(_hash64(f"{band}:{chunk}") >> 1)
    return keys


def jaccard(a: set[int], b: set[int]) -> float:
    """Jaccard similarity of two shingle sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def estimated_jaccard(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Jaccard similarity estimated from two MinHash signatures."""
    return sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / BINS


def is_near_duplicate(text_a: str, text_b: str, threshold: float = NEAR_DUPLICATE_JACCARD) -> bool:
    """True if the two texts are the same copy with small edits (shingle Jaccard at least ``threshold``)."""
    return jaccard(shingles(text_a), shingles(text_b)) >= threshold


class NearDuplicateIndex:
    """An in-memory LSH index: add texts under a key, query the keys of their near-duplicates.

    The store keeps the same band keys in SQLite; this class serves batches held in memory
    (benchmarks, and grouping a day without a store).
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
