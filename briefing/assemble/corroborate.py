"""Corroboration: which articles of a story confirm each key fact, and where their numbers disagree.

Three questions per story, answered from the sentences of its articles (no model, no network):

1. **Confirmation.** A key fact is confirmed by an article when one of its sentences (or two adjacent
   ones) states it verbatim or as a close paraphrase (``paraphrase_score``: the weighted overlap of
   their content words, numbers and names, words weighted by how rare they are among the story's
   articles, names and numbers weighing more; a quarter of the fact's weight and two words or numbers
   besides names must be shared). The words are the package's (``assemble._content_words``: one
   tokeniser, stemmer and stop list). An article whose number for the same quantity contradicts the
   fact's does not confirm it. ``outlets`` counts the outlets of the confirming articles (and the
   fact's own); ``independent`` counts them once per group of near-copies: two articles are the same
   report when most of the smaller one's word 3-shingles are in the other (``dedup.shingles``, the
   measure that finds wire copies at ingest, here as containment so that a trimmed copy still counts),
   and a confirming sentence that is a near-verbatim copy of the fact (quotations left aside) is the
   same report too.
2. **Discrepancies.** Numbers are read with what they count (``extract_claims``): people killed,
   injured or arrested, amounts of money (per currency, and per role: stolen, price, reward...), vote
   tallies, ages of a named person and the day or year of a named event. Numbers written as words
   count ("a dozen", "two hundred", "no one was killed"). Each becomes an interval: "at least 72" and
   "more than 70" are open above, "about 40" is 40 give or take 20%, "nearly 50" is 85-100% of 50,
   "$13 billion" is 12.5 to 13.5 billion, "dozens" 24 to 199. Two reports differ when the intervals of
   the same quantity do not meet. To keep a false "reports differ" rare, claims are compared only when
   nothing says they might be about different things: vague quantities never start a discrepancy;
   claims in sentences about other times or totals (another year or month, "last week", "since", "in
   all") are unclear; subsets ("another", "including", "of them") and parts of a sum ("12 Somali and 11
   Yemeni") are not counts of the whole; counted nouns must agree ("people", "civilians" or a
   nationality are alike, "children" are not); two counts need a word in common besides the counting;
   money needs the same currency and role, a name shared by the two sentences and amounts within a
   factor of ``MAX_MONEY_RATIO``; ages, dates and votes need a shared name; quakes of different
   magnitudes are different events; articles published far apart are not compared; a sentence with
   two different numbers for the same quantity is ambiguous and left out. Each article speaks once
   per quantity, with its first claim; if that claim is unclear, it says nothing on it.
3. **Attribution.** Who asserts the fact, when the sentence says so: "..., officials said", "according
   to X", "X said that ...", "X told reporters", "diplomats say", unnamed sources kept as written.

Everything is linear in the sentences of the story, except the near-copy check (pairs of articles,
over shingle sets built once) and the claim comparison (pairs of claims of one quantity, one per
article); both are small for a story.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from briefing import assemble as _assemble  # the package's content words (module attribute: assemble imports us)
from briefing.analyse.sentences import split_sentences
from briefing.assemble import dedup
from briefing.models import Analysis, Discrepancy, DiscrepancyClaim, Fact

Kind = Literal["killed", "injured", "arrested", "money", "votes", "age", "date"]

# ---- parameters (chosen on the dev part of tests/data/corroboration, bench/corroboration.py) ----
CONFIRM_THRESHOLD = 0.35  # weighted overlap (paraphrase_score) a sentence needs to confirm a fact
CONFIRM_MIN_COVERAGE = 0.25  # ... and the shared terms must carry this share of the fact's weight
CONFIRM_MIN_WORDS = 2  # ... of which this many words or numbers (not names)
CONFIRM_MIN_SHARED = 3  # ... and at least this many shared words, numbers or names
PAIR_PENALTY = 0.8  # two adjacent sentences together count for this much of one
NAME_WEIGHT = 1.5  # a name (capitalised inside the sentence) or number weighs this much more
NEAR_COPY_CONTAINMENT = 0.5  # share of the smaller article's 3-shingles in the other: same report
SENTENCE_COPY_JACCARD = 0.6  # two sentences this alike (shingles, quotations removed) are one report
MIN_COPY_WORDS = 8  # shorter sentences (after removing quotations) are never called copies
MAX_PAIRWISE_ARTICLES = 80  # beyond this, near-copies are found by LSH (dedup.NearDuplicateIndex)
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


# ---- words ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"US\$|A\$|C\$|NT\$|[$€£¥]|\d+(?:[.,:]\d+)*|[A-Za-z]+(?:['’][A-Za-z]+)*|\S")
_SMALL = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_NUMBER_WORDS = {k: v for k, v in _SMALL.items() if k not in ("no", "a", "an")}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBR_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
# Vague quantities: (low, high) and whether "of" may follow ("dozens of people").
_VAGUE = {"dozens": (24, 199), "scores": (40, 399), "hundreds": (200, 1999), "thousands": (2000, 99999),
          "several": (3, 9), "few": (2, 9), "many": (5, math.inf), "numerous": (5, math.inf)}
_CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "NT$": "TWD", "€": "EUR", "£": "GBP",
                    "¥": "JPY"}
_CURRENCY_WORD = {"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
                  "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "gbp": "GBP", "yen": "JPY",
                  "rupiah": "IDR", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rupees": "INR",
                  "yuan": "CNY", "francs": "CHF", "rand": "ZAR"}
_QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("at", "least"), "min"), (("more", "than"), "min"), (("over",), "min"), (("upwards", "of"), "min"),
        (("in", "excess", "of"), "min"), (("no", "fewer", "than"), "min"), (("no", "less", "than"), "min"),
        (("just", "over"), "min"), (("above",), "min"), (("nearly",), "near"), (("almost",), "near"),
        (("close", "to"), "near"), (("just", "under"), "near"), (("about",), "about"), (("around",), "about"),
        (("some",), "about"), (("approximately",), "about"), (("roughly",), "about"), (("an", "estimated"), "about"),
        (("estimated",), "about"), (("up", "to"), "max"), (("as", "many", "as"), "max"), (("as", "much", "as"), "max"),
        (("at", "most"), "max"), (("no", "more", "than"), "max"), (("fewer", "than"), "max"), (("less", "than"), "max"),
        (("under",), "max"),
    ],
    key=lambda q: -len(q[0]),
)
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
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_MAGNITUDE = re.compile(r"(?i)(?:magnitude[- ](?:of )?)(\d\.\d)|(\d\.\d)[- ]?(?:-?magnitude|on the richter)")


def _tokens(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence)


def _parse_digits(tok: str) -> float | None:
    if not tok[0].isdigit():
        return None
    if ":" in tok:
        return None  # a clock time
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", tok):
        return float(tok.replace(",", ""))
    if re.fullmatch(r"\d+(?:\.\d+)?", tok):
        return float(tok)
    return None


def _decimals(tok: str) -> int:
    return len(tok.split(".", 1)[1]) if "." in tok else 0


@dataclass
class _Number:
    start: int  # token index of the first token (qualifier included)
    end: int  # one past the last token
    low: float
    high: float
    value: float
    vague: bool
    currency: str | None
    qualifier: str | None
    text: str


def _read_number(toks: list[str], i: int) -> tuple[float, int, float, bool] | None:
    """A number starting at token i: (value, end, rounding unit, vague), or None."""
    tok = toks[i]
    low = tok.lower()
    digits = _parse_digits(tok)
    if digits is not None:
        value, j = digits, i + 1
        unit = 10.0 ** -_decimals(tok)
        if j + 1 < len(toks) and toks[j] == "-" and toks[j + 1].lower() in _SCALES:  # "$137-million"
            j += 1
        if j < len(toks) and toks[j].lower() in _SCALES:
            scale = _SCALES[toks[j].lower()]
            value, unit, j = value * scale, unit * scale, j + 1
        elif j < len(toks) and toks[j].lower() in _ABBR_SCALES and (i == 0 or toks[i - 1] in _CURRENCY_SYMBOL or
                                                                     toks[i - 1].lower() in ("e", "p")):
            scale = _ABBR_SCALES[toks[j].lower()]
            value, unit, j = value * scale, unit * scale, j + 1
        return value, j, unit, False
    if low in ("several", "few") and i + 1 < len(toks) and toks[i + 1].lower() in ("dozen", "hundred", "thousand"):
        lo = {"dozen": 24, "hundred": 200, "thousand": 2000}[toks[i + 1].lower()]
        return float(lo), i + 2, 1.0, True
    if low in _VAGUE and low not in ("many", "numerous", "few"):
        lo, _ = _VAGUE[low]
        return float(lo), i + 1, 1.0, True
    if low == "dozen" or (low in ("a", "one") and i + 1 < len(toks) and toks[i + 1].lower() == "dozen"):
        j = i + 2 if low != "dozen" else i + 1
        return 12.0, j, 4.0, False  # "a dozen" is a round figure: 10 to 14
    if low in _NUMBER_WORDS or low in _TENS:
        value, j, current = 0.0, i, 0.0
        while j < len(toks):
            w = toks[j].lower()
            if w in _NUMBER_WORDS:
                current += _NUMBER_WORDS[w]
            elif w in _TENS:
                current += _TENS[w]
            elif w == "hundred":
                current = (current or 1) * 100
            elif w in _SCALES:
                value += (current or 1) * _SCALES[w]
                current = 0
            elif w == "-" and j + 1 < len(toks) and (toks[j + 1].lower() in _NUMBER_WORDS or
                                                   toks[j + 1].lower() in _SCALES):
                pass
            elif w == "and" and j + 1 < len(toks) and toks[j + 1].lower() in _NUMBER_WORDS | _TENS.keys() and current:
                pass
            else:
                break
            j += 1
        total = value + current
        unit = 1.0 if total < 1e3 else 10 ** math.floor(math.log10(total))
        return total, j, unit, False
    return None


def _pronoun_one(lower: list[str], i: int) -> bool:
    """"no one", "one of them", "the one who": "one" that is not a count."""
    if lower[i] != "one":
        return False
    before = lower[i - 1] if i else ""
    after = lower[i + 1] if i + 1 < len(lower) else ""
    return before in ("no", "any", "every", "some", "the", "this", "that", "which", "each") or after in ("of", "another")


def _numbers(toks: list[str]) -> list[_Number]:
    """Every number of a sentence with its qualifier and currency."""
    out: list[_Number] = []
    i = 0
    lower = [t.lower() for t in toks]
    while i < len(toks):
        currency = None
        start = i
        if toks[i] in _CURRENCY_SYMBOL and i + 1 < len(toks) and _parse_digits(toks[i + 1]) is not None:
            currency, i = _CURRENCY_SYMBOL[toks[i]], i + 1
        elif lower[i] in ("e", "p") and i + 1 < len(toks) and _parse_digits(toks[i + 1]) is not None and (
            i + 2 < len(toks) and (lower[i + 2] in ("million", "billion", "m", "bn") or lower[i + 2] == "-")
        ):  # "e85 million", "p74million": a euro or pound sign lost in conversion
            currency, i = ("EUR" if lower[i] == "e" else "GBP"), i + 1
        read = None if _pronoun_one(lower, i) else _read_number(toks, i)
        if read is None:
            i = max(i, start) + 1
            continue
        value, end, unit, vague = read
        if end < len(toks) and lower[end] in _CURRENCY_WORD:
            currency, end = currency or _CURRENCY_WORD[lower[end]], end + 1
        elif end + 1 < len(toks) and toks[end] == "-" and lower[end + 1] in _CURRENCY_WORD:  # "two-million-euro"
            currency, end = currency or _CURRENCY_WORD[lower[end + 1]], end + 2
        if vague and end < len(toks) and lower[end] == "of":  # "dozens of", "tens of thousands"
            end += 1
        qualifier = None
        for words, q in _QUALIFIERS:
            n = len(words)
            if start - n >= 0 and tuple(lower[start - n:start]) == words:
                qualifier, start = q, start - n
                break
        if end + 1 < len(toks) and lower[end] == "or" and lower[end + 1] == "more":
            qualifier, end = "min", end + 2
        if vague and end - i >= 2 and lower[i + 1] in ("dozen", "hundred", "thousand"):  # "several dozen"
            low_v, high_v = value, value * 4
        elif vague:
            lo, hi = _VAGUE[lower[i]]
            low_v, high_v = float(lo), float(hi)
        else:
            if not currency and unit == 1.0 and value >= 100 and value % 100 == 0:
                unit = value / 10  # a round count ("200", "1,000") is taken as give or take 5%
            spread = unit / 2 if currency or unit > 1.0 else 0.0
            low_v, high_v = value - spread, value + spread
        if qualifier == "min":
            high_v = math.inf
        elif qualifier == "max":
            low_v = 0.0
        elif qualifier == "near":
            low_v, high_v = value * 0.85, value
        elif qualifier == "about":
            low_v, high_v = min(low_v, value * 0.8), max(high_v, value * 1.2)
        # "between N and M", "N to M", "$140-150 million": one range
        text = _join(toks[start:end])
        out.append(_Number(start, end, low_v, high_v, value, vague, currency, qualifier, text))
        i = end
    return _merge_ranges(out, toks)


def _merge_ranges(nums: list[_Number], toks: list[str]) -> list[_Number]:
    """"between 60 and 90", "2.8 to 3.8", "$140-150 million", "$12 billion to $13 billion": one range each."""
    lower = [t.lower() for t in toks]
    merged: list[_Number] = []
    for n in nums:
        prev = merged[-1] if merged else None
        if prev is not None and not prev.vague and not n.vague and prev.qualifier is None and n.qualifier is None:
            between = lower[prev.end:n.start]
            between_and = between == ["and"] and prev.start > 0 and lower[prev.start - 1] == "between"
            if between in (["to"], ["-"], ["–"], ["or"]) or between_and:
                low = prev.value
                digits = next((d for d in map(_parse_digits, toks[n.start:n.end]) if d), None)
                if digits and n.value > digits and prev.value < digits * 10:  # the scale written once: "$140-150 million"
                    low = prev.value * n.value / digits
                if low < n.value:
                    start = prev.start - 1 if between_and else prev.start
                    merged[-1] = _Number(start, n.end, low, n.high, n.value, False, prev.currency or n.currency,
                                         "range", _join(toks[start:n.end]))
                    continue
        merged.append(n)
    return merged


def _join(toks: Sequence[str]) -> str:
    text = " ".join(toks)
    text = re.sub(r"\s+([,.;:%)\]])", r"\1", text)
    text = re.sub(r"([$€£¥(\[])\s+", r"\1", text)
    return re.sub(r"\s*-\s*", "-", text)


def _names(sentence: str) -> frozenset[str]:
    """Lower-cased words written with a capital inside the sentence (names, places), and acronyms."""
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", sentence)
    out = set()
    for k, w in enumerate(words):
        if (k > 0 and w[0].isupper()) or (len(w) > 1 and w.isupper()):
            lw = w.lower().strip(".'’")
            if lw not in _NOT_NAMES and len(lw) > 1 and lw not in _assemble._STOP:
                out.add(lw.removesuffix("'s").removesuffix("’s"))
    return frozenset(out)


def _magnitude(sentence: str) -> float | None:
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
        if not w[0].isalpha() or lw in _KIND_OF or lw in _BE or lw in _assemble._STOP or lw in _QUALIFIER_WORDS:
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


_QUALIFIER_WORDS = {w for words, _ in _QUALIFIERS for w in words}


def _is_number(tok: str) -> bool:
    low = tok.lower()
    return tok[0].isdigit() or low in _NUMBER_WORDS or low in _TENS


def _part_of_sum(toks: list[str], start: int, end: int) -> bool:
    """"12 Somali and 11 Yemeni nationals": each number is a part of a count, not the count."""
    lower = [t.lower() for t in toks]

    def noun_phrase(words: list[str]) -> bool:  # a few words naming what is counted, no verb
        return all(w[0].isalpha() and w not in _BE and w not in _KIND_OF and w not in _assemble._STOP for w in words)

    for j in range(end, min(end + 4, len(toks) - 1)):  # "N [words] and M"
        if lower[j] in ("and", "plus") and _is_number(toks[j + 1]) and noun_phrase(lower[end:j]):
            return True
    if start >= 2 and lower[start - 1] in ("and", "plus"):  # "N [words] and M [...]"
        for k in range(start - 2, max(start - 6, -1), -1):
            if _is_number(toks[k]):
                return noun_phrase(lower[k + 1:start - 1])
    return False


def _kind_near(toks: list[str], num: _Number, others: list[_Number]) -> Kind | None:
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
    toks = _tokens(sentence)
    lower = [t.lower() for t in toks]
    nums = _numbers(toks)
    names = _names(sentence)
    mag = _magnitude(sentence) or magnitude
    background = bool(_BACKGROUND.search(sentence)) or bool(_YEAR.search(sentence))
    months = any(w in _MONTHS and (w != "may" or t[0].isupper()) for w, t in zip(lower, toks, strict=True))
    out: list[Claim] = []
    context = _context(sentence)

    def add(kind: Kind, n: _Number, key: str, unclear: bool) -> None:
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


_NOT_CONTEXT = (_KILLED | _INJURED | _ARRESTED | _GENERIC | set(_NUMBER_WORDS) | set(_TENS) | set(_SCALES)
                | set(_VAGUE) | {"dozen", "people", "toll", "death", "casualties", "report", "reports", "said", "say"})


_SAME_EVENT_WORD = {"earthquak": "quak", "tremor": "quak", "temblor": "quak", "blaze": "fire", "blast": "explos"}


def _context(sentence: str) -> frozenset[str]:
    """The content words (stems) of a sentence that are not about counting: what the count is of."""
    stop = {_assemble._stem(w) for w in _NOT_CONTEXT}
    words = (_SAME_EVENT_WORD.get(w, w) for w in _assemble._content_words(sentence))
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
                out.append(Claim("votes", yes, no, _join(toks[i:j + 1]), "tally", sentence, article, False, names, mag,
                                 (yes, no)))
        elif (_TALLY.match(toks[i]) and lower[i + 1] == "votes" and i + 3 < len(toks) and lower[i + 2] == "to"
              and _TALLY.match(toks[i + 3])):
            yes, no = int(toks[i]), int(toks[i + 3])
            out.append(Claim("votes", yes, no, _join(toks[i:i + 4]), "tally", sentence, article, False, names, mag,
                             (yes, no)))
    return out


def _age_of(toks: list[str], n: _Number) -> str | None:
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
                out.append(Claim("date", 0, 0, _join(toks[i:j + 1]), f"{verb}:weekday", sentence, article, False,
                                 names, mag, (_WEEKDAYS[lower[j]],)))
                break
            if re.fullmatch(r"(?:1[89]|20)\d\d", toks[j]) and lower[j - 1] == "in":
                out.append(Claim("date", 0, 0, _join(toks[i:j + 1]), f"{verb}:year", sentence, article, False, names,
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


def _meet(a: Claim, b: Claim) -> bool:
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


def _article_claims(report: Report, article: int) -> list[Claim]:
    """An article's claims, one per quantity (its first, unless that is unclear: then none), except ages and
    dates (one per person and event)."""
    mag = next((m for m in map(_magnitude, report.sentences) if m is not None), None)
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
        for c in _article_claims(report, a):
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
                if not _meet(x, y):
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


# ---- confirmation -----------------------------------------------------------------------------------


def _number_terms(sentence: str) -> set[str]:
    return {f"#{n.value:g}" for n in _numbers(_tokens(sentence)) if not n.vague}


_NUMERIC_WORDS = set(_NUMBER_WORDS) | set(_TENS) | set(_SCALES) | {"dozen", "bn", "mn", "m"}


def _acronyms(sentence: str) -> set[str]:
    """Initials of names of three or more capitalised words: "Advanced Micro Devices" also reads "amd"."""
    out = set()
    for m in re.finditer(r"(?:\b[A-Z][a-z]+(?:\s+(?:of|for|and)\s+|\s+)){2,5}[A-Z][a-z]+\b", sentence):
        initials = "".join(w[0] for w in m.group(0).split() if w[0].isupper()).lower()
        if len(initials) >= 3:
            out.add("@" + initials)
    return out


def _terms(sentence: str) -> tuple[set[str], set[str]]:
    """(content words, names and numbers) of a sentence, as comparable terms; numbers once, by value."""
    names = {_assemble._stem(n) for n in _names(sentence)}
    words = {w for w in _assemble._content_words(sentence) if not any(ch.isdigit() for ch in w)
             and w not in _NUMERIC_WORDS and w not in names}  # a name counts once, as a name
    return words, {"@" + n for n in names} | _acronyms(sentence) | _number_terms(sentence)


@dataclass
class _Sentence:
    words: set[str]
    strong: set[str]

    @property
    def all(self) -> set[str]:
        return self.words | {t[1:] for t in self.strong if t.startswith("@")} | self.strong


def paraphrase_score(fact: _Sentence, other: _Sentence, weight: dict[str, float]) -> tuple[float, int]:
    """(weight shared by the two sentences over the weight of the lighter one, number of shared terms).

    The overlap coefficient, weighted: a short sentence saying part of a long fact, or a long sentence
    saying all of a short one, both score high; words that every article of the story uses weigh less.
    Below ``CONFIRM_MIN_COVERAGE`` of the fact's own weight, or with fewer than ``CONFIRM_MIN_WORDS`` shared
    words and numbers besides names, the score is 0.
    """
    mine, theirs = fact.words | fact.strong, other.words | other.strong

    def total(terms: set[str]) -> float:
        return sum(weight.get(t, 1.0) for t in terms)

    shared = mine & other.all
    if total(shared) < CONFIRM_MIN_COVERAGE * total(mine) or sum(t[0] != "@" for t in shared) < CONFIRM_MIN_WORDS:
        return 0.0, len(shared)  # a few names in common are not the fact: it takes what is said about them
    return total(shared) / (min(total(mine), total(theirs)) or 1.0), len(shared)


def _copy_shingles(sentence: str) -> set[int]:
    text = _QUOTED.sub(" ", sentence)
    return dedup.shingles(text) if len(text.split()) >= MIN_COPY_WORDS else set()


def near_copy_groups(reports: Sequence[Report]) -> list[int]:
    """For each article, the index of its group of near-copies (the same wire copy counts once)."""
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [" ".join(r.sentences) for r in reports]
    if len(reports) <= MAX_PAIRWISE_ARTICLES:
        sh = [dedup.shingles(t) for t in texts]
        for i in range(len(reports)):
            for j in range(i + 1, len(reports)):
                small = min(len(sh[i]), len(sh[j]))
                if small and len(sh[i] & sh[j]) / small >= NEAR_COPY_CONTAINMENT:
                    parent[find(j)] = find(i)
    else:
        index = dedup.NearDuplicateIndex(threshold=NEAR_COPY_CONTAINMENT)
        for i, t in enumerate(texts):
            hit = index.find(t)
            if hit is not None:
                parent[find(i)] = find(int(hit))  # type: ignore[call-overload]
            index.add(i, t)
    return [find(i) for i in range(len(reports))]


@dataclass(frozen=True)
class Confirmation:
    """Which articles state a fact, and how many outlets and independent reports that makes."""

    articles: tuple[int, ...]  # confirming articles (the fact's own excluded), in story order
    sentences: tuple[str, ...]  # the sentence of each that states it
    outlets: int
    independent: int


class _Story:
    """The story's articles, read once: terms per sentence, weights, claims, near-copy groups."""

    def __init__(self, reports: Sequence[Report]):
        self.reports = reports
        self.sentences = [[_Sentence(*_terms(s)) for s in r.sentences] for r in reports]
        df: Counter[str] = Counter()
        for sents in self.sentences:
            df.update(set().union(*(s.words | s.strong for s in sents)) if sents else set())
        n = len(reports)
        self.weight = {t: (1.0 + math.log((n + 1) / (c + 0.5))) * (NAME_WEIGHT if t[0] in "@#" else 1.0)
                       for t, c in df.items()}
        self.groups = near_copy_groups(reports)
        self.claims = [_article_claims(r, a) for a, r in enumerate(reports)]

    def contradicts(self, fact_claims: Sequence[Claim], article: int, sentence_claims: Sequence[Claim]) -> bool:
        """True if the article gives a number for one of the fact's quantities that does not meet the fact's."""
        firsts: dict[tuple[str, str], Claim] = {}
        for c in self.claims[article]:
            firsts.setdefault((c.kind, c.key), c)
        for f in fact_claims:
            candidates = [*sentence_claims, *([firsts[(f.kind, f.key)]] if (f.kind, f.key) in firsts else [])]
            for other in candidates:
                if not f.vague and not other.vague and comparable(f, other) and not _meet(f, other):
                    return True
        return False

    def confirm(self, fact_text: str, own: int) -> Confirmation:
        fact = _Sentence(*_terms(fact_text))
        fact_claims = extract_claims(fact_text, own)
        found: list[tuple[int, str]] = []
        for a, sents in enumerate(self.sentences):
            if a == own:
                continue
            best, best_text = 0.0, ""
            for k, s in enumerate(sents):
                score, shared = paraphrase_score(fact, s, self.weight)
                text = self.reports[a].sentences[k]
                if k + 1 < len(sents):
                    both = _Sentence(s.words | sents[k + 1].words, s.strong | sents[k + 1].strong)
                    pair_score, pair_shared = paraphrase_score(fact, both, self.weight)
                    if pair_score * PAIR_PENALTY > score and pair_shared >= CONFIRM_MIN_SHARED:
                        score, shared = pair_score * PAIR_PENALTY, pair_shared
                        text = f"{text} {self.reports[a].sentences[k + 1]}"
                if shared >= min(CONFIRM_MIN_SHARED, len(fact.words | fact.strong)) and score > best:
                    best, best_text = score, text
            if best >= CONFIRM_THRESHOLD:
                if self.contradicts(fact_claims, a, extract_claims(best_text, a)):
                    continue
                found.append((a, best_text))
        articles = [own] + [a for a, _ in found]
        outlets = {o for a in articles for o in (self.reports[a].outlets or ("",))}
        # independent reports: near-copy groups, and a confirming sentence copied from the fact is the same report
        groups = {self.groups[a]: a for a in articles}
        parent = {g: g for g in groups}
        own_sh = _copy_shingles(fact_text)
        for a, text in found:
            sh = _copy_shingles(text)
            if own_sh and sh and dedup.jaccard(own_sh, sh) >= SENTENCE_COPY_JACCARD:
                parent[self.groups[a]] = self.groups[own]
        independent = len({parent[g] for g in groups})
        return Confirmation(tuple(a for a, _ in found), tuple(t for _, t in found), len(outlets), independent)


