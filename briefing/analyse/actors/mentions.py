"""Mentions of actors in an article: the model's names tidied, typed and given roles.

Rules around the model (``ner``) keep names to names (no "While", "Scroll", "According", datelines, months or wire
tags; buildings are places), attach roles to people (titles before the name, possessives, appositions, brackets),
count plain demonyms ("French troops") as mentions of the country and make an article consistent (one type per
name, a name the model found once is found everywhere). The word lists are data files in ``briefing/data``.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import compress
from operator import attrgetter

from briefing.clean import strip_dateline
from briefing.models import ActorType

from .ner import (
    FEATURE_TITLES,
    LABEL_TYPES,
    NOT_TRIGGERS,
    Model,
    common_words,
    gazetteer,
    pos_lexicon,
    tag_sentences,
    tokenize,
    word_list,
)

SENTENCE_BATCH = 64  # sentences of an article tagged together

# Word lists (briefing/data/README.md says where each comes from).
TITLE_WORDS = FEATURE_TITLES | word_list("role_words.txt")  # titles and job words: what makes a role
ROLE_MODIFIERS = word_list("role_modifiers.txt")  # words that qualify a title: "interim", "Foreign"
HONORIFICS = word_list("honorifics.txt")  # "Mr.", "Dame": part of no name, and no role on their own
STATE_NOUNS = word_list("state_nouns.txt")  # a demonym before one stands for its country: "French troops"
NOT_ACTORS = word_list("not_actors.txt")  # what the model sometimes tags that names no actor: peoples, "Parliament"
ORG_HEADS = word_list("organisation_heads.txt")  # "General Assembly", "General Motors": no person
PLACE_HEADS = word_list("place_heads.txt")  # "Tahrir Square", "Gaza Strip": no person or organisation
FACILITY_HEADS = word_list("facility_heads.txt")  # a building or site: a place, never a person, no role
_RANKS = word_list("ranks.txt")  # a role before a name that is only a rank gives way to an apposition after it
_TIME_WORDS = word_list("time_words.txt")  # never open a role; "May" found once is not looked for again
_MONTHS_AND_DAYS = word_list("months_and_days.txt")  # never open a name, nor are one ("Feb", "Monday")
_PROMPTS = word_list("web_prompts.txt")  # a web page's prompts ("Scroll", "Click"): never open a name
_ATTRIBUTIONS = word_list("attribution_verbs.txt")  # never end a name ("[According]")
_POSTNOMINALS = word_list("postnominals.txt")  # never end a name ("QC", "MP")
_WIRES = word_list("wire_tags.txt")  # "(CNN) --": a wire tag, never an actor there


@dataclass(frozen=True)
class Mention:
    """One mention of an actor in the article text."""

    start: int  # character offsets in the article text
    end: int
    type: ActorType
    surface: str  # verbatim text[start:end]
    key: str  # what it refers to: a gazetteer name, or the surface itself
    role: str | None = None
    demonym: bool = False  # "French troops": counts for France, but is not a name of it


# The possessive token ("'s", "’S"); a set rather than a regex: tokens never hold a newline, so the two agree.
_POSSESSIVES = frozenset({"'s", "'S", "’s", "’S"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "that", "this"})
_ROLE_END = frozenset({",", ".", ";", ":", ")", "said", "says", "told", "added", "stated", "noted", "--", "–", "—"})
_ROLE_JOINERS = frozenset({"of", "for", "and", "on", "in", "at", "to", "-", "'s", "’s"})
_ROLE_ADJECTIVE = re.compile(r"^[a-z]+(?:al|ic|ical|ary|ive|ian|ist)$")
_PAST_VERB = re.compile(r"^[a-z]{3,}ed$")  # "apologized", "announced": the sentence's verb, not a role's word
_CLAUSE_WORDS = frozenset({"who", "which", "that", "whose", "whom", "is", "was", "has", "had", "will", "would"})
_OPENERS = frozenset({"(", "[", "{"})
_PUNCT = frozenset({"-", ",", ".", ";", ":", "(", "[", "“", '"', "'"})
_CLOSERS = frozenset({")", "]", "}", "”", "!", "?"})
_TRAILING = _PUNCT | _CLOSERS | _POSSESSIVES  # what a name does not end with
_NAME_PARTICLES = frozenset(
    """of for and the de des du la le del da dos van von der den al bin ibn bint el y""".split()
)


def _sentence_starts(text: str, sentences: Sequence[str]) -> list[int]:
    """Offset of each sentence in ``text`` (sentences are verbatim substrings, in order)."""
    starts, pos = [], 0
    for sent in sentences:
        found = text.find(sent, pos)
        if found < 0:
            found = text.find(sent)
        if found < 0:
            found = pos
        starts.append(found)
        pos = found + len(sent) if found >= pos else pos
    return starts


# r"\b[A-Z]{2,}\b" written to start with a character class, which the regex engine scans for twice as fast.
_CAPS_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]+\b")


def _mostly_capitals(sentence: str, words: Sequence[str]) -> bool:
    """True for a shouting sentence (headline in capitals): the model, trained on mixed case, only guesses there."""
    if len(_CAPS_WORD.findall(sentence)) < 4:
        return False
    alpha = [w for w in words if w.isalpha() and len(w) > 1]
    return len(alpha) >= 4 and sum(w.isupper() for w in alpha) > 0.7 * len(alpha)


_NOT_O = "O".__ne__


def _entity_runs(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, GMB class) of each labelled run (looks only at the labelled tokens: most are O)."""
    runs: list[tuple[int, int, str]] = []
    start, kind, last = -1, "", -1
    for i in compress(range(len(labels)), map(_NOT_O, labels)):
        lab = labels[i]
        cls = lab[2:]
        if start >= 0 and (i != last + 1 or lab[0] == "B" or cls != kind):
            runs.append((start, last + 1, kind))
            start = -1
        if start < 0:
            start, kind = i, cls
        last = i
    if start >= 0:
        runs.append((start, last + 1, kind))
    return runs


