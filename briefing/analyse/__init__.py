"""Analyse one article: sentences, key facts, open issues and named actors."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.analyse.actors import extract_actors
from briefing.analyse.facts import MAX_SCORED_SENTENCES, select_key_facts
from briefing.analyse.issues import extract_open_issues
from briefing.analyse.sentences import split_sentences
from briefing.clean import fact_span
from briefing.models import Actor, Analysis, Article, OpenIssue

logger = logging.getLogger(__name__)

MAX_SENTENCE_CHARS = 1200  # about 200 words


def analyse_article(article: Article, facts: int = 3, method: str = "default") -> Analysis:
    """Analyse one cleaned article.

    Args:
        article: the article, as read and cleaned by ingest.
        facts: how many key facts to keep.
        method: a summariser name from ``briefing.analyse.facts.SUMMARIZERS``.

    Returns:
        The analysis; every key fact and every open issue's evidence is a verbatim sentence of the article.
    """
    sentences = split_sentences(article.text)
    # A fact is a verbatim span of one sentence: the sentence, or its part after a dateline or a run-in
    # caption (``clean.fact_span``). Captions, prompts, bylines, fragments and run-on text are never
    # facts, nor is a "sentence" longer than a page paragraph (a missing full stop, a scraped table).
    spans = [fact_span(s) if len(s) <= MAX_SENTENCE_CHARS else None for s in sentences]
    fit = [i for i, span in enumerate(spans) if span]
    chosen = select_key_facts([spans[i] or "" for i in fit], facts, method)
    # Open issues and actors, like key facts, come from the first MAX_SCORED_SENTENCES sentences only:
    # actors' cost grows with names times text, and an article is never that long (bench/size.py).
    head, text = sentences, article.text
    if len(sentences) > MAX_SCORED_SENTENCES:
        head = sentences[:MAX_SCORED_SENTENCES]
        text = article.text[: _end_of(article.text, head)]
    return Analysis(
        article=article,
        sentences=tuple(sentences),
        key_facts=tuple(spans[fit[i]] or "" for i in chosen),
        open_issues=tuple(i for i in extract_open_issues(head) if len(i.evidence) <= MAX_SENTENCE_CHARS),
        actors=tuple(extract_actors(text, head)),
    )


def _end_of(text: str, sentences: list[str]) -> int:
    """Where the last of ``sentences`` (verbatim, in order) ends in ``text``; the text's length if one is not found."""
    position = 0
    for sentence in sentences:
        found = text.find(sentence, position)
        if found < 0:
            return len(text)
        position = found + len(sentence)
    return position


# Outside briefing/analyse, the modules the analysis reads: cleaning (fact spans) and the package's word measures.
ANALYSIS_MODULES = ("clean.py", "words.py")


@cache
def analyser_version(facts: int, method: str) -> str:
    """A fingerprint of everything an analysis depends on: settings, the analysing code and the shipped data.

    Stored analyses made under another fingerprint are recomputed, so a change of code or model never
    leaves a stale analysis in a brief.
    """
    return code_fingerprint(Path(__file__).resolve().parent.parent, f"{__version__}:{facts}:{method}")


def code_fingerprint(root: Path, settings: str) -> str:
    """Hash of ``settings`` and every file of ``root``/analyse, ``root``/data and the ANALYSIS_MODULES."""
    files = sorted((root / "analyse").rglob("*")) + [root / n for n in ANALYSIS_MODULES] + sorted((root / "data").rglob("*"))
    digest = hashlib.sha1(settings.encode())
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b":" + path.read_bytes())
    return digest.hexdigest()[:16]


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    return {
        "sentences": list(analysis.sentences),
        "key_facts": list(analysis.key_facts),
        "open_issues": [asdict(i) for i in analysis.open_issues],
        "actors": [asdict(a) for a in analysis.actors],
    }


def analysis_from_dict(article: Article, data: dict[str, Any]) -> Analysis:
    return Analysis(
        article=article,
        sentences=tuple(data["sentences"]),
        key_facts=tuple(data["key_facts"]),
        open_issues=tuple(OpenIssue(**i) for i in data["open_issues"]),
        actors=tuple(Actor(**{**a, "aliases": tuple(a["aliases"])}) for a in data["actors"]),
    )
