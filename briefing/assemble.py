"""Assemble: turn the day's analyses into the ranked stories of the brief.

Steps, each a plain function:

1. ``group_stories``: articles about the same event become one story. Each article is a TF-IDF
   vector of its content words (stemmed; words written with a capital inside a sentence, the
   title's words and the actors' names weigh more, because names and places tell one event from
   another of the same kind). Candidate pairs come from an inverted index on each article's most
   distinctive terms (terms found in more than ``BLOCK_MAX_DF`` of the articles are never used to
   block), so no step compares all pairs of articles. Candidates are joined by average-linkage
   clustering on cosine similarity, stopping at ``LINK_THRESHOLD``. The weights and the threshold
   were chosen on the odd-numbered ECB+ topics and measured on the even ones (``bench/cluster_eval.py``).
2. ``build_story``: a real title as headline, key facts taken in turns from all its articles (each
   with its outlet) with near-identical sentences counted once, open issues and actors merged.
3. ``rank_stories``: by the distinct outlets that carried the story, then what it says (actors, open
   issues, continuing, recency); see ``story_score`` and docs/ranking.md.
4. ``follow_stories``: day over day, a story similar to one of an earlier brief in the store is
   ``continuing``, keeps that story's id and start date, and its open issues are marked
   ``new``, ``carried_over`` or ``resolved``.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nltk.stem.snowball import SnowballStemmer
from sumy.utils import get_stop_words

from briefing import actors as actors_module
from briefing import summarise
from briefing.clean import derive_title
from briefing.models import Analysis, Brief, Excluded, Fact, OpenIssue, Story
from briefing.text import split_sentences, tokenize_words
from briefing.urls import outlet_from_url

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.store import Store

logger = logging.getLogger(__name__)

# Grouping parameters, chosen on ECB+ odd topics (bench/cluster_eval.py --tune).
LINK_THRESHOLD = 0.20  # average cosine similarity at which two groups of articles are one story
ENTITY_BOOST = 3.0  # weight of a capitalised word inside a sentence (a name)
TITLE_BOOST = 1.0  # weight added for each word of the title
ACTOR_BOOST = 1.0  # weight added for each word of a named actor
BLOCK_TERMS = 30  # each article's most distinctive terms used to find candidates
BLOCK_MAX_DF = 0.10  # terms in more than this share of the articles never propose candidates
BLOCK_MIN_DF_CAP = 50  # ... unless they are in at most this many articles
MAX_CANDIDATES = 60  # candidates per article kept for exact similarity

# Day over day.
CONTINUE_THRESHOLD = 0.20  # cosine with a story of an earlier brief to continue it (tuned: ECB+ odd topics, --follow)
FOLLOW_DAYS = 7  # how many earlier days are searched for the story
ISSUE_MATCH = 0.5  # word overlap (Dice) of two open issues' questions to be the same issue
TOP_LINES = 5

# Ranking (story_score): what a story says adds less than one outlet (the four sum to 0.95).
SCORE_ACTORS = 0.25
SCORE_ISSUES = 0.2
SCORE_CONTINUING = 0.2
SCORE_RECENCY = 0.3

_DECISION = re.compile(
    r"\b(agreed|agrees|approved|approves|decided|decides|decision|announced|announces|signed|signs|voted|votes|"
    r"ruled|rules|confirmed|confirms|settled|resolved|rejected|rejects|adopted|adopts|accepted|accepts|"
    r"awarded|chose|chosen|named|appointed|passed|concluded|reached an agreement|reached a deal)\b",
    re.IGNORECASE,
)
_STOP = frozenset(get_stop_words("english")) | {"said", "says", "told", "also", "would", "could", "year", "new"}
_STEMMER = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def _content_words(text: str) -> list[str]:
    """Stemmed content words of ``text``, lower-cased, stop words and short tokens dropped."""
    out = []
    for word in tokenize_words(text):
        lower = word.lower()
        if len(lower) > 2 and lower not in _STOP and not lower.isdigit():
            out.append(_stem(lower))
    return out


def _add_sentence_terms(counts: dict[str, float], sentence: str) -> None:
    """Add a sentence's content words; a capitalised word inside the sentence (a name) weighs ``ENTITY_BOOST``."""
    for position, word in enumerate(tokenize_words(sentence)):
        lower = word.lower()
        if len(lower) > 2 and lower not in _STOP and not lower.isdigit():
            counts[_stem(lower)] += ENTITY_BOOST if position > 0 and word[0].isupper() else 1.0


