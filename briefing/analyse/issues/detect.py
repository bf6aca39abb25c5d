"""The learned part of open-issue extraction: which sentences are evidence of an open issue.

Two small logistic regressions, both in ``briefing/data/issues_model.json`` (built by ``tools/train_issues.py``):

- *Factuality*: for a predicate word in a sentence, the probability that the event happened (trained on UDS-IH2
  over the UD-EWT sentences). Features: the word, its suffix, the words around it, cue words to its left
  (modals, negation, "if", "whether", "to", attitude verbs). A sentence gets the lowest and the mean score of
  its predicates (words the factuality data knows as predicates).
- *Evidence detector*: for each sentence, the probability that it states an open issue (trained on the annotated
  ECB+ documents). Features (``sentence_features``): the rule cues of ``briefing.analyse.issues.rules`` (each cue family and
  wh-anchor a feature; whether the rules phrased an issue; their "settled" and "answered" tests), the words,
  the cue lexicon of ``LEXICON`` (the article's own questions, "it is unclear whether", "remains to be seen",
  "has not said whether", "could face the death penalty", pending trials, unconfirmed reports, ...), modal
  verbs, negation, future time, past tense, reported speech, question marks and quotes, the position of the
  sentence, its length and the factuality scores; and the cues of the neighbouring sentences.

Everything here is dictionary look-ups and a few precompiled regular expressions, so a sentence costs a few
microseconds.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from briefing.analyse.issues.wordlists import DETECTOR_WORDS, word_class

FEATURE_VERSION = 1
MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "issues_model.json"

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d[\d,.]*|[?\"“”]")

_MODALS = word_class(DETECTOR_WORDS, "modal")
_NEG = word_class(DETECTOR_WORDS, "negation")
_LEFT_CUES = word_class(DETECTOR_WORDS, "left_cue")
_SAY = word_class(DETECTOR_WORDS, "say")
_FUTURE = word_class(DETECTOR_WORDS, "future")
_DAYS = word_class(DETECTOR_WORDS, "day")


@dataclass(frozen=True)
class LexiconEntry:
    """A phrase of the cue lexicon: a sentence that holds it states something unresolved."""

    name: str  # the detector's feature "lex:<name>"
    pattern: re.Pattern[str]  # matched case-insensitively
    keys: tuple[str, ...]  # the pattern runs only on sentences holding one of these words (or beginnings, "-")

    @classmethod
    def make(cls, name: str, pattern: str, keys: tuple[str, ...]) -> LexiconEntry:
        """An entry from its pattern's text."""
        return cls(name, re.compile(pattern, re.IGNORECASE), keys)


