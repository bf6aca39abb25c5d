"""The watchlist: which of the day's stories mention the actors, places and terms of ``[watch]``.

- An **actor** matches by identity, not by spelling: a story's person or organisation is the watched one when the
  actor index of the brief would merge the two (``briefing.analyse.actors.index_actors``: "de Hoop Scheffer" and
  "Jaap de Hoop Scheffer" are one person, "NATO" and "North Atlantic Treaty Organization" one organisation), or
  when the watched name is one of the actor's names or aliases (any case).
- A **place** matches a place actor of the story the same way, or is named in the story's headline, key facts or
  article titles under any of its gazetteer names or demonyms ("Iraq" is found in "Iraqi forces").
- A **term** matches as whole words, in any case, in the headline, the key facts and the article titles, then
  anywhere in the text of the story's articles ("training mission" is found in "a Training Mission", not in
  "retraining missions"). A story's key facts are a few sentences; a reader who watches a phrase wants the story
  that reports it in its fifth paragraph too.

``match_watchlist`` gives, per watched item, the stories that mention it (with what matched in each);
``match_analysis`` does the same for one analysed article (``brief watch``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from briefing.analyse.actors import gazetteer, index_actors
from briefing.models import Actor, ActorType, Analysis, Story, WatchHit

if TYPE_CHECKING:
    from briefing.config import WatchConfig

WatchKind = Literal["actor", "place", "term"]
_PROBE_TYPES: dict[str, tuple[ActorType, ...]] = {"actor": ("person", "organization"), "place": ("place",)}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class WatchMatch:
    """One watched item found in one story or article, and the name or words of it that matched."""

    item: str
    kind: WatchKind
    matched: str


def _fold(text: str) -> str:
    """Lower case without accents: how two spellings of a name are compared."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(_fold(text)))


@lru_cache(maxsize=1024)
def _known_names(name: str) -> tuple[str, ...]:
    """``name`` and every name the gazetteer gives the same organisation or place (canonical and aliases)."""
    canonical = _canonical(name)
    if canonical is None:
        return (name,)
    return (name, *sorted({alias for alias, (c, _) in gazetteer().aliases.items() if c == canonical} - {name}))


@lru_cache(maxsize=1024)
def _canonical(name: str) -> str | None:
    """The gazetteer's canonical name for ``name`` (as written, else in any case: "iraq"), or None."""
    aliases = gazetteer().aliases
    if name in aliases:
        return aliases[name][0]
    folded = _fold(name)
    return next((c for alias, (c, _) in aliases.items() if _fold(alias) == folded), None)


@lru_cache(maxsize=1024)
def _place_pattern(place: str) -> re.Pattern[str]:
    """Whole-word pattern of a place under its gazetteer names and demonyms, in their case ("Turkey", not
    "turkey") unless the config writes the place in lower case."""
    gaz = gazetteer()
    names = set(_known_names(place))
    canonical = _canonical(place) or place
    names |= {demonym for demonym, country in gaz.demonyms.items() if country == canonical}
    alternatives = "|".join(_phrase(n) for n in sorted(names, key=len, reverse=True))
    flags = re.IGNORECASE if place == place.lower() else 0  # "iraq" as written in the config: any case
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def _phrase(text: str) -> str:
    """A regular expression for ``text``'s words in order, any space between them."""
    return r"\s+".join(re.escape(w) for w in text.split())


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){_phrase(term)}(?!\w)", re.IGNORECASE)


def _may_be(item: str, actor: Actor) -> bool:
    """A cheap test before the identity check: the two share a word of one of their known names."""
    item_words = set().union(*(_words(n) for n in _known_names(item)))
    return any(item_words & _words(n) for name in (actor.name, *actor.aliases) for n in _known_names(name))


def same_actor(item: str, kind: WatchKind, actors: Sequence[Actor]) -> Actor | None:
    """The actor of ``actors`` that is the watched ``item`` (an ``actor`` or a ``place``), or None.

    First by name or alias (any case, accents ignored), then by identity: ``item`` is added to the actors as an
    actor of each type the kind allows, and merged as the brief's actor index merges names
    (``index_actors``); the story actor it merges with is the match.
    """
    wanted = _fold(item)
    for actor in actors:
        if wanted in {_fold(n) for n in (actor.name, *actor.aliases)}:
            return actor
    candidates = [a for a in actors if _may_be(item, a)]
    if not candidates:
        return None
    for typ in _PROBE_TYPES[kind]:
        probe = Actor(name=item, type=typ, mentions=0)
        for merged, groups in index_actors([[probe], candidates]):
            if groups != (0, 1):
                continue
            names = {merged.name, *merged.aliases}
            found = next((a for a in candidates if a.name in names), None)
            if found is not None:
                return found
    return None


def find_item(
    item: str, kind: WatchKind, actors: Sequence[Actor], texts: Iterable[str], body: Iterable[str] = ()
) -> str | None:
    """What in a story (its ``actors``, ``texts``: headline, facts, titles, and for a term the ``body`` of its
    articles) is the watched ``item``, or None."""
    if kind in ("actor", "place"):
        actor = same_actor(item, kind, [a for a in actors if (a.type == "place") == (kind == "place")])
        if actor is not None:
            return actor.name
        if kind == "actor":
            return None
    pattern = _place_pattern(item) if kind == "place" else _term_pattern(item)
    for text in itertools.chain(texts, body if kind == "term" else ()):
        found = pattern.search(text)
        if found:
            return " ".join(found.group(0).split())
    return None


def _story_texts(story: Story) -> list[str]:
    titles = [s.get("title") or "" for s in story.sources] or [a.article.title for a in story.analyses]
    return [story.headline, *story.key_facts, *titles]


def story_matches(story: Story, watch: WatchConfig) -> list[WatchMatch]:
    """The watched items that ``story`` mentions, in config order."""
    texts = _story_texts(story)
    body = [a.article.text for a in story.analyses]
    out = []
    for item, kind in watch.items():
        matched = find_item(item, kind, story.actors, texts, body)
        if matched is not None:
            out.append(WatchMatch(item, kind, matched))
    return out


def match_analysis(analysis: Analysis, watch: WatchConfig) -> list[WatchMatch]:
    """The watched items that one analysed article mentions (its actors, title, key facts, text), in config order."""
    texts = [analysis.article.title, *analysis.key_facts]
    out = []
    for item, kind in watch.items():
        matched = find_item(item, kind, analysis.actors, texts, [analysis.article.text])
        if matched is not None:
            out.append(WatchMatch(item, kind, matched))
    return out


def match_watchlist(stories: Sequence[Story], watch: WatchConfig) -> list[WatchHit]:
    """For each watched item that one of ``stories`` mentions, those stories (in their order) and what matched.

    Args:
        stories: the brief's stories (the listed ones, then "Also reported").
        watch: the ``[watch]`` section of the config.

    Returns:
        One ``WatchHit`` per item with at least one story, in config order (actors, places, terms).
    """
    if not watch.items():
        return []
    found: dict[tuple[str, WatchKind], list[tuple[str, str]]] = {key: [] for key in watch.items()}
    for story in stories:
        for match in story_matches(story, watch):
            found[(match.item, match.kind)].append((story.id, match.matched))
    return [
        WatchHit(item=item, kind=kind, stories=tuple(s for s, _ in hits), matched=tuple(m for _, m in hits))
        for (item, kind), hits in found.items()
        if hits
    ]
