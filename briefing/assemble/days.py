"""Day over day: a story similar to one of an earlier brief in the store is ``continuing``.

It keeps that story's id and start date, and its open issues are marked ``new``, ``carried_over`` or ``resolved``
against those of the earlier brief (``follow_issues``). Earlier briefs of the last ``FOLLOW_DAYS`` days are searched.
Its key facts that the earlier brief's version of it did not state are its ``new_facts`` (``new_facts``), shown
first under "New since <that brief's day>". A story of the briefs of the last ``[brief] quiet_days`` days that no
story of today continues has gone quiet (``gone_quiet``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing.analyse.sentences import split_sentences
from briefing.assemble.blocking import ENTITY_BOOST, TITLE_BOOST, add_sentence_terms, candidate_pairs, tfidf_vectors
from briefing.models import OpenIssue, QuietStory, Story
from briefing.words import content_words, same_statement, similarity, word_set

if TYPE_CHECKING:
    from briefing.store import Store

CONTINUE_THRESHOLD = 0.20  # cosine with a story of an earlier brief to continue it (tuned: ECB+ odd topics, --follow)
FOLLOW_DAYS = 7  # how many earlier days are searched for the story
ISSUE_MATCH = 1 / 3  # similarity (Jaccard; a Dice of 0.5) of two open issues' questions to be the same issue

_DECISION = re.compile(
    r"\b(agreed|agrees|approved|approves|decided|decides|decision|announced|announces|signed|signs|voted|votes|"
    r"ruled|rules|confirmed|confirms|settled|resolved|rejected|rejects|adopted|adopts|accepted|accepts|"
    r"awarded|chose|chosen|named|appointed|passed|concluded|reached an agreement|reached a deal)\b",
    re.IGNORECASE,
)


def _story_text_counts(
    headline: str, facts: Sequence[str], questions: Sequence[str], names: Sequence[str]
) -> dict[str, float]:
    """Weighted terms of a story as a brief keeps it: names (capitalised inside a sentence, actors) weigh most."""
    counts: defaultdict[str, float] = defaultdict(float)
    for term in content_words(headline):
        counts[term] += TITLE_BOOST
    for text in (*facts, *questions):
        add_sentence_terms(counts, text)
    for name in names:
        for term in content_words(name):
            counts[term] += ENTITY_BOOST
    return counts


def _earlier_stories(store: Store, day: date) -> list[tuple[date, dict[str, Any]]]:
    """(brief day, story dict) of the briefs of the last ``FOLLOW_DAYS`` days, newest day first."""
    out = []
    for brief_day, data in reversed(store.previous_briefs(day, FOLLOW_DAYS)):
        for story in [*data.get("stories", []), *data.get("more_stories", [])]:
            if story.get("id") and story.get("headline"):
                out.append((brief_day, story))
    return out


def _topic_words(issue: OpenIssue) -> frozenset[str]:
    return word_set(issue.topic) or word_set(issue.question)


def follow_issues(story: Story, earlier: dict[str, Any]) -> tuple[OpenIssue, ...]:
    """Mark a continuing story's open issues against those of its earlier brief.

    - ``carried_over``: today's issue has the topic (or a similar question) of an earlier open issue;
      an earlier issue that no article of today mentions stays listed as carried over.
    - ``new``: today's issue matches no earlier one.
    - ``resolved``: an earlier issue that is no longer stated as open today, where a sentence of
      today's articles names its topic and reports a decision (agreed, approved, signed, ruled, ...);
      that sentence becomes its evidence.
    """
    before = [
        OpenIssue(topic=i.get("topic", ""), question=i.get("question", ""), evidence=i.get("evidence", ""))
        for i in earlier.get("open_issues", [])
        if i.get("status") != "resolved"
    ]
    before_words = [(b, word_set(b.question)) for b in before]
    matched: set[int] = set()
    out: list[OpenIssue] = []
    for issue in story.open_issues:
        words = word_set(issue.question)
        hit = next((k for k, (b, w) in enumerate(before_words)
                    if b.topic.lower() == issue.topic.lower() or similarity(words, w) >= ISSUE_MATCH), None)
        if hit is not None:
            matched.add(hit)
        out.append(replace(issue, status="carried_over" if hit is not None else "new"))
    sentences = [s for a in story.analyses for s in (a.sentences or split_sentences(a.article.text))]
    for k, issue in enumerate(before):
        if k in matched:
            continue
        topic = _topic_words(issue)
        decision = next((s for s in sentences if _DECISION.search(s) and topic and topic <= word_set(s)), None)
        if decision is not None:
            out.append(OpenIssue(issue.topic, issue.question, decision, status="resolved"))
        else:
            out.append(replace(issue, status="carried_over"))
    return tuple(out)


def follow_stories(stories: Sequence[Story], day: date, store: Store | None) -> list[Story]:
    """Mark the stories that continue one of an earlier brief in the store (see the module doc)."""
    earlier = _earlier_stories(store, day) if store is not None else []
    if not earlier or not stories:
        return list(stories)
    counts = [
        _story_text_counts(s.headline, s.key_facts, [i.question for i in s.open_issues], [a.name for a in s.actors])
        for s in stories
    ]
    for _, e in earlier:
        counts.append(_story_text_counts(
            e["headline"], e.get("key_facts", []), [i.get("question", "") for i in e.get("open_issues", [])],
            [a.get("name", "") for a in e.get("actors", [])],
        ))
    vectors = tfidf_vectors(counts)
    n = len(stories)
    # For each story of today, the earlier story it continues: the one of the latest brief above the
    # threshold (it carries the freshest state of the open issues), the most similar one of that brief.
    best: dict[int, tuple[int, float, int]] = {}
    for (i, j), sim in candidate_pairs(vectors).items():
        if i < n <= j and sim >= CONTINUE_THRESHOLD:
            rank = (earlier[j - n][0].toordinal(), sim, j - n)
            if i not in best or rank[:2] > best[i][:2]:
                best[i] = rank
    out = list(stories)
    used_ids: set[str] = set()
    for i, (_, _, k) in sorted(best.items(), key=lambda item: -item[1][1]):
        brief_day, prior = earlier[k]
        since = date.fromisoformat(prior["continuing_since"]) if prior.get("continuing_since") else brief_day
        new_id = prior["id"] if prior["id"] not in used_ids else out[i].id  # two of today's may continue one
        used_ids.add(new_id)
        out[i] = replace(out[i], id=new_id, status="continuing", continuing_since=since,
                         open_issues=follow_issues(out[i], prior), new_facts=new_facts(out[i], prior), new_since=brief_day)
    return out


def new_facts(story: Story, earlier: dict[str, Any]) -> tuple[str, ...]:
    """The key facts of a continuing story that its earlier brief's version did not state, in their order.

    A fact near-identical to one of that version (``same_statement``: most content words shared, or one inside the
    other) is not new; a story listed there under "Also reported" had no facts shown, so all of its facts are.
    """
    before = [word_set(text) for text in earlier.get("key_facts", [])]
    return tuple(f for f in story.key_facts if not any(same_statement(word_set(f), b) for b in before))


def gone_quiet(stories: Sequence[Story], day: date, store: Store | None, quiet_days: int) -> list[QuietStory]:
    """The stories of the briefs of the last ``quiet_days`` days before ``day`` that none of ``stories`` continues.

    Each comes with the day of the last brief that had it (as a story or under "Also reported"); the latest first,
    then in that brief's order. A story listed as gone quiet is not counted as reported: it drops out
    ``quiet_days`` days after its last brief.
    """
    if store is None or quiet_days <= 0:
        return []
    today = {s.id for s in stories}
    last: dict[str, QuietStory] = {}
    for brief_day, data in reversed(store.previous_briefs(day, quiet_days)):  # newest first
        for story in [*data.get("stories", []), *data.get("more_stories", [])]:
            sid = story.get("id")
            if sid and sid not in today and sid not in last:
                last[sid] = QuietStory(story=sid, headline=story.get("headline", ""), last_reported=brief_day)
    return list(last.values())