# The cue lexicon: phrases that make a sentence state something unresolved (each a feature "lex:<name>"). A set
# test on a sentence's words (``keys``) is far cheaper than running every pattern on every sentence.
LEXICON: tuple[LexiconEntry, ...] = (
    LexiconEntry.make(
        "unclear",
        r"\b(?:unclear|not\s+(?:yet\s+)?(?:clear|known)|unknown|uncertain|undecided|unsure|no\s+word\s+on|"
        r"no\s+indication)\b",
        ("unclear", "clear", "known", "unknown", "uncertain", "undecided", "unsure", "word", "indication"),
    ),
    LexiconEntry.make(
        "to_be_seen",
        r"\b(?:remains?|remained)\s+to\s+be\s+(?:seen|determined|decided)\b|\bwait\s+and\s+see\b",
        ("remain", "remains", "remained", "wait"),
    ),
    LexiconEntry.make(
        "not_said",
        r"\b(?:has|have|had|did|does|do|would|could|will)\s*(?:not|n't)\s+(?:yet\s+)?(?:said|say|comment"
        r"|confirm|confirmed|disclose|disclosed|reveal|revealed|announce|announced|decide|decided|respond"
        r"|responded|commit|committed)\b|\b(?:declined|refused|unable|would\s+not)\s+to\s+(?:say|comment"
        r"|confirm|disclose|discuss|elaborate|speculate|give)\b|\bno\s+comment\b",
        ("not", "n't", "declined", "refused", "unable", "comment", "hasn't", "haven't", "hadn't", "didn't",
         "doesn't", "don't", "wouldn't", "couldn't", "won't"),
    ),
    LexiconEntry.make(
        "face_penalty",
        r"\b(?:could|may|might|would|will|faces?|facing|risk|risks)\s+(?:\w+\s+){0,2}?(?:face\s+)?"
        r"(?:the\s+)?(?:death\s+penalty|life\s+(?:in\s+prison|imprisonment|sentence)|execution|"
        r"up\s+to\s+[\w\-]+\s+years?|(?:a\s+)?maximum\s+(?:sentence|penalty)|years?\s+in\s+prison|"
        r"extradition|prosecution|charges?|trial)\b",
        ("face", "faces", "facing", "risk", "risks"),
    ),
    LexiconEntry.make(
        "penalty_decision",
        r"\b(?:seek|seeking|sought|decide|decision)\s+(?:\w+\s+){0,3}?(?:death\s+penalty|"
        r"sentence)\b|\bsentencing\b",
        ("penalty", "sentence", "sentencing"),
    ),
    LexiconEntry.make(
        "pending_legal",
        r"\b(?:trial|hearing|arraignment|extradition|verdict|sentencing|appeal|retrial|inquest|"
        r"indictment|deliberat\w+|jury)\b",
        ("trial", "hearing", "arraignment", "extradition", "verdict", "sentencing", "appeal", "retrial", "inquest",
         "indictment", "jury", "deliberat-"),
    ),
    LexiconEntry.make(
        "scheduled",
        r"\b(?:is|are|was|were)\s+(?:scheduled|set|due|expected|slated|poised|likely|going)\s+to\b|"
        r"\b(?:scheduled|slated)\s+for\b|\bwill\s+be\s+(?:announced|decided|held|sentenced|tried|named"
        r"|released|revealed)\b",
        ("scheduled", "set", "due", "expected", "slated", "poised", "likely", "going", "will"),
    ),
    LexiconEntry.make(
        "unconfirmed",
        r"\b(?:unconfirmed|not\s+(?:been\s+)?(?:independently\s+)?(?:confirmed|verified)|could\s+not\s+"
        r"(?:be\s+)?(?:confirmed|verified)|reportedly|rumou?rs?|rumou?red|speculation|speculated|"
        r"allegedly|alleged|unverified|believed\s+to|thought\s+to|feared|presumed|possibly)\b",
        ("unconfirmed", "confirmed", "verified", "reportedly", "rumour", "rumor", "rumours", "rumors", "rumoured",
         "rumored", "speculation", "speculated", "allegedly", "alleged", "unverified", "believed", "thought",
         "feared", "presumed", "possibly"),
    ),
    LexiconEntry.make(
        "investigation",
        r"\b(?:investigat\w+|inquiry|probe|probing|looking\s+into|autopsy|examin\w+|cause\s+of)\b",
        ("investigat-", "inquiry", "probe", "probing", "looking", "autopsy", "examin-", "cause"),
    ),
    LexiconEntry.make(
        "search",
        r"\b(?:missing|search(?:ing)?\s+for|still\s+searching|unaccounted|manhunt|at\s+large|on\s+the\s+run|"
        r"no\s+arrests?|no\s+suspects?|identif(?:y|ied)\s+(?:the\s+)?(?:victims?|suspects?|body|bodies))\b",
        ("missing", "search", "searching", "unaccounted", "manhunt", "large", "run", "arrest", "arrests", "suspect",
         "suspects", "identify", "identified"),
    ),
    LexiconEntry.make(
        "candidacy",
        r"\b(?:run\s+for|bid\s+for|candida\w+|whether\s+to\s+run|considering\s+(?:a\s+)?run|"
        r"nominat\w+|contender|front-?runner|succeed|successor|replace\w*)\b",
        ("run", "bid", "candida-", "considering", "nominat-", "contender", "frontrunner", "front-runner", "succeed",
         "successor", "replace-"),
    ),
    LexiconEntry.make(
        "election",
        r"\b(?:election|elections|vote|votes|voting|ballot|polls?|run-?off|referendum|results?|count(?:ing)?)\b",
        ("election", "elections", "vote", "votes", "voting", "ballot", "poll", "polls", "runoff", "run-off",
         "referendum", "result", "results", "count", "counting"),
    ),
    LexiconEntry.make(
        "decision",
        r"\b(?:decide|decides|deciding|decision|consider|considering|weigh|weighing|mull\w*|review\w*|"
        r"determine|options?)\b",
        ("decide", "decides", "deciding", "decision", "consider", "considering", "weigh", "weighing", "mull-",
         "review-", "determine", "option", "options"),
    ),
    LexiconEntry.make(
        "talks",
        r"\b(?:talks|negotiat\w+|deal|offer|offers|bid|proposal|agreement|contract)\b",
        ("talks", "negotiat-", "deal", "offer", "offers", "bid", "proposal", "agreement", "contract"),
    ),
    LexiconEntry.make(
        "possible",
        r"\b(?:possible|possibility|potential|potentially|likely|unlikely|chance|prospect|could\s+be|"
        r"may\s+be|might\s+be)\b",
        ("possible", "possibility", "potential", "potentially", "likely", "unlikely", "chance", "prospect", "could",
         "may", "might"),
    ),
    LexiconEntry.make(
        "wh_clause",
        r"\b(?:whether|if)\b",
        ("whether", "if"),
    ),
    LexiconEntry.make(
        "asked",
        r"\b(?:asked|asks|ask|wondered|wonder|question|questions|questioned)\b",
        ("asked", "asks", "ask", "wondered", "wonder", "question", "questions", "questioned"),
    ),
    LexiconEntry.make(
        "quoted_q",
        r"\?\s*[\"”]|\?\s*$",
        ("?",),
    ),
    LexiconEntry.make(
        "deadline",
        r"\b(?:deadline|by\s+(?:the\s+end\s+of|next)|within\s+\d+|ultimatum|pay\s+on|due\s+on|repay\w*|"
        r"default)\b",
        ("deadline", "by", "within", "ultimatum", "pay", "due", "repay-", "default"),
    ),
    LexiconEntry.make(
        "settled",
        r"\b(?:was|were|has\s+been|have\s+been)\s+(?:sentenced|convicted|acquitted|elected|appointed|named|"
        r"approved|rejected|signed|confirmed|found\s+guilty|arrested|charged|killed|released)\b|\b(?:won|"
        r"announced|decided|ruled|agreed|voted|signed|confirmed|completed|finished|closed|sold|bought|"
        r"acquired)\b",
        ("was", "were", "been", "won", "announced", "decided", "ruled", "agreed", "voted", "signed", "confirmed",
         "completed", "finished", "closed", "sold", "bought", "acquired"),
    ),
    LexiconEntry.make(
        "death",
        r"\b(?:died|dead|death|killed|body|bodies|fatal)\b",
        ("died", "dead", "death", "killed", "body", "bodies", "fatal"),
    ),
    LexiconEntry.make(
        "conditional",
        r"\b(?:if|unless|until|provided\s+that|as\s+long\s+as)\b",
        ("if", "unless", "until", "provided", "long"),
    ),
    LexiconEntry.make(
        "demand",
        r"\b(?:called\s+for|calls\s+for|calling\s+for|demand\w*|urged|urging|pressure|threaten\w*)\b",
        ("called", "calls", "calling", "demand-", "urged", "urging", "pressure", "threaten-"),
    ),
)
_LEXICON_RE = {e.name: e.pattern for e in LEXICON}
_KEY_TO_LEX: dict[str, list[str]] = {}
_PREFIX_TO_LEX: dict[str, list[str]] = {}
for _entry in LEXICON:
    for _k in _entry.keys:
        (_PREFIX_TO_LEX if _k.endswith("-") else _KEY_TO_LEX).setdefault(_k.rstrip("-"), []).append(_entry.name)
