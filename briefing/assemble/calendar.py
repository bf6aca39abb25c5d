"""The calendar: dated events to come that the day's articles mention, for the brief's "Coming up" section.

Each sentence of each article is searched for a date, and the date is resolved against the article's own
publication date, never against today (an article without one gives no event: its "Thursday" is no day):

- an explicit date: "12 March", "March 12th", "the 30th of June", with or without its year, or "2004-08-12". A date
  without its year is the occurrence of that day and month nearest the article's date ("12 March" in a
  December article is next March), and it is an event to come when it falls after the article's date, unless
  the sentence has no ``future`` cue and a past-tense verb (``past_forms``) at most ``NEAR_WORDS`` words from the
  date ("The GAO on June 18 called for a re-run" tells what happened);
- a weekday: "on Thursday", "next Friday". News names past weekdays far more often than future ones, so a
  weekday counts only with a ``future`` cue of ``briefing/data/calendar_cues.tsv`` ("will", "is due to", "are to")
  at most ``NEAR_WORDS`` words from it, or right after an ``ahead`` cue ("next", "planned for", "at the
  latest"). It is the first such weekday on or after the article's date (strictly after it with "next"), so
  "parliament will vote on Tuesday" in a Friday 30 July article is Tuesday 3 August;
- "tomorrow", "the day after tomorrow" (``relative`` cues).

A date right after a ``reported`` cue ("said on Monday that talks will resume") dates what was said, and one
after a ``past`` cue ("last Friday", "since 3 March") a time gone: neither is listed. Vaguer times ("next week",
"later this month", "in the spring") give no day and are left out. Only dates after the brief's date are listed,
soonest first, one entry per date and sentence (the same sentence from several outlets once). Each event is
linked to the open issues of its story that it could settle: an issue whose evidence is the same sentence, whose
topic the sentence names, or whose question and evidence share at least ``ISSUE_SHARED_WORDS`` content words with
it (dates and weekdays not counted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from dateutil.parser import parserinfo
from dateutil.relativedelta import relativedelta

from briefing.analyse.issues.questions import verb_lemmas
from briefing.analyse.sentences import split_sentences
from briefing.models import Analysis, CalendarEvent, OpenIssue, Story
from briefing.words import same_statement, word_set

CUES_NAME = "calendar_cues.tsv"
CUE_KINDS = ("future", "ahead", "reported", "past", "relative", "figurative", "aux", "helper", "filler")
ISSUE_SHARED_WORDS = 2  # content words an event's sentence shares with an open issue to be linked to it
MAX_SENTENCE_CHARS = 600  # longer "sentences" (tables, lists run together) are not searched
ROLL_OVER_DAYS = 31  # see _explicit_dates
LOOK_BACK_WORDS = 6  # words before a date searched for an "ahead", "reported" or "past" cue
NEAR_WORDS = 8  # a weekday is an event to come with a "future" cue at most this many words from it; a date is
# not, in a sentence without one, with a past-tense verb at most this many words from it

_INFO = parserinfo()
_MONTH_NAMES = sorted({name for names in _INFO.MONTHS for name in names}, key=len, reverse=True)
_WEEKDAY_NAMES = [max(names, key=len) for names in _INFO.WEEKDAYS]  # full names only: "Sun", "Sat" are words
_FULL_MONTHS = frozenset(max(names, key=len) for names in _INFO.MONTHS)
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+((?:19|20)\d\d)\b)?"
# Month names are matched as written (capitalised): "may" is a verb, "march" a noun.
_DAY_MONTH = re.compile(rf"\b(?:the\s+)?({_DAY})\s+(?:of\s+)?({_MONTH})(?![\w.]\w){_YEAR}")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+({_DAY})\b(?![.,]?\d){_YEAR}")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAY_NAMES) + r")\b")
_WORD = re.compile(r"[\w']+")
_DAY_NAMES = tuple(min(names, key=len) for names in _INFO.MONTHS) + tuple(_WEEKDAY_NAMES)  # "Jan" is in "January"


@dataclass(frozen=True)
class Cues:
    """The cue phrases of ``calendar_cues.tsv``, by kind (phrases as tuples of lower-case words)."""

    future: dict[str, tuple[tuple[str, ...], ...]]  # first word -> the phrases that open with it
    ahead: tuple[tuple[str, ...], ...]
    reported: tuple[tuple[str, ...], ...]
    past: tuple[tuple[str, ...], ...]
    aux: frozenset[str]
    helper: frozenset[str]
    figurative: frozenset[str]
    filler: frozenset[str]
    relative: tuple[tuple[re.Pattern[str], int], ...]
    relative_words: frozenset[str]  # the last word of each relative cue, for a quick test


def _phrase_pattern(phrase: str) -> str:
    """A phrase as whole words (a phrase opening with an apostrophe, "'ll", may follow a letter)."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    return (r"(?<!\w)" if phrase[:1].isalnum() else "") + body + r"(?!\w)"