# ---- attribution ----------------------------------------------------------------------------------

_SAY = (r"said|says|say|told|tells|tell|reported|reports|report|announced|announces|confirmed|confirms|stated|"
        r"states|added|adds|explained|claimed|claims|alleged|alleges|allege|insisted|insists|warned|warns|noted|"
        r"notes|indicated|indicate|indicates|estimated|estimates|believes|believe|wrote|writes|quoted|denied|denies|"
        r"acknowledged|admitted|admits|accused|accuses|urged|urges")
_SAY_NOT_TOLD = _SAY.replace("told|tells|tell|", "")
# At the start of a sentence "report", "states" or "notes" are more often nouns than verbs ("A report says ...").
_SAY_LEAD = "|".join(v for v in _SAY_NOT_TOLD.split("|") if v not in ("report", "reports", "states", "notes", "adds",
                                                                        "claims", "estimates"))
_TRAIL = re.compile(rf"(?:,|[,.!?][\"”])\s+(?P<who>[^,;\"“”]{{2,80}}?(?:,\s[^,;\"“”]{{2,60}},)?)\s+(?:{_SAY})\b"
                    r"(?P<rest>[^\"“”]*)$")
_INVERTED = re.compile(rf"(?:,|[,.!?][\"”])\s*(?:{_SAY_NOT_TOLD})\s+(?P<who>(?:[A-Z]|(?:a|an|one|the|another|two|three|"
                       rf"several|some) )[^;\"“”]{{1,120}}?)\s*[.!?]?[\"”]?\s*$")
