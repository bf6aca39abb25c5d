"""Key facts: choose the sentences of an article that carry its facts.

Methods live in a plain registry, ``SUMMARIZERS``: a name maps to a function
``(sentences, k) -> indices``. The sumy methods register the same way an extension would.
Every method returns indices into the given sentences, so facts are always verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from briefing.analyse.sentences import Tokenizer
from briefing.clean import JUNK_SENTENCES, is_junk_line
from briefing.words import STOP_WORDS, same_statement, similarity, stem, tokenize, word_set

Method = Callable[[Sequence[str], int], list[int]]

_SUMY_CLASSES = {
    "lexrank": LexRankSummarizer,
    "lsa": LsaSummarizer,
    "textrank": TextRankSummarizer,
    "luhn": LuhnSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
}
_TOKENIZER = Tokenizer()


@cache
def _sumy_summarizer(name: str):  # type: ignore[no-untyped-def]
    summarizer = _SUMY_CLASSES[name](stem)  # the package's stemmer and stop list (briefing.words)
    summarizer.stop_words = STOP_WORDS
    if name == "edmundson":  # Edmundson needs cue words; these are the usual newsroom ones
        summarizer.bonus_words = ("said", "announced", "agreed", "killed", "decided", "government", "president")
        summarizer.stigma_words = ("however", "but", "meanwhile", "perhaps", "maybe")
        summarizer.null_words = STOP_WORDS
    return summarizer


def document(sentences: Sequence[str]) -> tuple[ObjectDocumentModel, list[Sentence]]:
    """Wrap already split sentences in a sumy document, so sumy never re-splits them."""
    objects = [Sentence(s, _TOKENIZER) for s in sentences]
    return ObjectDocumentModel([Paragraph(objects)]), objects


def sumy_method(name: str) -> Method:
    """Return a registry entry that runs sumy's ``name`` summarizer."""

    def run(sentences: Sequence[str], k: int) -> list[int]:
        doc, objects = document(sentences)
        position = {id(s): i for i, s in enumerate(objects)}
        chosen = _sumy_summarizer(name)(doc, k)
        return sorted(position[id(s)] for s in chosen)

    run.__name__ = f"sumy_{name}"
    return run


def lead(sentences: Sequence[str], k: int) -> list[int]:
    """The first ``k`` sentences: the classic news baseline."""
    return list(range(min(k, len(sentences))))


# --- default ranking -----------------------------------------------------------------------------
# sumy's centrality (LexRank, TextRank) and frequency (SumBasic) scores, with the same stemmed content
# words and formulas as sumy but computed once per article with numpy (sumy's own loops are quadratic in
# pure Python), plus a position prior and position-aware centrality (PACSUM, Zheng & Lapata 2019), the
# similarity to the lead sentence, penalties for sentences that make poor facts, two position slots (the lead,
# then one fact of the lead paragraph) and MMR redundancy removal (Carbonell & Goldstein 1998).
# The weights are data (briefing/data/default_weights.json), chosen by bench/tune_default.py on the tune parts of
# bbc-dev and of the lead-style sets; bench/quality.py measures them on the held-out parts.

FEATURES = ("lexrank", "textrank", "sumbasic", "forward", "position", "length", "first", "centroid", "relative_length")
FLAGS = ("question", "orphan_quote", "junk", "dateline", "fragment", "short", "long", "pronoun", "connective")
_DYNAMIC = (FLAGS.index("pronoun"), FLAGS.index("connective"))  # lifted when the sentence before is chosen too


@dataclass(frozen=True)
class Weights:
    """Weights of the default ranking: one per feature in ``FEATURES`` and per flag in ``FLAGS``, and the shape of
    the position prior. The field defaults are a plain TextRank with the held penalties (junk, datelines, dangling
    pronouns and connectives at 1.0), no prior and no slots; ``DEFAULT_WEIGHTS`` are the tuned ones.

    A sentence's score is ``features @ weights.features + lead_similarity * cosine(sentence, first sentence) -
    flags @ weights.flags``, with the "position" feature turned into the prior ``exp(-index / decay)``. Facts are
    chosen greedily by score (MMR): the first among the first ``lead_slot`` sentences, the second among the first
    ``second_slot`` (0: no slot). A slot never takes a sentence that leans on an unchosen one before it (a leading
    pronoun or connective); a slot with no candidate left is no restriction.
    """

    features: tuple[float, ...] = tuple(1.0 if name == "textrank" else 0.0 for name in FEATURES)
    flags: tuple[float, ...] = tuple(
        {"junk": 1.0, "dateline": 1.0, "pronoun": 1.0, "connective": 1.0}.get(name, 0.0) for name in FLAGS
    )
    # MMR: weight of the highest similarity to a fact already chosen; a near-copy of a chosen fact
    # (``words.same_statement`` of their content words) is never chosen whatever this weight.
    redundancy: float = 0.0
    decay: float = 3.0  # position prior exp(-index / decay)
    lead_slot: int = 0  # the first fact is the best-scoring one among the first ``lead_slot`` sentences (0: off)
    second_slot: int = 0  # the second fact is the best-scoring one among the first ``second_slot`` (0: off)
    lead_similarity: float = 0.0  # weight of the tf-idf cosine with the first sentence (1 for the first itself)


