"""Named actors: people with roles, organisations and places."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import Actor


def extract_actors(text: str, sentences: Sequence[str]) -> list[Actor]:
    """Return the named actors of an article, most important first. To be implemented (issue 3)."""
    return []


def merge_actors(groups: Sequence[Sequence[Actor]]) -> list[Actor]:
    """Merge actor lists of several articles (aliases across articles). To be implemented (issue 3)."""
    return [a for g in groups for a in g]
