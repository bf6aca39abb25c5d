"""Assemble: turn the day's analyses into the ranked stories of the brief.

Steps, each a plain function:

1. ``group_stories``: articles about the same event become one story. Candidate pairs come from an
   inverted index on each article's most distinctive TF-IDF terms (stemmed content words; names, title words
   and actors' names weigh more; terms found in more than ``BLOCK_MAX_DF`` of the articles never block), so
   no step compares all pairs of articles. Each candidate pair is then judged on event-level evidence, not
   only the bag of words (``event_features``): the similarity of the two leads (title and first sentences),
   whether the names of each lead and its main action (verb and object) appear in the other article, the
   numbers they report, the dates and years they give, the weekday and the place of the lead. A logistic
   model of those (``EVENT_WEIGHTS``, fitted on the odd-numbered ECB+ topics) gives the probability that the
   two report one event; average linkage joins groups down to ``LINK_PROBABILITY``, and a second pass splits
   a group that holds two dense groups with weak links between them (``SPLIT_RATIO``). Members whose own
   evidence for the group's event stays weak are kept as *related reports* of the story (``group_events``),
   so their facts are not mixed into it. See docs/stories.md and ``bench/cluster_eval.py``.
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
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from nltk.stem.snowball import SnowballStemmer
from sumy.utils import get_stop_words

from briefing.analyse import actors as actors_module
from briefing.analyse import facts as summarise
from briefing.analyse.sentences import split_sentences, tokenize_words
from briefing.assemble import corroborate
from briefing.clean import _finite_verbs, derive_title
from briefing.models import Analysis, Brief, Excluded, Fact, OpenIssue, Story
from briefing.urls import outlet_from_url

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.store import Store

logger = logging.getLogger(__name__)

# Grouping parameters, chosen on ECB+ odd topics (bench/cluster_eval.py --tune).
LINK_THRESHOLD = 0.20  # the TF-IDF baseline (``tfidf_groups``): average cosine at which two groups are one story
ENTITY_BOOST = 3.0  # weight of a capitalised word inside a sentence (a name)
TITLE_BOOST = 1.0  # weight added for each word of the title
ACTOR_BOOST = 1.0  # weight added for each word of a named actor
BLOCK_TERMS = 30  # each article's most distinctive terms used to find candidates
BLOCK_MAX_DF = 0.10  # terms in more than this share of the articles never propose candidates
BLOCK_MIN_DF_CAP = 50  # ... unless they are in at most this many articles
MAX_CANDIDATES = 60  # candidates per article kept for exact similarity
# Event evidence (``event_features``): a logistic model of "the two articles report one event", fitted on the
# candidate pairs of the odd ECB+ topics (bench/cluster_eval.py --tune), never on the even ones.
EVENT_WEIGHTS: dict[str, float] = {
    "body": 13.25, "lead": 2.71, "names": 0.92, "action": 0.0, "numbers_shared": 0.27, "numbers_covered": 2.34,
    "date_near": 2.82, "years_differ": -1.61, "weekdays_differ": -0.64, "place_shared": 0.72,
}  # "action" points the wrong way on ECB+ (its two events of a topic share their kind of action), so it is left out
EVENT_BIAS = -5.25
LINK_PROBABILITY = 0.15  # mean event probability at which two groups of articles are one story
SPLIT_RATIO = 0.60  # a group is cut in two when the mean probability across the cut is below this share of inside
SPLIT_MIN_PART = 4  # ... and both parts have at least this many articles
SPLIT_MAX_SIZE = 400  # larger groups are not re-examined (all pairs inside are scored)
RELATED_RATIO = 0.80  # a story whose best cut has a ratio below this may show its looser part as related reports
RELATED_MIN_PART = 2  # ... when both parts have at least this many articles
RELATED_DISAGREE = 0.10  # ... and its pairs across the cut disagree on the date this much more often than inside
ACTION_BOOST = 1.0  # weight added in the lead vector to each word of the lead's main action (verb and object)
LEAD_SENTENCES = 2  # reporting sentences after the title that make an article's lead
HEAD_LINES = 6  # first lines searched for the article's dates and years (title, dateline, lead)

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


def _idf(counts: Sequence[Mapping[str, float]]) -> tuple[dict[str, float], float]:
    """Smoothed IDF of each term over these documents, and the IDF of a term found in none of them."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    return {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}, math.log(n + 1) + 1.0


