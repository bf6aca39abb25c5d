"""Build the open-issue evaluation set and train the models that ship in briefing/data/issues_model.json.

Subcommands (from the repository root; ../shared/data must be present):

    python tools/train_issues.py data     # agreement on the shared 30, the adjudicated file, tests/data/open_issues/ecbplus.json
    python tools/train_issues.py train    # train the factuality model and the evidence detector, write the model file
    python tools/train_issues.py lemmas   # rebuild briefing/data/verb_lemmas.tsv (verb forms and lemmas of UD-EWT)

``data``: reads the three annotators' files (tests/data/open_issues/annotated/{A,B,C}.json) and the fixed split
(tests/data/open_issues/batches.json); prints the agreement on the 30 shared documents; writes
``annotated/adjudicated.json`` (the shared 30: issues marked by at least 2 of 3 annotators, evidence lines given by
at least 2) and ``ecbplus.json`` (every annotated document once, with its split: the adjudicated issues for the
shared 30, the single annotator's for the others).

``train``:
1. Factuality (UDS-IH2, ../shared/data/factuality/uds-ih2, joined with the UD-EWT sentences in
   ../shared/data/ud-ewt): for each annotated predicate, the label "happened" (the annotators' confidence-weighted
   mean of factual = 1 above one half) and features of the predicate word and the words around it
   (``briefing.analyse.issues.detect.predicate_features``); a logistic regression (numpy, L2) trained on EWT train,
   its accuracy printed on EWT dev and test.
2. The evidence detector: a logistic regression over sentence features (``briefing.analyse.issues.detect.sentence_features``:
   the rule cues of briefing.analyse.issues.cues as features, words, the cue lexicon, modality, negation, tense, reported
   speech, question marks, position, the factuality score). Trained on the ECB+ train split (the sentences that
   are evidence of some gold issue are the positives), plus the 15 Wikinews articles of gold.json and the seed
   article (weighted 3: they are the product's kind of news); the L2 strength and the decision threshold are chosen on
   out-of-fold predictions on train (5 folds by document) pooled with the dev split (the threshold with the best
   issue-level evidence F1 at precision >= 0.7 when there is one; the older sets gold.json and heldout 1-3 are
   printed alongside as an out-of-domain check, not used to choose).
   The test split is not read.

The optimiser is deterministic (full-batch gradient descent with a fixed schedule), so the same data give the same
weights.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from briefing.analyse.issues import detect as issues_detect
from briefing.evaluation import (
    DATA,
    DEFAULT_SHARED,
    ECBPLUS_SET,
    adjudicate,
    agreement,
    ecbplus_path,
    ecbplus_sentences,
    load_ecbplus,
    load_set,
)

ANNOTATED = DATA / "annotated"
EXTRA_WEIGHT = 3.0  # weight of the Wikinews and seed training articles (the product's kind of news) against ECB+
MIN_PRECISION = 0.7  # the threshold is the one with the best evidence F1 at this precision (pooled train OOF + dev)
MODEL = issues_detect.MODEL_PATH


# --- data ---------------------------------------------------------------------------------------------------


def build_data(shared: Path) -> None:
    docs = load_ecbplus(ecbplus_path(shared))
    batches = json.loads((DATA / "batches.json").read_text(encoding="utf-8"))
    ann = {a: {x["doc"]: x["issues"] for x in json.loads((ANNOTATED / f"{a}.json").read_text(encoding="utf-8"))["articles"]}
           for a in ("A", "B", "C")}
    shared_ids = batches["shared"]
    lengths = {d: len(docs[d]) for d in docs}
    ag = agreement(ann, shared_ids, lengths)
    print(f"shared {len(shared_ids)} documents, {ag['lines']} sentence lines; evidence lines {ag['evidence_lines']}; "
          f"issues {ag['issues']}")
    for pair, v in ag["pairs"].items():
        print(f"  {pair}: sentence F1 {v['line_f1']:.3f}  Cohen's kappa {v['kappa']:.3f}  "
              f"issue F1 {v['issue_f1']:.3f} (evidence only {v['issue_f1_evidence']:.3f})")
    print(f"  Fleiss' kappa (3 annotators, sentence-level evidence labels): {ag['fleiss']:.3f}")
    adjudicated = []
    for d in shared_ids:
        adjudicated.append({"corpus": "ecbplus", "doc": d, "issues": adjudicate([ann[a][d] for a in ("A", "B", "C")])})
    n_adj = sum(len(a["issues"]) for a in adjudicated)
    print(f"adjudicated: {n_adj} issues in {len(adjudicated)} documents")
    (ANNOTATED / "adjudicated.json").write_text(json.dumps({
        "annotator": "adjudicated (A, B, C)",
        "rule": "issues of different annotators sharing an evidence line form one cluster; kept when marked by at "
                "least 2 of 3; evidence = lines at least 2 gave (all its lines when none); topic and question of "
                "the first annotator (A, B, C order) in the cluster; topics = all topic words given",
        "articles": adjudicated}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    split = batches["split"]
    articles: list[dict[str, Any]] = []
    for a in adjudicated:
        articles.append({**a, "split": split[a["doc"]], "annotator": "adjudicated"})
    for who in ("A", "B", "C"):
        for d in batches[who]:
            articles.append({"corpus": "ecbplus", "doc": d, "split": split[d], "annotator": who, "issues": [
                {k: i[k] for k in ("topic", "topics", "question", "evidence")} for i in ann[who][d]]})
    articles.sort(key=lambda a: a["doc"])
    counts = Counter(a["split"] for a in articles)
    issues = Counter()
    for a in articles:
        issues[a["split"]] += len(a["issues"])
    ECBPLUS_SET.write_text(json.dumps({
        "source": "ECB+ (Cybulska & Vossen 2014), CC BY 3.0; annotations: tests/data/open_issues/annotated/",
        "note": "evidence lines are 0-based lines of the tokenised text in ecbplus_docs.jsonl; the shared 30 carry "
                "the adjudicated issues; split fixed by crc32(doc) % 10 before annotation (batches.json)",
        "articles": articles}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {ECBPLUS_SET.relative_to(DATA.parents[2])}: documents {dict(counts)}, issues {dict(issues)}")


# --- logistic regression over sparse binary/real features ---------------------------------------------------


class Sparse:
    """Rows of (feature index, value) pairs, as flat arrays."""

    def __init__(self, rows: Sequence[dict[int, float]], n_features: int) -> None:
        self.n_rows = len(rows)
        self.n_features = n_features
        self.row = np.fromiter((r for r, row in enumerate(rows) for _ in row), dtype=np.int64)
        self.col = np.fromiter((c for row in rows for c in row), dtype=np.int64)
        self.val = np.fromiter((v for row in rows for v in row.values()), dtype=np.float64)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.row, weights=w[self.col] * self.val, minlength=self.n_rows)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.col, weights=g[self.row] * self.val, minlength=self.n_features)


def fit_logistic(x: Sparse, y: np.ndarray, l2: float, weights: np.ndarray | None = None,
                 iterations: int = 400) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Adam on the full batch (deterministic). Returns (w, bias)."""
    w = np.zeros(x.n_features)
    b = 0.0
    sw = weights if weights is not None else np.ones(len(y))
    total = float(sw.sum())
    m = np.zeros(x.n_features + 1)
    v = np.zeros(x.n_features + 1)
    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        z = x.dot(w) + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        g = (p - y) * sw / total
        grad = np.concatenate([x.tdot(g) + l2 * w, [g.sum()]])
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        step = lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
        w -= step[:-1]
        b -= float(step[-1])
    return w, b