_PREFIXES = tuple(_PREFIX_TO_LEX)


def lexicon_hits(sentence: str, lows: Sequence[str]) -> set[str]:
    """The names of the lexicon entries found in ``sentence`` (``lows``: its lower-cased words)."""
    todo: set[str] = set()
    for w in lows:
        got = _KEY_TO_LEX.get(w)
        if got:
            todo.update(got)
        if w.startswith(_PREFIXES):
            for pre, names in _PREFIX_TO_LEX.items():
                if w.startswith(pre):
                    todo.update(names)
        if w.endswith("n't"):
            todo.add("not_said")
    return {name for name in todo if _LEXICON_RE[name].search(sentence)}


# Words that are features as themselves; other words count by their shape only, so that the detector learns how a
# sentence says something is open, not which events the training articles were about.
_FUNCTION_WORDS = word_class(DETECTOR_WORDS, "function")
WORD_MODE = "all"  # "all": every word is a feature; "closed": function words, verbs and lexicon words only


def _word_key(low: str) -> str:
    if WORD_MODE == "all" or low in _FUNCTION_WORDS or low in _verb_forms():
        return low
    return "<w>"


@cache
def _verb_forms() -> frozenset[str]:
    from briefing.analyse.issues.questions import verb_lemmas

    return frozenset(verb_lemmas())


