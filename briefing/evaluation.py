"""Evaluation of open-issue extraction, shared by ``bench/issues_eval.py``, ``tools/train_issues.py`` and the tests.

The matching rule is the one of ``tests/data/open_issues/GUIDELINE.md``: a predicted issue matches a gold issue
of the same article when its evidence sentence is one of the gold issue's evidence sentences (a sentence prefix
contained in it, or, for the ECB+ set, the sentence of the gold line) and, for the strict score, their topics
share a word stem. Matching is one-to-one and greedy in prediction order.

It also holds the ECB+ helpers: reading the tokenised documents, turning a tokenised line back into plain text
(what the product sees) and the inter-annotator agreement figures of the annotated set.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.models import OpenIssue

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "open_issues"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
ECBPLUS_SET = DATA / "ecbplus.json"  # the annotated ECB+ documents in evaluation form (adjudicated shared 30)

_STOP = frozenset("the a an of in on to for and or by with at from its his her their our this that s".split())


# --- ECB+ text ----------------------------------------------------------------------------------------------

_NO_SPACE_BEFORE = frozenset(".,;:!?%)]}") | {"''", "”", "n't", "'s", "'re", "'ve", "'m", "'ll", "'d", "'", "...", "’"}
_NO_SPACE_AFTER = frozenset("([{$") | {"``", "“", "‘"}


def detokenise(line: str) -> str:
    """Plain text from an ECB+ tokenised line ("He said : `` no . ''" -> 'He said: "no."')."""
    out: list[str] = []
    glue = True  # no space before the next token
    opened = False  # inside a straight double quote
    for tok in line.split():
        low = tok.lower()
        if tok == '"':
            if opened:
                out.append('"')
                glue = False
            else:
                out.append(("" if glue else " ") + '"')
                glue = True
            opened = not opened
            continue
        text = {"``": '"', "''": '"'}.get(tok, tok)
        if low in _NO_SPACE_BEFORE or glue:
            out.append(text)
        else:
            out.append(" " + text)
        glue = tok in _NO_SPACE_AFTER
    return "".join(out).strip()


def load_ecbplus(path: Path) -> dict[str, list[str]]:
    """doc id -> its tokenised lines (one sentence per line), from ``ecbplus_docs.jsonl``."""
    docs: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            docs[d["doc"]] = d["text"].split("\n")
    return docs


def ecbplus_path(shared: Path = DEFAULT_SHARED) -> Path:
    return shared / "ecbplus" / "ecbplus_docs.jsonl"


# --- matching -----------------------------------------------------------------------------------------------


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z\-]*", text.lower().replace("'s", "").replace("’s", ""))
    return {w for w in words if w not in _STOP and len(w) >= 3}


def topic_compatible(predicted: str, gold: Iterable[str]) -> bool:
    """True when a word of ``predicted`` and a gold topic word are equal or share a stem (prefix, >= 4 letters)."""
    pred = _stems(predicted)
    for g in gold:
        for a in _stems(g):
            for b in pred:
                short, long_ = sorted((a, b), key=len)
                if a == b or (len(short) >= 4 and long_.startswith(short)):
                    return True
    return False


def evidence_hit(evidence: str, gold: Mapping[str, Any], sentences: Sequence[str] | None = None) -> bool:
    """True when ``evidence`` is one of the gold issue's evidence sentences.

    Gold evidence items are sentence prefixes (str, matched as a substring) or ``{"line": n, ...}`` (the n-th of
    ``sentences``, compared whole).
    """
    for e in gold["evidence"]:
        if isinstance(e, str):
            if e in evidence:
                return True
        elif sentences is not None and 0 <= e["line"] < len(sentences) and sentences[e["line"]] == evidence:
            return True
    return False


def match(pred: Sequence[OpenIssue], gold: Sequence[Mapping[str, Any]], use_topic: bool = True,
          sentences: Sequence[str] | None = None) -> tuple[int, list[OpenIssue], list[Mapping[str, Any]]]:
    """Greedy one-to-one matching; returns (true positives, unmatched predictions, unmatched gold)."""
    left = list(gold)
    fps: list[OpenIssue] = []
    tp = 0
    for p in pred:
        for g in left:
            if evidence_hit(p.evidence, g, sentences) and (
                not use_topic or topic_compatible(p.topic, [g["topic"], *g.get("topics", [])])
            ):
                left.remove(g)
                tp += 1
                break
        else:
            fps.append(p)
    return tp, fps, left


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Counts:
    """Counts behind the scores of one set."""

    tp: int = 0  # strict (evidence and topic)
    etp: int = 0  # evidence only
    pred: int = 0
    gold: int = 0
    stp: int = 0  # sentence level: predicted evidence sentences that are gold evidence
    spred: int = 0
    sgold: int = 0
    questions: int = 0  # issues whose question is shown (passed the checks)
    checked: int = 0  # issues whose question was checked (phrased by the extractor)

    def add(self, other: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def gold_lines(issues: Sequence[Mapping[str, Any]], sentences: Sequence[str]) -> set[int]:
    """Indices of the sentences that are evidence of some gold issue."""
    out: set[int] = set()
    for g in issues:
        for e in g["evidence"]:
            if isinstance(e, str):
                out.update(i for i, s in enumerate(sentences) if e in s)
            else:
                out.add(e["line"])
    return out


def score_article(pred: Sequence[OpenIssue], gold: Sequence[Mapping[str, Any]], sentences: Sequence[str]) -> Counts:
    """Issue-level (strict and evidence-only) and sentence-level counts for one article."""
    tp, _, _ = match(pred, gold, True, sentences)
    etp, _, _ = match(pred, gold, False, sentences)
    lines = gold_lines(gold, sentences)
    index = {s: i for i, s in enumerate(sentences)}
    plines = {index[p.evidence] for p in pred if p.evidence in index}
    return Counts(tp=tp, etp=etp, pred=len(pred), gold=len(gold), stp=len(plines & lines), spred=len(plines),
                  sgold=len(lines))


# --- inter-annotator agreement ------------------------------------------------------------------------------


def line_labels(issues: Sequence[Mapping[str, Any]], n: int) -> list[int]:
    """1 for each of ``n`` lines that is evidence of one of ``issues``, else 0."""
    lines = {e["line"] for i in issues for e in i["evidence"]}
    return [int(k in lines) for k in range(n)]


def cohen_kappa(x: Sequence[int], y: Sequence[int]) -> float:
    n = len(x)
    po = sum(a == b for a, b in zip(x, y, strict=True)) / n
    px, py = sum(x) / n, sum(y) / n
    pe = px * py + (1 - px) * (1 - py)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def fleiss_kappa(labels: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa of binary labels: ``labels[r][i]`` is rater r's label of item i."""
    k, n = len(labels), len(labels[0])
    counts = [sum(r[i] for r in labels) for i in range(n)]
    p1 = sum(counts) / (n * k)
    pe = p1 ** 2 + (1 - p1) ** 2
    pbar = sum(c * (c - 1) + (k - c) * (k - c - 1) for c in counts) / (n * k * (k - 1))
    return (pbar - pe) / (1 - pe) if pe < 1 else 1.0