def load_weights(data: dict[str, object]) -> Weights:
    """``Weights`` from their JSON form: features and flags by name (missing ones 0), other fields as ``Weights()``."""
    features = data.get("features", {})
    flags = data.get("flags", {})
    if not isinstance(features, dict) or not isinstance(flags, dict):
        raise ValueError("features and flags must be objects of name: weight")
    unknown = (set(features) - set(FEATURES)) | (set(flags) - set(FLAGS))
    if unknown:
        raise ValueError(f"unknown weights: {sorted(unknown)}")
    plain = Weights()

    def number(key: str, default: float) -> float:
        value = data.get(key, default)
        if not isinstance(value, (int, float)):
            raise ValueError(f"{key} must be a number")
        return float(value)

    return Weights(
        features=tuple(float(features.get(name, 0.0)) for name in FEATURES),
        flags=tuple(float(flags.get(name, 0.0)) for name in FLAGS),
        redundancy=number("redundancy", plain.redundancy),
        decay=number("decay", plain.decay),
        lead_slot=int(number("lead_slot", plain.lead_slot)),
        second_slot=int(number("second_slot", plain.second_slot)),
        lead_similarity=number("lead_similarity", plain.lead_similarity),
    )


def dump_weights(weights: Weights) -> dict[str, object]:
    """The JSON form of ``weights`` (see ``load_weights``)."""
    return {
        "features": dict(zip(FEATURES, weights.features, strict=True)),
        "flags": dict(zip(FLAGS, weights.flags, strict=True)),
        "redundancy": weights.redundancy,
        "decay": weights.decay,
        "lead_slot": weights.lead_slot,
        "second_slot": weights.second_slot,
        "lead_similarity": weights.lead_similarity,
    }


@cache
def _shipped_weights() -> Weights:
    from importlib.resources import files

    return load_weights(json.loads(files("briefing.data").joinpath("default_weights.json").read_text("utf-8")))


DEFAULT_WEIGHTS = _shipped_weights()

_QUOTES = "\"“”„«»"
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|according to|added|adds|asked|explained|stated|warned|insisted|argued|claimed|"
    r"wrote|writes|announced|noted|commented|replied|declared|admitted|suggested|stressed|urged)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^[\"'“‘(]*(?:he|she|it|they|this|these|those|that|his|her|its|their|them|him|such)\b", re.I)