def _term_counts(analysis: Analysis) -> dict[str, float]:
    """Weighted term counts of one article: names, title words and actors weigh more."""
    counts: defaultdict[str, float] = defaultdict(float)
    for sentence in analysis.sentences or split_sentences(analysis.article.text):
        _add_sentence_terms(counts, sentence)
    for term in _content_words(analysis.article.title):
        counts[term] += TITLE_BOOST
    for actor in analysis.actors:
        for term in _content_words(actor.name):
            counts[term] += ACTOR_BOOST
    return counts


def tfidf_vectors(counts: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF over these documents)."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    vectors = []
    for c in counts:
        vec = {t: (1.0 + math.log(w)) * (math.log((n + 1) / (df[t] + 1)) + 1.0) for t, w in c.items() if w > 0}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two normalised sparse vectors."""
    return sum(a[t] * b[t] for t in a.keys() & b.keys())  # the intersection runs in C


def candidate_pairs(vectors: Sequence[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Pairs worth comparing, found through an inverted index on each document's top terms.

    Only terms in at most ``max(BLOCK_MIN_DF_CAP, BLOCK_MAX_DF * n)`` documents are indexed, and each
    document keeps its ``MAX_CANDIDATES`` best partners by the pruned dot product, so the work grows
    with the number of documents times a bounded posting length, not with the number of pairs.

    Returns:
        {(i, j): cosine} for i < j.
    """
    n = len(vectors)
    max_df = max(BLOCK_MIN_DF_CAP, int(BLOCK_MAX_DF * n))
    top_terms = [heapq.nlargest(BLOCK_TERMS, vec.items(), key=lambda kv: kv[1]) for vec in vectors]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, terms in enumerate(top_terms):
        for term, weight in terms:
            postings[term].append((doc, weight))
    pairs: dict[tuple[int, int], float] = {}
    for doc, terms in enumerate(top_terms):
        partial: dict[int, float] = defaultdict(float)
        for term, weight in terms:
            plist = postings[term]
            if len(plist) > max_df:
                continue
            for other, w in plist:
                if other != doc:
                    partial[other] += weight * w
        best = heapq.nlargest(MAX_CANDIDATES, partial.items(), key=lambda kv: kv[1])
        for other, _ in best:
            key = (doc, other) if doc < other else (other, doc)
            if key not in pairs:
                pairs[key] = cosine(vectors[doc], vectors[other])
    return pairs