def _tfidf(counts: Mapping[str, float], idf: Mapping[str, float], unseen: float) -> dict[str, float]:
    """One L2-normalised TF-IDF vector (sublinear term frequency)."""
    vec = {t: (1.0 + math.log(w)) * idf.get(t, unseen) for t, w in counts.items() if w > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def tfidf_vectors(counts: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF over these documents)."""
    idf, unseen = _idf(counts)
    return [_tfidf(c, idf, unseen) for c in counts]


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


# -- grouping: event evidence -----------------------------------------------------------------------
# What two articles report happened, beside their bag of words. Each article's cues are computed once
# (``_event_cues``, linear in its length); a candidate pair is then judged on them in constant time.

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday".split()
)
_URL_LINE = re.compile(r"^\s*(?:https?\s*:\s*/|www\s*\.)", re.IGNORECASE)
_STAMP_LINE = re.compile(r"^\W*(?:published|updated|last\s+updated|posted|modified)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d$£€.,])(?:19[5-9]\d|20[0-4]\d)(?![\d%])")
_DAY_MONTH = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*((?:19|20)\d\d)\b)?"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:\s*,?\s*((?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)\s*-\s*(\d\d)\s*-\s*(\d\d)\b")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}\s?[:.]\s?\d{2}\s?(?:[ap]\.?\s?m\b\.?|gmt|utc|bst|est|edt|pst|pdt|ist)?", re.IGNORECASE)
_SPACED_DECIMAL = re.compile(r"(?<=\d) \. (?=\d)")  # "2 . 5" in tokenised text
_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_PLACE = re.compile(r"\b(?:in|at|near|off|outside)\s+(?:the\s+)?((?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)")
_LETTERS = re.compile(r"[A-Za-z]+")
_NOT_ACTION = frozenset(
    "said says say told tell tells report reported reports according added announced believed is was were are be been "
    "being has have had will would could can may might should must do does did".split()
)


@dataclass(frozen=True, slots=True)
class EventCues:
    """What one article reports happened, as the grouping compares it (``event_features``)."""

    lead: dict[str, float]  # TF-IDF vector of the title and the first reporting sentences
    names: dict[str, float]  # names of the lead (capitalised inside a sentence), each with its IDF
    name_terms: frozenset[str]  # the same names as a set
    names_weight: float  # the sum of their IDFs
    action: frozenset[str]  # main action of the lead: its first finite verb and the words after it
    terms: frozenset[str]  # every term of the article
    numbers: frozenset[str]  # numbers of the lead and the next sentences (no years, no clock times)
    all_numbers: frozenset[str]  # every number of the article
    years: frozenset[str]  # years in the head of the article (title, dateline, first lines)
    dates: tuple[tuple[int, bool], ...]  # dates in the head: (ordinal, year given); no year: year 2000
    weekdays: frozenset[str]  # weekdays the lead names
    places: frozenset[str]  # places the lead names ("in Paris", "near the Geysers")


def _is_furniture(line: str) -> bool:
    """A line that is not reporting: a URL, a "Published:" stamp, a bare date, or fewer than three words."""
    if _URL_LINE.search(line) or _STAMP_LINE.search(line):
        return True
    words = _LETTERS.findall(line)
    if len(words) < 3:
        return True
    rest = _LETTERS.findall(_WEEKDAY.sub(" ", _DAY_MONTH.sub(" ", line)))
    return len(words) <= 10 and len(rest) <= 2


def _title_case(line: str) -> bool:
    """True for a headline written with capitals on most words (its names cannot be told from its words)."""
    words = [w for w in _LETTERS.findall(line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _article_lines(analysis: Analysis) -> tuple[list[str], bool]:
    """The title (when it is not a URL or the first sentence itself), then the article's sentences; and
    whether the title is among them."""
    sentences = list(analysis.sentences or split_sentences(analysis.article.text))
    title = analysis.article.title.strip()
    usable = bool(title) and not _URL_LINE.search(title) and not (sentences and sentences[0].strip() == title)
    return ([title] if usable else []) + sentences, usable


def _plain_numbers(text: str) -> str:
    return _CLOCK.sub(" ", _SPACED_DECIMAL.sub(".", text))


def _number_set(text: str, years: frozenset[str]) -> set[str]:
    """Numbers as written without thousands separators; years and the numbers 0 and 1 left out."""
    out = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "")
        if value in years or value in ("0", "1"):
            continue
        out.add(value.rstrip("0").rstrip(".") if "." in value else value)
    return out


def _head_dates(text: str) -> tuple[tuple[int, bool], ...]:
    """Dates written in ``text``: "May 3, 2013", "3 May", "2013-05-03"."""
    out = []
    for m in _DAY_MONTH.finditer(text):
        month = _MONTHS.index((m.group(1) or m.group(5)).lower()[:3]) + 1
        day, year = int(m.group(2) or m.group(4)), m.group(3) or m.group(6)
        try:
            out.append((date(int(year) if year else 2000, month, day).toordinal(), bool(year)))
        except ValueError:
            continue
    for m in _ISO_DATE.finditer(text):
        try:
            out.append((date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal(), True))
        except ValueError:
            continue
    return tuple(out)


def _main_action(sentence: str) -> frozenset[str]:
    """The first finite verb of ``sentence`` after its first word (not a reporting verb), with the next words."""
    verbs = _finite_verbs()
    words = _LETTERS.findall(sentence)
    for k, word in enumerate(words):
        lower = word.lower()
        if k == 0 or word[0].isupper() or len(lower) < 3 or lower in _NOT_ACTION:
            continue
        if lower in verbs or (lower.endswith("ed") and len(lower) > 4):
            following = [w.lower() for w in words[k + 1 : k + 6] if len(w) > 2 and w.lower() not in _STOP][:3]
            return frozenset([_stem(lower), *(_stem(w) for w in following)])
    return frozenset()


def _event_cues(analysis: Analysis, counts: Mapping[str, float], idf: Mapping[str, float], unseen: float) -> EventCues:
    lines, titled = _article_lines(analysis)
    reporting = [line for line in lines[: HEAD_LINES + LEAD_SENTENCES] if titled and line is lines[0]
                 or not _is_furniture(line)]
    lead = reporting[: LEAD_SENTENCES + titled]
    head = _plain_numbers(" ".join(lines[:HEAD_LINES]))
    years = frozenset(_YEAR.findall(head))
    lead_counts: defaultdict[str, float] = defaultdict(float)
    names: dict[str, float] = {}
    places: set[str] = set()
    weekdays: set[str] = set()
    action: frozenset[str] = frozenset()
    for line in lead:
        weekdays.update(w.lower() for w in _WEEKDAY.findall(line))
        headline = _title_case(line)  # its capitals do not mark names
        for position, word in enumerate(tokenize_words(line)):
            lower = word.lower()
            if len(lower) <= 2 or lower in _STOP or lower.isdigit():
                continue
            term = _stem(lower)
            if position and word[0].isupper() and not headline:
                lead_counts[term] += ENTITY_BOOST
                if lower not in _DATE_WORDS:
                    names[term] = idf.get(term, unseen)
            else:
                lead_counts[term] += 1.0
        if headline:
            continue
        places.update(_stem(m.group(1).split()[-1].lower()) for m in _PLACE.finditer(line))
        if not action:
            action = _main_action(line)
    for term in action:
        lead_counts[term] += ACTION_BOOST
    return EventCues(
        lead=_tfidf(lead_counts, idf, unseen),
        names=names,
        name_terms=frozenset(names),
        names_weight=sum(names.values()),
        action=action,
        terms=frozenset(counts),
        numbers=frozenset(_number_set(_plain_numbers(" ".join(reporting[: LEAD_SENTENCES + 2])), years)),
        all_numbers=frozenset(_number_set(_plain_numbers(" ".join(lines)), frozenset())),
        years=years,
        dates=_head_dates(head),
        weekdays=frozenset(weekdays),
        places=frozenset(places),
    )


def _names_covered(a: EventCues, b: EventCues) -> float:
    """The lower of the IDF-weighted shares of each lead's names that the other article names (over the
    articles whose lead has names; 0 when neither has)."""
    shares = [sum(map(x.names.__getitem__, x.name_terms & y.terms)) / x.names_weight
              for x, y in ((a, b), (b, a)) if x.names_weight > 0]
    return min(shares) if shares else 0.0


def _action_covered(a: EventCues, b: EventCues) -> float:
    """The mean share of the words of each lead's main action found in the other article (0 without actions)."""
    shares = [len(x.action & y.terms) / len(x.action) for x, y in ((a, b), (b, a)) if x.action]
    return sum(shares) / len(shares) if shares else 0.0