@lru_cache(maxsize=1)
def cues() -> Cues:
    """Load ``briefing/data/calendar_cues.tsv`` (once per process).

    Raises:
        ValueError: a line of an unknown kind, or a relative cue without its number of days.
    """
    text = resources.files("briefing.data").joinpath(CUES_NAME).read_text(encoding="utf-8")
    found: dict[str, list[list[str]]] = {kind: [] for kind in CUE_KINDS}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] not in found or len(fields) < 2 or (fields[0] == "relative") != (len(fields) == 3):
            raise ValueError(f"{CUES_NAME} line {number}: expected 'kind<TAB>phrase' (relative: '<TAB>days'), "
                             f"kind one of {', '.join(CUE_KINDS)}; got {line!r}")
        found[fields[0]].append(fields[1:])
    future: dict[str, list[tuple[str, ...]]] = {}
    for (phrase,) in found["future"]:
        words = tuple(phrase.split())
        future.setdefault(words[0], []).append(words)
    return Cues(
        future={first: tuple(phrases) for first, phrases in future.items()},
        ahead=tuple(tuple(p.split()) for (p,) in found["ahead"]),
        reported=tuple(tuple(p.split()) for (p,) in found["reported"]),
        past=tuple(tuple(p.split()) for (p,) in found["past"]),
        aux=frozenset(p for (p,) in found["aux"]),
        helper=frozenset(p for (p,) in found["helper"]),
        figurative=frozenset(p for (p,) in found["figurative"]),
        filler=frozenset(p for (p,) in found["filler"]),
        relative=tuple((re.compile(_phrase_pattern(p), re.IGNORECASE), int(days))
                       for p, days in sorted(found["relative"], key=lambda f: -len(f[0]))),
        relative_words=frozenset(p.split()[-1] for p, _ in found["relative"]),
    )


@lru_cache(maxsize=1)
def past_forms() -> frozenset[str]:
    """Past-tense verb forms: past or participle only in UD-EWT's ``verb_lemmas.tsv`` ("began", "called", "said";
    not "set", "put") and among its usual finite forms (``finite_verbs.txt``: not the table's typos, "we", "new")."""
    text = resources.files("briefing.data").joinpath("finite_verbs.txt").read_text(encoding="utf-8")
    finite = {line for line in text.splitlines() if line and not line.startswith("#")}
    return frozenset(form for form, (_, tags) in verb_lemmas().items()
                     if form in finite and "D" in tags and not set("BPZG") & set(tags))


def _past_acts(sentence: str, helpers: frozenset[str]) -> list[int]:
    """Offsets of the past-tense verbs of ``sentence`` that no helper ("is", "has", "to be") stands before."""
    forms = past_forms()
    words = [(m.start(), m.group(0).lower()) for m in _WORD.finditer(sentence)]
    return [at for k, (at, w) in enumerate(words) if w in forms and (k == 0 or words[k - 1][1] not in helpers)]


def _may_name_a_day(sentence: str, cue: Cues) -> bool:
    """A quick test before the patterns: the sentence holds a month or weekday name, an ISO date or a relative day."""
    if any(name in sentence for name in _DAY_NAMES) or ("-" in sentence and _ISO.search(sentence)):
        return True
    lower = sentence.lower()
    return any(word in lower for word in cue.relative_words)


def future_cues(sentence: str) -> list[int]:
    """Offsets of the ``future`` cues of ``sentence`` ("will", "is due to", "'ll" in "they'll")."""
    table = cues().future
    words = [(m.start(), m.group(0).lower()) for m in _WORD.finditer(sentence)]
    found = []
    for k, (at, word) in enumerate(words):
        head, apostrophe, tail = word.partition("'")
        for first in (word, "'" + tail) if apostrophe and head else (word,):
            for phrase in table.get(first, ()):
                if tuple(w for _, w in words[k + 1 : k + len(phrase)]) == phrase[1:]:
                    found.append(at)
                    break
    return found