@lru_cache(maxsize=16384)
def _is_title(word: str) -> bool:
    """A title or job word ("minister", "Secretary-General", "Maj."); cached: the role rules ask about the same
    words again and again."""
    low = word.lower()
    return low in TITLE_WORDS or ("-" in low and any(p in TITLE_WORDS for p in low.split("-")))


@lru_cache(maxsize=16384)
def _is_role_word(word: str) -> bool:
    """A title or a word that qualifies one ("interim", "Foreign")."""
    low = word.lower()
    return _is_title(word) or low in ROLE_MODIFIERS


_CLAUSE_OPENERS = _DETERMINERS | {",", ";", ":"}
_NOT_IN_ROLE = _TIME_WORDS | _DETERMINERS  # capitalised words that never open a role ("The", "Monday")
_ROLE_LINKS = frozenset({"of", "for", "and", "to"})  # "Minister of", "cleric and ... leader", "Ambassador to"


def _role_before(words: Sequence[str], labels: Sequence[str], name_start: int) -> tuple[int, int] | None:
    """Token range of the role written before a name ("Iraq's interim Foreign Minister"), if there is one.

    Also "Afghanistan's president, Hamid Karzai" when the comma follows a role that opens the clause.
    """
    if name_start > 1 and words[name_start - 1] == ",":
        found = _role_before(words, labels, name_start - 1)
        if found and (found[0] == 0 or words[found[0] - 1].lower() in _CLAUSE_OPENERS):
            return found
        return None
    gaz = gazetteer()
    j = name_start - 1
    first = name_start
    while j >= 0:
        word = words[j]
        low = word.lower()
        in_entity = labels[j] != "O" and not labels[j].endswith("per")
        if _is_role_word(word) or word in gaz.demonyms or low in HONORIFICS:
            first = j
        elif (in_entity or word[:1].isupper()) and first == j + 1 and low not in _NOT_IN_ROLE:
            first = j  # "NATO" Secretary General, "Shiite" cleric
        elif word in _POSSESSIVES and j > 0 and (words[j - 1][:1].isupper() or _is_title(words[j - 1])):
            if first != j + 1:
                break
            first = j  # "Iraq's interim Foreign Minister", "the president's son-in-law"
        elif low in _ROLE_LINKS and j > 0 and first == j + 1 and _is_title(words[j - 1]):
            first = j  # "Minister of Defence", "cleric and Mahdi Army leader"; not "forces of Libyan leader"
        elif low == "the" and j > 1 and first == j + 1 and words[j - 1] in _ROLE_LINKS and _is_role_word(words[j - 2]):
            first = j  # "Speaker of the Georgian Parliament", "Ambassador to the United States"
        elif _ROLE_ADJECTIVE.match(word) and first == j + 1 and first < name_start:
            first = j  # "political analyst"
        elif word == "-" and first == j + 1:
            first = j
        else:
            break
        j -= 1
    while first < name_start and (words[first].lower() in _ROLE_JOINERS or words[first] in _POSSESSIVES):
        first += 1
    last = name_start
    while last > first and words[last - 1].lower() in HONORIFICS:
        last -= 1
    while first < last and words[first].lower() in HONORIFICS:
        first += 1
    if last <= first or not any(_is_title(words[k]) for k in range(first, last)):
        return None
    return first, last


