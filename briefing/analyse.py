"""Analyse one article: sentences, key facts, open issues and named actors."""

from __future__ import annotations

import logging

from briefing.actors import extract_actors
from briefing.issues import extract_open_issues
from briefing.models import Analysis, Article
from briefing.summarise import select_key_facts
from briefing.text import split_sentences

logger = logging.getLogger(__name__)


def analyse_article(article: Article, facts: int = 3, method: str = "default") -> Analysis:
    """Analyse one cleaned article.

    Args:
        article: the article, as read and cleaned by ingest.
        facts: how many key facts to keep.
        method: a summariser name from ``briefing.summarise.SUMMARIZERS``.

    Returns:
        The analysis; every key fact and every open issue's evidence is a verbatim sentence of the article.
    """
    sentences = split_sentences(article.text)
    chosen = select_key_facts(sentences, facts, method)
    return Analysis(
        article=article,
        sentences=tuple(sentences),
        key_facts=tuple(sentences[i] for i in chosen),
        open_issues=tuple(extract_open_issues(sentences)),
        actors=tuple(extract_actors(article.text, sentences)),
    )
