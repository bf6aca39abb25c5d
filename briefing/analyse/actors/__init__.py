"""Named actors: people with roles, organisations and places.

Three steps, one module each:

- ``ner``: a CRF model (python-crfsuite, trained by ``tools/train_ner.py``) labels the words that are names; its
  tokens, features and word lists, and the model file, opened once per process.
- ``mentions``: rules around the model keep names to names, type them, give people their roles and count plain
  demonyms ("French troops") as mentions of the country.
- ``merge``: mentions grouped into actors (aliases, variants and surnames merged), each under one display name;
  the same rules merge the actors of several articles or stories (``index_actors``).

The word lists are data files in ``briefing/data`` (see its README).
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import Actor

from .mentions import Mention, find_mentions
from .merge import build_actors, display_name, index_actors, merge_actors, salient_order
from .ner import (
    LABEL_TYPES,
    Model,
    common_words,
    gazetteer,
    load_model,
    open_model,
    sentence_features,
    tag_sentences,
    tokenize,
)

__all__ = [
    "LABEL_TYPES",
    "Mention",
    "Model",
    "common_words",
    "display_name",
    "extract_actors",
    "find_mentions",
    "gazetteer",
    "index_actors",
    "load_model",
    "merge_actors",
    "open_model",
    "salient_order",
    "sentence_features",
    "tag_sentences",
    "tokenize",
]


def extract_actors(text: str, sentences: Sequence[str], model: Model | None = None) -> list[Actor]:
    """Return the named actors of an article, most important first (mentions, then first appearance).

    Args:
        text: the article text.
        sentences: its sentences, verbatim substrings of ``text`` (``briefing.analyse.sentences.split_sentences``).
        model: the CRF model to tag with (``open_model``); the shipped one by default.

    Returns:
        People (with the role the text gives them), organisations and places, aliases merged.
    """
    if not text.strip():
        return []
    return build_actors(text, find_mentions(text, sentences, model))
