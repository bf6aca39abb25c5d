"""Open issues: the matters an article presents as unresolved, named and phrased as questions.

The method is rule-based at its core, so that it is fast, explainable and not tied to one article, with a learned
detector on top:

1. *Anchors* (``clauses``): each sentence is scanned for places where an unresolved clause starts: embedded
   questions ("whether …", "who would …" after a word that takes a question) and the cue phrases of ``cues`` (one
   ``Cue`` record per cue: "yet to", "is expected to rule", "under investigation", "unless", "sticking point", …).
2. *Topic and question* (``rules``, ``questions``): the topic is named from the head of the unresolved clause
   (fund → funding; a light verb hands over to its object), the clause is turned into a direct question
   ("who would fund it" → "Who will fund the NATO mission?"), resolving a simple pronoun.
3. *Evidence* (``detect``): a logistic regression over the rule cues and other sentence features decides which
   sentences state an open issue; a question that fails ``questions.check_question`` is shown as "".
4. *Merge*: issues with the same topic head in one article are kept once; ``story`` merges a story's articles.

Every pattern is linear (bounded windows, no nested quantifiers) and sentences are scanned only up to a bounded
length, so pathological input returns quickly. A rule that breaks on an input raises (the build skips that
article with a warning); it is never silenced here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.analyse.issues.clauses import (
    AUX,
    GENERIC_HEADS,
    NOUN_OF,
    PREPOSITIONS,
    PRONOUNS,
    STOP,
    Parse,
    matter_verb,
    tokens,
    topic_from_np,
    topic_from_parse,
    topic_head,
)
from briefing.analyse.issues.detect import (
    Detector,
    Factuality,
    default_detector,
    sentence_features,
    with_context,
    words_of,
)
from briefing.analyse.issues.questions import check_question, phrase_question
from briefing.analyse.issues.rules import EXPLICIT_CUES, MAX_SENTENCE_CHARS, Found, Scan, scan_sentence
from briefing.models import OpenIssue
from briefing.words import containment

__all__ = [
    "EXPLICIT_CUES", "EXPLICIT_MARGIN", "MAX_ISSUES", "MAX_SENTENCE_CHARS", "SAME_MATTER", "Scan", "article_features",
    "assemble_issues", "detector_features", "extract_open_issues", "rule_features", "rule_issues", "sentence_scans",
]

MAX_ISSUES = 12  # per article
# A sentence with one of the ``EXPLICIT_CUES`` (the article's own statement that a matter is open: a question it
# reports being asked, "it remains unclear whether", "has not said whether", "could face the death penalty", a
# report not confirmed), phrased by the rules, needs a detector logit EXPLICIT_MARGIN lower.
EXPLICIT_MARGIN = 1.5
SAME_MATTER = 0.6  # share of content words two evidence sentences have in common to state one matter


def sentence_scans(sentences: Sequence[str]) -> list[Scan]:
    """What the cue rules make of each sentence (``briefing.analyse.issues.rules.scan_sentence``)."""
    return [scan_sentence(i, sentences) for i in range(len(sentences))]


def rule_features(sentences: Sequence[str]) -> list[list[str]]:
    """The rule features of each sentence (the cue families and wh-anchors found, whether an issue was phrased)."""
    return [scan.rules for scan in sentence_scans(sentences)]


def article_features(sentences: Sequence[str], detector: Detector | None = None) -> list[dict[str, float]]:
    """The detector's features of each sentence of an article (``briefing.analyse.issues.detect.sentence_features``)."""
    return detector_features(sentences, sentence_scans(sentences),
                             detector.factuality if detector else _default_factuality())


def _default_factuality() -> Factuality | None:
    det = default_detector()
    return det.factuality if det else None


def detector_features(sentences: Sequence[str], scans: Sequence[Scan], factuality: Factuality | None
                      ) -> list[dict[str, float]]:
    """The detector's features of each sentence, from the sentences' rule ``scans`` (``sentence_scans``)."""
    n = len(sentences)
    feats = [
        sentence_features(words_of(s[:MAX_SENTENCE_CHARS]), s[:MAX_SENTENCE_CHARS], i, n, scans[i].rules, factuality)
        for i, s in enumerate(sentences)
    ]
    return with_context(feats, [sc.rules for sc in scans])


def rule_issues(sentences: Sequence[str]) -> list[OpenIssue]:
    """The open issues the cue rules alone find (the extractor before the detector; its fallback without a model)."""
    found = [f for i in range(len(sentences)) if (sc := scan_sentence(i, sentences)).rule_kept for f in sc.found]
    return _dedupe(found, sentences, {})


