"""The data that flows between the stages. Every stage's input and output is one of these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

ActorType = Literal["person", "organization", "place"]


@dataclass(frozen=True)
class Article:
    """One cleaned article, as read by an ingest reader."""

    id: str  # stable identifier: file path or canonical URL
    title: str
    text: str  # cleaned body, paragraphs separated by blank lines
    source: str  # name of the configured source
    url: str | None = None
    published: datetime | None = None  # its own publication time, if known
    fetched: datetime | None = None  # when we ingested it
    outlet: str | None = None  # its publisher ("Reuters"), from its own metadata; None if unknown


@dataclass(frozen=True)
class Actor:
    """A named actor of an article (or, merged, of a story or day)."""

    name: str
    type: ActorType
    role: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: int = 1
    first: int = 0  # character offset of the first mention, for ordering


@dataclass(frozen=True)
class OpenIssue:
    """A matter the article presents as unresolved."""

    topic: str  # 1-4 words, e.g. "funding"
    question: str  # ends with "?"
    evidence: str  # the sentence stating it, verbatim from the article
    status: Literal["new", "carried_over", "resolved"] = "new"


@dataclass(frozen=True)
class Analysis:
    """What the analyse stage makes of one article."""

    article: Article
    sentences: tuple[str, ...]
    key_facts: tuple[str, ...]  # verbatim sentences, in article order
    open_issues: tuple[OpenIssue, ...] = ()
    actors: tuple[Actor, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A key fact of a story: a verbatim sentence, with the outlet and article it comes from."""

    text: str
    outlet: str
    url: str | None = None
    outlets: int = 1  # outlets whose articles state it (its own included); see briefing/corroborate.py
    independent: int = 1  # of those, reports that are not near-copies of one another
    attributed_to: str | None = None  # who the sentence says asserts it ("diplomats", "the Interior Ministry")


@dataclass(frozen=True)
class DiscrepancyClaim:
    """One outlet's number in a discrepancy: the sentence that states it, verbatim."""

    text: str
    outlet: str
    url: str | None = None
    value: str = ""  # the words giving the number ("at least 43", "$13.9 billion")


@dataclass(frozen=True)
class Discrepancy:
    """Articles of one story giving numbers for the same thing that cannot all be right."""

    about: str  # "people killed", "amount stolen (USD)"
    claims: tuple[DiscrepancyClaim, ...]


@dataclass(frozen=True)
class Story:
    """One story of the brief: one or more articles about the same event."""

    id: str
    headline: str
    analyses: tuple[Analysis, ...]
    key_facts: tuple[str, ...]
    open_issues: tuple[OpenIssue, ...] = ()
    actors: tuple[Actor, ...] = ()
    status: Literal["new", "continuing"] = "new"
    continuing_since: date | None = None
    score: float = 0.0
    sources: tuple[dict, ...] = ()  # {"outlet", "name", "title", "url", "published"} of each article's copy
    facts: tuple[Fact, ...] = ()  # the key facts with their outlets (``key_facts`` holds their texts)
    related: tuple[dict, ...] = ()  # related reports: {"headline", "outlet", "url"} of articles grouped with it
    # whose evidence for its event is weak (their facts are not in it); see docs/stories.md
    discrepancies: tuple[Discrepancy, ...] = ()  # where its articles disagree on a number
    new_facts: tuple[str, ...] = ()  # continuing: key facts not in the previous brief's version of it (briefing/assemble/days.py)
    new_since: date | None = None  # continuing: the day of that previous brief


@dataclass(frozen=True)
class WatchHit:
    """A watchlist item of the config and the stories that mention it (briefing/assemble/watch.py)."""

    item: str  # as written in [watch]
    kind: Literal["actor", "place", "term"]
    stories: tuple[str, ...]  # story ids, in the brief's order
    matched: tuple[str, ...] = ()  # for each story, the name or words of it that matched


@dataclass(frozen=True)
class CalendarEvent:
    """A dated future event an article mentions (briefing/assemble/calendar.py)."""

    date: date
    what: str  # the sentence that mentions it, verbatim
    story: str  # story id
    outlet: str
    url: str | None = None
    when: str = ""  # the words that gave the date ("on Thursday", "12 March")
    issues: tuple[OpenIssue, ...] = ()  # open issues of its story the event could settle


@dataclass(frozen=True)
class QuietStory:
    """A story of a recent brief with no reporting today (briefing/assemble/days.py)."""

    story: str  # story id
    headline: str
    last_reported: date  # the day of the last brief that had it


@dataclass(frozen=True)
class Excluded:
    """An item left out of the brief, and why."""

    source: str
    item: str
    error: str


@dataclass(frozen=True)
class Brief:
    """The whole daily brief, ready to render."""

    title: str
    date: date
    generated: datetime
    stories: tuple[Story, ...]
    top_lines: tuple[str, ...] = ()
    more_stories: tuple[Story, ...] = ()  # beyond max_stories: listed by headline only
    excluded: tuple[Excluded, ...] = field(default_factory=tuple)
    watchlist: tuple[WatchHit, ...] = ()  # [watch] items mentioned today, in config order
    calendar: tuple[CalendarEvent, ...] = ()  # dated events after the brief's date, soonest first
    gone_quiet: tuple[QuietStory, ...] = ()  # stories of recent briefs not reported today, latest first
