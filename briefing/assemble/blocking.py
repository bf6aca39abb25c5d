"""Blocking: each article as a TF-IDF vector, and the candidate pairs worth judging, never all pairs.

An inverted index on each article's ``BLOCK_TERMS`` most distinctive terms (stemmed content words, names, title
words and actors' names weigh more) proposes at most ``MAX_CANDIDATES`` partners per article; a term in more than
``block_max_df`` articles never proposes, so posting lists stay bounded however large the day. Scores are computed
for many pairs at once with numpy (``SparseRows``, ``pair_dots``). Used by ``stories`` (grouping) and ``days``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import chain

import numpy as np

from briefing.analyse.sentences import split_sentences
from briefing.models import Analysis
from briefing.words import content_words, is_content, stem, tokenize

# Chosen on ECB+ odd topics (bench/cluster_eval.py --tune).
ENTITY_BOOST = 3.0  # weight of a capitalised word inside a sentence (a name)
TITLE_BOOST = 1.0  # weight added for each word of the title
ACTOR_BOOST = 1.0  # weight added for each word of a named actor
BLOCK_TERMS = 30  # each article's most distinctive terms used to find candidates
BLOCK_MAX_DF = 0.10  # terms in more than this share of the articles never propose candidates
BLOCK_MIN_DF_CAP = 50  # ... unless they are in at most this many articles
BLOCK_MAX_POSTINGS = 200  # ... and never when they are in more than this many: posting lists stay bounded
MAX_CANDIDATES = 60  # candidates per article kept for exact similarity


def add_sentence_terms(counts: dict[str, float], sentence: str) -> None:
    """Add a sentence's content words; a capitalised word inside the sentence (a name) weighs ``ENTITY_BOOST``."""
    for position, word in enumerate(tokenize(sentence)):
        lower = word.lower()
        if is_content(lower):
            counts[stem(lower)] += ENTITY_BOOST if position > 0 and word[0].isupper() else 1.0


def term_counts(analysis: Analysis) -> dict[str, float]:
    """Weighted term counts of one article: names, title words and actors weigh more."""
    counts: defaultdict[str, float] = defaultdict(float)
    for sentence in analysis.sentences or split_sentences(analysis.article.text):
        add_sentence_terms(counts, sentence)
    for term in content_words(analysis.article.title):
        counts[term] += TITLE_BOOST
    for actor in analysis.actors:
        for term in content_words(actor.name):
            counts[term] += ACTOR_BOOST
    return counts


def _idf(counts: Sequence[Mapping[str, float]]) -> tuple[dict[str, float], float]:
    """Smoothed IDF of each term over these documents, and the IDF of a term found in none of them."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    return {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}, math.log(n + 1) + 1.0


def _tfidf(counts: Mapping[str, float], idf: Mapping[str, float], unseen: float) -> dict[str, float]:
    """One L2-normalised TF-IDF vector (sublinear term frequency)."""
    vec = {t: (1.0 + math.log(w)) * idf.get(t, unseen) for t, w in counts.items() if w > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def tfidf_vectors(counts: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF over these documents)."""
    idf, unseen = _idf(counts)
    return [_tfidf(c, idf, unseen) for c in counts]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two normalised sparse vectors."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())  # the intersection runs in C


class SparseRows:
    """Rows of sparse vectors as numpy arrays (compressed rows), over a vocabulary shared by several of them.

    Each row keeps its terms in the order of the mapping it came from (``from_maps``), which the blocking's
    choice among equal weights follows.
    """

    __slots__ = ("indptr", "cols", "vals", "vocab")

    def __init__(self, indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, vocab: dict[str, int]) -> None:
        self.indptr, self.cols, self.vals, self.vocab = indptr, cols, vals, vocab

    @classmethod
    def from_maps(cls, rows: Sequence[Mapping[str, float] | frozenset[str]], vocab: dict[str, int]) -> SparseRows:
        """Rows from term weights (a set of terms: weight 1), adding new terms to ``vocab``."""
        flat = list(chain.from_iterable(rows))
        for term in dict.fromkeys(flat):
            vocab.setdefault(term, len(vocab))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in rows], out=indptr[1:])
        cols = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        if rows and isinstance(rows[0], Mapping):
            vals = np.fromiter(chain.from_iterable(row.values() for row in rows if isinstance(row, Mapping)),
                               dtype=np.float64, count=len(flat))
        else:
            vals = np.ones(len(flat))
        return cls(indptr, cols, vals, vocab)

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)


_DENSE_BUDGET = 1 << 22  # cells of the dense block of rows ``pair_dots`` builds at a time (32 MiB)