def _name_after_role(words: Sequence[str], first: int, end: int) -> int:
    """Where a person's name starts in a run that opens with the end of a role before it: "Minister for [Defence
    Ignazio La Russa]", "Ambassador to the [United States Hamdullah Mohib]"; ``first`` if the run is no such thing."""
    j = first - 2 if first > 1 and words[first - 1] == "the" else first - 1
    if j < 1 or words[j].lower() not in _ROLE_LINKS or not _is_title(words[j - 1]):
        return first
    k = first
    while k < end and words[k].lower() in ROLE_MODIFIERS:
        k += 1
    if k == first:
        aliases = gazetteer().aliases
        k = max((m for m in range(first + 1, end) if " ".join(words[first:m]) in aliases), default=first)
    if k == first or end - k < 2:
        return first
    common = common_words()  # a name holds no common word ("Director of the National Iodine Nutrition study")
    if any(w in common or w in ORG_HEADS or w in PLACE_HEADS for w in map(str.lower, words[k:end])):
        return first
    return k


def _role_after(words: Sequence[str], name_end: int) -> tuple[int, int] | None:
    """Token range of an apposition after a name ("Smith, the prime minister, said"), or of a role in brackets
    after it ("Theresa May (Prime Minister)"), if there is one."""
    if name_end < len(words) and words[name_end] == "(":
        close = next((k for k in range(name_end + 1, min(len(words), name_end + 10)) if words[k] == ")"), -1)
        inside = range(name_end + 1, close)
        if close > name_end + 1 and any(_is_title(words[k]) for k in inside):
            if not any(words[k][:1].isdigit() or words[k] in _PUNCT for k in inside):
                return name_end + 1, close
        return None
    if name_end >= len(words) or words[name_end] != ",":
        return None
    k = name_end + 1
    if k < len(words) and words[k].lower() in _DETERMINERS:
        k += 1
    first = k
    titled = False
    while k < len(words) and words[k].lower() not in _ROLE_END and k - first < 16:
        if words[k].lower() in _CLAUSE_WORDS:
            return None
        if titled and _PAST_VERB.match(words[k]) and not _is_role_word(words[k]):
            break  # "Jones, a U.S. security adviser for the military in Afghanistan apologized for ...": the verb
        titled = titled or _is_title(words[k])
        k += 1
    if k == first or (k < len(words) and words[k].lower() not in _ROLE_END and not _PAST_VERB.match(words[k])):
        return None
    head = words[first]
    if not (_is_role_word(head) or head[:1].isupper() or _ROLE_ADJECTIVE.match(head)):
        return None
    if not any(_is_title(words[i]) for i in range(first, k)):
        return None
    return first, k


@lru_cache(maxsize=16384)
def _never_opens_a_name(word: str) -> bool:
    """A capitalised word that never starts a name: a function word put first ("While Kim", "After Trump"), a web
    page's prompt ("Scroll", "Click"), a month or weekday ("Feb", "Monday")."""
    low = word.lower().rstrip(".")
    return low in NOT_TRIGGERS or low in _PROMPTS or low in _MONTHS_AND_DAYS or _function_word(low)


@lru_cache(maxsize=16384)
def _function_word(low: str) -> bool:
    """Only a closed-class word (preposition, conjunction, pronoun, determiner, auxiliary, particle, adverb) in the
    part-of-speech lexicon: "while" is NOUN|SCONJ and does not count, "although" does."""
    classes = pos_lexicon().get(low)
    return classes is not None and set(classes.split("|")) <= _CLOSED_CLASSES