def _day_gap(a: tuple[int, bool], b: tuple[int, bool]) -> int:
    """Days between two written dates; when one gives no year, days between the two days of the year."""
    if a[1] and b[1]:
        return abs(a[0] - b[0])
    x, y = date.fromordinal(a[0]), date.fromordinal(b[0])
    try:
        gap = abs(date(2000, x.month, x.day).toordinal() - date(2000, y.month, y.day).toordinal())
    except ValueError:
        return 366
    return min(gap, 366 - gap)


def event_features(body: float, a: EventCues, b: EventCues) -> tuple[float, ...]:
    """The evidence that two articles report one event, in the order of ``EVENT_FEATURES``.

    ``body`` is the cosine of their whole texts' TF-IDF vectors.
    """
    lead = cosine(a.lead, b.lead) if len(a.lead) <= len(b.lead) else cosine(b.lead, a.lead)
    names = _names_covered(a, b)
    action = _action_covered(a, b)
    shared = len(a.numbers & b.numbers)
    stated = len(a.numbers) + len(b.numbers)
    numbers_covered = (len(a.numbers & b.all_numbers) + len(b.numbers & a.all_numbers)) / stated if stated else 0.0
    date_near = any(_day_gap(x, y) <= 2 for x in a.dates for y in b.dates)
    years_differ = bool(a.years) and bool(b.years) and not a.years & b.years
    weekdays_differ = bool(a.weekdays) and bool(b.weekdays) and not a.weekdays & b.weekdays
    place_shared = bool(a.places & b.places)
    return (body, lead, names, action, min(shared, 2) / 2, numbers_covered, float(date_near), float(years_differ),
            float(weekdays_differ), float(place_shared))


