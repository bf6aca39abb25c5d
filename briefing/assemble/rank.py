"""Ranking: each story's headline and score, the order of the stories and the top lines of the brief.

A story ranks by the distinct outlets that carried it, then by what it says (actors, open issues, continuing,
recency); see ``story_score`` and docs/ranking.md. Its headline is a real title of its most representative
article (``story_headline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from briefing.analyse import facts as summarise
from briefing.assemble.articles import article_time, outlet_of, sort_time, source_weights
from briefing.assemble.blocking import cosine, term_counts, tfidf_vectors
from briefing.clean import derive_title
from briefing.models import Analysis, Story

if TYPE_CHECKING:
    from briefing.config import Config

TOP_LINES = 5

# Ranking (story_score): what a story says adds less than one outlet (the four sum to 0.95).
SCORE_ACTORS = 0.25
SCORE_ISSUES = 0.2
SCORE_CONTINUING = 0.2
SCORE_RECENCY = 0.3


def _has_own_title(analysis: Analysis) -> bool:
    """True if the article came with a title (not one derived from its first sentence)."""
    title = analysis.article.title.strip()
    return bool(title) and title != derive_title(analysis.article.text)


def _representative(group: Sequence[int], analyses: Sequence[Analysis], candidates: Sequence[int]) -> int:
    """Of ``candidates``, the article most similar on average to the others of the group (ties: first)."""
    if len(candidates) == 1 or len(group) < 3:
        return candidates[0]
    vectors = dict(zip(group, tfidf_vectors([term_counts(analyses[i]) for i in group]), strict=True))

    def centrality(i: int) -> float:
        return sum(cosine(vectors[i], vectors[j]) for j in group if j != i)

    return max(candidates, key=lambda i: (centrality(i), -candidates.index(i)))


def story_headline(group: Sequence[int], analyses: Sequence[Analysis], ordered: Sequence[int]) -> str:
    """A real title of the story's articles, the most representative one's; else one derived from a lead sentence."""
    titled = [i for i in ordered if _has_own_title(analyses[i])]
    if titled:
        return analyses[_representative(group, analyses, titled)].article.title
    return analyses[ordered[0]].article.title



def _recency(story: Story, now: datetime) -> float:
    """1 for a story whose newest article is from now, halving every 24 hours; 0 without times."""
    times = [t for t in (article_time(a) for a in story.analyses) if t is not None]
    if not times:
        return 0.0
    newest = max(times, key=sort_time)
    reference = now if (now.tzinfo is None) == (newest.tzinfo is None) else now.replace(tzinfo=newest.tzinfo)
    return float(0.5 ** (max(0.0, (reference - newest).total_seconds() / 3600) / 24))


def story_score(story: Story, weights: dict[str, float], now: datetime) -> float:
    """Importance, documented in docs/ranking.md: outlets first, then what the story says.

    Each distinct outlet that carried the story adds the weight of the configured source it came
    through (1 by default), so one more outlet always outranks anything the story says. What it
    says adds less than 1 in all: up to ``SCORE_ACTORS`` for its named actors (people and
    organisations mentioned at least twice, ten or more for the full share), up to
    ``SCORE_ISSUES`` for its open issues (three or more), ``SCORE_CONTINUING`` if it continues a
    story of an earlier brief, and up to ``SCORE_RECENCY`` for recency (halving every 24 hours).
    """
    outlets: dict[str, float] = {}
    for src in story.sources:
        outlet = outlet_of(src)
        outlets[outlet] = max(outlets.get(outlet, 0.0), weights.get(src["name"], 1.0))
    salient = sum(a.mentions >= 2 and a.type != "place" for a in story.actors)
    return (
        sum(outlets.values())
        + SCORE_ACTORS * min(1.0, salient / 10)
        + SCORE_ISSUES * min(1.0, len(story.open_issues) / 3)
        + SCORE_CONTINUING * (story.status == "continuing")
        + SCORE_RECENCY * _recency(story, now)
    )


def rank_stories(stories: Sequence[Story], cfg: Config, now: datetime) -> list[Story]:
    """Stories with their score set, most important first.

    Equal scores fall to the longer reporting (more articles, then more words), then the earlier
    story, then the story id: never to the alphabet of the headline.
    """
    weights = source_weights(cfg)
    scored = [replace(s, score=round(story_score(s, weights, now), 4)) for s in stories]

    def order(s: Story) -> tuple[float, int, int, float, str]:
        words = sum(len(a.article.text.split()) for a in s.analyses)
        start = min((sort_time(article_time(a)) for a in s.analyses), default=float("inf"))
        return (-s.score, -len(s.analyses), -words, start, s.id)

    return sorted(scored, key=order)


def top_lines(stories: Sequence[Story], k: int = TOP_LINES) -> tuple[str, ...]:
    """The most important facts of the day, chosen across the ranked stories without repeating a fact."""
    candidates = [(fact, max(story.score, 0.0)) for story in stories for fact in story.key_facts]
    groups = [story.id for story in stories for _ in story.key_facts]
    return tuple(candidates[i][0] for i in summarise.select_top_lines(candidates, k, groups))