@lru_cache(maxsize=16384)
def _never_ends_a_name(word: str) -> bool:
    """A capitalised verb or attribution that never ends a name: "Angelo Gordon & Co [According]", "Laura
    Janner-Klausner [Signed]"; verbs only in the lexicon, or a finite verb form of news."""
    low = word.lower()
    if low in _ATTRIBUTIONS or word in _POSTNOMINALS:
        return True
    classes = pos_lexicon().get(low)
    return classes is not None and set(classes.split("|")) <= {"VERB", "AUX"} and low in finite_verbs()


def _tidy_span(words: Sequence[str], first: int, end: int) -> tuple[int, int]:
    """Trim a labelled run to the name: no leading lower-case, "The", function word, prompt, month or weekday;
    no trailing verb or attribution ("said", "According"); nothing up to a stray lower-case word."""
    while first < end and (
        not (words[first][:1].isupper() or words[first][:1].isdigit()) or _never_opens_a_name(words[first])
    ):
        first += 1
    while end > first and (words[end - 1][:1].islower() or _never_ends_a_name(words[end - 1])):
        low = words[end - 1].lower()
        if words[end - 1][:1].islower() and (low in _NAME_PARTICLES or low.startswith(("al-", "el-", "bin-"))):
            break
        end -= 1
    for k in range(end - 1, first, -1):  # "European airframer Airbus" -> "Airbus"
        low = words[k].lower()
        if words[k][:1].islower() and low not in _NAME_PARTICLES and not low.startswith(("al-", "el-", "bin-")):
            first = k + 1
            break
    if end - first > 1 and words[first] in ("The", "A", "An"):
        first += 1
    for k in range(first + 1, end):  # "People's Army [KPA"
        if words[k] in _OPENERS:
            end = k
            break
    while end > first and words[end - 1] in _TRAILING:
        end -= 1
    return first, end


_CLOSED_CLASSES = frozenset({"ADP", "SCONJ", "CCONJ", "PRON", "DET", "AUX", "PART", "ADV", "INTJ"})


@cache
def finite_verbs() -> frozenset[str]:
    """Finite verb forms of UD English-EWT (``briefing/data/finite_verbs.txt``)."""
    return word_list("finite_verbs.txt")


def _known_place(surface: str) -> bool:
    """A place of the gazetteer named in more than one word ("Old Bailey", "South Korea"): never a person."""
    known = gazetteer().aliases.get(surface)
    return known is not None and known[1] == "place" and " " in surface


def is_facility(surface: str) -> bool:
    """ "Trump Tower", "the Old Bailey", "Changi Airport": a named building or site."""
    words = surface.split()
    return len(words) > 1 and words[-1].lower() in FACILITY_HEADS


