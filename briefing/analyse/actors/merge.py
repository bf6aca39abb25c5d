"""Actors from mentions: aliases merged within an article and across articles, a display name for each.

Within an article "Zebari" is "Hoshyar Zebari", "US" is "United States", "Michael T. Flynn" ~ "Michael Flynn",
"D.N.C." ~ "DNC", "NATO" is "North Atlantic Treaty Organization (NATO)". Across articles and stories
(``index_actors``) the same rules for variants, surnames and display names apply to the actors of each.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import cast

from briefing.models import Actor, ActorType

from .mentions import Mention, is_facility, majority
from .ner import LINKERS, gazetteer, word_list

_ACRONYM_SPLIT = re.compile(r"[\s-]+")
# Company-form suffixes: "AirTanker Ltd." is "AirTanker" where the article has that.
_CORPORATE = word_list("corporate_suffixes.txt")


@lru_cache(maxsize=4096)
def _acronym(name: str) -> str:
    """Initials of the capitalised words: "North Atlantic Treaty Organization" -> "NATO"."""
    return "".join(w[0] for w in _ACRONYM_SPLIT.split(name) if w[:1].isupper() and w.lower() not in LINKERS)


@lru_cache(maxsize=4096)
def _person_parts(name: str) -> list[str]:
    """A person's name as comparable words: lower case, accents, dots and "al-" dropped, hyphens as spaces
    ("Hugo Chávez" ~ "Chavez", "al-Sadr" ~ "Sadr", "Kim Jong-un" ~ "Kim Jong Un", "Michael T. Flynn")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name.replace("’", "'")) if not unicodedata.combining(c))
    parts = [p[3:] if p.lower().startswith(("al-", "el-")) and len(p) > 3 else p for p in folded.split()]
    return [w for p in parts for w in p.lower().replace(".", " ").replace("-", " ").split()]


def _bare(parts: Sequence[str]) -> tuple[str, ...]:
    """A name's parts without its middle initials: "Michael T. Flynn" -> (michael, flynn)."""
    return tuple(p for i, p in enumerate(parts) if len(p) > 1 or i in (0, len(parts) - 1))


def _variants(keys: dict[str, int], people: Iterable[str], others: Iterable[str]) -> dict[str, str]:
    """Key -> the key it is a variant of: people whose names differ by dots, hyphens, spacing or accents, or by
    middle initials where one of them has none ("Michael Flynn" ~ "Michael T. Flynn"; but "George W. Bush" and
    "George H. W. Bush" stay two); organisations and places whose names differ by dots ("D.N.C." ~ "DNC")."""
    out: dict[str, str] = {}
    by_full: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in people:
        if _person_parts(k):
            by_full[tuple(_person_parts(k))].append(k)
    by_bare: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for full in by_full:
        by_bare[_bare(full)].append(full)
    for bare, fulls in by_bare.items():
        initialled = [f for f in fulls if f != bare]
        if bare in by_full and len(initialled) == 1:  # the name without initials is that one person's
            by_full[initialled[0]] += by_full.pop(bare)
    groups = list(by_full.values())
    by_letters: dict[str, list[str]] = defaultdict(list)
    for k in others:
        letters = k.replace(".", "").replace(" ", "")
        by_letters[letters if letters.isupper() and len(letters) > 1 else k].append(k)
    groups += by_letters.values()
    for group in groups:
        head = max(group, key=lambda k: (keys[k], len(k)))
        for k in group:
            if k != head:
                out[k] = head
    return out


