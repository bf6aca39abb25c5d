"""A story's open issues: merged across its articles, settled ones dropped, ranked and capped.

``cap_issues(story, n)`` is applied to each story after it is built (``briefing.assemble.assemble_brief``):

1. *Candidates*: every issue of every article of the story that has a question (an issue kept only for its
   evidence, question "", is not listed in the story).
2. *Merge*: issues of different articles that ask the same thing (their questions share most content words, or
   their evidence sentences do, or they have the same topic and similar questions) are one issue, listed with
   every evidence sentence and outlet (``StoryIssue.sources``); its question is the one of the most confident.
3. *Settled*: an issue is dropped when a sentence of the story reports the matter decided (a factual sentence
   with a past-tense decision verb, no modal, negation or future cue, that shares the issue's verb and most of its
   content words): "Tsarnaev was sentenced to death" settles "Will the court sentence Tsarnaev to death?".
4. *Rank and cap*: by the detector's confidence in the evidence sentence plus the salience of the story's actors
   named in the issue (their share of the story's actor mentions); the first ``n`` are kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing.analyse.issues import article_features
from briefing.analyse.issues.detect import Detector, default_detector
from briefing.analyse.issues.wordlists import RULE_WORDS, word_class
from briefing.models import OpenIssue, Story
from briefing.words import similarity

SALIENCE_WEIGHT = 0.3  # weight of actor salience against the detector's confidence (0-1) in the ranking
# Similarity (briefing.words, Jaccard) of the content words of two questions to be one issue (Dice 0.6), of two
# evidence sentences (Dice 0.8), and of two questions when their topics are equal (Dice 0.4).
SAME_QUESTION = 3 / 7
SAME_EVIDENCE = 2 / 3
SAME_TOPIC_QUESTION = 1 / 4
SETTLED_OVERLAP = 0.6  # share of an issue's content words a settling sentence must contain

_STOP = word_class(RULE_WORDS, "merge_stop")
_WORD = re.compile(r"[A-Za-z][\w'’\-]*")
_SETTLE = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:formally\s+|officially\s+|finally\s+)?(?:sentenced|"
    r"convicted|acquitted|elected|appointed|named|approved|rejected|signed|confirmed|found\s+guilty|found|charged|"
    r"released|freed|extradited|executed|identified|chosen|selected|re-?elected|passed|adopted|ratified|"
    r"cancell?ed|dismissed|fired|hired|indicted)\b|\b(?:has|have|had)\s+(?:now\s+|finally\s+)?(?:decided|ruled|"
    r"agreed|voted|signed|announced|confirmed|accepted|rejected|approved|resigned|won|chosen|named|paid|sold|bought)\b|"
    r"\b(?:decided|ruled|voted|resigned|announced|confirmed|accepted|rejected|approved|won|paid|sentenced|"
    r"convicted|acquitted|agreed)\b",
    re.IGNORECASE,
)
_OPEN_MARK = re.compile(r"\b(?:will|would|could|may|might|should|can|shall|whether|if|unless|not|n't|never|yet|"
                        r"expected|due|plans?|set\s+to|likely|possible|could|reportedly|allegedly|unclear)\b|\?",
                        re.IGNORECASE)


@dataclass(frozen=True)
class StoryIssue(OpenIssue):
    """An open issue of a story, with every article's evidence for it.

    ``sources``: one ``{"outlet": ..., "evidence": ...}`` per article that states it (the first is ``evidence``).
    ``score``: its ranking score (confidence + salience).
    """

    sources: tuple[dict[str, str], ...] = ()
    score: float = 0.0


def _content(text: str) -> frozenset[str]:
    out = set()
    for w in _WORD.findall(text):
        low = w.lower().rstrip("'’s") if w.lower().endswith(("'s", "’s")) else w.lower()
        if low not in _STOP and len(low) > 2:
            out.add(low[:-1] if low.endswith("s") and len(low) > 4 else low)
    return frozenset(out)


def _alike(a: frozenset[str], b: frozenset[str], threshold: float) -> bool:
    return bool(a and b) and similarity(a, b) >= threshold


@dataclass
class _Candidate:
    issue: OpenIssue
    outlet: str
    confidence: float
    question_words: frozenset[str]
    evidence_words: frozenset[str]
    article: int
    sources: list[dict[str, str]]


def _same(a: _Candidate, b: _Candidate) -> bool:
    if _alike(a.question_words, b.question_words, SAME_QUESTION):
        return True
    if a.issue.evidence == b.issue.evidence or _alike(a.evidence_words, b.evidence_words, SAME_EVIDENCE):
        return True
    return a.issue.topic.lower() == b.issue.topic.lower() and _alike(a.question_words, b.question_words, SAME_TOPIC_QUESTION)


def merge_story_issues(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Candidates of different articles that ask the same thing, kept once (the most confident leads)."""
    kept: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: -c.confidence):
        for k in kept:
            if k.article != c.article and _same(k, c):
                if all(s["evidence"] != c.issue.evidence for s in k.sources):
                    k.sources.append({"outlet": c.outlet, "evidence": c.issue.evidence})
                break
        else:
            kept.append(c)
    return kept