_LEAD = re.compile(rf"^(?P<who>[A-Z][^,;:\"“”]{{1,80}}?)\s+(?:{_SAY_LEAD})\b(?:\s+(?:on\s+)?"
                   r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|late\s+\w+))?"
                   r"(?:\s+(?:that|it|he|she|they))?\s")
_ACCORDING = re.compile(r"(?i)\baccording to\s+(?P<who>[^,;\"“”]{2,120})")
_TOLD = re.compile(r"(?:^|[,.!?][\"”]?\s+)(?P<who>[^,;\"“”]{2,80}?)(?:,\s[^,;\"“”]{2,80},)?\s+(?:told|tells|was quoted "
                   r"(?:by \w+ )?as saying)\b")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "there", "his", "her", "their", "the report",
             "the newspaper", "one", "who", "which"}
_TIME_TAIL = re.compile(r"(?i)\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
                        r"yesterday|tonight|last night|this (?:morning|afternoon|evening|week)|late \w+|earlier)\b.*$")
_ANONYMOUS = re.compile(r"(?i),?\s*\b(?:(?:who )?(?:spoke|speaking) on (?:the )?condition (?:of|that (?:he|she|they) not be "
                        r"(?:named|identified))(?: anonymity)?|on condition of anonymity|who (?:asked|declined|wished) "
                        r"(?:not )?to (?:be named|be identified|remain anonymous)|(?:who (?:was|were) )?not authori[sz]ed "
                        r"to (?:speak|talk)(?: publicly| to the media)?|speaking anonymously),?")