def vectorise(feats: Sequence[dict[str, float]], vocab: dict[str, int] | None, min_count: int = 2
              ) -> tuple[Sparse, dict[str, int]]:
    if vocab is None:
        counts = Counter(k for f in feats for k in f)
        vocab = {k: i for i, k in enumerate(sorted(k for k, c in counts.items() if c >= min_count))}
    rows = [{vocab[k]: v for k, v in f.items() if k in vocab} for f in feats]
    return Sparse(rows, len(vocab)), vocab


# --- factuality (UDS-IH2 x UD-EWT) --------------------------------------------------------------------------


def read_conllu(path: Path, part: str) -> dict[str, list[str]]:
    """EWT sentence id ("ewt-train-12", 1-based order in the file) -> its word forms."""
    out: dict[str, list[str]] = {}
    words: list[str] = []
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if words:
                n += 1
                out[f"ewt-{part}-{n}"] = words
                words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                words.append(cols[1])
    if words:
        out[f"ewt-{part}-{n + 1}"] = words
    return out


def factuality_data(shared: Path) -> dict[str, list[tuple[dict[str, float], int]]]:
    sents: dict[str, list[str]] = {}
    for part in ("train", "dev", "test"):
        sents.update(read_conllu(shared / "ud-ewt" / f"en_ewt-ud-{part}.conllu", part))
    data = json.loads((shared / "factuality" / "uds-ih2" / "factuality.json").read_text(encoding="utf-8"))["data"]
    out: dict[str, list[tuple[dict[str, float], int]]] = {"train": [], "dev": [], "test": []}
    missing = 0
    for sid, preds in data.items():
        words = sents.get(sid)
        if words is None:
            missing += 1
            continue
        part = sid.split("-")[1]
        for key, ann in preds.items():
            tok = int(key.rsplit("-", 1)[1]) - 1
            f = ann["factuality"]["factual"]
            vals, confs = f["value"], f["confidence"]
            score = sum((2 * vals[a] - 1) * (confs.get(a, 2) + 1) for a in vals) / max(
                1, sum(confs.get(a, 2) + 1 for a in vals))
            if 0 <= tok < len(words):
                out[part].append((issues_detect.predicate_features(words, tok), int(score > 0)))
    if missing:
        print(f"factuality: {missing} UDS sentences not found in EWT", file=sys.stderr)
    return out