def settled_by(issue: OpenIssue, sentences: Sequence[str]) -> str | None:
    """A sentence of ``sentences`` that reports ``issue`` decided, or None."""
    words = _content(issue.question) | _content(issue.topic)
    if len(words) < 2:
        return None
    for s in sentences:
        if s == issue.evidence or _OPEN_MARK.search(s) or not _SETTLE.search(s):
            continue
        if len(words & _content(s)) / len(words) >= SETTLED_OVERLAP:
            return s
    return None


def _salience(text: str, story: Story) -> float:
    total = sum(a.mentions for a in story.actors)
    if not total:
        return 0.0
    share = 0.0
    for a in story.actors:
        names = [a.name, *a.aliases]
        last = a.name.split()[-1] if a.type == "person" else ""
        if any(n and n in text for n in names) or (len(last) > 2 and re.search(r"\b" + re.escape(last) + r"\b", text)):
            share += a.mentions / total
    return min(1.0, share * 3)


def _outlet(story: Story, k: int) -> str:
    analysis = story.analyses[k]
    if analysis.article.outlet:
        return analysis.article.outlet
    if k < len(story.sources):
        got = story.sources[k].get("outlet") or story.sources[k].get("name")
        if got:
            return str(got)
    return analysis.article.source


def cap_issues(story: Story, n: int, detector: Detector | None = None) -> Story:
    """``story`` with at most ``n`` open issues: merged across articles, settled ones dropped, best first."""
    det = detector or default_detector()
    candidates: list[_Candidate] = []
    all_sentences: list[str] = []
    for k, analysis in enumerate(story.analyses):
        sentences = list(analysis.sentences)
        all_sentences.extend(sentences)
        outlet = _outlet(story, k)
        confidences = _confidences(analysis.open_issues, sentences, det)
        for issue, conf in zip(analysis.open_issues, confidences, strict=True):
            if not issue.question:
                continue
            candidates.append(_Candidate(issue, outlet, conf, _content(issue.question), _content(issue.evidence), k,
                                         [{"outlet": outlet, "evidence": issue.evidence}]))
    if not story.analyses:  # a story built without analyses: cap what it has
        return replace(story, open_issues=tuple(story.open_issues[:n]))
    merged = merge_story_issues(candidates)
    open_ones = [c for c in merged if settled_by(c.issue, all_sentences) is None]
    scored = [(c.confidence + SALIENCE_WEIGHT * _salience(c.issue.question + " " + c.issue.evidence, story), c)
              for c in open_ones]
    scored.sort(key=lambda t: -t[0])
    out = tuple(
        StoryIssue(topic=c.issue.topic, question=c.issue.question, evidence=c.issue.evidence, status=c.issue.status,
                   sources=tuple(c.sources), score=round(s, 4))
        for s, c in scored[: max(0, n)]
    )
    return replace(story, open_issues=out)


def _confidences(issues: Sequence[OpenIssue], sentences: Sequence[str], det: Detector | None) -> list[float]:
    """The detector's confidence in each issue's evidence sentence (0.5 without a model)."""
    if det is None or not issues:
        return [0.5] * len(issues)
    index = {s: i for i, s in enumerate(sentences)}
    feats = article_features(sentences, det) if any(i.evidence in index for i in issues) else []
    return [det.confidence(feats[index[i.evidence]]) if i.evidence in index else 0.5 for i in issues]