def binary_f1(x: Sequence[int], y: Sequence[int]) -> float:
    tp = sum(a and b for a, b in zip(x, y, strict=True))
    return 2 * tp / (sum(x) + sum(y)) if sum(x) + sum(y) else 1.0


def issue_agreement(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]], use_topic: bool) -> int:
    """Issues of ``a`` matched one-to-one to issues of ``b``: a shared evidence line (and compatible topics)."""
    left = list(b)
    tp = 0
    for p in a:
        lines = {e["line"] for e in p["evidence"]}
        for g in left:
            if lines & {e["line"] for e in g["evidence"]} and (
                not use_topic or topic_compatible(" ".join([p["topic"], *p.get("topics", [])]),
                                                  [g["topic"], *g.get("topics", [])])
            ):
                left.remove(g)
                tp += 1
                break
    return tp


def agreement(annotations: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]], docs: Sequence[str],
              lengths: Mapping[str, int]) -> dict[str, Any]:
    """Agreement of the annotators on ``docs``: pairwise sentence-level F1 and Cohen's kappa, Fleiss' kappa,
    pairwise issue-level F1 (strict and evidence-only). ``annotations[annotator][doc]`` is that doc's issues."""
    names = sorted(annotations)
    labels = {a: [x for d in docs for x in line_labels(annotations[a][d], lengths[d])] for a in names}
    out: dict[str, Any] = {"lines": len(labels[names[0]]), "evidence_lines": {a: sum(labels[a]) for a in names},
                           "issues": {a: sum(len(annotations[a][d]) for d in docs) for a in names}, "pairs": {}}
    for a, b in itertools.combinations(names, 2):
        na, nb = out["issues"][a], out["issues"][b]
        strict = sum(issue_agreement(annotations[a][d], annotations[b][d], True) for d in docs)
        loose = sum(issue_agreement(annotations[a][d], annotations[b][d], False) for d in docs)
        out["pairs"][f"{a}-{b}"] = {
            "line_f1": binary_f1(labels[a], labels[b]), "kappa": cohen_kappa(labels[a], labels[b]),
            "issue_f1": 2 * strict / (na + nb) if na + nb else 1.0,
            "issue_f1_evidence": 2 * loose / (na + nb) if na + nb else 1.0,
        }
    out["fleiss"] = fleiss_kappa([labels[a] for a in names])
    return out