def train_factuality(shared: Path) -> dict[str, Any]:
    t0 = time.time()
    data = factuality_data(shared)
    x, vocab = vectorise([f for f, _ in data["train"]], None, min_count=3)
    y = np.array([lab for _, lab in data["train"]], dtype=float)
    best: tuple[float, float, np.ndarray, float] | None = None
    for l2 in (1e-4, 3e-4, 1e-3):
        w, b = fit_logistic(x, y, l2, iterations=300)
        xd, _ = vectorise([f for f, _ in data["dev"]], vocab)
        yd = np.array([lab for _, lab in data["dev"]])
        acc = float(((xd.dot(w) + b > 0) == (yd == 1)).mean())
        print(f"factuality l2={l2:g}: dev accuracy {acc:.3f}")
        if best is None or acc > best[0]:
            best = (acc, l2, w, b)
    assert best is not None
    acc, l2, w, b = best
    xt, _ = vectorise([f for f, _ in data["test"]], vocab)
    yt = np.array([lab for _, lab in data["test"]])
    test_acc = float(((xt.dot(w) + b > 0) == (yt == 1)).mean())
    base = max(yt.mean(), 1 - yt.mean())
    print(f"factuality: {len(data['train'])} train predicates, {len(vocab)} features, l2 {l2:g}; "
          f"dev {acc:.3f}, test {test_acc:.3f} (majority {base:.3f}); {time.time() - t0:.0f} s")
    weights = {k: round(float(w[i]), 4) for k, i in vocab.items() if abs(w[i]) >= 1e-3}
    counts = Counter(k[2:] for f, _ in data["train"] for k in f if k.startswith("w="))
    predicates = sorted(w for w, c in counts.items() if c >= 2 and w.isalpha())
    return {"bias": round(b, 4), "weights": weights, "predicates": predicates, "l2": l2, "dev_accuracy": round(acc, 4),
            "test_accuracy": round(test_acc, 4), "majority_test": round(float(base), 4)}


# --- the evidence detector ----------------------------------------------------------------------------------


def split_articles(shared: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]]]:
    docs = load_ecbplus(ecbplus_path(shared))
    parts: dict[str, list[dict[str, Any]]] = {"train": [], "dev": [], "test": []}
    for a in load_set():
        parts[a["split"]].append(a)
    return parts, docs


class Prepared:
    """One article's sentences, rule scans, features and gold labels (computed once)."""

    def __init__(self, article: dict[str, Any], docs: dict[str, list[str]] | None, fact: issues_detect.Factuality,
                 sentences: list[str] | None = None) -> None:
        from briefing.analyse import issues
        from briefing.evaluation import gold_lines

        self.article = article
        self.sentences = sentences if sentences is not None else ecbplus_sentences(article, docs or {})
        self.scans = issues.sentence_scans(self.sentences)
        self.features = issues.detector_features(self.sentences, self.scans, fact)
        lines = gold_lines(article["issues"], self.sentences)
        self.labels = [int(i in lines) for i in range(len(self.sentences))]
        self.weight = 1.0