def _surname_owners(weights: Mapping[str, int], people: Sequence[str], target: dict[str, str]) -> None:
    """Point short names of people at the full name they belong to, in ``target`` (name -> the name it joins).

    "Zebari" and "de Hoop Scheffer" belong to the full name that ends with them; a one-word name to one that holds
    it anywhere ("Kim" of "Kim Jong-un"). Of several people who share the name ("Laura Janner-Klausner", "Daniel
    Janner": "Lord Janner" is their father), the short name is the most mentioned one's only if that one has at least
    twice the ``weights`` (mentions) of the next. ``people`` come longest name first, so that a longer name's own
    target is settled before a shorter one joins it.
    """
    # A longer name that ends with (or, for one word, contains) a name holds its last word: index names by word.
    holders: dict[str, list[str]] = defaultdict(list)
    for k in people:
        for word in dict.fromkeys(_person_parts(k)):
            holders[word].append(k)
    for short in people:
        parts = _person_parts(short)
        if not parts:
            continue
        n_parts = len(parts)
        longer = [
            k
            for k in holders[parts[-1]]
            if len(_person_parts(k)) > n_parts and (n_parts == 1 or _person_parts(k)[-n_parts:] == parts)
        ]
        holders_by_target: dict[str, int] = defaultdict(int)
        for k in longer:
            holders_by_target[target[k]] += weights[k]
        if holders_by_target:
            ranked = sorted(holders_by_target.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
                target[short] = target[max(longer, key=lambda k: (weights[k], -len(k)))]


def _follow_chains(target: dict[str, str]) -> None:
    """Point each name of ``target`` at the end of its chain ("Mr Flynn" -> "Flynn" -> "Michael Flynn")."""
    for k in target:
        seen = {k}
        while target[target[k]] not in seen:
            seen.add(target[k])
            target[k] = target[target[k]]


def display_name(typ: ActorType, key: str, counts: Mapping[str, int]) -> str:
    """The name an actor is listed under, of its names with their mentions (``counts``, in first-seen order).

    A person by the fullest name (most words), then the most mentioned; a place the gazetteer knows (``key`` its
    canonical name) by its usual name ("United States" for "US"); an organisation or another place by the name the
    text uses most, the longer among equals. Ties go to the name seen first.
    """
    if typ == "person":
        return max(counts, key=lambda n: (len(_person_parts(n)), counts[n]))
    if typ == "place" and key in gazetteer().aliases:
        return key
    return max(counts, key=lambda n: (counts[n], len(n)))


_CORPORATE = frozenset({"Ltd.", "Ltd", "Inc.", "Inc", "Corp.", "Corp", "Co.", "NV", "N.V.", "plc", "PLC", "LLC", "AG"})


def _definitions(text: str, mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    """(long key, acronym key) for "North Atlantic Treaty Organization (NATO)" written in the text."""
    links = []
    for m1, m2 in zip(mentions, mentions[1:], strict=False):
        if text[m1.end : m2.start] in (" (", "(") and text[m2.end : m2.end + 1] == ")" and m2.surface.isupper():
            links.append((m1.key, m2.key))
    return links


def _group_keys(mentions: Sequence[Mention], links: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """Map each mention key to the key of the actor it belongs to (alias merging within one article)."""
    gaz = gazetteer()
    types: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        types[m.key].append(m.type)
    keys = {k: len(ts) for k, ts in types.items()}  # mentions per key, in order of first mention
    main_type = {k: majority(ts) for k, ts in types.items()}
    target = {k: k for k in keys}
    # Variants of one name: "Kim Jong-un" / "Kim Jong Un", "Michael T. Flynn" / "Michael Flynn", "D.N.C." / "DNC".
    variant = _variants(
        keys, [k for k in keys if main_type[k] == "person"], [k for k in keys if main_type[k] != "person"]
    )
    target.update(variant)
    # People: "Zebari" and "de Hoop Scheffer" belong to the full name that ends with them.
    people = sorted(
        (k for k in keys if main_type[k] == "person" and k not in variant), key=lambda k: -len(_person_parts(k))
    )
    _surname_owners(keys, people, target)
    # A single word the model typed as a place or organisation that is also a person's surname.
    # Also the family name first of a name of three parts or more: "Kim" of "Kim Jong-un" is no place.
    surnames = {_person_parts(k)[-1]: target[k] for k in people if len(_person_parts(k)) > 1}
    for k in people:
        if len(_person_parts(k)) > 2:
            surnames.setdefault(_person_parts(k)[0], target[k])
    for k in keys:
        if main_type[k] != "person" and " " not in k and k.lower() in surnames and k not in gaz.aliases:
            target[k] = surnames[k.lower()]
    # Organisations and places: an acronym belongs to the long name whose initials it spells.
    longs = {_acronym(k): k for k in keys if main_type[k] != "person" and " " in k}
    longs.update({acr: long for long, acr in links if long in keys and acr in keys})
    for k in keys:
        letters = k.replace(".", "")
        if main_type[k] != "person" and k.isupper() and letters in longs and longs[letters] != k and target[k] == k:
            long = longs[letters]
            target[long] = k if keys[k] >= keys[long] else long
            target[k] = target[long]
    # Organisations: "AirTanker Ltd." is "AirTanker"; "Air Force" is "U.S. Air Force" when the article has that.
    for k in keys:
        if main_type[k] != "organization" or target[k] != k:
            continue
        words = k.split()
        if len(words) > 1 and words[-1] in _CORPORATE and " ".join(words[:-1]) in keys:
            target[k] = " ".join(words[:-1])
            continue
        for i in range(1, len(words)):
            head, rest = " ".join(words[:i]), " ".join(words[i:])
            if (head in gaz.aliases or head in gaz.demonyms) and rest in keys and main_type[rest] == "organization":
                if target[rest] == rest:
                    target[rest] = k
                break
    _follow_chains(target)
    return target


def build_actors(text: str, mentions: Sequence[Mention]) -> list[Actor]:
    """One Actor per group of mentions, most important first."""
    target = _group_keys(mentions, _definitions(text, mentions))
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[target[m.key]].append(m)
    actors: list[Actor] = []
    for key, ms in groups.items():
        typ = cast(ActorType, majority([m.type for m in ms]))
        names = [m.surface for m in ms if not m.demonym]
        if not names:
            continue  # only demonyms: they add to a country the article names, they do not make one
        one_name = names.count(names[0]) == len(names)  # the usual case, without a Counter
        name = display_name(typ, key, {names[0]: len(names)} if one_name else Counter(names))
        aliases = tuple(sorted({n for n in names if n != name}))
        # A person's role, from the mention it is attached to; a place or organisation has none ("Trump Tower").
        role = next((m.role for m in ms if m.role and m.type == "person"), None) if typ == "person" else None
        first = ms[0].start  # mentions come in text order
        actors.append(Actor(name=name, type=typ, role=role, aliases=aliases, mentions=len(ms), first=first))
    return salient_order(actors)


SALIENT_SLOTS = 3  # the most-mentioned person and organisation are among the first this many actors


def salient_order(actors: Iterable[Actor]) -> list[Actor]:
    """Most important first: by mentions, then first appearance; venues (buildings and sites: "Trump Tower", "the
    Old Bailey") after every other actor; and the most-mentioned person and organisation moved up to the first
    SALIENT_SLOTS places, so that a story page that shows the first dozen never leaves out the story's subject."""
    ordered = sorted(actors, key=lambda a: (a.type == "place" and is_facility(a.name), -a.mentions, a.first))
    tops = [next((a for a in ordered if a.type == typ), None) for typ in ("person", "organization")]
    late = [a for a in tops if a is not None and ordered.index(a) >= SALIENT_SLOTS]
    for a in late:
        ordered.remove(a)
    late.sort(key=lambda a: (-a.mentions, a.first))
    return ordered[: SALIENT_SLOTS - len(late)] + late + ordered[SALIENT_SLOTS - len(late) :]


def _merge_key(actor: Actor) -> str:
    gaz = gazetteer()
    if actor.type != "person":
        for name in (actor.name, *actor.aliases):
            if name in gaz.aliases:
                return gaz.aliases[name][0]
        letters = actor.name.replace(".", "").replace(" ", "")
        if letters.isupper() and len(letters) > 1:
            return letters  # "D.N.C." ~ "DNC"
    return actor.name


def index_actors(groups: Sequence[Sequence[Actor]]) -> list[tuple[Actor, tuple[int, ...]]]:
    """Merge the actor lists of several articles or stories, and say in which of them each actor appears.

    This is the day-wide actor index of the brief: "Zebari" in one story and "Hoshyar Zebari" in another are one
    person; "US" and "United States" are one place.

    Args:
        groups: one actor list per article or story.

    Returns:
        (merged actor, indices of the groups it appears in), most mentioned first. The merged actor's ``first`` is
        the index of the first group that names it times 10,000,000 plus the offset there, so that among equals the
        actors of earlier groups come first.
    """
    by_key: dict[str, list[tuple[int, Actor]]] = defaultdict(list)
    for g_index, group in enumerate(groups):
        for actor in group:
            by_key[_merge_key(actor)].append((g_index, replace(actor, first=g_index * 10_000_000 + actor.first)))
    # People whose names differ by dots, hyphens, spacing, accents or a middle initial ("Kim Jong-un" in one story,
    # "Kim Jong Un" in another; "Michael T. Flynn", "Michael Flynn").
    sizes = {k: sum(a.mentions for _, a in acts) for k, acts in by_key.items()}
    people = [k for k, acts in by_key.items() if acts[0][1].type == "person"]
    for k, head in _variants(sizes, people, ()).items():
        by_key[head].extend(by_key.pop(k))
    # People: a surname-only or shorter name joins the full name it belongs to, by the rule of one article.
    people = [k for k, acts in by_key.items() if acts[0][1].type == "person"]
    weights = {k: sum(a.mentions for _, a in by_key[k]) for k in people}
    target = {k: k for k in people}
    _surname_owners(weights, sorted(people, key=lambda k: -len(_person_parts(k))), target)
    _follow_chains(target)
    for k in people:
        if target[k] != k:
            by_key[target[k]].extend(by_key.pop(k))
    merged: list[tuple[Actor, tuple[int, ...]]] = []
    for key, pairs in by_key.items():
        acts = [a for _, a in pairs]
        typ = Counter(a.type for a in acts).most_common(1)[0][0]
        mentions = Counter[str]()
        for a in acts:
            mentions[a.name] += a.mentions
        name = display_name(typ, key, mentions)
        aliases = {n for a in acts for n in (a.name, *a.aliases)} - {name}
        roles = Counter(a.role for a in acts if a.role and a.type == "person" and typ == "person")
        actor = Actor(
            name=name,
            type=typ,
            role=roles.most_common(1)[0][0] if roles else None,
            aliases=tuple(sorted(aliases)),
            mentions=sum(a.mentions for a in acts),
            first=min(a.first for a in acts),
        )
        merged.append((actor, tuple(sorted({g for g, _ in pairs}))))
    merged.sort(key=lambda item: (-item[0].mentions, item[0].first))
    return merged


def merge_actors(groups: Sequence[Sequence[Actor]]) -> list[Actor]:
    """Merge the actor lists of several articles into one (same actor under different names across articles).

    Args:
        groups: one actor list per article (or story).

    Returns:
        The merged actors, most mentioned first (see ``index_actors``, which also says where each appears), in
        ``salient_order``: venues last, the most-mentioned person and organisation among the first three.
    """
    return salient_order(actor for actor, _ in index_actors(groups))
