"""Story grouping measured on ECB+: B-cubed precision, recall and F1 over its 86 event clusters.

All 982 documents are grouped together in one batch, as one very busy day would be. ECB+ pairs
two similar events per topic (two earthquakes, two rehab stays), so names, places and dates must
tell them apart. Parameters are tuned on the odd-numbered topics (``--tune``) and reported on the
even-numbered ones, which tuning never sees; the whole set is reported too.

Day over day (``--follow``): each gold cluster's documents are split in two halves, the first
halves make day 1's brief (saved in a store), the second halves day 2's. Every day-2 story should
continue the day-1 story of its event and none should continue the other event of its topic.

Usage:
    python bench/cluster_eval.py [--data ../shared/data/ecbplus] [--tune] [--follow]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from briefing import assemble
from briefing.config import Config
from briefing.models import Analysis, Article, Story
from briefing.render import brief_data
from briefing.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"


def load(data: Path) -> list[dict]:
    with open(data / "ecbplus_docs.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def to_analysis(doc: dict) -> Analysis:
    """An ECB+ document as the assemble stage sees an article (no title: the first sentence stands in)."""
    lines = [line for line in doc["text"].split("\n") if line.strip()]
    article = Article(id=doc["doc"], title=lines[0] if lines else doc["doc"], text="\n\n".join(lines), source="ECB+")
    return Analysis(article=article, sentences=tuple(lines), key_facts=tuple(lines[:3]))


def bcubed(predicted: Sequence[Sequence[int]], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels."""
    cluster_of = {}
    for c, members in enumerate(predicted):
        for m in members:
            cluster_of[m] = c
    members_of = defaultdict(set)
    for i, c in cluster_of.items():
        members_of[c].add(i)
    gold_of = defaultdict(set)
    for i, g in enumerate(gold):
        gold_of[g].add(i)
    p = r = 0.0
    for i, g in enumerate(gold):
        mine = members_of[cluster_of[i]]
        both = len(mine & gold_of[g])
        p += both / len(mine)
        r += both / len(gold_of[g])
    n = len(gold)
    p, r = p / n, r / n
    return p, r, 2 * p * r / (p + r)


def evaluate(docs: list[dict], threshold: float | None = None) -> tuple[float, float, float, int]:
    analyses = [to_analysis(d) for d in docs]
    groups = assemble.group_stories(analyses, threshold if threshold is not None else assemble.LINK_THRESHOLD)
    return (*bcubed(groups, [d["cluster_id"] for d in docs]), len(groups))


def tune(docs: list[dict]) -> dict:
    """Grid search on the given documents; returns the best setting."""
    best: dict = {"f1": -1.0}
    for entity, title in itertools.product((1.0, 1.5, 2.0, 3.0), (0.0, 1.0, 2.0, 3.0)):
        assemble.ENTITY_BOOST, assemble.TITLE_BOOST = entity, title
        for threshold in (0.10, 0.12, 0.15, 0.18, 0.20, 0.22, 0.25, 0.28, 0.30, 0.35):
            p, r, f1, k = evaluate(docs, threshold)
            if f1 > best["f1"]:
                best = {"f1": f1, "p": p, "r": r, "clusters": k, "entity": entity, "title": title, "threshold": threshold}
    return best


def follow(docs: list[dict]) -> dict[str, int]:
    """Day-over-day tracking on ECB+ split in two days; counts of day-2 story outcomes."""
    by_cluster: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        by_cluster[d["cluster_id"]].append(d)
    days: tuple[list[dict], list[dict]] = ([], [])
    for members in by_cluster.values():
        members.sort(key=lambda d: d["doc"])
        half = len(members) // 2
        days[0].extend(members[:half])
        days[1].extend(members[half:])
    gold = {d["doc"]: d["cluster_id"] for d in docs}

    def event(story: Story) -> str:
        return Counter(gold[a.article.id] for a in story.analyses).most_common(1)[0][0]

    cfg = Config()
    cfg.brief.max_stories = 1000
    day1, day2 = date(2024, 5, 1), date(2024, 5, 2)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "follow.db") as store:
        briefs = []
        for day, part in zip((day1, day2), days, strict=True):
            when = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
            analyses = [to_analysis(d) for d in part]
            analyses = [replace(a, article=replace(a.article, published=when)) for a in analyses]
            brief = assemble.assemble_brief(cfg, analyses, [[]] * len(analyses), day, when, [], store)
            store.save_brief(day, brief_data(brief), [])
            briefs.append(brief)
    first = {s.id: event(s) for s in (*briefs[0].stories, *briefs[0].more_stories)}
    outcome: Counter[str] = Counter()
    for story in (*briefs[1].stories, *briefs[1].more_stories):
        if story.status == "new":
            outcome["new (missed)"] += 1
        elif story.id not in first:
            outcome["continuing, a second story of one earlier story"] += 1
        elif first[story.id] == event(story):
            outcome["continuing the right event"] += 1
        else:
            outcome["continuing the wrong event"] += 1
    return dict(outcome)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tune", action="store_true", help="grid-search the weights on the odd topics first")
    parser.add_argument("--follow", action="store_true", help="also measure day-over-day tracking")
    args = parser.parse_args()
    if not (args.data / "ecbplus_docs.jsonl").exists():
        print(f"ECB+ not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    docs = load(args.data)
    dev = [d for d in docs if d["topic"] % 2 == 1]
    test = [d for d in docs if d["topic"] % 2 == 0]
    if args.tune:
        best = tune(dev)
        print(f"tuned on odd topics: {best}")
        assemble.ENTITY_BOOST, assemble.TITLE_BOOST = best["entity"], best["title"]
        assemble.LINK_THRESHOLD = best["threshold"]
    print(f"parameters: threshold={assemble.LINK_THRESHOLD} entity_boost={assemble.ENTITY_BOOST} "
          f"title_boost={assemble.TITLE_BOOST}")
    # Baseline in the same run: every document its own story (what a brief without grouping shows).
    singletons = bcubed([[i] for i in range(len(test))], [d["cluster_id"] for d in test])
    print(f"baseline, one story per article (even topics): P={singletons[0]:.3f} R={singletons[1]:.3f} "
          f"F1={singletons[2]:.3f}")
    for name, part in (("dev (odd topics)", dev), ("test (even topics)", test), ("all 43 topics", docs)):
        start = time.perf_counter()
        p, r, f1, k = evaluate(part)
        gold = len({d["cluster_id"] for d in part})
        print(f"{name:20s} docs={len(part):4d} gold clusters={gold:3d} predicted={k:4d} "
              f"B3 P={p:.3f} R={r:.3f} F1={f1:.3f} ({time.perf_counter() - start:.2f} s)")
    if args.follow:
        for name, part in (("dev (odd topics)", dev), ("test (even topics)", test)):
            counts = follow(part)
            print(f"day over day, {name}: {sum(counts.values())} day-2 stories: "
                  + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
