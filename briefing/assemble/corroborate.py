"""Corroboration: which articles of a story confirm each key fact, and where their numbers disagree.

Three questions per story, answered from the sentences of its articles (no model, no network):

1. **Confirmation.** A key fact is confirmed by an article when one of its sentences (or two adjacent
   ones) states it verbatim or as a close paraphrase (``paraphrase_score``: the weighted overlap of
   their content words, numbers and names, words weighted by how rare they are among the story's
   articles, names and numbers weighing more; a quarter of the fact's weight and two words or numbers
   besides names must be shared). The words are the package's (``briefing.words.content_words``: one
   tokeniser, stemmer and stop list). An article whose number for the same quantity contradicts the
   fact's does not confirm it. ``outlets`` counts the outlets of the confirming articles (and the
   fact's own); ``independent`` counts them once per group of near-copies: two articles are the same
   report when most of the smaller one's word 3-shingles are in the other (``words.shingles``, the
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

Numbers are read in ``briefing.assemble.numbers``, claims found and compared in ``briefing.assemble.claims``;
this module confirms facts, counts outlets and independent reports, and finds who asserts each fact.

Everything is linear in the sentences of the story, except the near-copy check (pairs of articles,
over shingle sets built once) and the claim comparison (pairs of claims of one quantity, one per
article); both are small for a story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from briefing.analyse.sentences import split_sentences
from briefing.assemble import dedup
from briefing.assemble.articles import article_day, article_sources, outlet_of
from briefing.assemble.claims import (
    Claim,
    Report,
    article_claims,
    claims_meet,
    comparable,
    extract_claims,
    find_disagreements,
    sentence_names,
)
from briefing.assemble.numbers import NUMBER_WORDS, SCALES, TENS, read_numbers, tokens
from briefing.models import Analysis, Discrepancy, DiscrepancyClaim, Fact
from briefing.words import containment, content_words, shingles, similarity, stem

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
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


# ---- confirmation -----------------------------------------------------------------------------------


def _number_terms(sentence: str) -> set[str]:
    return {f"#{n.value:g}" for n in read_numbers(tokens(sentence)) if not n.vague}


_NUMERIC_WORDS = set(NUMBER_WORDS) | set(TENS) | set(SCALES) | {"dozen", "bn", "mn", "m"}


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
    names = {stem(n) for n in sentence_names(sentence)}
    words = {w for w in content_words(sentence) if not any(ch.isdigit() for ch in w)
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
    return shingles(text) if len(text.split()) >= MIN_COPY_WORDS else set()


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
        sh = [shingles(t) for t in texts]
        for i in range(len(reports)):
            for j in range(i + 1, len(reports)):
                if sh[i] and sh[j] and containment(sh[i], sh[j]) >= NEAR_COPY_CONTAINMENT:
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
        self.claims = [article_claims(r, a) for a, r in enumerate(reports)]

    def contradicts(self, fact_claims: Sequence[Claim], article: int, sentence_claims: Sequence[Claim]) -> bool:
        """True if the article gives a number for one of the fact's quantities that does not meet the fact's."""
        firsts: dict[tuple[str, str], Claim] = {}
        for c in self.claims[article]:
            firsts.setdefault((c.kind, c.key), c)
        for f in fact_claims:
            candidates = [*sentence_claims, *([firsts[(f.kind, f.key)]] if (f.kind, f.key) in firsts else [])]
            for other in candidates:
                if not f.vague and not other.vague and comparable(f, other) and not claims_meet(f, other):
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
            if own_sh and sh and similarity(own_sh, sh) >= SENTENCE_COPY_JACCARD:
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


_NOT_A_SOURCE = re.compile(r"(?i)according to (?:this|the|a) (?:story|report|reports)\b")
# Where a sentence names who asserts it, tried in order: each pattern's search (or match, for a lead) and what a
# hit needs to count.
_SPEAKER_RULES: tuple[tuple[Callable[[str], re.Match[str] | None], Callable[[re.Match[str], str], bool]], ...] = (
    (_ACCORDING.search, lambda m, who: not _NOT_A_SOURCE.match(m.group(0))),
    (_INVERTED.search, lambda m, who: True),
    (_TRAIL.search, lambda m, who: len(m.group("rest").split()) <= (25 if m.group("who")[:1].isupper() else 16)),
    (_LEAD.match, lambda m, who: True),
    (_TOLD.search, lambda m, who: len(who.split()) <= 8),
)


def _speaker(s: str) -> str | None:
    for find, accept in _SPEAKER_RULES:
        m = find(s)
        if m is None:
            continue
        who = _clean_who(m.group("who"))
        if who and accept(m, who):
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
        copies = article_sources(analysis, srcs)
        outlets = tuple(dict.fromkeys(outlet_of(c) for c in copies))
        url = next((c.get("url") for c in copies if c.get("url")), None) or analysis.article.url
        sentences = analysis.sentences or tuple(split_sentences(analysis.article.text))
        reports.append(Report(tuple(sentences), outlets, url, article_day(analysis)))
    return corroborate(facts, fact_articles, reports)