def words_of(sentence: str) -> list[str]:
    """The word tokens of a sentence (and ?, quote marks), as written."""
    return _WORD.findall(sentence)


def predicate_features(words: Sequence[str], i: int) -> dict[str, float]:
    """Features of the predicate ``words[i]`` for the factuality model."""
    w = words[i].lower()
    f: dict[str, float] = {"b": 1.0, "w=" + w: 1.0, "s3=" + w[-3:]: 1.0, "s2=" + w[-2:]: 1.0}
    for k in (1, 2, 3):
        left = words[i - k].lower() if i - k >= 0 else "<s>"
        f[f"l{k}={left}"] = 1.0
        if left in _LEFT_CUES:
            f["lc=" + left] = 1.0
    for k in (4, 5, 6):
        if i - k >= 0 and words[i - k].lower() in _LEFT_CUES:
            f["lc=" + words[i - k].lower()] = 1.0
    for k in (1, 2):
        right = words[i + k].lower() if i + k < len(words) else "</s>"
        f[f"r{k}={right}"] = 1.0
    if words[-1:] == ["?"]:
        f["q"] = 1.0
    if words[i][:1].isupper():
        f["cap"] = 1.0
    return f


class Factuality:
    """The factuality model: P(happened) of a predicate in a sentence.

    Its weights are split by feature kind into per-word tables at load, so that scoring a predicate is a few
    dictionary look-ups (the same sum as over ``predicate_features``).
    """

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.bias = float(params.get("bias", 0.0))
        self.weights: dict[str, float] = dict(params.get("weights", {}))
        verbs = _verb_forms()
        self.predicates = frozenset(p for p in params.get("predicates", ()) if not verbs or p in verbs)
        tables: dict[str, dict[str, float]] = {}
        for key, value in self.weights.items():
            kind, sep, word = key.partition("=")
            if sep:
                tables.setdefault(kind, {})[word] = value
        self._t = tables
        self._b = self.weights.get("b", 0.0) + self.bias
        self._q = self.weights.get("q", 0.0)
        self._cap = self.weights.get("cap", 0.0)

    def probability(self, words: Sequence[str], i: int, lows: Sequence[str] | None = None) -> float:
        lw = lows if lows is not None else [w.lower() for w in words]
        t = self._t
        if not hasattr(self, "_tables"):
            self._tables = tuple(t.get(k, {}) for k in ("w", "s3", "s2", "l1", "l2", "l3", "r1", "r2", "lc"))
        tw, ts3, ts2, tl1, tl2, tl3, tr1, tr2, lc = self._tables
        w = lw[i]
        n = len(lw)
        z = self._b + tw.get(w, 0.0) + ts3.get(w[-3:], 0.0) + ts2.get(w[-2:], 0.0)
        z += tl1.get(lw[i - 1] if i >= 1 else "<s>", 0.0) + tl2.get(lw[i - 2] if i >= 2 else "<s>", 0.0)
        z += tl3.get(lw[i - 3] if i >= 3 else "<s>", 0.0)
        z += tr1.get(lw[i + 1] if i + 1 < n else "</s>", 0.0) + tr2.get(lw[i + 2] if i + 2 < n else "</s>", 0.0)
        cues = {x for x in lw[max(0, i - 6): i] if x in _LEFT_CUES}
        for x in cues:
            z += lc.get(x, 0.0)
        if lw[-1] == "?":
            z += self._q
        if words[i][:1].isupper():
            z += self._cap
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def sentence(self, words: Sequence[str]) -> tuple[float, float, int]:
        """(lowest, mean, number below one half) of the sentence's predicates; (1, 1, 0) when it has none."""
        lows = [w.lower() for w in words]
        preds = self.predicates
        probs = [self.probability(words, i, lows) for i, w in enumerate(lows) if w in preds]
        if not probs:
            return 1.0, 1.0, 0
        return min(probs), sum(probs) / len(probs), sum(p < 0.5 for p in probs)