EVENT_FEATURES = ("body", "lead", "names", "action", "numbers_shared", "numbers_covered", "date_near",
                  "years_differ", "weekdays_differ", "place_shared")


def _event_model() -> tuple[tuple[float, ...], float]:
    return tuple(EVENT_WEIGHTS[f] for f in EVENT_FEATURES), EVENT_BIAS


def event_probability(features: Sequence[float], model: tuple[tuple[float, ...], float] | None = None) -> float:
    """The logistic model's probability that a pair with these ``event_features`` reports one event."""
    weights, bias = model or _event_model()
    z = bias + sum(w * x for w, x in zip(weights, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


@dataclass(frozen=True, slots=True)
class EventGroup:
    """A group of the day's articles about one event (``group_events``)."""

    members: tuple[int, ...]  # indices into the analyses, ascending
    related: tuple[int, ...] = ()  # members of a second, looser group inside it: related reports of the story
    cohesion: float = 1.0  # mean probability across the group's best cut over that inside its looser part


class PairScores:
    """Event probabilities of pairs of the day's articles, each computed once: the candidate pairs of the
    blocking up front, any other pair (inside a group, for the second pass) when it is asked for."""

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        counts = [_term_counts(a) for a in analyses]
        idf, unseen = _idf(counts)
        self.vectors = [_tfidf(c, idf, unseen) for c in counts]
        self.cues = [_event_cues(a, c, idf, unseen) for a, c in zip(analyses, counts, strict=True)]
        self.model = _event_model()
        self.candidates = candidate_pairs(self.vectors)
        self.scores = {key: self._score(key, body) for key, body in self.candidates.items()}

    def __len__(self) -> int:
        return len(self.vectors)

    def _score(self, key: tuple[int, int], body: float) -> float:
        i, j = key
        return event_probability(event_features(body, self.cues[i], self.cues[j]), self.model)

    def __call__(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        score = self.scores.get(key)
        if score is None:
            score = self.scores[key] = self._score(key, cosine(self.vectors[i], self.vectors[j]))
        return score

    def matrix(self, group: Sequence[int]) -> np.ndarray:
        """The probabilities of all pairs of ``group`` (0 on the diagonal)."""
        m = len(group)
        out = np.zeros((m, m))
        for a in range(m):
            for b in range(a + 1, m):
                out[a, b] = out[b, a] = self(group[a], group[b])
        return out


def _mean_upper(matrix: np.ndarray) -> float:
    m = len(matrix)
    return float(matrix[np.triu_indices(m, 1)].mean()) if m > 1 else 1.0


def bipartition(matrix: np.ndarray) -> tuple[list[int], list[int]]:
    """The two parts of a similarity matrix with the lowest normalised cut along its spectral order.

    The order is that of the second eigenvector of the normalised affinity (Shi and Malik's normalised cut);
    the cut is the best of the ``m - 1`` cuts along it.
    """
    m = len(matrix)
    weights = matrix.copy()
    np.fill_diagonal(weights, 0.0)
    degree = weights.sum(axis=1) + 1e-9
    scale = 1.0 / np.sqrt(degree)
    _, vectors = np.linalg.eigh(scale[:, None] * weights * scale[None, :])
    order = np.argsort(vectors[:, -2] * scale, kind="stable")
    ordered = weights[np.ix_(order, order)]
    total = float(degree.sum())
    cut, volume, best, best_k = 0.0, 0.0, math.inf, 1
    for k in range(1, m):
        node = k - 1
        cut += float(ordered[node, k:].sum() - ordered[node, :node].sum())
        volume += float(ordered[node].sum())
        ncut = cut / max(volume, 1e-9) + cut / max(total - volume, 1e-9)
        if ncut < best:
            best, best_k = ncut, k
    return sorted(int(i) for i in order[:best_k]), sorted(int(i) for i in order[best_k:])


def _best_cut(group: Sequence[int], scores: PairScores) -> tuple[list[int], list[int], float, np.ndarray]:
    """``group``'s best cut (positions in it), its ratio (mean probability across the cut over the mean inside
    the looser part; below 1: two groups with weaker links between them than inside) and its matrix."""
    matrix = scores.matrix(group)
    first, second = bipartition(matrix)
    across = float(matrix[np.ix_(first, second)].mean())
    inside = min(_mean_upper(matrix[np.ix_(first, first)]), _mean_upper(matrix[np.ix_(second, second)]))
    return first, second, across / inside if inside > 0 else 1.0, matrix


def split_group(group: Sequence[int], scores: PairScores) -> list[list[int]]:
    """Split a group that holds two dense groups of articles with weak links between them.

    A group of ``2 * SPLIT_MIN_PART`` to ``SPLIT_MAX_SIZE`` articles is cut in two (``bipartition`` of its
    members' event probabilities); the cut stands when both parts have ``SPLIT_MIN_PART`` articles or more
    and the mean probability across it is below ``SPLIT_RATIO`` times the mean inside the looser part. The
    parts are not cut again: average linkage already stopped inside each of them.
    """
    if len(group) < 2 * SPLIT_MIN_PART or len(group) > SPLIT_MAX_SIZE:
        return [list(group)]
    first, second, ratio, _ = _best_cut(group, scores)
    if min(len(first), len(second)) < SPLIT_MIN_PART or ratio >= SPLIT_RATIO:
        return [list(group)]
    return [[group[i] for i in first], [group[i] for i in second]]


def _date_conflicts(pairs: Sequence[tuple[int, int]], scores: PairScores) -> float:
    """The share of ``pairs`` of articles whose leads disagree on when it happened (other years, other weekdays)."""
    if not pairs:
        return 0.0
    years, weekdays = EVENT_FEATURES.index("years_differ"), EVENT_FEATURES.index("weekdays_differ")
    conflicts = 0
    for i, j in pairs:
        features = event_features(cosine(scores.vectors[i], scores.vectors[j]), scores.cues[i], scores.cues[j])
        conflicts += features[years] > 0 or features[weekdays] > 0
    return conflicts / len(pairs)


def _with_cohesion(group: Sequence[int], scores: PairScores) -> EventGroup:
    """The group, its cohesion and its related reports.

    A group holds related reports when its best cut leaves two parts of ``RELATED_MIN_PART`` articles or more,
    with a ratio below ``RELATED_RATIO`` (weaker links across than inside), whose articles disagree on the date
    across the cut in ``RELATED_DISAGREE`` more of the pairs than inside the parts. The part without the
    member most linked to the rest (the smaller part, unless they are equal) is then related reports.
    """
    members = tuple(sorted(group))
    if len(members) < 2 * RELATED_MIN_PART or len(members) > SPLIT_MAX_SIZE:
        return EventGroup(members)
    first, second, ratio, matrix = _best_cut(members, scores)
    if min(len(first), len(second)) < RELATED_MIN_PART or ratio >= RELATED_RATIO:
        return EventGroup(members, (), min(ratio, 1.0))
    across = [(members[a], members[b]) for a in first for b in second]
    inside = [(members[a], members[b]) for part in (first, second) for k, a in enumerate(part) for b in part[k + 1 :]]
    if _date_conflicts(across, scores) - _date_conflicts(inside, scores) < RELATED_DISAGREE:
        return EventGroup(members, (), ratio)
    core = int(np.argmax(matrix.sum(axis=1)))
    if len(first) != len(second):
        minor = first if len(first) < len(second) else second
    else:
        minor = second if core in first else first
    return EventGroup(members, tuple(members[i] for i in minor), ratio)


def cluster_events(scores: PairScores, threshold: float | None = None, *, split: bool = True) -> list[EventGroup]:
    """Average linkage of the candidate pairs' event probabilities down to ``threshold`` (default
    ``LINK_PROBABILITY``), then the second pass (``split_group``) unless ``split`` is false."""
    groups = average_linkage(len(scores), scores.scores, LINK_PROBABILITY if threshold is None else threshold)
    if split:
        groups = [part for group in groups for part in split_group(group, scores)]
    logger.debug("grouping %d articles: %d candidate pairs, %d groups", len(scores), len(scores.candidates), len(groups))
    return sorted((_with_cohesion(g, scores) for g in groups), key=lambda g: g.members[0])


def group_events(analyses: Sequence[Analysis], threshold: float | None = None, *, split: bool = True) -> list[EventGroup]:
    """Group the day's articles into events, with each group's cohesion and related reports.

    Args:
        analyses: the analysed articles of the day.
        threshold: mean event probability needed to join two groups (default ``LINK_PROBABILITY``).
        split: run the second pass (``split_group``).

    Returns:
        The groups in order of their first article.
    """
    return cluster_events(PairScores(analyses), threshold, split=split) if analyses else []


def group_stories(analyses: Sequence[Analysis], threshold: float | None = None) -> list[list[int]]:
    """Group the day's articles into events (``group_events``).

    Args:
        analyses: the analysed articles of the day.
        threshold: mean event probability needed to join two groups (default ``LINK_PROBABILITY``).

    Returns:
        Lists of indices into ``analyses``, each list one event, in order of first article.
    """
    return [list(g.members) for g in group_events(analyses, threshold)]


def related_reports(
    group: EventGroup, analyses: Sequence[Analysis], sources: Sequence[list[dict[str, Any]]]
) -> tuple[dict[str, Any], ...]:
    """The related reports of a group as its story lists them: headline, outlet and URL of each, in article order."""
    out = []
    for i in group.related:
        first = _article_sources(analyses[i], sources[i])[0]
        out.append({"headline": analyses[i].article.title, "outlet": outlet_of(first),
                    "url": first.get("url") or analyses[i].article.url})
    return tuple(out)


def tfidf_groups(analyses: Sequence[Analysis], threshold: float = LINK_THRESHOLD) -> list[list[int]]:
    """The grouping before event evidence, kept as the benchmarks' baseline: average linkage on the cosine
    of the articles' TF-IDF vectors alone, stopping at ``threshold``."""
    if not analyses:
        return []
    vectors = tfidf_vectors([_term_counts(a) for a in analyses])
    return average_linkage(len(analyses), candidate_pairs(vectors), threshold)


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
    fact_articles: list[int] = []  # for each fact, its article's position in ``ordered``
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
                fact_articles.append(ordered.index(i))
                seen.append(words)
    # outlets and independent reports per fact, who asserts it, where the articles' numbers disagree
    facts, discrepancies = corroborate.corroborate_story(
        facts, fact_articles, [analyses[i] for i in ordered], [sources[i] for i in ordered])
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
        discrepancies=tuple(discrepancies),
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
    groups = group_events(analyses)  # a group's related reports are listed under its story, not built into it
    from briefing.analyse.issues.story import (
        cap_issues,  # merged across articles, settled dropped, at most issues_per_story
    )

    stories = [
        replace(cap_issues(build_story([i for i in g.members if i not in g.related], analyses, sources, cfg),
                           cfg.brief.issues_per_story), related=related_reports(g, analyses, sources))
        for g in groups
    ]
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
