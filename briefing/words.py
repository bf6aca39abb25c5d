"""Words for the whole package: one tokeniser, one stemmer, one stop list, one near-duplicate measure.

Every stage that asks "which words does this say?" or "is this the same text?" asks here, so dedup at ingest,
the grouping of articles into stories, the choice of key facts, their corroboration and the top lines of the
brief all count words the same way.

- ``tokenize``: word tokens, punctuation dropped (``U.S``, ``don't``, ``3.5`` stay whole).
- ``stem``: the Snowball English stemmer (the one sumy uses too), cached.
- ``STOP_WORDS``: sumy's English stop words (580: "the", "said", "would", "new", ...).
- ``content_words``: the stemmed content words of a text: no stop word, no number, nothing of two letters or fewer.
- The near-duplicate measure is the Jaccard similarity of two sets (``similarity``), with the share of the
  smaller set found in the larger (``containment``) for a text trimmed from another. Whole texts are compared
  as sets of hashed word 3-shingles (``shingles``) and found without comparing all pairs through a MinHash
  ``signature`` cut into LSH bands (``band_keys``); sentences are compared as sets of content words
  (``word_set``), the 1-shingles of what they say, and ``same_statement`` says when two state the same fact.
  Shingles read words their own way (``normalise_text``: NFKC, case-folded runs of word characters, no
  stemming), because the store keeps content hashes and signatures made from it.

The signature is a one-permutation MinHash (Li, Owen and Zhang 2012): one 64-bit hash per shingle, split into
``BINS`` bins, the minimum kept per bin, empty bins filled from the next non-empty one (rotation densification,
Shrivastava 2017). That costs one hash per shingle instead of one per shingle and permutation. With ``BANDS``
bands of ``ROWS`` values, two texts are candidates when one band is equal: a pair of Jaccard 0.7 becomes a
candidate with probability 0.99, one of 0.3 with 0.12, one of 0.1 with 0.002.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Sequence, Set
from functools import cached_property, lru_cache
from typing import Any

from sumy.utils import get_stop_words

# ---- words ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
# sumy's English list, which its summarisers use too. The grouping once added "told" and "year" to it: without them
# bench/cluster_eval.py's event-evidence figures are the same, and with them the key facts lose a little on
# bench/quality.py's tuning parts.
STOP_WORDS: frozenset[str] = frozenset(w.lower() for w in get_stop_words("english"))


def tokenize(text: str) -> list[str]:
    """Word tokens of ``text`` as written, punctuation dropped (``U.S``, ``don't``, ``3.5``, ``well-known`` whole)."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word."""
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """NLTK's Snowball stemmer, imported on first use: nltk takes most of a second to import, and the store, the
    search and the mail commands never stem."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def is_content(lower: str) -> bool:
    """True for a lower-cased token that says something: not a stop word, not a number, three letters or more."""
    return len(lower) > 2 and lower not in STOP_WORDS and not lower.isdigit()


def content_words(text: str) -> list[str]:
    """Stemmed content words of ``text``, lower-cased, in order (``is_content``)."""
    return [stem(lower) for lower in (w.lower() for w in tokenize(text)) if is_content(lower)]


def word_set(text: str) -> frozenset[str]:
    """The set of ``text``'s content words: what two sentences are compared on."""
    return frozenset(content_words(text))


# ---- the near-duplicate measure ---------------------------------------------------------------------

SHINGLE = 3  # words per shingle of a whole text
BINS = 64  # values of a MinHash signature
BANDS = 16  # LSH bands of a signature ...
ROWS = BINS // BANDS  # ... of this many values each
_MASK64 = (1 << 64) - 1
_EMPTY = 1 << 64
_BIN_BITS = BINS.bit_length() - 1
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces (for hashing and shingling)."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def hash64(value: str) -> int:
    """A stable 64-bit hash of a string (BLAKE2b), the same in every process."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """The set of hashed word ``size``-shingles of ``text`` (a text shorter than that is one shingle)."""
    return word_shingles(normalise_text(text).split(), size)


def word_shingles(words: Sequence[str], size: int = SHINGLE) -> set[int]:
    """``shingles`` of a text already normalised and split (``normalise_text(text).split()``)."""
    if len(words) <= size:
        return {hash64(" ".join(words))} if words else set()
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes  # hash64 inlined: a fifth faster, the same values
    grams = map(" ".join, zip(*(words[k:] for k in range(size)), strict=False))  # the shorter tails end it
    return {from_bytes(blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big") for gram in grams}


def signature(hashed_shingles: Iterable[int]) -> tuple[int, ...]:
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


def band_keys(sig: Sequence[int]) -> list[int]:
    """One key per LSH band of a signature: a signed 63-bit hash of the band's values (fits an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in sig[band * ROWS : (band + 1) * ROWS])
        keys.append(hash64(f"{band}:{chunk}") >> 1)
    return keys


def similarity(a: Set[object], b: Set[object]) -> float:
    """The near-duplicate measure: Jaccard similarity of two sets of shingles or words (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(a: Set[object], b: Set[object]) -> float:
    """The share of the smaller set found in the other (1.0 for two empty sets, 0.0 when only one is empty)."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / min(len(a), len(b))


SAME_STATEMENT = 0.6  # similarity of two sentences' word sets at which they state the same thing ...
SAME_STATEMENT_CONTAINED = 0.9  # ... or containment: one says all the other says, and little more


def same_statement(a: Set[str], b: Set[str]) -> bool:
    """Two sentences (as ``word_set``) state the same fact: most of their content words shared, or one inside
    the other."""
    return similarity(a, b) >= SAME_STATEMENT or containment(a, b) >= SAME_STATEMENT_CONTAINED


def estimated_similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """``similarity`` of two shingle sets estimated from their signatures."""
    return sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / BINS


# ---- the identity of an article's text, at ingest (the store keeps its signature) ---------------------

NEAR_DUPLICATE_JACCARD = 0.7
MIN_WORDS = 20  # shorter texts (feed teasers) are too short to identify an article by text alone
# A candidate whose signature estimates the Jaccard this far below NEAR_DUPLICATE_JACCARD is not checked
# exactly: with 64 bins the estimate's standard error at 0.7 is about 0.057, so a true near-duplicate falls
# 0.3 short (5 standard errors) about once in ten million checks.
SIGNATURE_MARGIN = 0.3


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal for texts that differ only in case, spacing or punctuation."""
    return _digest(normalise_text(text))


def _digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class TextIdentity:
    """What identifies an article's text, from one normalisation of it (shingles and band keys on first use)."""

    def __init__(self, title: str, text: str) -> None:
        normalised = normalise_text(text)
        self.words = normalised.split()
        # A short text ("Read the full story") says nothing of identity: it counts only with the title.
        self.short = len(self.words) < MIN_WORDS
        if self.short:  # the normalised title and text joined by a space normalise the two joined by a line break
            normalised = " ".join(part for part in (normalise_text(title), normalised) if part)
        self.digest = _digest(normalised)  # content_hash of the text (of the title and text for a short one)

    @cached_property
    def shingles(self) -> set[int]:
        return word_shingles(self.words)

    @cached_property
    def signature(self) -> tuple[int, ...]:
        return signature(self.shingles)

    @cached_property
    def band_keys(self) -> list[int]:
        return band_keys(self.signature)


def text_identity(title: str, text: str) -> TextIdentity:
    """The identity of an article's text: ``digest`` is ``content_hash(text)``, or for a text under ``MIN_WORDS``
    words ``content_hash(f"{title}\\n{text}")``; ``shingles`` are ``shingles(text)``. The text is normalised once."""
    return TextIdentity(title, text)


def pack_signature(sig: Sequence[int]) -> bytes:
    """A signature as bytes for the store: its unsigned 64-bit values in order, little-endian."""
    packed = array("Q", sig)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack_signature(blob: bytes) -> tuple[int, ...]:
    """The signature ``pack_signature`` stored."""
    packed = array("Q")
    packed.frombytes(blob)
    if sys.byteorder != "little":
        packed.byteswap()
    return tuple(packed)


def worth_checking(sig_a: Sequence[int], sig_b: Sequence[int]) -> bool:
    """False when two signatures rule out a near-duplicate (estimated Jaccard below the threshold by
    ``SIGNATURE_MARGIN``): the exact check on the shingle sets is skipped."""
    return estimated_similarity(sig_a, sig_b) >= NEAR_DUPLICATE_JACCARD - SIGNATURE_MARGIN
