"""Key facts: choose the sentences of an article that carry its facts.

Methods live in a plain registry, ``SUMMARIZERS``: a name maps to a function
``(sentences, k) -> indices``. The sumy methods register the same way an extension would.
Every method returns indices into the given sentences, so facts are always verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

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

from briefing.text import Tokenizer

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


SUMMARIZERS: dict[str, Method] = {name: sumy_method(name) for name in _SUMY_CLASSES}
SUMMARIZERS["lead"] = lead


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
