"""What the benchmarks share: where the development data lives and how to read its files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"  # present on a development machine, absent in a user's clone
BBC = SHARED / "bbc-dev" / "News Articles"
SAMPLES = REPO / "samples" / "articles"


def read_text(path: Path) -> str:
    """UTF-8, falling back to latin-1 (one BBC file is latin-1)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def fact_sentences(sentences: Sequence[str]) -> list[str]:
    """What ``briefing.analyse`` ranks for key facts: each sentence's fact span (``clean.fact_span``: a dateline or
    run-in caption cut off), junk sentences (captions, bylines, fragments, over-long "sentences") dropped. Benches
    that call ``select_key_facts`` go through this, so they measure what the product does."""
    from briefing.analyse import MAX_SENTENCE_CHARS
    from briefing.clean import fact_span

    spans = (fact_span(s) if len(s) <= MAX_SENTENCE_CHARS else None for s in sentences)
    return [span for span in spans if span]