def _logits(model: tuple[np.ndarray, float, dict[str, int]], arts: Sequence[Prepared]) -> list[list[float]]:
    w, b, vocab = model
    return [[b + sum(w[vocab[k]] * v for k, v in f.items() if k in vocab) for f in a.features] for a in arts]


def _fit(arts: Sequence[Prepared], l2: float) -> tuple[np.ndarray, float, dict[str, int]]:
    x, vocab = vectorise([f for a in arts for f in a.features], None, min_count=2)
    y = np.array([lab for a in arts for lab in a.labels], dtype=float)
    sw = np.array([a.weight for a in arts for _ in a.labels])
    w, b = fit_logistic(x, y, l2, weights=sw, iterations=500)
    return w, b, vocab


def _evidence_score(arts: Sequence[Prepared], logits: Sequence[Sequence[float]], thr: float) -> tuple[float, float, float]:
    from briefing.analyse import issues
    from briefing.evaluation import Counts, score_article

    total = Counts()
    for a, z in zip(arts, logits, strict=True):
        pred = issues.assemble_issues(a.sentences, a.scans, z, thr)
        total.add(score_article(pred, a.article["issues"], a.sentences))
    p = total.etp / total.pred if total.pred else 1.0
    r = total.etp / total.gold if total.gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def train_detector(shared: Path, factuality: dict[str, Any], l2s: Sequence[float], folds: int = 5) -> dict[str, Any]:
    """Choose L2 and threshold on out-of-fold train predictions (by document) plus dev; fit on train."""
    fact = issues_detect.Factuality(factuality)
    parts, docs = split_articles(shared)
    t0 = time.time()
    train = [Prepared(a, docs, fact) for a in parts["train"]]
    dev = [Prepared(a, docs, fact) for a in parts["dev"]]
    from briefing.evaluation import old_set

    other = [Prepared(a, None, fact, sentences) for name in ("gold.json", "heldout.json", "heldout2.json",
                                                             "heldout3.json") for a, sentences in old_set(name, shared)
             if a["corpus"] == "bbc"]
    # news of the product's own kind, free to learn from: the Wikinews part of gold.json (CC BY 2.5) and the seed
    extra = [Prepared(a, None, fact, sentences) for name in ("gold.json", "seed.json")
             for a, sentences in old_set(name, shared) if a["corpus"] in ("wikinews", "seed")]
    for a in extra:
        a.weight = EXTRA_WEIGHT
    print(f"  also trained on {len(extra)} Wikinews and seed articles (weight {EXTRA_WEIGHT:g}); "
          f"{len(other)} BBC articles of the older sets are scored as an out-of-domain check only")
    print(f"detector: train {sum(len(a.labels) for a in train)} sentences ({sum(sum(a.labels) for a in train)} "
          f"evidence) in {len(train)} documents, dev {sum(len(a.labels) for a in dev)} "
          f"({sum(sum(a.labels) for a in dev)}) in {len(dev)}; features in {time.time() - t0:.0f} s")
    best: tuple[float, float, float] | None = None
    for l2 in l2s:
        oof: list[list[float]] = [[] for _ in train]
        for k in range(folds):
            model = _fit([a for j, a in enumerate(train) if j % folds != k] + extra, l2)
            held = [j for j in range(len(train)) if j % folds == k]
            for j, z in zip(held, _logits(model, [train[j] for j in held]), strict=True):
                oof[j] = z
        full = _fit(train + extra, l2)
        dev_logits = _logits(full, dev)
        other_logits = _logits(full, other)
        pool = train + dev
        pool_logits = oof + dev_logits
        flat = np.array([z for zs in pool_logits for z in zs])
        labels = np.array([lab for a in pool for lab in a.labels])
        print(f"  l2={l2:g}: sentence AUC out-of-fold+dev {_auc(flat, labels):.3f}")
        for thr in np.arange(-1.5, 1.51, 0.1):
            p, r, f1 = _evidence_score(pool, pool_logits, float(thr))
            dp, dr, df = _evidence_score(dev, dev_logits, float(thr))
            op, orr, of1 = _evidence_score(other, other_logits, float(thr))
            key = f1 + (1.0 if p >= MIN_PRECISION else 0.0)  # the best F1 at precision >= 0.7, if any
            mark = ""
            if best is None or key > best[0]:
                best = (key, l2, float(thr))
                mark = " *"
            print(f"    threshold {thr:+.2f}: evidence P={p:.3f} R={r:.3f} F1={f1:.3f}  (dev alone P={dp:.3f} "
                  f"R={dr:.3f} F1={df:.3f}; BBC old sets P={op:.3f} R={orr:.3f} F1={of1:.3f}){mark}")
    assert best is not None
    _, l2, thr = best
    w, b, vocab = _fit(train + extra, l2)
    weights = {k: round(float(w[i]), 4) for k, i in vocab.items() if abs(w[i]) >= 1e-3}
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:30]
    print(f"chosen l2 {l2:g}, threshold {thr:+.2f}; {len(weights)} weights")
    print("  strongest features: " + ", ".join(f"{k} {v:+.2f}" for k, v in top))
    return {"bias": round(b, 4), "weights": weights, "threshold": round(thr, 2), "l2": l2,
            "train_sentences": sum(len(a.labels) for a in train), "train_positives": sum(sum(a.labels) for a in train)}