def _split_runs(words: Sequence[str], runs: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join and split the model's runs where names are written so.

    "Russian Foreign Ministry" (gpe + org) and "Supreme Islamic Iraqi Council" (org + gpe + org) are one
    organisation; "United Kingdom's Royal Air Force" is a place and an organisation when the first part is known.
    """
    gaz = gazetteer()
    joined: list[tuple[int, int, str]] = []
    for first, end, cls in runs:
        if joined and joined[-1][1] == first and {joined[-1][2], cls} == {"gpe", "org"} and words[first - 1] != "'s":
            joined[-1] = (joined[-1][0], end, "org")
        elif joined and joined[-1][1] == first and joined[-1][2] == "org" == cls:
            joined[-1] = (joined[-1][0], end, "org")
        else:
            joined.append((first, end, cls))
    if _POSSESSIVES.isdisjoint(words):
        return joined
    out = []
    for first, end, cls in joined:
        for k in range(first + 1, end - 1):
            if words[k] in _POSSESSIVES and " ".join(words[first:k]) in gaz.aliases:
                out.append((first, k, "geo" if gaz.aliases[" ".join(words[first:k])][1] == "place" else "org"))
                first = k + 1
                break
        out.append((first, end, cls))
    return out


def _sentence_mentions(
    sentence: str, offset: int, spans: Sequence[tuple[int, int]], words: Sequence[str], labels: Sequence[str]
) -> list[Mention]:
    """Mentions in one sentence from its tokens and their labels; ``offset`` is where it starts in the article."""
    gaz = gazetteer()
    out: list[Mention] = []
    covered = [False] * len(words)
    for first, end, cls in _split_runs(words, _entity_runs(labels)):
        typ = LABEL_TYPES[cls]
        first, end = _tidy_span(words, first, end)
        if first >= end:
            continue
        # GMB puts titles inside names ("President Bush", "Secretary-General Kofi Annan"); a run that starts with a
        # title and holds no organisation word is a person whatever the model says.
        if typ != "person" and _is_title(words[first]) and end - first >= 3:
            rest = words[first:end]
            if " ".join(rest) not in gaz.aliases and not any(w.lower() in ORG_HEADS for w in rest):
                typ = "person"
        if (name := _name_after_role(words, first, end)) > first:
            first, typ = name, "person"
        if typ != "place" and end - first > 1 and words[end - 1].lower() in PLACE_HEADS | FACILITY_HEADS:
            if ORG_HEADS.isdisjoint(w.lower() for w in words[first:end]):  # not "Irving Independent School District"
                typ = "place"  # "Tahrir Square"; "Trump Tower", "Old Bailey" (facilities are places)
        if typ == "person":
            while first < end and (_is_role_word(words[first]) or words[first].lower() in HONORIFICS):
                first += 1
            # "[Alabama Governor] Bob Riley", "[NASA Administrator] Charles Bolden": a title inside the run ends the
            # role before the name
            inner = max((k for k in range(first, end - 1) if _is_title(words[k])), default=-1)
            if inner >= 0 and words[inner][:1].isupper():
                first = inner + 1
        elif typ == "place" and end - first > 1 and words[end - 1].lower() in ORG_HEADS:
            typ = "organization"  # "United States Air Force"
        if first >= end:
            continue
        start_char, end_char = spans[first][0], spans[end - 1][1]
        surface = sentence[start_char:end_char]
        if end - first == 1 and "-" in surface:  # "US-led" -> "US"
            head, _, tail = surface.partition("-")
            if tail[:1].islower() and head:
                surface, end_char = head, start_char + len(head)
        if (
            len(surface) < 2
            or not (surface[0].isalpha() or any(ch.isalpha() for ch in surface))
            or surface in NOT_ACTORS
            or (end - first == 1 and surface.lower().rstrip(".") in _MONTHS_AND_DAYS)
            or (end - first == 1 and _is_role_word(surface))
            or surface.startswith("Operation ")
            or (first > 0 and words[first - 1] == "Operation")  # "Operation Moshtarak": an operation, no actor
        ):
            continue
        demonym = False
        if surface in gaz.demonyms or surface.rstrip("s") in gaz.demonyms:
            # A demonym names the country only where it plainly stands for the state: "French troops".
            following = words[end].lower() if end < len(words) else ""
            if surface not in gaz.demonyms or following not in STATE_NOUNS:
                continue
            key, typ, demonym = gaz.demonyms[surface], "place", True
        elif surface in gaz.aliases and (typ != "person" or _known_place(surface)):
            key, typ = gaz.aliases[surface]
        else:
            key = surface
        role = None
        if typ == "person":
            before, after = _role_before(words, labels, first), _role_after(words, end)
            # "General James L. Jones, a U.S. security adviser for the military in Afghanistan": the apposition says more
            bare_rank = before is not None and before[1] - before[0] == 1 and words[before[0]].lower() in _RANKS
            found = after if after and (before is None or bare_rank) else before
            if found:
                role = sentence[spans[found[0]][0] : spans[found[1] - 1][1]]
        covered[first:end] = [True] * (end - first)
        out.append(Mention(offset + start_char, offset + end_char, typ, surface, key, role, demonym))
    # "French troops": a demonym before a state noun counts for its country, whatever the model says of it.
    for k, word in enumerate(words[:-1]):
        if not covered[k] and word in gaz.demonyms and words[k + 1].lower() in STATE_NOUNS:
            start_char = spans[k][0]
            covered[k] = True
            out.append(
                Mention(offset + start_char, offset + spans[k][1], "place", word, gaz.demonyms[word], None, True)
            )
    # "US-led", "NATO-backed": the head names a known actor even where the model (like GMB) leaves it out.
    hyphenated = [k for k, word in enumerate(words) if "-" in word and not covered[k]] if "-" in sentence else ()
    for k in hyphenated:
        head, _, tail = words[k].partition("-")
        if head in gaz.aliases and tail[:1].islower():
            canon, typ = gaz.aliases[head]
            start_char = spans[k][0]
            out.append(Mention(offset + start_char, offset + start_char + len(head), typ, head, canon))
    return out


def _mention(text: str, start: int, end: int, typ: ActorType, role: str | None = None) -> Mention:
    """A mention of text[start:end] as ``typ``, keyed by its gazetteer name where it has one."""
    surface = text[start:end]
    gaz = gazetteer()
    if (typ != "person" or _known_place(surface)) and surface in gaz.aliases:
        key, typ = gaz.aliases[surface]
    else:
        key = surface
    return Mention(start, end, typ, surface, key, role)


def majority(values: Sequence[str]) -> str:
    """The most frequent value, the first seen among equals (as ``Counter.most_common(1)``), without a Counter
    for the usual case of one value, however often."""
    if values.count(values[0]) == len(values):
        return values[0]
    counts = Counter(values)
    return max(counts, key=counts.__getitem__)


_START = attrgetter("start")


_OPENING = re.compile(r"(?:(?:^|[.!?:;]['\"”’)]*\s+|\n\s*)|['\"“‘(])$")  # what may come before an opening word


def _common_words(text: str, mentions: Sequence[Mention]) -> set[str]:
    """One-word names that are only common words put first: "Combat is reported to have spread", "Down, down with
    Mubarak". Every capitalised occurrence opens a sentence or a quote, and the word is a common one: news writes it
    in lower case more often than not, or this article does too."""
    out: set[str] = set()
    for surface in {m.surface for m in mentions if not m.demonym and m.surface.isalpha() and m.surface.istitle()}:
        low = surface.lower()
        if surface in gazetteer().aliases or not (low in common_words() or _word_starts(text, low)):
            continue
        if all(_OPENING.search(text[max(0, i - 8) : i]) for i in _word_starts(text, surface)):
            out.add(surface)
    return out


def _word_starts(text: str, word: str) -> list[int]:
    """Where ``word`` stands in ``text`` as a whole word (str.find: a regex per word would be compiled per call)."""
    out = []
    end = len(text)
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (j == end or not text[j].isalnum()):
            out.append(i)
        i = text.find(word, j)
    return out


def _ends_in_title(m: Mention) -> bool:
    """ "Alabama Governor [Bob Riley]", "EADS's North America CEO": a person's or place's name never ends in a title;
    nor does an organisation's that is a known name and a title ("U.S. Ambassador [Ryan Crocker]")."""
    if " " not in m.surface:
        return False
    head, last = m.surface.rsplit(" ", 1)
    return _is_title(last) and (m.type != "organization" or head in gazetteer().aliases)


_ORG_NOUN = re.compile(
    r"\s+(?:daily|newspaper|paper|weekly|magazine|broadcaster|channel|radio|television|website|agency|company|firm"
    r"|movement|militia|CEO|CFO|COO|chairman|chairwoman|shareholders|employees|subsidiary)\b"
)


def _named_as_organization(text: str, surface: str) -> bool:
    """ "Haaretz daily newspaper", "Northrop Grumman CEO Ron Sugar": the article writes the name as a paper's, a
    broadcaster's or a firm's."""
    return any(_ORG_NOUN.match(text, i + len(surface)) for i in _word_starts(text, surface))


def _one_sense(text: str, mentions: list[Mention]) -> list[Mention]:
    """Make an article consistent: one type per name, people's surnames are people, names found once are found
    everywhere, "Abbas and Olmert" is two people, and a common word that opens a sentence is no name."""
    common = _common_words(text, mentions)
    mentions = [m for m in mentions if m.surface not in common and not _ends_in_title(m)]
    names = [m for m in mentions if not m.demonym]
    people = {m.surface for m in names if m.type == "person" and " " in m.surface}
    surnames = {p.split()[-1] for p in people if len(p.split()[-1]) > 2}
    surnames |= {s.split("-", 1)[1] for s in surnames if s.startswith(("al-", "el-"))}  # al-Sadr -> Sadr
    votes: dict[str, list[str]] = defaultdict(list)
    for m in names:
        votes[m.surface].append(m.type)
    types: dict[str, ActorType] = {}
    aliases = gazetteer().aliases
    for surface, typs in votes.items():
        typ = majority(typs)
        if (typ == "person" or surface in people) and _named_as_organization(text, surface):
            typ = "organization"
        elif surface in people or (surface in surnames and surface not in aliases):
            typ = "person"
        types[surface] = typ  # type: ignore[assignment]
    out: list[Mention] = []
    for m in mentions:
        if m.demonym:
            out.append(m)
            continue
        parts = m.surface.split(" and ") if " and " in m.surface else ()
        if len(parts) == 2 and all(p in types or p in surnames or p in gazetteer().aliases for p in parts):
            left_end = m.start + len(parts[0])
            right_start = m.end - len(parts[1])
            for s, e, p in ((m.start, left_end, parts[0]), (right_start, m.end, parts[1])):
                out.append(_mention(text, s, e, types.get(p, "person" if p in surnames else m.type)))
            continue
        typ = types.get(m.surface, m.type)
        out.append(
            m
            if typ == m.type
            else replace(_mention(text, m.start, m.end, typ), role=m.role if typ == "person" else None)
        )
    # Find the other occurrences of each name (and surname) the model tagged somewhere in the article.
    known = {s: t for s, t in types.items() if len(s) > 2 and s[:1].isupper() and s not in NOT_ACTORS}
    known.update({s: "person" for s in surnames if s not in known})
    for word in [s for s in known if s.lower() in _TIME_WORDS]:  # Theresa May, but not "in May"
        del known[word]
    if known:
        n_text = len(text)
        taken = bytearray(n_text)
        for m in out:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        for surface in sorted(known, key=len, reverse=True):
            s = text.find(surface)
            while s >= 0:
                e = s + len(surface)
                if (  # no other mention there (most often the name itself), and a whole word: no letter, digit, "_" or
                    # "-" on either side
                    not taken[s]
                    and taken.find(1, s, e) < 0
                    and (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_-"))
                    and (e == n_text or not (text[e].isalnum() or text[e] in "_-"))
                ):
                    taken[s:e] = b"\x01" * (e - s)
                    out.append(_mention(text, s, e, known[surface]))  # type: ignore[arg-type]
                s = text.find(surface, e)
    out.sort(key=_START)
    return out


def find_mentions(text: str, sentences: Sequence[str], model: Model | None = None) -> list[Mention]:
    """Every actor mention in the article, in text order.

    Args:
        text: the article text.
        sentences: its sentences, verbatim substrings of ``text`` (``briefing.analyse.sentences.split_sentences``).
        model: the CRF model to tag with (``ner.open_model``); the shipped one by default.
    """
    out: list[Mention] = []
    starts = _sentence_starts(text, sentences)
    for batch in range(0, len(sentences), SENTENCE_BATCH):  # tagged together, in a bounded amount of memory
        tokens: list[tuple[str, int, list[tuple[int, int]], list[str]]] = []
        stop = batch + SENTENCE_BATCH
        for sent, start in zip(sentences[batch:stop], starts[batch:stop], strict=True):
            spans = tokenize(sent)
            words = [sent[s:e] for s, e in spans]
            if words and not _mostly_capitals(sent, words):
                tokens.append((sent, start, spans, words))
        tagged = tag_sentences([words for _, _, _, words in tokens], model)
        for (sent, start, spans, words), labels in zip(tokens, tagged, strict=True):
            found = _sentence_mentions(sent, start, spans, words, labels)
            if found and sent[:1] in _DATELINE_OPENERS:
                # "WASHINGTON (Reuters) -", "SEOUL, South Korea —", "(CNN) --": a dateline or wire tag names no actor
                line_end = start + len(sent) - len(strip_dateline(sent))
                found = [m for m in found if m.start >= line_end]
            out.extend(found)
    return _one_sense(text, _no_wire_tags(text, out))


_DATELINE_OPENERS = frozenset(string.ascii_uppercase + "(")


def _no_wire_tags(text: str, mentions: list[Mention]) -> list[Mention]:
    """Without "(CNN)" and the like: an outlet in brackets on its own is a wire tag, not an actor of the story."""
    return [
        m
        for m in mentions
        if not (m.surface in _WIRES and text[m.start - 1 : m.start] == "(" and text[m.end : m.end + 1] == ")")
    ]
