"""Grouping: the day's articles about the same event become one story.

Candidate pairs come from an inverted index on each article's most distinctive TF-IDF terms (stemmed content words,
``briefing.words``; names, title words and actors' names weigh more; terms found in more than ``blocking.BLOCK_MAX_DF`` of
the articles, or in more than ``blocking.BLOCK_MAX_POSTINGS`` articles, never block), so no step compares all pairs of
articles and posting lists stay bounded however large the day. Each candidate pair is then judged on event-level
evidence, not only the bag of words (``event_features``): the similarity of the two leads (title and first
sentences), whether the names of each lead and its main action (verb and object) appear in the other article, the
numbers they report, the dates and years they give, the weekday and the place of the lead. A logistic model of those
(``EVENT_WEIGHTS``, fitted on the odd-numbered ECB+ topics) gives the probability that the two report one event
(computed for many pairs at once with numpy, ``PairScores.features``); average linkage joins groups down to
``LINK_PROBABILITY``, and a second pass splits a group that holds two dense groups with weak links between them
(``SPLIT_RATIO``). Members whose own evidence for the group's event stays weak are kept as *related reports* of the
story (``group_events``), so their facts are not mixed into it.
See docs/stories.md and ``bench/cluster_eval.py``.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files

import numpy as np

from briefing.analyse.sentences import split_sentences
from briefing.assemble.blocking import (
    ENTITY_BOOST,
    SparseRows,
    _idf,
    _tfidf,
    candidate_arrays,
    candidate_pairs,
    cosine,
    pair_dots,
    term_counts,
    tfidf_vectors,
)
from briefing.clean import _finite_verbs
from briefing.models import Analysis
from briefing.words import STOP_WORDS, is_content, stem, tokenize

logger = logging.getLogger(__name__)

# Grouping parameters, chosen on ECB+ odd topics (bench/cluster_eval.py --tune).
LINK_THRESHOLD = 0.20  # the TF-IDF baseline (``tfidf_groups``): average cosine at which two groups are one story
# Event evidence (``event_features``): a logistic model of "the two articles report one event", and the linkage and
# split parameters, fitted and chosen on the odd ECB+ topics by bench/cluster_eval.py --tune --write, which writes
# them to briefing/data/grouping.json.
_TUNED = json.loads(files("briefing.data").joinpath("grouping.json").read_text(encoding="utf-8"))
EVENT_WEIGHTS: dict[str, float] = dict(_TUNED["event_weights"])
EVENT_BIAS: float = _TUNED["event_bias"]
LINK_PROBABILITY: float = _TUNED["link_probability"]  # mean event probability at which two groups are one story
SPLIT_RATIO: float = _TUNED["split_ratio"]  # a group is cut in two when the mean probability across the cut is
# below this share of inside ...
SPLIT_MIN_PART: int = _TUNED["split_min_part"]  # ... and both parts have at least this many articles
SPLIT_MAX_SIZE = 400  # larger groups are not re-examined (all pairs inside are scored)
RELATED_RATIO: float = _TUNED["related_ratio"]  # a story whose best cut has a ratio below this may show its
# looser part as related reports ...
RELATED_MIN_PART = 2  # ... when both parts have at least this many articles
RELATED_DISAGREE = 0.10  # ... and its pairs across the cut disagree on the date this much more often than inside
ACTION_BOOST = 1.0  # weight added in the lead vector to each word of the lead's main action (verb and object)
LEAD_SENTENCES = 2  # reporting sentences after the title that make an article's lead
HEAD_LINES = 6  # first lines searched for the article's dates and years (title, dateline, lead)


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
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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
    if len(words) > 10:  # a reporting line, whatever dates it gives
        return False
    return len(_LETTERS.findall(_WEEKDAY.sub(" ", _DAY_MONTH.sub(" ", line)))) <= 2


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
            following = [w.lower() for w in words[k + 1 : k + 6] if len(w) > 2 and w.lower() not in STOP_WORDS][:3]
            return frozenset([stem(lower), *(stem(w) for w in following)])
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
        for position, word in enumerate(tokenize(line)):
            lower = word.lower()
            if not is_content(lower):
                continue
            term = stem(lower)
            if position and word[0].isupper() and not headline:
                lead_counts[term] += ENTITY_BOOST
                if lower not in _DATE_WORDS:
                    names[term] = idf.get(term, unseen)
            else:
                lead_counts[term] += 1.0
        if headline:
            continue
        places.update(stem(m.group(1).split()[-1].lower()) for m in _PLACE.finditer(line))
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
    blocking up front, any other pair (inside a group, for the second pass) when it is asked for.

    The articles' vectors and cues are also held as ``SparseRows``, so the evidence of many pairs is computed
    at once (``features``), with numpy, not pair by pair.
    """

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        counts = [term_counts(a) for a in analyses]
        idf, unseen = _idf(counts)
        self.vectors = [_tfidf(c, idf, unseen) for c in counts]
        self.cues = [_event_cues(a, c, idf, unseen) for a, c in zip(analyses, counts, strict=True)]
        self.model = _event_model()
        words: dict[str, int] = {}
        numbers: dict[str, int] = {}
        cues = self.cues
        self._body = SparseRows.from_maps(self.vectors, words)
        self._lead = SparseRows.from_maps([c.lead for c in cues], words)
        self._names = SparseRows.from_maps([c.names for c in cues], words)
        self._action = SparseRows.from_maps([c.action for c in cues], words)
        self._terms = SparseRows.from_maps([c.terms for c in cues], words)
        self._numbers = SparseRows.from_maps([c.numbers for c in cues], numbers)
        self._all_numbers = SparseRows.from_maps([c.all_numbers for c in cues], numbers)
        self._years = SparseRows.from_maps([c.years for c in cues], {})
        self._places = SparseRows.from_maps([c.places for c in cues], {})
        self._weekdays = np.array([sum(1 << _WEEKDAYS.index(w) for w in c.weekdays) for c in cues], dtype=np.int64)
        self._names_weight = np.array([c.names_weight for c in cues])
        self._dated = np.array([bool(c.dates) for c in cues], dtype=bool)
        left, right, body = candidate_arrays(self._body)
        keys = list(zip(left.tolist(), right.tolist(), strict=True))
        self.candidates = dict(zip(keys, body.tolist(), strict=True))
        self.scores = dict(zip(keys, self.probabilities(left, right, body).tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.vectors)

    def features(self, left: np.ndarray, right: np.ndarray, body: np.ndarray | None = None) -> np.ndarray:
        """The ``event_features`` of the pairs ``(left[k], right[k])``, one row a pair.

        ``body``: their cosines, when already known (``candidate_arrays``).
        """
        k = len(left)
        if body is None:
            body = pair_dots(self._body, self._body, left, right)
        lead = pair_dots(self._lead, self._lead, left, right)
        names = _both_ways(pair_dots(self._names, self._terms, left, right),
                           pair_dots(self._names, self._terms, right, left),
                           self._names_weight[left], self._names_weight[right], np.minimum)
        acted = self._action.lengths.astype(np.float64)
        action = _both_ways(pair_dots(self._action, self._terms, left, right),
                            pair_dots(self._action, self._terms, right, left),
                            acted[left], acted[right], lambda x, y: (x + y) / 2)
        shared = pair_dots(self._numbers, self._numbers, left, right)
        counted = self._numbers.lengths
        stated = (counted[left] + counted[right]).astype(np.float64)
        covered = pair_dots(self._numbers, self._all_numbers, left, right) + pair_dots(
            self._numbers, self._all_numbers, right, left)
        numbers_covered = np.divide(covered, stated, out=np.zeros(k), where=stated > 0)
        date_near = np.zeros(k)
        for p in np.flatnonzero(self._dated[left] & self._dated[right]).tolist():
            a, b = self.cues[int(left[p])].dates, self.cues[int(right[p])].dates
            date_near[p] = float(any(_day_gap(x, y) <= 2 for x in a for y in b))
        years = self._years.lengths
        years_differ = (years[left] > 0) & (years[right] > 0) & (pair_dots(self._years, self._years, left, right) == 0)
        days_l, days_r = self._weekdays[left], self._weekdays[right]
        weekdays_differ = (days_l > 0) & (days_r > 0) & ((days_l & days_r) == 0)
        place_shared = pair_dots(self._places, self._places, left, right) > 0
        return np.column_stack([body, lead, names, action, np.minimum(shared, 2) / 2, numbers_covered, date_near,
                                years_differ.astype(np.float64), weekdays_differ.astype(np.float64),
                                place_shared.astype(np.float64)])

    def probabilities(self, left: np.ndarray, right: np.ndarray, body: np.ndarray | None = None) -> np.ndarray:
        """``event_probability`` of the pairs ``(left[k], right[k])`` at once."""
        x = self.features(left, right, body)
        weights, bias = self.model
        total = np.zeros(len(left))
        for column, weight in enumerate(weights):  # the same order of additions as ``event_probability``
            total = total + weight * x[:, column]
        z = bias + total
        return np.where(z > -30, 1.0 / (1.0 + np.exp(-np.maximum(z, -30.0))), 0.0)

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
        """The probabilities of all pairs of ``group`` (0 on the diagonal); the pairs not yet scored at once."""
        m = len(group)
        out = np.zeros((m, m))
        upper, lower = np.triu_indices(m, 1)
        members = np.asarray(group, dtype=np.int64)
        left = np.minimum(members[upper], members[lower])
        right = np.maximum(members[upper], members[lower])
        keys = list(zip(left.tolist(), right.tolist(), strict=True))
        missing = [p for p, key in enumerate(keys) if key not in self.scores]
        if missing:
            at = np.asarray(missing, dtype=np.int64)
            for p, score in zip(missing, self.probabilities(left[at], right[at]).tolist(), strict=True):
                self.scores[keys[p]] = score
        values = np.array([self.scores[key] for key in keys])
        out[upper, lower] = values
        out[lower, upper] = values
        return out


def _both_ways(forward: np.ndarray, backward: np.ndarray, size_left: np.ndarray, size_right: np.ndarray,
               combine: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Shares of each side's cues found in the other (``forward / size_left``, ``backward / size_right``),
    combined where both sides have cues, the one share where only one has, 0 where neither has."""
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(size_left > 0, forward / np.where(size_left > 0, size_left, 1.0), 0.0)
        right = np.where(size_right > 0, backward / np.where(size_right > 0, size_right, 1.0), 0.0)
    return np.where((size_left > 0) & (size_right > 0), combine(left, right),
                    np.where(size_left > 0, left, np.where(size_right > 0, right, 0.0)))


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
    ends = np.asarray(pairs, dtype=np.int64)
    features = scores.features(ends[:, 0], ends[:, 1])
    return int(((features[:, years] > 0) | (features[:, weekdays] > 0)).sum()) / len(pairs)


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



def tfidf_groups(analyses: Sequence[Analysis], threshold: float = LINK_THRESHOLD) -> list[list[int]]:
    """The grouping before event evidence, kept as the benchmarks' baseline: average linkage on the cosine
    of the articles' TF-IDF vectors alone, stopping at ``threshold``."""
    if not analyses:
        return []
    vectors = tfidf_vectors([term_counts(a) for a in analyses])
    return average_linkage(len(analyses), candidate_pairs(vectors), threshold)