def _auc(z: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(z)
    ranks = np.empty(len(z))
    ranks[order] = np.arange(1, len(z) + 1)
    npos = y.sum()
    nneg = len(y) - npos
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)) if npos and nneg else math.nan


def build_lemmas(shared: Path) -> None:
    """Verb and auxiliary forms of UD-EWT (all three files) with their commonest lemma and the Penn tags seen."""
    seen: dict[str, Counter[tuple[str, str]]] = {}
    for part in ("train", "dev", "test"):
        for line in (shared / "ud-ewt" / f"en_ewt-ud-{part}.conllu").read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) == 10 and cols[0].isdigit() and cols[3] in ("VERB", "AUX") and cols[1].isalpha() and (
                    len(cols[1]) > 1 and cols[1].lower() not in {"an", "the", "u", "ur", "im", "id"}):
                seen.setdefault(cols[1].lower(), Counter())[(cols[2].lower(), cols[4])] += 1
    out = ["# Verb forms of UD English-EWT (CC BY-SA 4.0, universaldependencies.org), built by "
           "tools/train_issues.py lemmas: form, lemma, Penn tags seen (B=VB D=VBD G=VBG N=VBN P=VBP Z=VBZ M=MD)"]
    letters = {"VB": "B", "VBD": "D", "VBG": "G", "VBN": "N", "VBP": "P", "VBZ": "Z", "MD": "M"}
    for form in sorted(seen):
        lemma = Counter({lem: n for (lem, _), n in seen[form].items()}).most_common(1)[0][0]
        tags = "".join(sorted({letters[t] for _, t in seen[form] if t in letters}))
        if tags:
            out.append(f"{form}\t{lemma}\t{tags}")
    path = issues_detect.MODEL_PATH.parent / "verb_lemmas.tsv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(out) - 1} forms)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("data", "train", "lemmas"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--l2", default="0.0003,0.001,0.003,0.01", help="comma-separated L2 strengths to try on dev")
    ap.add_argument("--words", choices=("closed", "all"), default=issues_detect.WORD_MODE)
    ap.add_argument("--keep-factuality", action="store_true", help="reuse the shipped factuality model")
    args = ap.parse_args()
    if args.command == "data":
        build_data(args.shared)
        return 0
    if args.command == "lemmas":
        build_lemmas(args.shared)
        return 0
    issues_detect.WORD_MODE = args.words
    if args.keep_factuality and MODEL.exists():
        factuality = json.loads(MODEL.read_text(encoding="utf-8"))["factuality"]
    else:
        factuality = train_factuality(args.shared)
    detector = train_detector(args.shared, factuality, [float(v) for v in args.l2.split(",")])
    MODEL.write_text(json.dumps({
        "about": "open-issue evidence detector and factuality model; built by tools/train_issues.py; "
                 "see briefing/data/README.md (sources, licences, figures)",
        "feature_version": issues_detect.FEATURE_VERSION, "word_mode": args.words,
        "factuality": factuality, "detector": detector}, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8")
    print(f"wrote {MODEL} ({MODEL.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