def pair_dots(a: SparseRows, b: SparseRows, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The dot products of rows ``a[left[k]]`` and ``b[right[k]]`` for every k, without a Python loop per pair.

    ``a`` and ``b`` share a vocabulary; the rows of ``b`` the pairs name are made dense a block at a time and each
    pair's entries of ``a`` are looked up in them, so the work is the entries of ``a`` over the pairs (put the
    shorter rows in ``a``).
    """
    out = np.zeros(len(left))
    if not len(left):
        return out
    width = max(len(a.vocab), len(b.vocab), 1)
    rows, slot = np.unique(right, return_inverse=True)
    slot = slot.ravel()
    order = np.argsort(slot, kind="stable")
    step = max(1, _DENSE_BUDGET // width)
    bounds = np.searchsorted(slot[order], np.arange(0, len(rows) + step, step))
    lengths, b_lengths = a.lengths, b.lengths
    for block, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        if lo == hi:
            continue
        pairs = order[lo:hi]
        block_rows = rows[block * step : (block + 1) * step]
        counts_b = b_lengths[block_rows]
        offsets_b = np.cumsum(counts_b) - counts_b
        entries_b = np.arange(int(counts_b.sum())) - np.repeat(offsets_b - b.indptr[block_rows], counts_b)
        dense = np.zeros((len(block_rows), width))
        dense[np.repeat(np.arange(len(block_rows)), counts_b), b.cols[entries_b]] = b.vals[entries_b]
        rows_left = left[pairs]
        counts = lengths[rows_left]
        total = int(counts.sum())
        if not total:
            continue
        offsets = np.cumsum(counts) - counts
        entries = np.arange(total) - np.repeat(offsets - a.indptr[rows_left], counts)
        pair = np.repeat(np.arange(hi - lo), counts)
        products = a.vals[entries] * dense[(slot[pairs] - block * step)[pair], a.cols[entries]]
        out[pairs] = np.bincount(pair, weights=products, minlength=hi - lo)
    return out


def block_max_df(n: int) -> int:
    """The most articles a term may be in and still propose candidates, for a day of ``n`` articles."""
    return min(BLOCK_MAX_POSTINGS, max(BLOCK_MIN_DF_CAP, int(BLOCK_MAX_DF * n)))


def candidate_arrays(rows: SparseRows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs worth comparing, found through an inverted index on each document's top terms, and their cosines.

    Each document's ``BLOCK_TERMS`` heaviest terms (among equal weights, the first in its row) are indexed; terms in
    more than ``block_max_df(n)`` documents' top terms never propose a pair. Each document keeps its
    ``MAX_CANDIDATES`` best partners by the dot product of those top terms. The posting lists are bounded by an
    absolute number of documents, so the work grows with the number of documents, not with the number of pairs.

    Returns:
        (i, j, cosine) arrays, i < j, in order of (i, j).
    """
    n = len(rows.indptr) - 1
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, np.zeros(0)
    lengths = rows.lengths
    doc = np.repeat(np.arange(n), lengths)
    order = np.lexsort((-rows.vals, doc))  # by document, heaviest first; stable among equal weights
    rank = np.arange(len(order)) - rows.indptr[doc[order]]
    keep = order[rank < BLOCK_TERMS]
    top_doc, top_term, top_weight = doc[keep], rows.cols[keep], rows.vals[keep]
    by_term = np.argsort(top_term, kind="stable")  # each posting list in order of document
    top_doc, top_term, top_weight = top_doc[by_term], top_term[by_term], top_weight[by_term]
    df = np.bincount(top_term, minlength=len(rows.vocab))
    starts = np.searchsorted(top_term, np.arange(len(df)))
    keys, weights = [], []
    for size in np.unique(df[(df >= 2) & (df <= block_max_df(n))]):
        first = starts[df == size]
        at = first[:, None] + np.arange(size)[None, :]
        docs, w = top_doc[at], top_weight[at]
        upper, lower = np.triu_indices(int(size), 1)
        keys.append((docs[:, upper] * n + docs[:, lower]).ravel())
        weights.append((w[:, upper] * w[:, lower]).ravel())
    if not keys:
        return empty, empty, np.zeros(0)
    all_keys = np.concatenate(keys)
    by_key = np.argsort(all_keys)
    all_keys = all_keys[by_key]
    starts_of_key = np.flatnonzero(np.concatenate([[True], all_keys[1:] != all_keys[:-1]]))
    unique = all_keys[starts_of_key]
    partial = np.add.reduceat(np.concatenate(weights)[by_key], starts_of_key)
    a, b = unique // n, unique % n
    source, target = np.concatenate([a, b]), np.concatenate([b, a])
    # Each document's partners, best first: one sort on the document plus a fraction falling with the score
    # (scores closer than about 1e-11 of the best fall in the sort's order, which is fixed for the same input).
    span = float(partial.max()) * (1.0 + 1e-9)
    order = np.argsort(source + 0.999 * (1.0 - np.concatenate([partial, partial]) / span))
    source, target = source[order], target[order]
    per_source = np.bincount(source, minlength=n)
    rank = np.arange(len(source)) - np.repeat(np.cumsum(per_source) - per_source, per_source)
    chosen = np.unique(np.minimum(source, target)[rank < MAX_CANDIDATES] * n
                       + np.maximum(source, target)[rank < MAX_CANDIDATES])
    left, right = chosen // n, chosen % n
    return left, right, pair_dots(rows, rows, left, right)


def candidate_pairs(vectors: Sequence[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Pairs worth comparing (``candidate_arrays``) of these normalised sparse vectors.

    Returns:
        {(i, j): cosine} for i < j.
    """
    left, right, body = candidate_arrays(SparseRows.from_maps(vectors, {}))
    return dict(zip(zip(left.tolist(), right.tolist(), strict=True), body.tolist(), strict=True))