def average_linkage(n: int, similarities: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Agglomerative clustering with average linkage over a sparse similarity graph.

    Pairs not in ``similarities`` count as similarity 0. Groups merge while the average similarity
    between two groups is at least ``threshold``.
    """
    size = dict.fromkeys(range(n), 1)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in similarities.items():
        if s > 0:
            sums[i][j] = sums[i].get(j, 0.0) + s
            sums[j][i] = sums[j].get(i, 0.0) + s
    heap = [(-s, i, j) for (i, j), s in similarities.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in size or j not in size:
            continue
        current = sums[i].get(j, 0.0) / (size[i] * size[j])
        if abs(current + neg) > 1e-12:  # stale entry: the groups changed since it was pushed
            continue
        # merge j into i
        size[i] += size.pop(j)
        members[i].extend(members.pop(j))
        for k, s in sums.pop(j).items():
            if k == i:
                continue
            sums[i][k] = sums[i].get(k, 0.0) + s
            sums[k][i] = sums[i][k]
            del sums[k][j]
        sums[i].pop(j, None)
        for k, s in sums[i].items():
            avg = s / (size[i] * size[k])
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(i, k), max(i, k)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def group_stories(analyses: Sequence[Analysis], threshold: float = LINK_THRESHOLD) -> list[list[int]]:
    """Group the day's articles into events.

    Args:
        analyses: the analysed articles of the day.
        threshold: average cosine similarity needed to join two groups.

    Returns:
        Lists of indices into ``analyses``, each list one event, in order of first article.
    """
    if not analyses:
        return []
    vectors = tfidf_vectors([_term_counts(a) for a in analyses])
    pairs = candidate_pairs(vectors)
    logger.debug("grouping %d articles: %d candidate pairs", len(analyses), len(pairs))
    return average_linkage(len(analyses), pairs, threshold)


# -- stories ----------------------------------------------------------------------------------------


def _word_set(sentence: str) -> frozenset[str]:
    return frozenset(_content_words(sentence))


def near_identical(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sentences state the same fact: most content words shared (Jaccard >= 0.6, or one inside the other)."""
    if not a or not b:
        return a == b
    common = len(a & b)
    return common / len(a | b) >= 0.6 or common / min(len(a), len(b)) >= 0.9


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _source_weights(cfg: Config) -> dict[str, float]:
    return {s.name: s.weight for s in cfg.sources}


def outlet_of(source: Mapping[str, Any]) -> str:
    """The outlet of one copy of an article: its publisher, else its URL's site, else the configured source's name."""
    return str(source.get("outlet") or outlet_from_url(source.get("url")) or source["name"])


def _article_sources(analysis: Analysis, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The article's sources as stored, or one made from the article itself when there is no store."""
    if sources:
        return sources
    a = analysis.article
    return [{"outlet": a.outlet or outlet_from_url(a.url), "name": a.source, "title": a.title, "url": a.url,
             "published": a.published.isoformat() if a.published else None}]


def _when(analysis: Analysis) -> datetime | None:
    return analysis.article.published or analysis.article.fetched


def _sort_time(when: datetime | None) -> float:
    return when.timestamp() if when else float("inf")


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
            words, topic = _word_set(issue.question), _word_set(issue.topic)
            if any(
                article != other
                and (issue.topic.lower() == k.topic.lower() or (_dice(words, w) >= ISSUE_MATCH and topic & t))
                for other, k, w, t in kept
            ):
                continue
            kept.append((article, issue, words, topic))
    return [k for _, k, _, _ in kept]


def _has_own_title(analysis: Analysis) -> bool:
    """True if the article came with a title (not one derived from its first sentence)."""
    title = analysis.article.title.strip()
    return bool(title) and title != derive_title(analysis.article.text)


def _representative(group: Sequence[int], analyses: Sequence[Analysis], candidates: Sequence[int]) -> int:
    """Of ``candidates``, the article most similar on average to the others of the group (ties: first)."""
    if len(candidates) == 1 or len(group) < 3:
        return candidates[0]
    vectors = dict(zip(group, tfidf_vectors([_term_counts(analyses[i]) for i in group]), strict=True))

    def centrality(i: int) -> float:
        return sum(cosine(vectors[i], vectors[j]) for j in group if j != i)

    return max(candidates, key=lambda i: (centrality(i), -candidates.index(i)))


def story_headline(group: Sequence[int], analyses: Sequence[Analysis], ordered: Sequence[int]) -> str:
    """A real title of the story's articles, the most representative one's; else one derived from a lead sentence."""
    titled = [i for i in ordered if _has_own_title(analyses[i])]
    if titled:
        return analyses[_representative(group, analyses, titled)].article.title
    return analyses[ordered[0]].article.title


def build_story(
    group: Sequence[int], analyses: Sequence[Analysis], sources: Sequence[list[dict[str, Any]]], cfg: Config
) -> Story:
    """One story from a group of articles about the same event.

    Articles are taken in order of importance (highest source weight, then most outlets, then
    earliest). Key facts are taken in turns across the articles, each article's best fact first
    (so a story of several outlets shows several outlets), skipping a fact near-identical to one
    already kept, up to ``facts_per_article + 2`` for a story of several articles; each fact
    carries its outlet. The headline is a real title (``story_headline``).
    """
    weights = _source_weights(cfg)

    def importance(i: int) -> tuple[float, int, float, int]:
        names = {s["name"] for s in _article_sources(analyses[i], sources[i])}
        return (-max(weights.get(n, 1.0) for n in names), -len(names), _sort_time(_when(analyses[i])), i)

    ordered = sorted(group, key=importance)
    limit = cfg.brief.facts_per_article + (2 if len(group) > 1 else 0)
    facts: list[Fact] = []
    seen: list[frozenset[str]] = []
    rounds = max((len(analyses[i].key_facts) for i in ordered), default=0)
    for turn in range(rounds):
        for i in ordered:
            if turn >= len(analyses[i].key_facts) or len(facts) >= limit:
                continue
            text = analyses[i].key_facts[turn]
            words = _word_set(text)
            if not any(near_identical(words, w) for w in seen):
                first = _article_sources(analyses[i], sources[i])[0]
                facts.append(Fact(text, outlet_of(first), first.get("url") or analyses[i].article.url))
                seen.append(words)
    story_sources: list[dict[str, Any]] = []
    seen_sources: set[tuple[str, str | None]] = set()
    for i in sorted(group, key=lambda i: (_sort_time(_when(analyses[i])), i)):
        for src in _article_sources(analyses[i], sources[i]):
            if (src["name"], src.get("url")) not in seen_sources:
                seen_sources.add((src["name"], src.get("url")))
                story_sources.append({**src, "outlet": outlet_of(src)})
    first_article = min(group, key=lambda i: (_sort_time(_when(analyses[i])), analyses[i].article.id))
    return Story(
        id=story_id(analyses[first_article].article.id),
        headline=story_headline(group, analyses, ordered),
        analyses=tuple(analyses[i] for i in ordered),
        key_facts=tuple(f.text for f in facts),
        facts=tuple(facts),
        open_issues=tuple(merge_issues([analyses[i].open_issues for i in ordered])),
        actors=tuple(actors_module.merge_actors([analyses[i].actors for i in ordered])),
        sources=tuple(story_sources),
    )


def story_id(first_article_id: str) -> str:
    """A story's id: a short hash of its first article's id, so a rebuild gives the same id."""
    return hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def _recency(story: Story, now: datetime) -> float:
    """1 for a story whose newest article is from now, halving every 24 hours; 0 without times."""
    times = [t for t in (_when(a) for a in story.analyses) if t is not None]
    if not times:
        return 0.0
    newest = max(times, key=_sort_time)
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
    weights = _source_weights(cfg)
    scored = [replace(s, score=round(story_score(s, weights, now), 4)) for s in stories]

    def order(s: Story) -> tuple[float, int, int, float, str]:
        words = sum(len(a.article.text.split()) for a in s.analyses)
        start = min((_sort_time(_when(a)) for a in s.analyses), default=float("inf"))
        return (-s.score, -len(s.analyses), -words, start, s.id)

    return sorted(scored, key=order)


# -- day over day -----------------------------------------------------------------------------------


def _story_text_counts(
    headline: str, facts: Sequence[str], questions: Sequence[str], names: Sequence[str]
) -> dict[str, float]:
    """Weighted terms of a story as a brief keeps it: names (capitalised inside a sentence, actors) weigh most."""
    counts: defaultdict[str, float] = defaultdict(float)
    for term in _content_words(headline):
        counts[term] += TITLE_BOOST
    for text in (*facts, *questions):
        _add_sentence_terms(counts, text)
    for name in names:
        for term in _content_words(name):
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
    return _word_set(issue.topic) or _word_set(issue.question)


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
    before_words = [(b, _word_set(b.question)) for b in before]
    matched: set[int] = set()
    out: list[OpenIssue] = []
    for issue in story.open_issues:
        words = _word_set(issue.question)
        hit = next((k for k, (b, w) in enumerate(before_words)
                    if b.topic.lower() == issue.topic.lower() or _dice(words, w) >= ISSUE_MATCH), None)
        if hit is not None:
            matched.add(hit)
        out.append(replace(issue, status="carried_over" if hit is not None else "new"))
    sentences = [s for a in story.analyses for s in (a.sentences or split_sentences(a.article.text))]
    for k, issue in enumerate(before):
        if k in matched:
            continue
        topic = _topic_words(issue)
        decision = next((s for s in sentences if _DECISION.search(s) and topic and topic <= _word_set(s)), None)
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
                         open_issues=follow_issues(out[i], prior))
    return out


# -- the brief --------------------------------------------------------------------------------------


def top_lines(stories: Sequence[Story], k: int = TOP_LINES) -> tuple[str, ...]:
    """The most important facts of the day, chosen across the ranked stories without repeating a fact."""
    candidates = [(fact, max(story.score, 0.0)) for story in stories for fact in story.key_facts]
    groups = [story.id for story in stories for _ in story.key_facts]
    return tuple(candidates[i][0] for i in summarise.select_top_lines(candidates, k, groups))


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
    groups = group_stories(analyses)
    stories = [build_story(g, analyses, sources, cfg) for g in groups]
    stories = rank_stories(follow_stories(stories, day, store), cfg, now)
    keep = cfg.brief.max_stories
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
    )