def adjudicate(issue_sets: Sequence[Sequence[Mapping[str, Any]]], min_votes: int = 2) -> list[dict[str, Any]]:
    """One adjudicated issue list from several annotators' issues of one document.

    Issues of different annotators that share an evidence line are one cluster (transitively); a cluster marked by
    at least ``min_votes`` annotators is kept. Its evidence: the lines at least ``min_votes`` annotators gave for
    it (all its lines when none has that many), most explicit first as the first annotator ordered them; its
    topic and question: those of the first annotator's issue; its other topics: every topic word the annotators
    gave.
    """
    items = [(r, i) for r, issues in enumerate(issue_sets) for i in issues]
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in itertools.combinations(range(len(items)), 2):
        if items[x][0] != items[y][0] and ({e["line"] for e in items[x][1]["evidence"]}
                                            & {e["line"] for e in items[y][1]["evidence"]}):
            parent[find(x)] = find(y)
    clusters: dict[int, list[int]] = {}
    for x in range(len(items)):
        clusters.setdefault(find(x), []).append(x)
    out: list[tuple[int, dict[str, Any]]] = []
    for members in clusters.values():
        raters = {items[m][0] for m in members}
        if len(raters) < min_votes:
            continue
        votes: dict[int, set[int]] = {}
        prefixes: dict[int, str] = {}
        order: list[int] = []
        for m in sorted(members, key=lambda m: items[m][0]):
            for e in items[m][1]["evidence"]:
                votes.setdefault(e["line"], set()).add(items[m][0])
                prefixes[e["line"]] = e["prefix"]
                if e["line"] not in order:
                    order.append(e["line"])
        lines = [ln for ln in order if len(votes[ln]) >= min_votes] or order
        first = items[min(members, key=lambda m: (items[m][0], m))][1]
        topics: list[str] = []
        for m in members:
            for t in [items[m][1]["topic"], *items[m][1].get("topics", [])]:
                if t not in topics and t != first["topic"]:
                    topics.append(t)
        out.append((min(lines), {
            "topic": first["topic"], "topics": topics, "question": first["question"],
            "evidence": [{"line": ln, "prefix": prefixes[ln]} for ln in lines],
            "annotators": len(raters),
        }))
    return [issue for _, issue in sorted(out, key=lambda t: t[0])]


def load_set(path: Path = ECBPLUS_SET) -> list[dict[str, Any]]:
    """The articles of an evaluation set file."""
    return list(json.loads(path.read_text(encoding="utf-8"))["articles"])


def ecbplus_sentences(article: Mapping[str, Any], docs: Mapping[str, Sequence[str]]) -> list[str]:
    """The plain-text sentences of an ECB+ article (one per tokenised line, so line numbers are kept)."""
    return [detokenise(line) for line in docs[article["doc"]]]


def locate(article: Mapping[str, Any], shared: Path = DEFAULT_SHARED) -> Path | None:
    """Where the text of an article of the older sets (gold.json, heldout*.json, seed.json) is, or None."""
    if article["corpus"] == "bbc":
        path = shared / "bbc-dev" / "News Articles" / article["file"]
    elif article["corpus"] == "seed":
        path = DATA / "seed" / article["file"]
    else:
        path = DATA / "wikinews" / Path(article["file"]).name
    return path if path.exists() else None


def old_set(name: str, shared: Path = DEFAULT_SHARED) -> list[tuple[dict[str, Any], list[str]]]:
    """(article, sentences) of an older set file ("gold.json", "heldout4.json", ...) whose text is available."""
    from briefing.analyse.sentences import split_sentences

    out = []
    for art in json.loads((DATA / name).read_text(encoding="utf-8"))["articles"]:
        path = locate(art, shared)
        if path is not None:
            out.append((art, split_sentences(read_article_text(path))))
    return out


def read_article_text(path: Path) -> str:
    """The text of a plain-text article file as the folder reader keeps it: decoded, header block split off,
    artefact lines and hard wraps cleaned (for tests and benchmarks that need an article's text, not an Article)."""
    from briefing.clean import clean_text, decode
    from briefing.ingest.folder import split_header

    return clean_text(split_header(decode(path.read_bytes(), path.name))[1])
