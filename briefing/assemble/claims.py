"""Claims: the numbers of a story's sentences with what they count, and where the articles' numbers disagree.

Numbers (``briefing.assemble.numbers``) are read with what they count (``extract_claims``): people killed, injured
or arrested, amounts of money (per currency, and per role: stolen, price, reward...), vote tallies, ages of a named
person and the day or year of a named event. Two reports differ when the intervals of the same quantity do not
meet (``find_disagreements``); the rules that keep a false "reports differ" rare are in ``briefing.assemble.
corroborate``'s module doc.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from briefing.assemble.numbers import (
    NUMBER_WORDS,
    QUALIFIERS,
    SCALES,
    TENS,
    VAGUE,
    Number,
    join_tokens,
    read_numbers,
    tokens,
)
from briefing.words import STOP_WORDS, content_words, stem

Kind = Literal["killed", "injured", "arrested", "money", "votes", "age", "date"]

MAX_DAYS_APART = 2  # claims of articles published further apart are not compared
MAX_MONEY_RATIO = 3.0  # two amounts further apart than this are taken for different things


@dataclass(frozen=True)
class Report:
    """One article of a story as corroboration sees it."""

    sentences: tuple[str, ...]
    outlets: tuple[str, ...]  # every outlet that carried this article (syndicated copies merged by the store)
    url: str | None = None
    published: date | None = None  # articles published far apart report different states: not compared

    @property
    def outlet(self) -> str:
        return self.outlets[0] if self.outlets else ""


@dataclass(frozen=True)
class Claim:
    """A number with what it counts, read from one sentence."""

    kind: Kind
    low: float
    high: float
    value: str  # the words that state it, verbatim ("at least 43", "$13.9 billion")
    key: str  # what it counts: counted noun class, currency and role, person, event verb
    sentence: str
    article: int = -1
    vague: bool = False  # "dozens", "hundreds", "several": never starts a discrepancy
    names: frozenset[str] = field(default_factory=frozenset)  # names in its sentence
    magnitude: float | None = None  # an earthquake's magnitude in its sentence (or article)
    point: tuple[int, ...] = ()  # votes: the tally; dates: (weekday,) or (year,)
    context: frozenset[str] = field(default_factory=frozenset)  # its sentence's other content words (stems)
    unclear: bool = False  # about another time, a total or a series: it takes the article's turn but is not compared


@dataclass(frozen=True)
class Disagreement:
    """Claims of several articles about one quantity, at least two of which do not meet."""

    kind: Kind
    about: str
    claims: tuple[Claim, ...]  # one per article, ordered by value
    pairs: tuple[tuple[int, int], ...]  # the article pairs whose claims do not meet


_KILLED = {"killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "deaths", "fatalities", "perished",
           "slain", "murdered", "murdering", "lives"}
_INJURED = {"injured", "injuring", "injures", "injuries", "wounded", "wounding", "hurt"}
_ARRESTED = {"arrested", "arresting", "arrests", "detained", "detaining", "captured", "capturing", "apprehended",
             "nabbed", "custody", "seized", "seizing"}
_KIND_OF: dict[str, Kind] = {**dict.fromkeys(_KILLED, "killed"), **dict.fromkeys(_INJURED, "injured"),
                             **dict.fromkeys(_ARRESTED, "arrested")}
_BE = {"were", "was", "have", "has", "had", "been", "being", "are", "is", "be", "got", "get", "reportedly",
       "later", "also", "all", "slightly", "seriously", "critically", "badly", "fatally", "so", "far", "now",
       "reported", "confirmed", "believed", "feared", "thought", "said", "to", "left", "lay", "lie"}
_GENERIC = {"people", "persons", "person", "individuals", "civilians", "others", "residents", "villagers",
            "victims", "members", "suspects", "inhabitants", "refugees", "palestinians", "israelis", "iraqis",
            "afghans", "protesters", "protestors", "demonstrators"}
_SUBSET = {"another", "additional", "more", "other", "further", "including", "among", "them", "whom", "those"}
_MONEY_ROLES = {
    "stolen": {"stole", "stolen", "steal", "stealing", "snatched", "snatching", "heist", "robbery", "theft", "loot",
               "booty", "jewels", "jewelry", "jewellery", "diamonds", "gems", "robbers", "thieves", "haul", "made"},
    "price": {"acquisition", "acquire", "acquiring", "buy", "buying", "bought", "purchase", "deal", "takeover",
              "merger", "bid", "pay", "paying", "paid", "price", "sale", "sell", "selling", "sold", "valued", "offer",
              "offered", "contract"},
    "aid": {"bailout", "bail", "rescue", "aid", "package", "loan", "loans", "funds", "funding", "infusion",
            "stimulus", "grant"},
    "reward": {"reward", "bounty"},
    "penalty": {"fine", "fined", "penalty", "damages", "compensation", "settlement", "ransom"},
    "bail": {"bail", "bond"},
}
_ROLE_OF = {w: role for role, words in _MONEY_ROLES.items() for w in words}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_EVENT_VERBS = {"arrested", "killed", "died", "struck", "hit", "exploded", "detonated", "signed", "filed", "released",
                "charged", "convicted", "sentenced", "elected", "attacked", "bombed", "crashed", "launched", "landed",
                "delivered", "ousted", "ejected", "expelled", "resigned", "fired", "appointed", "captured", "born",
                "shot", "found", "escaped", "kidnapped", "abducted", "freed", "executed", "hanged", "married"}
_NOT_NAMES = _MONTHS | set(_WEEKDAYS) | {"i", "mr", "mrs", "ms", "dr", "us", "usd", "eur", "gbp"}
_DATE_VERB = {"ejected": "ousted", "expelled": "ousted", "removed": "ousted", "detained": "arrested",
              "captured": "arrested", "killed": "died", "hit": "struck"}
_BACKGROUND = re.compile(
    r"(?i)\b(?:last|previous|earlier this|past|next) (?:year|month|week|summer|spring|autumn|fall|winter|season|"
    r"decade)\b|\bsince\b|\bin all\b|\baltogether\b|\boverall\b|\bin total\b|\bso far this\b|\bthis year\b|"
    r"\b(?:a|one|two|three) (?:days?|weeks?|months?|years?) (?:after|before|earlier|ago)\b|\bago\b|\bprevious\b|"
    r"\bin (?:january|february|march|april|june|july|august|september|october|november|december)\b"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_NO_ONE = re.compile(
    r"(?i)\b(?:no[- ]?one|nobody|none)(?! else)\b(?:\s+\w+){0,3}?\s+(?:was|were|had been|has been|is|are)?\s*"
    r"(?:killed or injured|injured or killed|killed or wounded|hurt or killed|killed|injured|hurt|wounded)\b"
)
_NO_CASUALTIES = re.compile(r"(?i)\bno (?:casualties|deaths|fatalities|injuries|dead|one died)\b")
_HEDGED_ZERO = re.compile(r"(?i)\bno (?:immediate |initial |official )?(?:reports?|word|information|indication)\b")
_MAGNITUDE = re.compile(r"(?i)(?:magnitude[- ](?:of )?)(\d\.\d)|(\d\.\d)[- ]?(?:-?magnitude|on the richter)")


def sentence_names(sentence: str) -> frozenset[str]:
    """Lower-cased words written with a capital inside the sentence (names, places), and acronyms."""
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", sentence)
    out = set()
    for k, w in enumerate(words):
        if (k > 0 and w[0].isupper()) or (len(w) > 1 and w.isupper()):
            lw = w.lower().strip(".'’")
            if lw not in _NOT_NAMES and len(lw) > 1 and lw not in STOP_WORDS:
                out.add(lw.removesuffix("'s").removesuffix("’s"))
    return frozenset(out)


def magnitude_of(sentence: str) -> float | None:
    m = _MAGNITUDE.search(sentence)
    return float(m.group(1) or m.group(2)) if m else None


# ---- claims ---------------------------------------------------------------------------------------


_UNITS_OF_MEASURE = {"year", "years", "old", "hours", "hour", "days", "day", "minutes", "times", "percent", "per", "cent",
                     "miles", "mile", "kilometres", "kilometers", "km", "feet", "metres", "meters", "tonnes", "tons",
                     "points", "degrees", "weeks", "months", "counts", "charges"}
# A kind word just before a number governs it ("killing 40", "arrested 23"); other kind words only after it.
_GOVERNING = {"killing", "killed", "kills", "kill", "injuring", "injured", "injures", "wounding", "wounded", "hurt",
              "arrested", "arresting", "detained", "detaining", "captured", "capturing", "seized", "seizing", "nabbed",
              "apprehended", "murdering", "murdered"}


def _noun_class(toks: list[str], start: int, end: int) -> str | None:
    """What a count counts: "people" for people in general, else its noun; None: a subset, or not people at all."""
    lower = [t.lower() for t in toks]
    if start > 0 and lower[start - 1] in _SUBSET:
        return None
    if end + 1 < len(toks) and lower[end] == "of" and lower[end + 1] in ("them", "whom", "those", "the"):
        return None
    if _part_of_sum(toks, start, end):
        return None
    noun, at = None, end
    for j in range(end, min(end + 4, len(toks))):
        w, lw = toks[j], lower[j]
        if not w[0].isalpha() or lw in _KIND_OF or lw in _BE or lw in STOP_WORDS or lw in _QUALIFIER_WORDS:
            break
        if noun is not None and w.islower() and lw.endswith(("ing", "ed")):  # "40 Palestinians seeking shelter"
            break
        if lw in ("more", "further", "additional"):
            return None  # "20 more people": an addition to another count
        noun, at = lw, j
    if noun is None:
        return "people"
    if noun in _UNITS_OF_MEASURE:
        return None
    if noun in _GENERIC or (toks[at][0].isupper() and noun.endswith("s")):  # "40 Palestinians"
        return "people"
    return noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun


_QUALIFIER_WORDS = {w for words, _ in QUALIFIERS for w in words}


def _is_number(tok: str) -> bool:
    low = tok.lower()
    return tok[0].isdigit() or low in NUMBER_WORDS or low in TENS


def _part_of_sum(toks: list[str], start: int, end: int) -> bool:
    """"12 Somali and 11 Yemeni nationals": each number is a part of a count, not the count."""
    lower = [t.lower() for t in toks]

    def noun_phrase(words: list[str]) -> bool:  # a few words naming what is counted, no verb
        return all(w[0].isalpha() and w not in _BE and w not in _KIND_OF and w not in STOP_WORDS for w in words)

    for j in range(end, min(end + 4, len(toks) - 1)):  # "N [words] and M"
        if lower[j] in ("and", "plus") and _is_number(toks[j + 1]) and noun_phrase(lower[end:j]):
            return True
    if start >= 2 and lower[start - 1] in ("and", "plus"):  # "N [words] and M [...]"
        for k in range(start - 2, max(start - 6, -1), -1):
            if _is_number(toks[k]):
                return noun_phrase(lower[k + 1:start - 1])
    return False


def _kind_near(toks: list[str], num: Number, others: list[Number]) -> Kind | None:
    """The casualty or arrest kind a count is about: a kind word shortly after it, or a verb just before it."""
    lower = [t.lower() for t in toks]
    if num.start > 0 and lower[num.start - 1] in _GOVERNING:
        return _KIND_OF[lower[num.start - 1]]
    next_num = min((o.start for o in others if o.start >= num.end), default=len(toks))
    for j in range(num.end, min(num.end + 7, next_num)):
        if lower[j] in _KIND_OF:
            if lower[j] == "lives":
                return "killed" if j > 0 and lower[j - 1] in ("claimed", "took", "their") else None
            return _KIND_OF[lower[j]]
        if toks[j] in (",", ";", "(", ")", ":") or lower[j] in ("but", "while", "when", "after", "as", "which", "who"):
            break
        if lower[j] == "and" and not (j + 1 < len(toks) and lower[j + 1] in _KIND_OF):
            break
        if toks[j].islower() and lower[j].endswith("ed") and lower[j] not in _BE:  # "two quakes flattened ... and killed"
            break
    prev_num = max((o.end for o in others if o.end <= num.start), default=0)
    if num.start > 0 and lower[num.start - 1] in ("to", "at", "of", "reached", "hit"):  # "the death toll rose to 11"
        before = lower[max(prev_num, num.start - 7):num.start]
        if "toll" in before and before[before.index("toll") - 1:before.index("toll")] == ["death"]:
            return "killed"
    if num.start > 0 and lower[num.start - 1] in ("left", "leaving") and num.end < len(toks) and lower[num.end] == "dead":
        return "killed"
    return None


def extract_claims(sentence: str, article: int = -1, magnitude: float | None = None,
                   keep_unclear: bool = False) -> list[Claim]:
    """The claims of one sentence (see the module doc). ``magnitude``: the article's quake, if it names one.

    ``keep_unclear``: also return (marked ``unclear``) the claims of sentences about other times or totals.
    """
    toks = tokens(sentence)
    lower = [t.lower() for t in toks]
    nums = read_numbers(toks)
    names = sentence_names(sentence)
    mag = magnitude_of(sentence) or magnitude
    background = bool(_BACKGROUND.search(sentence)) or bool(_YEAR.search(sentence))
    months = any(w in _MONTHS and (w != "may" or t[0].isupper()) for w, t in zip(lower, toks, strict=True))
    out: list[Claim] = []
    context = _context(sentence)

    def add(kind: Kind, n: Number, key: str, unclear: bool) -> None:
        out.append(Claim(kind, n.low, n.high, n.text, key, sentence, article, n.vague, names, mag, (), context,
                         unclear))

    for n in nums:
        if n.currency:
            window = lower[max(0, n.start - 8):n.end + 8]
            roles = [_ROLE_OF[w] for w in window if w in _ROLE_OF]
            if roles:
                add("money", n, f"{n.currency}:{Counter(roles).most_common(1)[0][0]}", background)
            continue
        if n.value != int(n.value) or n.value > 1e7:
            continue
        # ages: "61-year-old Name", "Name, 52,", "Name, age 61"
        age = _age_of(toks, n)
        if age is not None:
            out.append(Claim("age", n.value, n.value, n.text, age, sentence, article, False, names, mag))
            continue
        kind: Kind | None = _kind_near(toks, n, [o for o in nums if o is not n])
        if kind is None:
            continue
        noun = _noun_class(toks, n.start, n.end)
        if noun is None:
            continue
        add(kind, n, noun, background or (months and kind != "arrested"))
    out.extend(replace(c, context=context, unclear=background or months)
               for c in _zero_claims(sentence, article, names, mag))
    out.extend(replace(c, unclear=background or months) for c in _vote_claims(toks, sentence, article, names, mag))
    out.extend(_date_claims(toks, sentence, article, names, mag))
    claims = _drop_ambiguous(out)
    return claims if keep_unclear else [c for c in claims if not c.unclear]


_NOT_CONTEXT = (_KILLED | _INJURED | _ARRESTED | _GENERIC | set(NUMBER_WORDS) | set(TENS) | set(SCALES)
                | set(VAGUE) | {"dozen", "people", "toll", "death", "casualties", "report", "reports", "said", "say"})


_SAME_EVENT_WORD = {"earthquak": "quak", "tremor": "quak", "temblor": "quak", "blaze": "fire", "blast": "explos"}


def _context(sentence: str) -> frozenset[str]:
    """The content words (stems) of a sentence that are not about counting: what the count is of."""
    stop = {stem(w) for w in _NOT_CONTEXT}
    words = (_SAME_EVENT_WORD.get(w, w) for w in content_words(sentence))
    return frozenset(w for w in words if w not in stop)


_TALLY = re.compile(r"^\d{1,4}$")


def _vote_claims(toks: list[str], sentence: str, article: int, names: frozenset[str],
                 mag: float | None) -> list[Claim]:
    """Vote tallies: "was 52-35", "a vote of 52 to 35", "voted 52 to 35", "by 52 votes to 35"."""
    lower = [t.lower() for t in toks]
    if not {"vote", "votes", "voted", "tally", "ballot"} & set(lower):
        return []
    out = []
    for i in range(len(toks) - 2):
        if _TALLY.match(toks[i]) and lower[i + 1] in ("-", "–", "to") and _TALLY.match(toks[i + 2]):
            j = i + 2
            if lower[i + 1] == "to" and i > 0 and lower[i - 1] == "votes":
                continue
            if i + 3 < len(toks) and lower[i + 1] == "votes":
                continue
            yes, no = int(toks[i]), int(toks[j])
            window = lower[max(0, i - 6):j + 4]
            if {"vote", "votes", "voted", "tally"} & set(window) and yes >= no:
                out.append(Claim("votes", yes, no, join_tokens(toks[i:j + 1]), "tally", sentence, article, False, names, mag,
                                 (yes, no)))
        elif (_TALLY.match(toks[i]) and lower[i + 1] == "votes" and i + 3 < len(toks) and lower[i + 2] == "to"
              and _TALLY.match(toks[i + 3])):
            yes, no = int(toks[i]), int(toks[i + 3])
            out.append(Claim("votes", yes, no, join_tokens(toks[i:i + 4]), "tally", sentence, article, False, names, mag,
                             (yes, no)))
    return out


def _age_of(toks: list[str], n: Number) -> str | None:
    """The surname a number is the age of, or None."""
    lower = [t.lower() for t in toks]
    e = n.end
    if 1 <= n.value <= 110 and e + 3 < len(toks) + 1 and lower[e:e + 4] == ["-", "year", "-", "old"]:
        name = _name_after(toks, e + 4)
        return name
    # "Name, 52," / "Name, aged 52" / "Name, age 61"
    s = n.start
    if s > 0 and lower[s - 1] in ("aged", "age"):
        s -= 1
    if 1 <= n.value <= 110 and s >= 2 and toks[s - 1] == "," and (e >= len(toks) or toks[e] in (",", ".", ")")):
        name = toks[s - 2]
        if name[0].isupper() and name.lower() not in _NOT_NAMES:
            return name.lower()
    return None


def _name_after(toks: list[str], i: int) -> str | None:
    name = None
    while i < len(toks) and toks[i][0].isupper() and toks[i].lower() not in _NOT_NAMES:
        name = toks[i].lower()
        i += 1
    return name


def _zero_claims(sentence: str, article: int, names: frozenset[str], mag: float | None) -> list[Claim]:
    if _HEDGED_ZERO.search(sentence):
        return []
    kinds: list[Kind] = []
    m = _NO_ONE.search(sentence)
    if m:
        text = m.group(0).lower()
        if "killed" in text:
            kinds.append("killed")
        if any(w in text for w in ("injured", "hurt", "wounded")):
            kinds.append("injured")
        value = m.group(0)
    else:
        m2 = _NO_CASUALTIES.search(sentence)
        if not m2:
            return []
        word = m2.group(0).lower()
        value = m2.group(0)
        if "casualties" in word:
            kinds = ["killed", "injured"]
        elif "injuries" in word:
            kinds = ["injured"]
        else:
            kinds = ["killed"]
    return [Claim(k, 0.0, 0.0, value, "people", sentence, article, False, names, mag) for k in kinds]


def _date_claims(toks: list[str], sentence: str, article: int, names: frozenset[str],
                 mag: float | None) -> list[Claim]:
    """"arrested on Tuesday", "ousted in 2002": the day or year of a named event."""
    lower = [t.lower() for t in toks]
    out = []
    for i, w in enumerate(lower):
        if w not in _EVENT_VERBS:
            continue
        verb = _DATE_VERB.get(w, w)
        for j in range(i + 1, min(i + 7, len(toks))):
            if lower[j] in _WEEKDAYS:
                if j + 1 < len(toks) and lower[j + 1] in ("night",):  # late-night times cross midnight
                    break
                out.append(Claim("date", 0, 0, join_tokens(toks[i:j + 1]), f"{verb}:weekday", sentence, article, False,
                                 names, mag, (_WEEKDAYS[lower[j]],)))
                break
            if re.fullmatch(r"(?:1[89]|20)\d\d", toks[j]) and lower[j - 1] == "in":
                out.append(Claim("date", 0, 0, join_tokens(toks[i:j + 1]), f"{verb}:year", sentence, article, False, names,
                                 mag, (int(toks[j]),)))
                break
            if not toks[j][0].isalpha() or lower[j] in _EVENT_VERBS:
                break
    return out


def _drop_ambiguous(claims: list[Claim]) -> list[Claim]:
    """A sentence giving two different numbers for the same quantity (or two amounts of one currency) says
    nothing clear about it."""
    by_key: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[(c.kind, c.key.split(":")[0] if c.kind == "money" else c.key)].append(c)
    out = []
    for group in by_key.values():
        if len({(c.low, c.high, c.point) for c in group}) == 1:
            out.append(group[0])
    return out


# ---- comparing claims -----------------------------------------------------------------------------


def claims_meet(a: Claim, b: Claim) -> bool:
    if a.kind in ("votes", "date"):
        return a.point == b.point
    return a.low <= b.high + 1e-9 and b.low <= a.high + 1e-9


def comparable(a: Claim, b: Claim) -> bool:
    """True if two claims are about the same quantity, as far as their sentences tell."""
    if a.kind != b.kind or a.key != b.key:
        return False
    if a.magnitude is not None and b.magnitude is not None and a.magnitude != b.magnitude:
        return False  # two quakes
    if a.kind == "money":
        small, large = sorted((a.low if math.isinf(a.high) else (a.low + a.high) / 2,
                               b.low if math.isinf(b.high) else (b.low + b.high) / 2))
        return bool(a.names & b.names) and large <= MAX_MONEY_RATIO * small
    if a.kind in ("votes", "date", "age"):
        return bool(a.names & b.names) or a.kind == "age"
    return bool(a.context & b.context)  # counts: the two sentences must share something besides the counting


def _about(c: Claim) -> str:
    if c.kind == "money":
        currency, role = c.key.split(":")
        return {"stolen": "amount stolen", "price": "price", "aid": "amount of aid", "reward": "reward",
                "penalty": "amount of the penalty", "bail": "bail"}.get(role, "amount") + f" ({currency})"
    if c.kind == "age":
        return f"age of {c.key.title()}"
    if c.kind == "date":
        verb, what = c.key.split(":")
        return f"{'day' if what == 'weekday' else 'year'} {verb}"
    if c.kind == "votes":
        return "vote count"
    noun = "people" if c.key == "people" else c.key + "s"
    return f"{noun} {c.kind}"


def _far_apart(a: Report, b: Report) -> bool:
    return a.published is not None and b.published is not None and abs((a.published - b.published).days) > MAX_DAYS_APART


def article_claims(report: Report, article: int) -> list[Claim]:
    """An article's claims, one per quantity (its first, unless that is unclear: then none), except ages and
    dates (one per person and event)."""
    mag = next((m for m in map(magnitude_of, report.sentences) if m is not None), None)
    seen: set[tuple[str, str]] = set()
    out = []
    for sentence in report.sentences:
        for c in extract_claims(sentence, article, mag, keep_unclear=True):
            if c.kind in ("age", "date"):
                out.append(c)
            elif (c.kind, c.key) not in seen:
                seen.add((c.kind, c.key))
                out.append(c)
    return [c for c in out if not c.unclear]  # an article whose first word on a quantity is unclear says nothing


def find_disagreements(reports: Sequence[Report]) -> list[Disagreement]:
    """Quantities on which the story's articles disagree (see the module doc)."""
    by_quantity: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
    for a, report in enumerate(reports):
        for c in article_claims(report, a):
            by_quantity[(c.kind, c.key)].append(c)
    out = []
    for claims in by_quantity.values():
        pairs: set[tuple[int, int]] = set()
        for i, x in enumerate(claims):
            for y in claims[i + 1:]:
                if x.article == y.article or x.vague or y.vague or not comparable(x, y):
                    continue
                if _far_apart(reports[x.article], reports[y.article]):
                    continue
                if not claims_meet(x, y):
                    pairs.add((min(x.article, y.article), max(x.article, y.article)))
        if pairs:
            involved = {x for p in pairs for x in p}
            shown: dict[int, Claim] = {}
            for c in sorted(claims, key=lambda c: (c.low, c.high, c.point, c.article)):
                if c.article in involved:
                    shown.setdefault(c.article, c)
            ordered = tuple(sorted(shown.values(), key=lambda c: (c.low, c.high, c.point, c.article)))
            out.append(Disagreement(ordered[0].kind, _about(ordered[0]), ordered, tuple(sorted(pairs))))
    return out
