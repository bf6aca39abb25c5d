"""Assemble: turn the day's analyses into the ranked stories of the brief.

Steps, each a plain function, each step's module named after it:

1. ``stories.group_events``: articles about the same event become one story. Candidate pairs come from an
   inverted index on the articles' most distinctive TF-IDF terms, each pair is judged on event-level evidence
   (leads, names, actions, numbers, dates, places) by a logistic model, average linkage joins groups and a second
   pass splits a group of two dense parts; a looser part is kept as *related reports* of the story. See
   ``briefing/assemble/stories.py``, docs/stories.md and ``bench/cluster_eval.py``.
2. ``build_story`` (here): a real title as headline (``rank.story_headline``), key facts taken in turns from all
   its articles (each with its outlet) with facts stating the same thing counted once (``words.same_statement``),
   each fact corroborated (``corroborate``), open issues and actors merged.
3. ``rank.rank_stories``: by the distinct outlets that carried the story, then what it says (actors, open
   issues, continuing, recency); see ``rank.story_score`` and docs/ranking.md.
4. ``days.follow_stories``: day over day, a story similar to one of an earlier brief in the store is
   ``continuing``, keeps that story's id and start date, and its open issues are marked
   ``new``, ``carried_over`` or ``resolved``.

``assemble_brief`` runs the four and cuts the brief to ``brief.max_stories``, with its top lines
(``rank.top_lines``). Near-duplicate articles were merged before, at ingest (``dedup``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing.analyse import actors as actors_module
from briefing.assemble import corroborate
from briefing.assemble.articles import article_sources, article_time, outlet_of, sort_time, source_weights
from briefing.assemble.calendar import upcoming_events
from briefing.assemble.days import ISSUE_MATCH, follow_stories, gone_quiet
from briefing.assemble.rank import rank_stories, story_headline, top_lines
from briefing.assemble.stories import EventGroup, group_events
from briefing.assemble.watch import match_watchlist
from briefing.models import Analysis, Brief, Excluded, Fact, OpenIssue, Story
from briefing.words import same_statement, similarity, word_set

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.store import Store

__all__ = ["assemble_brief", "build_story", "merge_issues", "outlet_of", "related_reports", "story_id",
           "with_corroboration"]

logger = logging.getLogger(__name__)


def merge_issues(groups: Sequence[Sequence[OpenIssue]]) -> list[OpenIssue]:
    """Open issues of several articles, the same issue kept once.

    Issues of one article are all kept (the extractor already merged its own duplicates, and one
    sentence may carry several issues: "who would command it and who would fund it"). Across
    articles, two issues are the same when their topics are equal, or when their questions share
    most content words and their topics share a word.
    """
    kept: list[tuple[int, OpenIssue, frozenset[str], frozenset[str]]] = []
    for article, issues in enumerate(groups):
        for issue in issues:
            words, topic = word_set(issue.question), word_set(issue.topic)
            if any(
                article != other
                and (issue.topic.lower() == k.topic.lower() or (similarity(words, w) >= ISSUE_MATCH and topic & t))
                for other, k, w, t in kept
            ):
                continue
            kept.append((article, issue, words, topic))
    return [k for _, k, _, _ in kept]


def build_story(
    group: Sequence[int], analyses: Sequence[Analysis], sources: Sequence[list[dict[str, Any]]], cfg: Config,
    *, corroborated: bool = True,
) -> Story:
    """One story from a group of articles about the same event.

    Articles are taken in order of importance (highest source weight, then most outlets, then
    earliest). Key facts are taken in turns across the articles, each article's best fact first
    (so a story of several outlets shows several outlets), skipping a fact near-identical to one
    already kept, up to ``facts_per_article + 2`` for a story of several articles; each fact
    carries its outlet. The headline is a real title (``story_headline``). With ``corroborated`` (the default)
    each fact also gets its confirmations and the story its discrepancies (``corroborate``); without, they are
    added later by ``with_corroboration``, for the stories the brief shows.
    """
    weights = source_weights(cfg)

    def importance(i: int) -> tuple[float, int, float, int]:
        names = {s["name"] for s in article_sources(analyses[i], sources[i])}
        return (-max(weights.get(n, 1.0) for n in names), -len(names), sort_time(article_time(analyses[i])), i)

    ordered = sorted(group, key=importance)
    limit = cfg.brief.facts_per_article + (2 if len(group) > 1 else 0)
    facts: list[Fact] = []
    fact_articles: list[int] = []  # for each fact, its article's position in ``ordered``
    seen: list[frozenset[str]] = []
    rounds = max((len(analyses[i].key_facts) for i in ordered), default=0)
    for turn in range(rounds):
        for i in ordered:
            if turn >= len(analyses[i].key_facts) or len(facts) >= limit:
                continue
            text = analyses[i].key_facts[turn]
            words = word_set(text)
            if not any(same_statement(words, w) for w in seen):
                first = article_sources(analyses[i], sources[i])[0]
                facts.append(Fact(text, outlet_of(first), first.get("url") or analyses[i].article.url))
                fact_articles.append(ordered.index(i))
                seen.append(words)
    story_sources: list[dict[str, Any]] = []
    seen_sources: set[tuple[str, str | None]] = set()
    for i in sorted(group, key=lambda i: (sort_time(article_time(analyses[i])), i)):
        for src in article_sources(analyses[i], sources[i]):
            if (src["name"], src.get("url")) not in seen_sources:
                seen_sources.add((src["name"], src.get("url")))
                story_sources.append({**src, "outlet": outlet_of(src)})
    first_article = min(group, key=lambda i: (sort_time(article_time(analyses[i])), analyses[i].article.id))
    story = Story(
        id=story_id(analyses[first_article].article.id),
        headline=story_headline(group, analyses, ordered),
        analyses=tuple(analyses[i] for i in ordered),
        key_facts=tuple(f.text for f in facts),
        facts=tuple(facts),
        open_issues=tuple(merge_issues([analyses[i].open_issues for i in ordered])),
        actors=tuple(actors_module.merge_actors([analyses[i].actors for i in ordered])),
        sources=tuple(story_sources),
    )
    return with_corroboration(story, [sources[i] for i in ordered], fact_articles) if corroborated else story


def with_corroboration(
    story: Story, sources: Sequence[list[dict[str, Any]]], fact_articles: Sequence[int] | None = None
) -> Story:
    """The story with outlets and independent reports per fact, who asserts it, and where its articles' numbers
    disagree. ``sources``: the stored sources of each of ``story.analyses``; ``fact_articles``: for each fact, the
    position in ``story.analyses`` of the article it was taken from (by default the first article that has the fact
    among its key facts and gave it its URL)."""
    if fact_articles is None:
        fact_articles = [_fact_article(fact, story.analyses, sources) for fact in story.facts]
    facts, discrepancies = corroborate.corroborate_story(story.facts, fact_articles, story.analyses, sources)
    return replace(story, facts=tuple(facts), discrepancies=tuple(discrepancies))


def _fact_article(fact: Fact, analyses: Sequence[Analysis], sources: Sequence[list[dict[str, Any]]]) -> int:
    having = [k for k, a in enumerate(analyses) if fact.text in a.key_facts]
    for k in having:
        first = article_sources(analyses[k], sources[k])[0]
        if (first.get("url") or analyses[k].article.url) == fact.url:
            return k
    return having[0]


def story_id(first_article_id: str) -> str:
    """A story's id: a short hash of its first article's id, so a rebuild gives the same id."""
    return hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def related_reports(
    group: EventGroup, analyses: Sequence[Analysis], sources: Sequence[list[dict[str, Any]]]
) -> tuple[dict[str, Any], ...]:
    """The related reports of a group as its story lists them: headline, outlet and URL of each, in article order."""
    out = []
    for i in group.related:
        first = article_sources(analyses[i], sources[i])[0]
        out.append({"headline": analyses[i].article.title, "outlet": outlet_of(first),
                    "url": first.get("url") or analyses[i].article.url})
    return tuple(out)


def assemble_brief(
    cfg: Config,
    analyses: Sequence[Analysis],
    sources: Sequence[list[dict]],
    day: date,
    now: datetime,
    excluded: Sequence[Excluded],
    store: Store | None = None,
) -> Brief:
    """Group, build, follow and rank the day's stories into a brief.

    Args:
        cfg: the configuration (``brief.max_stories``, ``brief.facts_per_article``, source weights).
        analyses: the day's analysed articles.
        sources: for each analysis, the outlets that carried it (as ``Store.articles_for_day`` returns).
        day: the date of the brief.
        now: the build time (ranks by recency, stamps the brief).
        excluded: items left out before this stage.
        store: where earlier briefs are found for day-over-day tracking; None to skip it.

    Returns:
        The brief: the top ``max_stories`` stories, the rest in ``more_stories``.
    """
    if len(sources) != len(analyses):
        raise ValueError(f"{len(analyses)} analyses but {len(sources)} source lists")
    groups = group_events(analyses)  # a group's related reports are listed under its story, not built into it
    from briefing.analyse.issues.story import (
        cap_issues,  # merged across articles, settled dropped, at most issues_per_story
    )

    stories = [
        replace(cap_issues(build_story([i for i in g.members if i not in g.related], analyses, sources, cfg,
                                       corroborated=False),
                           cfg.brief.issues_per_story), related=related_reports(g, analyses, sources))
        for g in groups
    ]
    stories = rank_stories(follow_stories(stories, day, store), cfg, now)
    keep = cfg.brief.max_stories
    # Corroboration is the costliest step of a story and only the stories shown with their facts need it; those
    # under "Also reported" are listed by headline (ranking never reads it).
    sources_of = {a.article.id: sources[i] for i, a in enumerate(analyses)}
    stories[:keep] = [with_corroboration(s, [sources_of[a.article.id] for a in s.analyses]) for s in stories[:keep]]
    logger.info("%d articles grouped into %d stories, %d continuing", len(analyses), len(stories),
                sum(s.status == "continuing" for s in stories))
    return Brief(
        title=cfg.brief.title,
        date=day,
        generated=now,
        stories=tuple(stories[:keep]),
        top_lines=top_lines(stories[:keep]),
        more_stories=tuple(stories[keep:]),
        excluded=tuple(excluded),
        # the desk: the watchlist, dated events to come, stories of recent briefs not reported today
        watchlist=tuple(match_watchlist(stories, cfg.watch)),
        calendar=tuple(upcoming_events(stories, day)),
        gone_quiet=tuple(gone_quiet(stories, day, store, cfg.brief.quiet_days)),
    )
