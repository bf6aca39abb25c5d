"""Numbers as news writes them, read from a sentence's tokens: value, rounding, qualifier and currency.

"at least 72" and "more than 70" are open above, "about 40" is 40 give or take 20%, "nearly 50" is 85-100% of 50,
"$13 billion" is 12.5 to 13.5 billion, "dozens" 24 to 199 (vague); numbers written as words count ("a dozen",
"two hundred"), and "between 60 and 90", "$140-150 million" are one range. ``read_numbers`` gives each as a
``Number`` interval; ``briefing.assemble.claims`` says what it counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"US\$|A\$|C\$|NT\$|[$€£¥]|\d+(?:[.,:]\d+)*|[A-Za-z]+(?:['’][A-Za-z]+)*|\S")
_SMALL = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
NUMBER_WORDS = {k: v for k, v in _SMALL.items() if k not in ("no", "a", "an")}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBR_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
# Vague quantities: (low, high) and whether "of" may follow ("dozens of people").
VAGUE = {"dozens": (24, 199), "scores": (40, 399), "hundreds": (200, 1999), "thousands": (2000, 99999),
          "several": (3, 9), "few": (2, 9), "many": (5, math.inf), "numerous": (5, math.inf)}
CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "NT$": "TWD", "€": "EUR", "£": "GBP",
                    "¥": "JPY"}
CURRENCY_WORD = {"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
                  "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "gbp": "GBP", "yen": "JPY",
                  "rupiah": "IDR", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rupees": "INR",
                  "yuan": "CNY", "francs": "CHF", "rand": "ZAR"}
QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
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


def tokens(sentence: str) -> list[str]:
    """A sentence's tokens for reading numbers: currency signs, numbers with their separators, words, punctuation."""
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
class Number:
    """A number of a sentence as an interval, with where it is written."""

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
        if j + 1 < len(toks) and toks[j] == "-" and toks[j + 1].lower() in SCALES:  # "$137-million"
            j += 1
        if j < len(toks) and toks[j].lower() in SCALES:
            scale = SCALES[toks[j].lower()]
            value, unit, j = value * scale, unit * scale, j + 1
        elif j < len(toks) and toks[j].lower() in _ABBR_SCALES and (i == 0 or toks[i - 1] in CURRENCY_SYMBOL or
                                                                     toks[i - 1].lower() in ("e", "p")):
            scale = _ABBR_SCALES[toks[j].lower()]
            value, unit, j = value * scale, unit * scale, j + 1
        return value, j, unit, False
    if low in ("several", "few") and i + 1 < len(toks) and toks[i + 1].lower() in ("dozen", "hundred", "thousand"):
        lo = {"dozen": 24, "hundred": 200, "thousand": 2000}[toks[i + 1].lower()]
        return float(lo), i + 2, 1.0, True
    if low in VAGUE and low not in ("many", "numerous", "few"):
        lo, _ = VAGUE[low]
        return float(lo), i + 1, 1.0, True
    if low == "dozen" or (low in ("a", "one") and i + 1 < len(toks) and toks[i + 1].lower() == "dozen"):
        j = i + 2 if low != "dozen" else i + 1
        return 12.0, j, 4.0, False  # "a dozen" is a round figure: 10 to 14
    if low in NUMBER_WORDS or low in TENS:
        value, j, current = 0.0, i, 0.0
        while j < len(toks):
            w = toks[j].lower()
            if w in NUMBER_WORDS:
                current += NUMBER_WORDS[w]
            elif w in TENS:
                current += TENS[w]
            elif w == "hundred":
                current = (current or 1) * 100
            elif w in SCALES:
                value += (current or 1) * SCALES[w]
                current = 0
            elif w == "-" and j + 1 < len(toks) and (toks[j + 1].lower() in NUMBER_WORDS or
                                                   toks[j + 1].lower() in SCALES):
                pass
            elif w == "and" and j + 1 < len(toks) and toks[j + 1].lower() in NUMBER_WORDS | TENS.keys() and current:
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


def read_numbers(toks: list[str]) -> list[Number]:
    """Every number of a sentence with its qualifier and currency."""
    out: list[Number] = []
    i = 0
    lower = [t.lower() for t in toks]
    while i < len(toks):
        currency = None
        start = i
        if toks[i] in CURRENCY_SYMBOL and i + 1 < len(toks) and _parse_digits(toks[i + 1]) is not None:
            currency, i = CURRENCY_SYMBOL[toks[i]], i + 1
        elif lower[i] in ("e", "p") and i + 1 < len(toks) and _parse_digits(toks[i + 1]) is not None and (
            i + 2 < len(toks) and (lower[i + 2] in ("million", "billion", "m", "bn") or lower[i + 2] == "-")
        ):  # "e85 million", "p74million": a euro or pound sign lost in conversion
            currency, i = ("EUR" if lower[i] == "e" else "GBP"), i + 1
        read = None if _pronoun_one(lower, i) else _read_number(toks, i)
        if read is None:
            i = max(i, start) + 1
            continue
        value, end, unit, vague = read
        if end < len(toks) and lower[end] in CURRENCY_WORD:
            currency, end = currency or CURRENCY_WORD[lower[end]], end + 1
        elif end + 1 < len(toks) and toks[end] == "-" and lower[end + 1] in CURRENCY_WORD:  # "two-million-euro"
            currency, end = currency or CURRENCY_WORD[lower[end + 1]], end + 2
        if vague and end < len(toks) and lower[end] == "of":  # "dozens of", "tens of thousands"
            end += 1
        qualifier = None
        for words, q in QUALIFIERS:
            n = len(words)
            if start - n >= 0 and tuple(lower[start - n:start]) == words:
                qualifier, start = q, start - n
                break
        if end + 1 < len(toks) and lower[end] == "or" and lower[end + 1] == "more":
            qualifier, end = "min", end + 2
        if vague and end - i >= 2 and lower[i + 1] in ("dozen", "hundred", "thousand"):  # "several dozen"
            low_v, high_v = value, value * 4
        elif vague:
            lo, hi = VAGUE[lower[i]]
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
        text = join_tokens(toks[start:end])
        out.append(Number(start, end, low_v, high_v, value, vague, currency, qualifier, text))
        i = end
    return _merge_ranges(out, toks)


def _merge_ranges(nums: list[Number], toks: list[str]) -> list[Number]:
    """"between 60 and 90", "2.8 to 3.8", "$140-150 million", "$12 billion to $13 billion": one range each."""
    lower = [t.lower() for t in toks]
    merged: list[Number] = []
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
                    merged[-1] = Number(start, n.end, low, n.high, n.value, False, prev.currency or n.currency,
                                         "range", join_tokens(toks[start:n.end]))
                    continue
        merged.append(n)
    return merged


def join_tokens(toks: Sequence[str]) -> str:
    """Tokens back to text as written ("$13.9 billion", "52-35")."""
    text = " ".join(toks)
    text = re.sub(r"\s+([,.;:%)\]])", r"\1", text)
    text = re.sub(r"([$€£¥(\[])\s+", r"\1", text)
    return re.sub(r"\s*-\s*", "-", text)