@dataclass(frozen=True)
class DateMention:
    """A day a sentence names, resolved against its article's date."""

    day: date
    when: str  # the words that name it, as written
    start: int  # offset in the sentence


def _words_before(sentence: str, start: int, fillers: frozenset[str]) -> tuple[str, ...]:
    """The last words before offset ``start`` (lower case), trailing filler words dropped."""
    words = [w.lower() for w in _WORD.findall(sentence[max(0, start - 80) : start])][-LOOK_BACK_WORDS:]
    while words and words[-1] in fillers:
        words.pop()
    return tuple(words)


def _words_between(sentence: str, a: int, b: int) -> int:
    """How many words lie between offsets ``a`` and ``b`` of ``sentence`` (either order)."""
    low, high = min(a, b), max(a, b)
    return len(_WORD.findall(sentence[low:high])) - 1


def _ends_with(words: tuple[str, ...], phrases: Sequence[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The first of ``phrases`` that ``words`` end with, or None."""
    return next((p for p in phrases if len(p) <= len(words) and words[len(words) - len(p) :] == p), None)


def _month(name: str) -> int:
    number = _INFO.month(name.rstrip("."))
    if number is None:  # the pattern only matches names parserinfo knows
        raise ValueError(f"not a month: {name}")
    return int(number)


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _nearest(month: int, day: int, published: date) -> date | None:
    """The date with this month and day nearest ``published`` (a year before, the same year or the next)."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:  # 29 February of a common year, 31 April
            continue
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def _when_text(text: str) -> str:
    """The words of a date as shown: spaces tidied, a full stop that ends the sentence dropped ("Aug." kept)."""
    text = " ".join(text.split())
    last = text[:-1].rsplit(" ", 1)[-1]
    return text[:-1] if text.endswith(".") and (last.isdigit() or last in _FULL_MONTHS) else text


def _explicit_dates(sentence: str, published: date, future: bool) -> Iterator[DateMention]:
    """The explicit dates of a sentence: day and month (with or without year) and ISO dates. A date without its
    year is the nearest occurrence; in a sentence about the future (``future``), one more than ``ROLL_OVER_DAYS``
    before the article's date is next year's."""
    for match in _ISO.finditer(sentence):
        try:
            yield DateMention(date(*(int(g) for g in match.groups())), match.group(0), match.start())
        except ValueError:
            continue
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for match in pattern.finditer(sentence):
            month, day, year = _month(match.group(month_group)), _day_number(match.group(day_group)), match.group(3)
            if year:
                try:
                    found: date | None = date(int(year), month, day)
                except ValueError:
                    continue
            else:
                found = _nearest(month, day, published)
                if found is not None and future and (published - found).days > ROLL_OVER_DAYS:
                    found = _nearest(month, day, published + timedelta(days=183))  # "will resume on 12 March"
            if found is not None:
                yield DateMention(found, _when_text(match.group(0)), match.start())


def find_dates(sentence: str, published: date) -> list[DateMention]:
    """The days to come that ``sentence`` of an article published on ``published`` names (after that date).

    See the module doc for what counts: explicit dates after ``published``, weekdays with a future cue, the
    relative days; none right after a ``reported`` or ``past`` cue.
    """
    cue = cues()
    if len(sentence) > MAX_SENTENCE_CHARS or not _may_name_a_day(sentence, cue):
        return []
    future_at = future_cues(sentence)
    future = bool(future_at)
    found: list[DateMention] = []
    explicit = sorted(_explicit_dates(sentence, published, future), key=lambda m: m.start)
    covered = [(m.start, m.start + len(m.when)) for m in explicit]

    def dated_by_report(start: int) -> bool:
        before = _words_before(sentence, start, cue.filler)
        if _ends_with(before, cue.past):
            return True
        if before and before[-1] in past_forms() and (len(before) < 2 or before[-2] not in cue.helper):
            return True  # "began on August 10", "called Monday"; not "is scheduled on", "to be held on"
        reported = _ends_with(before, cue.reported)  # "said on Monday", but not "is to be signed on 2 September"
        return reported is not None and before[-len(reported) - 1 : -len(reported)] not in [(a,) for a in cue.aux]

    past_acts = [] if future else _past_acts(sentence, cue.helper)
    for mention in explicit:
        # "The GAO on June 18 called for a re-run": a past act near the date, no word of the future
        told = any(_words_between(sentence, at, mention.start) <= NEAR_WORDS for at in past_acts)
        if mention.day > published and not told and not dated_by_report(mention.start):
            found.append(mention)
    for match in _WEEKDAY.finditer(sentence):
        # "Monday, 3 March" and "Monday 3 March": the explicit date says it
        if any(match.end() <= s <= match.end() + 2 or s <= match.start() < e for s, e in covered):
            continue
        before = _words_before(sentence, match.start(), cue.filler)
        near = any(_words_between(sentence, at, match.start()) <= NEAR_WORDS for at in future_at)
        if dated_by_report(match.start()) or not (near or _ends_with(before, cue.ahead) is not None):
            continue
        target = _INFO.weekday(match.group(1))
        if target is None:
            continue
        strictly_after = before[-1:] == ("next",)
        day = published + relativedelta(days=+1 if strictly_after else 0, weekday=target)
        if day > published:
            found.append(DateMention(day, match.group(0), match.start()))
    for pattern, days in cue.relative:
        for match in pattern.finditer(sentence):
            figurative = _words_before(sentence, match.start(), frozenset())[-1:] in [(w,) for w in cue.figurative]
            if not figurative and not any(m.start <= match.start() < m.start + len(m.when) for m in found):
                found.append(DateMention(published + timedelta(days=days), match.group(0), match.start()))
    return sorted(found, key=lambda m: m.start)


_DATE_WORDS = word_set(" ".join([*_MONTH_NAMES, *_WEEKDAY_NAMES, "tomorrow", "today", "week", "month"]))


def settles(sentence: str, issue: OpenIssue) -> bool:
    """True if an event ``sentence`` could settle ``issue``: the issue's evidence, its topic named, or at least
    ``ISSUE_SHARED_WORDS`` content words shared with its question and evidence (dates not counted)."""
    if sentence.strip() == issue.evidence.strip():
        return True
    words = word_set(sentence) - _DATE_WORDS
    topic = word_set(issue.topic) - _DATE_WORDS
    if topic and topic <= words:
        return True
    return len(words & (word_set(issue.question) | word_set(issue.evidence))) >= ISSUE_SHARED_WORDS


def _outlet(story: Story, analysis: Analysis) -> tuple[str, str | None]:
    """The outlet (and URL) of one of the story's articles, as the story's sources name it."""
    article = analysis.article
    for src in story.sources:
        if (article.url and src.get("url") == article.url) or src.get("title") == article.title:
            return str(src.get("outlet") or src.get("name") or article.source), src.get("url") or article.url
    return article.outlet or article.source, article.url


def upcoming_events(stories: Sequence[Story], day: date) -> list[CalendarEvent]:
    """The events after ``day`` that the stories' articles mention, soonest first (then in story order).

    Args:
        stories: the brief's stories, most important first.
        day: the brief's date; only later dates are listed.

    Returns:
        One ``CalendarEvent`` per date and sentence; its ``issues`` are the open (not resolved) issues of its story
        it could settle (``settles``).
    """
    events: list[tuple[date, int, CalendarEvent]] = []
    seen: list[tuple[date, frozenset[str]]] = []
    for rank, story in enumerate(stories):
        open_issues = [i for i in story.open_issues if i.status != "resolved"]
        for analysis in story.analyses:
            if analysis.article.published is None:  # "on Thursday" of an undated text is no day: not guessed
                continue
            published = analysis.article.published.date()
            for sentence in analysis.sentences or tuple(split_sentences(analysis.article.text)):
                mentions = [m for m in find_dates(sentence, published) if m.day > day]
                if not mentions:
                    continue
                words = word_set(sentence)
                outlet, url = _outlet(story, analysis)
                for mention in {m.day: m for m in reversed(mentions)}.values():  # each day once, first words kept
                    if any(d == mention.day and same_statement(w, words) for d, w in seen):
                        continue
                    seen.append((mention.day, words))
                    issues = tuple(i for i in open_issues if settles(sentence, i))
                    events.append((mention.day, rank, CalendarEvent(
                        date=mention.day, what=sentence, story=story.id, outlet=outlet, url=url, when=mention.when,
                        issues=issues)))
    events.sort(key=lambda e: (e[0], e[1]))
    return [event for _, _, event in events]