def _clean_who(who: str) -> str | None:
    who = _TIME_TAIL.sub("", who.strip()).strip(" ,")
    who = re.sub(r"\.$", "", who) if not re.search(r"\b[A-Z]\.$", who) or who.endswith("..") else who
    who = re.sub(r"^(?:but|and|while|as|so|yet)\s+", "", who, flags=re.IGNORECASE)
    who = re.sub(r"\s+(?:also|later|further|then|again|previously|earlier|separately|once)$", "", who)
    who = re.sub(r"\s+(?:in a statement|in an interview|at a news conference|on (?:its|his|her) (?:web ?site|website))"
                 r".*$", "", who)
    words = who.split()
    if not words or who.lower() in _PRONOUNS or (words[0].lower() in _PRONOUNS and len(words) == 1):
        return None
    if len(words) > 14:
        return None
    lowered = [w.lower() for w in words]
    if any(w in ("was", "were", "is", "are", "has", "have", "had", "will", "would", "could", "been") for w in lowered):
        return None  # a clause, not a speaker
    return who


def attribution(sentence: str) -> str | None:
    """Who the sentence says asserts it (its own words, trimmed), or None when it does not say.

    An unnamed source keeps its words with "(unnamed)" after them: "a senior official (unnamed)".
    """
    s = sentence.strip()
    unnamed = bool(_ANONYMOUS.search(s))
    if unnamed:
        s = _ANONYMOUS.sub("", s)
    who = _speaker(s)
    return f"{who} (unnamed)" if who and unnamed and "unnamed" not in who.lower() else who