_CONNECTIVE = re.compile(
    r"^[\"'“‘(]*(?:but|meanwhile|however|and|also|yet|so|still|instead|nevertheless|moreover|furthermore|besides|"
    r"in addition|thus|therefore|otherwise|likewise|similarly|then|or|nor)\b",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(
    r"^(?:\d[\d:,./-]*|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|"
    r"mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|gmt|utc|bst|edt|est|am|pm|updated|published|posted)$",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_SHORT, _LONG = 6, 55


def _content_terms(words: Sequence[str]) -> list[str]:
    """Stemmed terms of a sentence's tokens (``briefing.words``'s stop list and stemmer), as sumy counts them: numbers
    and short words stay terms here, where they tie a sentence to the others (dropping them, as
    ``words.content_words`` does, lowered bench/quality.py's figures)."""
    return [stem(w) for w in (t.lower() for t in words) if w not in STOP_WORDS]


_MARKUP = re.compile(r"!\[|\|")  # markdown image or table residue left inside a sentence


def _is_furniture(text: str) -> bool:
    """Scrape artefacts, captions, prompts and bylines: ``briefing.clean``'s rules (the ones that keep them out of
    the facts, so that the ranking and the cleaning never disagree on what junk is), and markup residue."""
    return bool(_MARKUP.search(text)) or is_junk_line(text) or any(p.search(text) for _, p in JUNK_SENTENCES)


def sentence_flags(sentence: str, words: Sequence[str] | None = None) -> list[bool]:
    """Flags (in ``FLAGS`` order) that make a sentence a poor stand-alone fact."""
    words = tokenize(sentence) if words is None else words
    text = sentence.strip()
    n = len(words)
    quotes = sum(text.count(q) for q in _QUOTES)
    quoted = quotes > 0 and (text[0] in _QUOTES or quotes % 2 == 1)
    headline = 0 < n <= 12 and sum(1 for w in words if w[0].isupper() or _DATE_WORD.match(w)) >= 0.8 * n
    return [
        text.rstrip(_QUOTES + "'’)]").endswith("?"),
        quoted and not _SPEECH.search(text),
        _is_furniture(text),
        headline,
        not _END.search(text) or not text[0].isupper() and text[0] not in _QUOTES + "'‘(" and not text[0].isdigit(),
        n < _SHORT,
        n > _LONG,
        bool(_PRONOUN.match(text)),
        bool(_CONNECTIVE.match(text)),
    ]


@dataclass(frozen=True)
class ArticleFeatures:
    """Everything the default ranking needs about one article, computed once."""

    features: np.ndarray  # (sentences, len(FEATURES)), in [0, 1] except "position", the raw index
    flags: np.ndarray  # (sentences, len(FLAGS)) of 0/1
    similarity: np.ndarray  # (sentences, sentences) tf-idf cosine
    word_sets: tuple[frozenset[str], ...]  # each sentence's content words: a chosen fact's near-copies are never chosen


def _power(matrix: np.ndarray, epsilon: float, normalise: bool) -> np.ndarray:
    """sumy's power method (LexRank normalises each step, TextRank does not), with an iteration cap."""
    p = np.full(len(matrix), 1.0 / len(matrix))
    for _ in range(200):
        nxt = matrix.T @ p
        if normalise:
            nxt /= np.linalg.norm(nxt) or 1.0
        done = np.linalg.norm(nxt - p) <= epsilon
        p = nxt
        if done:
            break
    return p


def _unit(x: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(x))
    return x / norm if norm > 0 else x


def _scaled(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if len(x) else 0.0
    return x / top if top > 0 else np.zeros_like(x)


def _pair_sums(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """``M @ M.T`` of the sparse (sentences x terms) matrix given by its entries, without a dense (n x terms) matrix.

    A term's entries add their products to every pair of sentences that share it: memory is (n x n) plus the
    entries, time the sum of each term's sentence count squared (terms in one sentence only add to the diagonal).
    """
    product = np.zeros((n, n))
    order = np.argsort(cols, kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    bounds = np.flatnonzero(np.diff(cols)) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(cols)]
    single = starts[ends - starts == 1]
    np.add.at(product, (rows[single], rows[single]), values[single] ** 2)
    shared = ends - starts > 1
    for start, end in zip(starts[shared], ends[shared], strict=True):
        r, v = rows[start:end], values[start:end]
        product[np.ix_(r, r)] += np.outer(v, v)
    return product


def article_features(sentences: Sequence[str]) -> ArticleFeatures:
    """Compute sumy's scores, position features and flags of every sentence in one pass.

    Term counts are kept sparse (one entry per sentence and content word), so memory is (sentences x sentences)
    plus the words, whatever the vocabulary. ``select_key_facts`` scores at most ``MAX_SCORED_SENTENCES``.
    """
    words = [tokenize(s) for s in sentences]
    terms = [_content_terms(w) for w in words]
    n = len(sentences)
    vocab: dict[str, int] = {}
    pairs: dict[tuple[int, int], int] = {}  # (sentence, term) -> count
    for i, ts in enumerate(terms):
        for t in ts:
            key = (i, vocab.setdefault(t, len(vocab)))
            pairs[key] = pairs.get(key, 0) + 1
    entries = np.array(list(pairs), dtype=int).reshape(-1, 2)
    rows, cols = entries[:, 0], entries[:, 1]
    counts = np.fromiter(pairs.values(), dtype=float, count=len(pairs))
    size = max(1, len(vocab))
    lengths = np.bincount(rows, weights=counts, minlength=n)

    # LexRank as sumy computes it: tf / max tf, idf = log(n / (1 + df)), cosine, threshold 0.1.
    top_tf = np.ones(n)
    np.maximum.at(top_tf, rows, counts)
    idf = np.log(n / (1 + np.bincount(cols, minlength=size)))
    vectors = counts / top_tf[rows] * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=vectors**2, minlength=n))
    unit = vectors / np.where(norms > 0, norms, 1)[rows]
    similarity = _pair_sums(rows, cols, unit, n)
    adjacency = (similarity > LexRankSummarizer.threshold).astype(float)
    adjacency /= np.maximum(adjacency.sum(axis=1, keepdims=True), 1)
    lexrank = _power(adjacency, LexRankSummarizer.epsilon, normalise=True)

    # TextRank as sumy computes it: shared words / (log len1 + log len2), damping 0.85.
    logs = np.log(np.maximum(lengths, 1))
    norm = logs[:, None] + logs[None, :]
    shared = _pair_sums(rows, cols, counts, n)
    edges = np.where(norm > 1e-9, shared / np.where(norm > 1e-9, norm, 1), shared)
    edges[lengths == 0, :] = 0
    edges[:, lengths == 0] = 0
    edges /= edges.sum(axis=1, keepdims=True) + 1e-7
    damping = TextRankSummarizer.damping
    textrank = _power((1 - damping) / n + damping * edges, TextRankSummarizer.epsilon, normalise=False)

    # SumBasic's first-round score: mean document probability of the sentence's content words.
    probability = np.bincount(cols, weights=counts, minlength=size) / max(1.0, counts.sum())
    sumbasic = np.bincount(rows, weights=counts * probability[cols], minlength=n) / np.maximum(lengths, 1)

    # PACSUM: a lead sentence is central when later sentences elaborate on it (forward edges only).
    off = similarity - np.eye(n)
    forward = np.triu(np.maximum(off - 0.1, 0), k=1).sum(axis=1)

    centroid = _unit(np.bincount(cols, weights=vectors, minlength=size))
    index = np.arange(n)
    n_words = np.array([len(w) for w in words], dtype=float)
    features = np.column_stack(
        [
            _scaled(lexrank),
            _scaled(textrank),
            _scaled(sumbasic),
            _scaled(forward),
            index.astype(float),  # turned into the prior exp(-index / decay) by the weights
            np.minimum(n_words, 35) / 35,
            (index == 0).astype(float),
            _scaled(np.maximum(np.bincount(rows, weights=unit * centroid[cols], minlength=n), 0)),
            _scaled(n_words),
        ]
    )
    flags = np.array([sentence_flags(s, w) for s, w in zip(sentences, words, strict=True)], dtype=float)
    return ArticleFeatures(features, flags.reshape(n, len(FLAGS)), similarity, tuple(map(word_set, sentences)))


def rank_facts(article: ArticleFeatures, k: int, weights: Weights = DEFAULT_WEIGHTS) -> list[int]:
    """Greedy MMR selection of up to ``k`` sentences (near-copies of a chosen one never); indices in order chosen."""
    f = article.features.copy()
    f[:, FEATURES.index("position")] = np.exp(-f[:, FEATURES.index("position")] / weights.decay)
    flag_w = np.asarray(weights.flags)
    static_w = flag_w.copy()
    static_w[list(_DYNAMIC)] = 0
    base = f @ np.asarray(weights.features) - article.flags @ static_w
    n = len(base)
    if weights.lead_similarity and n:
        to_lead = article.similarity[0].copy()
        to_lead[0] = 1.0
        base += weights.lead_similarity * to_lead
    dynamic = article.flags[:, list(_DYNAMIC)] @ flag_w[list(_DYNAMIC)]
    leaning = article.flags[:, list(_DYNAMIC)].any(axis=1)
    slots = (weights.lead_slot, weights.second_slot)
    chosen: list[int] = []
    taken = np.zeros(n, dtype=bool)
    closest = np.zeros(n)
    copies = np.zeros(n, dtype=bool)  # near-copies of a chosen fact (``words.same_statement``)
    for step in range(min(k, n)):
        context = np.concatenate([[False], taken[:-1]])  # sentence before is already a fact
        gain = base - np.where(context, 0.0, dynamic) - weights.redundancy * closest
        gain[copies] = -np.inf  # a near-copy of a chosen fact is never a second fact
        gain[taken] = -np.inf
        if step < len(slots) and slots[step] > 0:
            window = gain.copy()
            window[slots[step] :] = -np.inf
            window[leaning & ~context] = -np.inf  # a slot never takes a sentence that leans on an unchosen one
            if np.isfinite(window).any():
                gain = window
        best = int(np.argmax(gain))
        if gain[best] == -np.inf:
            break
        chosen.append(best)
        taken[best] = True
        closest = np.maximum(closest, article.similarity[best])
        copies |= np.fromiter((same_statement(article.word_sets[best], w) for w in article.word_sets), bool, n)
    return chosen


def default_method(sentences: Sequence[str], k: int) -> list[int]:
    """The default ranking: sumy's scores + position prior and slots + poor-fact penalties, chosen with MMR."""
    return sorted(rank_facts(article_features(sentences), k))


SUMMARIZERS: dict[str, Method] = {name: sumy_method(name) for name in _SUMY_CLASSES}
SUMMARIZERS["lead"] = lead
SUMMARIZERS["default"] = default_method


# Centrality compares every pair of sentences, so the facts are chosen from the first sentences only: 1,000 are
# about 20,000 words, several times the longest news article (bbc-dev and the samples have at most 149). Longer
# "articles" (a scraped page dump, a live blog) cost the same as 1,000 sentences, not quadratically more.
MAX_SCORED_SENTENCES = 1000


def select_key_facts(sentences: Sequence[str], k: int, method: str = "default") -> list[int]:
    """Choose up to ``k`` key-fact sentences.

    Args:
        sentences: the article's sentences, in order; only the first ``MAX_SCORED_SENTENCES`` are scored.
        k: how many facts to keep.
        method: a name in ``SUMMARIZERS``.

    Returns:
        Indices into ``sentences``, ascending (article order).
    """
    if not sentences or k <= 0:
        return []
    sentences = sentences[:MAX_SCORED_SENTENCES]
    if len(sentences) <= k:
        return list(range(len(sentences)))
    return SUMMARIZERS[method](sentences, k)


# --- top lines of the day ------------------------------------------------------------------------
# Flag penalties for a fact shown on its own at the top of the brief: with no sentence before it, a leading
# pronoun or connective is always unresolved, so those count in full here.
_TOP_PENALTY = dict(zip(FLAGS, (0.5, 0.5, 0.9, 0.9, 0.6, 0.4, 0.3, 0.5, 0.4), strict=True))
NEAR_DUPLICATE = 1 / 3  # similarity (Jaccard) of two facts' content words at or above which they count as one


def fact_quality(sentence: str) -> float:
    """How well a sentence stands alone as a fact, in (0, 1]: 1 minus the penalties of its flags."""
    penalty = sum(w for w, on in zip(_TOP_PENALTY.values(), sentence_flags(sentence), strict=True) if on)
    return max(0.05, 1.0 - penalty)


def select_top_lines(
    candidates: Sequence[tuple[str, float]], n: int, groups: Sequence[Hashable] | None = None
) -> list[int]:
    """Choose the brief's top lines across stories, never repeating a fact.

    Args:
        candidates: (fact sentence, story importance >= 0), e.g. each story's key facts in their rank order.
        n: how many lines to choose.
        groups: optional story key per candidate; a story's later facts count less (0.7 per rank) and a
            second line from a story already shown counts half, so the top lines spread over stories.

    Returns:
        Indices into ``candidates``, best first. A fact whose content words are near-identical to one
        already chosen (``words.similarity`` >= ``NEAR_DUPLICATE``), e.g. the same event from two sources, is never chosen.
    """
    if n <= 0 or not candidates:
        return []
    keys = list(groups) if groups is not None else list(range(len(candidates)))
    rank_in_group: list[int] = []
    seen: dict[Hashable, int] = {}
    for key in keys:
        rank_in_group.append(seen.get(key, 0))
        seen[key] = rank_in_group[-1] + 1
    terms = [word_set(text) for text, _ in candidates]
    texts = [" ".join(tokenize(text)).lower() for text, _ in candidates]
    base = [
        max(0.0, importance) * fact_quality(text) * 0.7**rank
        for (text, importance), rank in zip(candidates, rank_in_group, strict=True)
    ]
    chosen: list[int] = []
    used_groups: set[Hashable] = set()
    while len(chosen) < n:
        best, best_score = -1, -1.0
        for i, score in enumerate(base):
            if i in chosen or not texts[i] or any(
                texts[i] == texts[j] or terms[i] and similarity(terms[i], terms[j]) >= NEAR_DUPLICATE for j in chosen
            ):
                continue
            if groups is not None and keys[i] in used_groups:
                score *= 0.5
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        used_groups.add(keys[best])
    return chosen