def _dedupe(found: Sequence[Found], sentences: Sequence[str], questions: dict[int, str]) -> list[OpenIssue]:
    """One issue per topic head, in article order (``questions``: sentence index -> a question to use instead)."""
    issues: list[OpenIssue] = []
    seen_heads: set[str] = set()
    for f in found:
        if _generic(f.topic):
            continue  # "the issue", "details to be hammered out": nothing a reader could track
        head = topic_head(f.topic)
        if head in seen_heads:
            continue
        seen_heads.add(head)
        issues.append(OpenIssue(topic=f.topic, question=questions.get(f.index, f.question), evidence=sentences[f.index]))
        if len(issues) >= MAX_ISSUES:
            break
    return issues


def extract_open_issues(sentences: Sequence[str], detector: Detector | None = None) -> list[OpenIssue]:
    """Return the open issues stated in ``sentences``, in article order, duplicates merged.

    The evidence detector (``briefing.analyse.issues.detect``, the shipped model unless ``detector`` is given) decides
    which sentences state an open issue; the cue rules are among its features. Each evidence sentence's question
    is phrased from that sentence alone (``briefing.analyse.issues.questions``) and checked
    (``briefing.analyse.issues.questions.check_question``): a question that fails the checks is replaced by "" and the
    issue is kept for its evidence. Without a model file the rules decide (``rule_issues``).

    Args:
        sentences: the article's sentences (``briefing.analyse.sentences.split_sentences``), each verbatim.
        detector: a detector to use instead of the shipped one (training and tests).

    Returns:
        One ``OpenIssue`` per distinct unresolved matter; its ``evidence`` is one of ``sentences`` unchanged and its
        ``question`` ends with "?" or is "" (no well-formed question could be phrased from the evidence).
    """
    det = detector or default_detector()
    if det is None:
        return rule_issues(sentences)
    scans = sentence_scans(sentences)
    feats = detector_features(sentences, scans, det.factuality)
    logits = [det.logit(f) for f in feats]
    return assemble_issues(sentences, scans, logits, det.threshold)


def assemble_issues(sentences: Sequence[str], scans: Sequence[Scan], logits: Sequence[float],
                    threshold: float) -> list[OpenIssue]:
    """The issues of the sentences whose detector logit reaches ``threshold``: phrased, checked, deduplicated."""
    found: list[Found] = []
    questions: dict[int, str] = {}
    kept: list[int] = []
    for i, z in enumerate(logits):
        explicit = any(r in EXPLICIT_CUES for r in scans[i].rules) and bool(scans[i].found)
        if z < threshold - (EXPLICIT_MARGIN if explicit else 0.0):
            continue
        if _same_matter(i, kept, sentences):
            continue
        kept.append(i)
        previous = sentences[i - 1][:MAX_SENTENCE_CHARS] if i else ""
        text = sentences[i][:MAX_SENTENCE_CHARS]
        own = [f for f in scans[i].found if check_question(f.question, text, previous) is None]
        if own:
            found.extend(own)
            continue
        phrased = phrase_question(text, previous)
        question = phrased.question
        topic = ""
        if phrased.verb or phrased.subject:
            topic = topic_from_parse(Parse(phrased.subject, None, phrased.verb, phrased.rest, False))
        if not topic or topic.lower() in PRONOUNS:
            topic = scans[i].found[0].topic if scans[i].found else _topic_of(text)
        if question and check_question(question, text, previous) is not None:
            question = ""
        found.append(Found(i, 0, "detector", " ".join(topic.split()[:4]), question))
    return _dedupe(found, sentences, questions)


def _generic(topic: str) -> bool:
    return all(w in GENERIC_HEADS for w in topic.lower().split())


def _topic_of(sentence: str) -> str:
    """A topic for an evidence sentence the rules could not phrase: its first verb's noun, else its subject."""
    toks = tokens(sentence[:400])
    for t in toks[1:]:
        lem = matter_verb(t)
        if lem and not t[:1].isupper():
            return NOUN_OF[lem]
    return topic_from_np(toks) or "open issue"


_CONTENT = re.compile(r"[A-Za-z][\w'’\-]+")


def _content_words(sentence: str) -> set[str]:
    return {w.lower() for w in _CONTENT.findall(sentence) if w.lower() not in STOP and w.lower() not in AUX
            and w.lower() not in PREPOSITIONS and len(w) > 2}


def _same_matter(i: int, kept: Sequence[int], sentences: Sequence[str]) -> bool:
    """True when sentence ``i`` restates a kept evidence sentence (most of its content words)."""
    words = _content_words(sentences[i])
    if not words:
        return False
    return any(containment(words, other) >= SAME_MATTER for k in kept if (other := _content_words(sentences[k])))