def sentence_features(words: Sequence[str], sentence: str, position: int, total: int, rules: Sequence[str],
                      factuality: Factuality | None) -> dict[str, float]:
    """The detector's features of one sentence.

    Args:
        words: ``words_of(sentence)``.
        sentence: the sentence text.
        position, total: its index in the article and the number of sentences.
        rules: the rule features of ``briefing.analyse.issues.rules`` for it ("cue:<family>", "wh:<word>", "rule:issue", ...).
        factuality: the factuality model, or None to leave its features out.
    """
    f: dict[str, float] = {"bias": 1.0}
    for r in rules:
        f[r] = 1.0
    lows = [w.lower() for w in words]
    prev = "<s>"
    for w in lows:
        key = _word_key(w)
        f["w:" + key] = 1.0
        if w in _FUNCTION_WORDS:  # bigrams of function words only ("would not", "whether to", "has yet")
            if prev in _FUNCTION_WORDS or prev == "<s>":
                f["b:" + prev + "_" + w] = 1.0
            prev = w
        else:
            prev = "<w>"
    for name in lexicon_hits(sentence, lows):
        f["lex:" + name] = 1.0
    lowset = set(lows)
    for m in _MODALS & lowset:
        f["mod"] = 1.0
        f["mod:" + m] = 1.0
    if _NEG & lowset or any(w.endswith("n't") for w in lows):
        f["neg"] = 1.0
    if _FUTURE & lowset or (_DAYS & lowset and ("will" in lowset or "'ll" in lowset)):
        f["future"] = 1.0
    if _SAY & lowset:
        f["say"] = 1.0
    past = sum(w.endswith("ed") for w in lows)
    if past:
        f["past"] = min(3, past) / 3
    if "?" in sentence:
        f["qmark"] = 1.0
    if '"' in sentence or "“" in sentence or "”" in sentence:
        f["quote"] = 1.0
    n = len(words)
    f["len:" + ("s" if n < 8 else "m" if n < 20 else "l" if n < 40 else "x")] = 1.0
    if position == 0:
        f["pos:first"] = 1.0
    elif position == 1:
        f["pos:second"] = 1.0
    elif position == total - 1:
        f["pos:last"] = 1.0
    f["pos:rel"] = position / max(1, total - 1)
    if factuality is not None:
        low, mean, below = factuality.sentence(words)
        f["fact:min"] = low
        f["fact:mean"] = mean
        f["fact:below"] = min(3, below) / 3
        if low < 0.5:
            f["fact:low"] = 1.0
    # conjunctions: a cue with the modality around it
    cues = [k for k in f if k.startswith(("lex:", "cue:", "wh:", "rule:"))]
    for k in ("mod", "neg", "future", "say", "fact:low", "qmark", "past"):
        if k in f:
            for c in cues:
                f[c + "&" + k] = 1.0
    return f


def with_context(features: list[dict[str, float]], rules: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """Add the rule cues of the previous and next sentences ("prev:<cue>", "next:<cue>")."""
    for i, f in enumerate(features):
        if i > 0:
            for r in rules[i - 1]:
                f["prev:" + r] = 1.0
        if i + 1 < len(features):
            for r in rules[i + 1]:
                f["next:" + r] = 1.0
    return features


class Detector:
    """The evidence detector: a logistic regression over ``sentence_features``."""

    def __init__(self, params: Mapping[str, Any], factuality: Factuality | None) -> None:
        self.bias = float(params.get("bias", 0.0))
        self.weights: dict[str, float] = dict(params.get("weights", {}))
        self.threshold = float(params.get("threshold", 0.0))  # on the logit
        self.factuality = factuality

    def logit(self, features: Mapping[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w.get(k, 0.0) * v for k, v in features.items())

    def probability(self, features: Mapping[str, float]) -> float:
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, self.logit(features)))))

    def is_evidence(self, features: Mapping[str, float]) -> bool:
        return self.logit(features) >= self.threshold

    def confidence(self, features: Mapping[str, float]) -> float:
        """The probability, shifted so that the decision threshold is at one half."""
        z = self.logit(features) - self.threshold
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def default_detector() -> Detector | None:
    """The shipped detector, or None when the model file is missing or unreadable (the rules then decide)."""
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("feature_version") != FEATURE_VERSION:
        return None
    return Detector(data["detector"], Factuality(data["factuality"]))