def _speaker(s: str) -> str | None:
    m = _ACCORDING.search(s)
    if m and not re.match(r"(?i)according to (?:this|the|a) (?:story|report|reports)\b", m.group(0)):
        who = _clean_who(m.group("who"))
        if who:
            return who
    m = _INVERTED.search(s)
    if m:
        who = _clean_who(m.group("who"))
        if who:
            return who
    m = _TRAIL.search(s)
    if m and len(m.group("rest").split()) <= (25 if m.group("who")[:1].isupper() else 16):
        who = _clean_who(m.group("who"))
        if who:
            return who
    m = _LEAD.match(s)
    if m:
        who = _clean_who(m.group("who"))
        if who:
            return who
    m = _TOLD.search(s)
    if m:
        who = _clean_who(m.group("who"))
        if who and len(who.split()) <= 8:
            return who
    return None


# ---- the story ------------------------------------------------------------------------------------


def corroborate(
    facts: Sequence[Fact], fact_articles: Sequence[int], reports: Sequence[Report]
) -> tuple[list[Fact], list[Discrepancy]]:
    """The facts with ``outlets``, ``independent`` and ``attributed_to`` set, and the story's discrepancies.

    Args:
        facts: the story's key facts.
        fact_articles: for each fact, the index into ``reports`` of the article it was taken from.
        reports: the story's articles.
    """
    out: list[Fact] = []
    story = _Story(reports) if len(reports) > 1 else None
    for fact, a in zip(facts, fact_articles, strict=True):
        if story is None:
            outlets = len(set(reports[a].outlets)) if reports else 1
            out.append(replace(fact, outlets=max(outlets, 1), independent=1, attributed_to=attribution(fact.text)))
            continue
        c = story.confirm(fact.text, a)
        out.append(replace(fact, outlets=c.outlets, independent=c.independent, attributed_to=attribution(fact.text)))
    discrepancies: list[Discrepancy] = []
    if story is not None:
        for d in find_disagreements(reports):
            discrepancies.append(Discrepancy(
                about=d.about,
                claims=tuple(DiscrepancyClaim(c.sentence, reports[c.article].outlet, reports[c.article].url, c.value)
                             for c in d.claims),
            ))
    return out, discrepancies


def corroborate_story(
    facts: Sequence[Fact], fact_articles: Sequence[int], analyses: Sequence[Analysis],
    sources: Sequence[list[dict[str, Any]]],
) -> tuple[list[Fact], list[Discrepancy]]:
    """``corroborate`` for ``assemble.build_story``: the story's analyses and, for each, its sources as stored."""
    reports = []
    for analysis, srcs in zip(analyses, sources, strict=True):
        copies = _assemble._article_sources(analysis, srcs)
        outlets = tuple(dict.fromkeys(_assemble.outlet_of(c) for c in copies))
        url = next((c.get("url") for c in copies if c.get("url")), None) or analysis.article.url
        sentences = analysis.sentences or tuple(split_sentences(analysis.article.text))
        reports.append(Report(tuple(sentences), outlets, url, analysis.article.day))
    return corroborate(facts, fact_articles, reports)
