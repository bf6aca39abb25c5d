"""Corroboration measured on a hand-marked check set (tests/data/corroboration/, README there).

32 story groups (23 from ECB+, 9 from the Wikinews same-event samples), marked by hand before the code
ran on them: for chosen sentences (facts), which other articles of the group confirm them, how many
independent reports that makes, who the sentence says asserts it; which articles are near-copies;
which articles give numbers for the same thing that disagree (and which pairs are unsure or
compatible). A third of the groups (by a hash of their id) is held out; parameters were chosen on
the rest. Reported, with a baseline in the same run:

- confirmations: precision and recall over (fact, confirming article) pairs; baseline: the
  near-identical sentence test that build_story uses to drop repeated facts (words.same_statement);
- independent reports: share of facts whose count is exactly the hand count, and mean absolute
  error; baseline: counting articles, near-copies not merged;
- near-copies: precision and recall over article pairs;
- discrepancies: precision and recall over (kind, article pair), unsure pairs ignored; recall also on
  the kinds the code reads (not magnitudes, clock times or other counts); baseline: any two numbers of
  the same kind that differ;
- attribution: precision and recall of attributed_to (a match shares the main words of the hand answer).

Usage:
    python bench/corroboration.py [--split dev|held-out|all] [--verbose]
    python bench/corroboration.py --build   # rebuild articles.jsonl from ../shared/data (once)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SHARED  # noqa: E402

CHECK_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "corroboration"
ECBPLUS = SHARED / "ecbplus" / "ecbplus_docs.jsonl"
WIKINEWS = SHARED / "samples"

# ---- building the check set's texts (run once; the texts are then part of the check set) ----

_DATE_LINE = re.compile(
    r"(?i)^(?:(?:first posted|updated|published|last updated)\b.*|.{0,40}\b(?:19|20)\d\d\b.{0,40})$"
)
_MONTH = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def detokenise(line: str, split_hyphens: bool = False) -> str:
    """ECB+ token-per-space text back to plain text (spaces before punctuation, quotes paired, numbers joined)."""
    s = line.replace("``", '"').replace("''", '"')
    s = re.sub(r" ([,.;:!?%)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    s = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)
    parts = s.split('"')
    out, opening = parts[0], True
    for part in parts[1:]:
        out = (out.rstrip(" ") + (" " if out.strip() else "") + '"' + part.lstrip(" ")) if opening else out.rstrip(" ") + '"' + part
        opening = not opening
    s = out
    if split_hyphens:  # ECB+ (the 2014 part) splits decimals, times, thousands, initials and hyphenated words
        s = re.sub(r"(\d)\. (\d)", r"\1.\2", s)
        s = re.sub(r"(\d): (\d)", r"\1:\2", s)
        s = re.sub(r"(\d), (\d{3})\b", r"\1,\2", s)
        s = re.sub(r"\b([A-Za-z])\. ([A-Za-z])\.", r"\1.\2.", s)
        s = re.sub(r"(?<=[a-z0-9]) - (?=[a-z0-9])", "-", s)
    return s.strip()


def _is_date_line(line: str) -> bool:
    """A dateline or time stamp of a web page ("Tue Jul 2, 2013 1:28PM GMT"), not a sentence."""
    words = line.split()
    return len(words) <= 12 and not line.rstrip().endswith(".") and bool(_DATE_LINE.match(line)) and bool(
        _MONTH.search(line) or re.search(r"\d+ ?/ ?\d+ ?/ ?\d+", line)
    )


def _ecb_article(doc: dict, limit: int) -> dict:
    lines = [line for line in doc["text"].split("\n") if line.strip()]
    plus = doc["subtopic"] == "ecbplus"
    url = None
    if lines and lines[0].startswith("http"):
        url = lines.pop(0).replace(" ", "")
    sentences = [detokenise(line, split_hyphens=plus) for line in lines]
    sentences = [s for s in sentences if s and not _is_date_line(s)]
    host = urlparse(url).netloc.removeprefix("www.") if url else ""
    return {"id": doc["doc"], "outlet": host or f"ECB+ {doc['doc'].removesuffix('.xml')}", "url": url,
            "sentences": sentences[:limit]}


def _wikinews_article(stem: str, limit: int) -> dict:
    from briefing.analyse.sentences import split_sentences

    path = next(WIKINEWS.glob(f"*/{stem}.txt"))
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return {"id": stem, "outlet": f"Wikinews ({meta.get('Date', '')})", "url": meta.get("Source"),
            "title": meta.get("Title"), "published": meta.get("Date"), "sentences": split_sentences(body)[:limit]}


def split_of(group_id: str) -> str:
    """A third of the groups is held out, chosen by a hash of the group's id (not by what it holds)."""
    return "held-out" if int(hashlib.sha1(group_id.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def build() -> None:
    """Write articles.jsonl from ECB+ and the Wikinews samples as selection.json says."""
    selection = json.loads((CHECK_SET / "selection.json").read_text(encoding="utf-8"))
    limits = selection["max_sentences"]
    docs = {}
    with open(ECBPLUS, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["doc"]] = d
    with open(CHECK_SET / "articles.jsonl", "w", encoding="utf-8") as out:
        for group in selection["groups"]:
            if "cluster" in group:
                topic, sub = group["cluster"].split("_")
                articles = [_ecb_article(docs[f"{topic}_{n}{sub}.xml"], limits["ecbplus"]) for n in group["docs"]]
                source = "ECB+ (CC BY 3.0)"
            else:
                articles = [_wikinews_article(stem, limits["wikinews"]) for stem in group["wikinews"]]
                source = "Wikinews (CC BY 2.5)"
            record = {"group": group["id"], "split": split_of(group["id"]), "source": source, "articles": articles}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# ---- evaluation ----

READ_KINDS = {"killed", "injured", "arrested", "money", "votes", "age", "date"}
_STOP = {"the", "a", "an", "of", "in", "at", "to", "and", "'s"}


def load(split: str) -> list[tuple[dict, dict]]:
    """(articles record, annotation record) of each group of the split."""
    articles = {}
    with open(CHECK_SET / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            g = json.loads(line)
            articles[g["group"]] = g
    out = []
    with open(CHECK_SET / "annotations.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            g = articles[a["group"]]
            if split == "all" or g["split"] == split:
                out.append((g, a))
    return out


def reports_of(group: dict) -> list:
    from briefing.assemble.claims import Report

    return [Report(tuple(a["sentences"]), (a["outlet"],), a.get("url"),
                   date.fromisoformat(a["published"]) if a.get("published") else None) for a in group["articles"]]


def _pr(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"P={p:.3f} R={r:.3f} (tp={tp} fp={fp} fn={fn})"


def _same_speaker(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted == gold
    words = lambda s: {w.strip(".,'’").lower() for w in s.split()} - _STOP  # noqa: E731
    p, g = words(predicted), words(gold)
    return bool(p and g) and (p <= g or g <= p or len(p & g) / len(p | g) >= 0.5)


def _components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in edges:
        parent[find(a)] = find(b)
    return [find(i) for i in range(n)]


def evaluate(split: str, verbose: bool = False) -> dict[str, str]:
    from briefing import words as words_module
    from briefing.assemble import corroborate

    groups = load(split)
    conf = Counter()
    base = Counter()
    indep_exact = indep_err = base_exact = base_err = facts_n = 0
    given_exact = given_err = given_base_exact = given_base_err = 0
    copies = Counter()
    disc = Counter()
    naive = Counter()
    attr = Counter()
    start = time.perf_counter()
    for g, a in groups:
        ids = [x["id"] for x in g["articles"]]
        pos = {x: k for k, x in enumerate(ids)}
        reports = reports_of(g)
        story = corroborate._Story(reports)
        # near-copies
        gold_pairs = {tuple(sorted((pos[x], pos[y]))) for s in a["copies"] for x in s for y in s if x != y}
        pred_groups = story.groups
        pred_pairs = {(i, j) for i in range(len(ids)) for j in range(i + 1, len(ids)) if pred_groups[i] == pred_groups[j]}
        copies.update(tp=len(gold_pairs & pred_pairs), fp=len(pred_pairs - gold_pairs), fn=len(gold_pairs - pred_pairs))
        # confirmations and independent reports
        for f in a["facts"]:
            own = pos[f["article"]]
            text = g["articles"][own]["sentences"][f["sentence"]]
            c = story.confirm(text, own)
            pred = set(c.articles)
            gold = {pos[x] for x in f["confirmed_by"]}
            conf.update(tp=len(pred & gold), fp=len(pred - gold), fn=len(gold - pred))
            words = words_module.word_set(text)
            near = {k for k, r in enumerate(reports) if k != own and any(
                words_module.same_statement(words, words_module.word_set(s)) for s in r.sentences)}
            base.update(tp=len(near & gold), fp=len(near - gold), fn=len(gold - near))
            facts_n += 1
            indep_exact += c.independent == f["independent"]
            indep_err += abs(c.independent - f["independent"])
            base_exact += (1 + len(pred)) == f["independent"]
            base_err += abs(1 + len(pred) - f["independent"])
            stating = [own, *gold]  # with the hand-marked confirmations: does the copy counting get it right?
            given = len({pred_groups[k] for k in stating})
            given_exact += given == f["independent"]
            given_err += abs(given - f["independent"])
            given_base_exact += len(stating) == f["independent"]
            given_base_err += abs(len(stating) - f["independent"])
            who = corroborate.attribution(text)
            gold_who = f["attributed_to"]
            if who is not None:
                attr["predicted"] += 1
                attr["correct"] += _same_speaker(who, gold_who)
            if gold_who is not None:
                attr["gold"] += 1
                attr["found"] += _same_speaker(who, gold_who)
            if verbose and (pred != gold or c.independent != f["independent"] or not _same_speaker(who, gold_who)):
                print(f"  [{g['group']}] fact {f['article']}[{f['sentence']}]: confirmed +{sorted(ids[k] for k in pred - gold)}"
                      f" -{sorted(ids[k] for k in gold - pred)} independent {c.independent} (gold {f['independent']})"
                      f" attributed {who!r} (gold {gold_who!r})")
        # discrepancies
        unsure = {(d["kind"], tuple(sorted((pos[d["a"][0]], pos[d["b"][0]])))) for d in a.get("unsure", []) if not d.get("all")}
        unsure_kinds = {d["kind"] for d in a.get("unsure", []) if d.get("all")}
        gold_d = {(d["kind"], tuple(sorted((pos[d["a"][0]], pos[d["b"][0]])))) for d in a["discrepancies"]}
        pred_d = {(d.kind, p) for d in corroborate.find_disagreements(reports) for p in d.pairs}
        scored = {p for p in pred_d if p not in unsure and p[0] not in unsure_kinds}
        disc.update(tp=len(scored & gold_d), fp=len(scored - gold_d), fn=len(gold_d - pred_d))
        disc.update(fn_read=len({p for p in gold_d - pred_d if p[0] in READ_KINDS}))
        naive_d = _naive_disagreements(reports)
        naive_scored = {p for p in naive_d if p not in unsure and p[0] not in unsure_kinds}
        naive.update(tp=len(naive_scored & gold_d), fp=len(naive_scored - gold_d), fn=len(gold_d - naive_d))
        if verbose:
            for kind, (i, j) in sorted(scored - gold_d):
                print(f"  [{g['group']}] FALSE discrepancy {kind}: {ids[i]} / {ids[j]}")
            for kind, (i, j) in sorted(gold_d - pred_d):
                print(f"  [{g['group']}] missed discrepancy {kind}: {ids[i]} / {ids[j]}")
    elapsed = time.perf_counter() - start
    return {
        "groups": f"{len(groups)} groups, {sum(len(g['articles']) for g, _ in groups)} articles, {facts_n} facts "
                  f"({elapsed:.2f} s)",
        "confirmations": _pr(conf["tp"], conf["fp"], conf["fn"]),
        "confirmations, baseline near-identical": _pr(base["tp"], base["fp"], base["fn"]),
        "independent reports": f"exact {indep_exact / facts_n:.3f} MAE {indep_err / facts_n:.2f}",
        "independent, baseline (copies not merged)": f"exact {base_exact / facts_n:.3f} MAE {base_err / facts_n:.2f}",
        "independent, given hand confirmations": f"exact {given_exact / facts_n:.3f} MAE {given_err / facts_n:.2f}",
        "independent, given hand conf., baseline": f"exact {given_base_exact / facts_n:.3f} "
                                                    f"MAE {given_base_err / facts_n:.2f}",
        "near-copy pairs": _pr(copies["tp"], copies["fp"], copies["fn"]),
        "discrepancies": _pr(disc["tp"], disc["fp"], disc["fn"])
        + f"; recall on kinds read: {disc['tp'] / max(1, disc['tp'] + disc['fn_read']):.3f}",
        "discrepancies, baseline any difference": _pr(naive["tp"], naive["fp"], naive["fn"]),
        "attribution": f"P={attr['correct'] / max(1, attr['predicted']):.3f} R={attr['found'] / max(1, attr['gold']):.3f}"
                       f" (predicted {attr['predicted']}, hand-marked {attr['gold']})",
    }


def _naive_disagreements(reports: list) -> set[tuple[str, tuple[int, int]]]:
    """Baseline: two articles differ when any of their numbers of one kind (and key) differ."""
    from briefing.assemble.claims import extract_claims

    claims = [[c for s in r.sentences for c in extract_claims(s, k)] for k, r in enumerate(reports)]
    out = set()
    for i in range(len(reports)):
        for j in range(i + 1, len(reports)):
            for a in claims[i]:
                for b in claims[j]:
                    if a.kind == b.kind and a.key == b.key and (a.low, a.high, a.point) != (b.low, b.high, b.point):
                        out.add((a.kind, (i, j)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="rebuild articles.jsonl from ../shared/data")
    parser.add_argument("--split", choices=["dev", "held-out", "all"], default="dev")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    if args.build:
        build()
        return 0
    for name, figure in evaluate(args.split, args.verbose).items():
        print(f"{args.split:8s} {name:42s} {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
