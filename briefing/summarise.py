"""Key facts: choose the sentences of an article that carry its facts.

Methods live in a plain registry, ``SUMMARIZERS``: a name maps to a function
``(sentences, k) -> indices``. The sumy methods register the same way an extension would.
Every method returns indices into the given sentences, so facts are always verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefing.text import Tokenizer, tokenize_words

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
    summarizer = _SUMY_CLASSES[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    if name == "edmundson":  # Edmundson needs cue words; these are the usual newsroom ones
        summarizer.bonus_words = ("said", "announced", "agreed", "killed", "decided", "government", "president")
        summarizer.stigma_words = ("however", "but", "meanwhile", "perhaps", "maybe")
        summarizer.null_words = get_stop_words("english")
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


# --- default ranking -------------------------------------------------------------------------

_STEMMER = Stemmer("english")
_STOP_WORDS = frozenset(w.lower() for w in get_stop_words("english"))


@cache
def _stem(word: str) -> str:
    return _STEMMER(word)


def _content_terms(sentence: str) -> list[str]:
    """Stemmed, lower-cased content words, normalised the way sumy normalises them."""
    return [_stem(w) for w in (t.lower() for t in tokenize_words(sentence)) if w not in _STOP_WORDS]


def _lexrank_scores(terms: list[list[str]]) -> np.ndarray:
    """LexRank centrality (sumy's formula: tf/max-tf times idf, cosine, threshold 0.1), vectorised."""
    n = len(terms)
    vocab: dict[str, int] = {}
    for ts in terms:
        for t in ts:
            vocab.setdefault(t, len(vocab))
    tf = np.zeros((n, max(1, len(vocab))))
    for i, ts in enumerate(terms):
        for t in ts:
            tf[i, vocab[t]] += 1
    tf /= np.maximum(tf.max(axis=1, keepdims=True), 1)
    df = (tf > 0).sum(axis=0)
    idf = np.log(n / (1 + df))
    vec = tf * idf
    norms = np.linalg.norm(vec, axis=1)
    norms[norms == 0] = 1
    unit = vec / norms[:, None]
    sim = unit @ unit.T
    adj = (sim > LexRankSummarizer.threshold).astype(float)
    degrees = adj.sum(axis=1)
    degrees[degrees == 0] = 1
    matrix = adj / degrees[:, None]
    return LexRankSummarizer.power_method(matrix, LexRankSummarizer.epsilon)


def default_method(sentences: Sequence[str], k: int) -> list[int]:
    """Rank by sumy's LexRank centrality times a position prior (news puts facts first)."""
    terms = [_content_terms(s) for s in sentences]
    central = _lexrank_scores(terms)
    central = central / (central.max() or 1.0)
    position = 1.0 / (1.0 + 0.1 * np.arange(len(sentences)))
    score = central * position
    order = np.argsort(-score, kind="stable")
    return sorted(int(i) for i in order[:k])


SUMMARIZERS: dict[str, Method] = {name: sumy_method(name) for name in _SUMY_CLASSES}
SUMMARIZERS["lead"] = lead
SUMMARIZERS["default"] = default_method


def select_key_facts(sentences: Sequence[str], k: int, method: str = "default") -> list[int]:
    """Choose up to ``k`` key-fact sentences.

    Args:
        sentences: the article's sentences, in order.
        k: how many facts to keep.
        method: a name in ``SUMMARIZERS``.

    Returns:
        Indices into ``sentences``, ascending (article order).
    """
    if not sentences or k <= 0:
        return []
    if len(sentences) <= k:
        return list(range(len(sentences)))
    return SUMMARIZERS[method](sentences, k)
