"""Story grouping measured on ECB+: B-cubed precision, recall and F1, event evidence against the TF-IDF baseline.

ECB+ pairs two events of one kind per topic, reported with the same cast ("ECB" and "ECB+" halves: two
rehab stays of one actress, two fights of one boxer, two DUI arrests of one team's players), so names and
topic words cannot tell them apart: what happened, when and where must. Every figure is printed for the
TF-IDF baseline (``briefing.assemble.stories.tfidf_groups``: average linkage on the cosine of the articles' TF-IDF vectors,
the grouping before event evidence) and for ``group_stories`` in the same run:

- all 982 documents grouped in one batch (one very busy day), and that grouping scored on the odd topics
  (dev: the only ones ever tuned on), on the even topics (held out), and topic by topic;
- each held-out topic's two halves kept apart or merged, and "small days" of three held-out topics each
  (65 to 80 articles, about the size of a real day: the IDF is then much weaker);
- a check day: the Wikinews samples (their same-event groups in ``samples/MANIFEST.md``, the rest unrelated
  articles, some of them other events of the same conflict) mixed with four articles of each half of every
  held-out ECB+ topic, all published on one day;
- the related-reports flag: members of a story whose evidence for its event is weak, and how many of them
  are indeed of another event than the story's main one.

``--tune`` fits the event model (a logistic regression on the event evidence of the candidate pairs) and
grid-searches the linkage, split and related-report parameters on the odd topics only, and prints the
values to put into ``briefing/assemble/stories.py``. Day over day (``--follow``): each gold cluster's documents are
split in two halves, the first halves make day 1's brief (saved in a store), the second halves day 2's.

Usage:
    python bench/cluster_eval.py [--data ../shared/data/ecbplus] [--samples ../shared/data/samples]
                                 [--tune] [--follow] [--per-topic]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from briefing import assemble
from briefing.analyse.sentences import split_sentences
from briefing.assemble import blocking
from briefing.assemble import stories as grouping
from briefing.clean import derive_title
from briefing.config import Config
from briefing.models import Analysis, Article, Story
from briefing.render import brief_data
from briefing.store import Store

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"
DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "samples"
CHECK_DAY = datetime(2024, 5, 6, 12, tzinfo=UTC)
# Same-event groups of the Wikinews samples (samples/MANIFEST.md, C1-C9), by a part of the file name.
WIKINEWS_GROUPS = {
    "C1": ("amalgum_news_basra", "amalgum_news_airstrikes"),
    "C2": ("amalgum_news_nato", "amalgum_news_ossetia"),
    "C3": ("amalgum_news_egypt", "amalgum_news_mubarak"),
    "C4": ("113219", "113227", "113267", "113278", "113330"),
    "C5": ("114565", "114613", "114719", "114864", "115064"),
    "C6": ("126878", "127226", "127227", "127248", "127461"),
    "C7": ("118147", "118175"),
    "C8": ("usaf_tanker_contract__1173", "100911", "102977", "108294"),
    "C9": ("82548", "82597"),
}

TIE = 0.005  # B-cubed F1 differences on the 496 dev documents below this are noise (one article or two)
Grouper = Callable[[Sequence[Analysis]], list[list[int]]]


def load(data: Path) -> list[dict]:
    with open(data / "ecbplus_docs.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def to_analysis(doc: dict) -> Analysis:
    """An ECB+ document as the assemble stage sees an article (no title: the first line stands in)."""
    lines = [line for line in doc["text"].split("\n") if line.strip()]
    article = Article(id=doc["doc"], title=lines[0] if lines else doc["doc"], text="\n\n".join(lines), source="ECB+")
    return Analysis(article=article, sentences=tuple(lines), key_facts=tuple(lines[:3]))


def bcubed(predicted: Sequence[Sequence[int]], gold: Sequence[str], only: Sequence[int] | None = None
           ) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels, averaged over ``only`` (default all)."""
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
    items = range(len(gold)) if only is None else only
    p = r = 0.0
    for i in items:
        mine = members_of[cluster_of[i]]
        both = len(mine & gold_of[gold[i]])
        p += both / len(mine)
        r += both / len(gold_of[gold[i]])
    n = len(items)
    p, r = p / n, r / n
    return p, r, 2 * p * r / (p + r)


def baseline(analyses: Sequence[Analysis]) -> list[list[int]]:
    return grouping.tfidf_groups(analyses, grouping.LINK_THRESHOLD)


def events(analyses: Sequence[Analysis]) -> list[list[int]]:
    return grouping.group_stories(analyses)


GROUPERS: tuple[tuple[str, Grouper], ...] = (("TF-IDF baseline", baseline), ("event evidence", events))


def fmt(prf: tuple[float, float, float]) -> str:
    return f"P={prf[0]:.3f} R={prf[1]:.3f} F1={prf[2]:.3f}"


# -- tuning (odd topics only) -----------------------------------------------------------------------


def pair_table(docs: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Event evidence of the candidate pairs of ``docs`` grouped in one batch, and whether each is one event."""
    scores = grouping.PairScores([to_analysis(d) for d in docs])
    x = np.array([grouping.event_features(body, scores.cues[i], scores.cues[j])
                  for (i, j), body in scores.candidates.items()])
    y = np.array([docs[i]["cluster_id"] == docs[j]["cluster_id"] for i, j in scores.candidates], dtype=float)
    return x, y


# The direction each piece of evidence must point: a feature whose fitted weight points the other way (it
# only corrects for another feature on ECB+) is left out of the model (weight 0) and the rest refitted.
EXPECTED_SIGN = {"body": 1, "lead": 1, "names": 1, "action": 1, "numbers_shared": 1, "numbers_covered": 1,
                 "date_near": 1, "years_differ": -1, "weekdays_differ": -1, "place_shared": 1}


def fit_signed(x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> tuple[dict[str, float], float]:
    """``fit_logistic`` over the features whose weights keep their expected sign; the others get weight 0."""
    used = list(range(len(names)))
    while True:
        w = fit_logistic(x[:, used], y)
        wrong = [k for k, col in enumerate(used) if w[k] * EXPECTED_SIGN[names[col]] < 0]
        if not wrong:
            break
        used = [col for k, col in enumerate(used) if k not in wrong]
    weights = dict.fromkeys(names, 0.0)
    for k, col in enumerate(used):
        weights[names[col]] = round(float(w[k]), 2)
    return weights, round(float(w[-1]), 2)


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with a small ridge penalty (not on the bias); bias last."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], ridge)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        gradient = xb.T @ (p - y) + penalty * w
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def flag_quality(groups: Sequence[grouping.EventGroup], gold: Sequence[str]) -> tuple[int, int, int, int]:
    """Stories with related reports, reports flagged, flagged reports of another event than their story's
    main one (the event most of its other members report), and members of another event in all stories."""
    stories = flagged = right = wrong_members = 0
    for g in groups:
        main = Counter(gold[i] for i in g.members if i not in g.related).most_common(1)[0][0]
        wrong_members += sum(gold[i] != main for i in g.members)
        stories += bool(g.related)
        flagged += len(g.related)
        right += sum(gold[i] != main for i in g.related)
    return stories, flagged, right, wrong_members


def tune(dev: list[dict]) -> dict:
    """Fit the event model and choose the linkage, split and related-report parameters on ``dev``; sets them in
    ``assemble``. Of the settings within ``TIE`` of the best B-cubed F1, the one of highest precision is taken: a
    wrong merge costs a story its facts, a wrong split only shows one event twice."""
    x, y = pair_table(dev)
    grouping.EVENT_WEIGHTS, grouping.EVENT_BIAS = fit_signed(x, y, grouping.EVENT_FEATURES)
    print(f"event model fitted on {len(y)} candidate pairs of the odd topics ({int(y.sum())} of one event):")
    print(f"  EVENT_WEIGHTS = {grouping.EVENT_WEIGHTS}\n  EVENT_BIAS = {grouping.EVENT_BIAS}")
    scores = grouping.PairScores([to_analysis(d) for d in dev])
    gold = [d["cluster_id"] for d in dev]
    tried = []
    for link, ratio, part in itertools.product((0.15, 0.2, 0.25, 0.3, 0.35, 0.4), (0.0, 0.5, 0.55, 0.6, 0.65, 0.7),
                                               (2, 3, 4)):
        if ratio == 0.0 and part != 3:
            continue
        grouping.SPLIT_RATIO, grouping.SPLIT_MIN_PART = ratio, part
        groups = [list(g.members) for g in grouping.cluster_events(scores, link)]
        tried.append((bcubed(groups, gold), link, ratio, part))
    top = max(f1 for (_, _, f1), *_ in tried)
    # Within noise of the best: the highest precision, then the best F1, the larger parts (fewer, surer cuts),
    # the higher link threshold.
    (p, r, f1), link, ratio, part = max((t for t in tried if t[0][2] >= top - TIE),
                                        key=lambda t: (round(t[0][0], 3), t[0][2], t[3], t[1]))
    grouping.LINK_PROBABILITY, grouping.SPLIT_RATIO, grouping.SPLIT_MIN_PART = link, ratio, part
    best = {"link": link, "split_ratio": ratio, "split_min_part": part, "p": round(p, 4), "r": round(r, 4),
            "f1": round(f1, 4), "best_f1": round(top, 4)}
    print(f"  linkage and split on the odd topics: {best}")
    related = []
    for related_ratio in (0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        if related_ratio <= ratio:
            continue
        grouping.RELATED_RATIO = related_ratio
        stories, flagged, right, wrong = flag_quality(grouping.cluster_events(scores), gold)
        related.append((related_ratio, stories, flagged, right, wrong))
        print(f"  related reports below ratio {related_ratio}: {flagged} members of {stories} stories flagged, {right} "
              f"of them of another event, of {wrong} such members")
    # Of the ratios at which most flagged members are indeed of another event (a flag moves an article's facts
    # out of its story, so it must be right more often than not), the one flagging most of them, then the lower;
    # no flag if none is.
    sound = [r for r in related if r[2] and r[3] / r[2] > 0.5]
    grouping.RELATED_RATIO = max(sound, key=lambda r: (r[3], -r[0]))[0] if sound else 0.0
    print(f"  related reports: ratio {grouping.RELATED_RATIO}")
    return best


def write_tuned() -> None:
    """Write the parameters ``tune`` chose to the data file the grouping reads (briefing/data/grouping.json)."""
    path = Path(grouping.__file__).resolve().parent.parent / "data" / "grouping.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(event_weights=grouping.EVENT_WEIGHTS, event_bias=grouping.EVENT_BIAS,
                link_probability=grouping.LINK_PROBABILITY, split_ratio=grouping.SPLIT_RATIO,
                split_min_part=grouping.SPLIT_MIN_PART, related_ratio=grouping.RELATED_RATIO)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"  written to {path}")


# -- the figures ------------------------------------------------------------------------------------


def halves(groups: Sequence[Sequence[int]], docs: list[dict]) -> tuple[int, int]:
    """Topics among ``docs`` whose two halves share a group, of the topics present."""
    merged = set()
    for g in groups:
        by_topic = defaultdict(set)
        for i in g:
            by_topic[docs[i]["topic"]].add(docs[i]["subtopic"])
        merged.update(t for t, subs in by_topic.items() if len(subs) == 2)
    return len(merged), len({d["topic"] for d in docs})


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A sample file's ``Key: value`` header (up to the first blank line) and its body."""
    head, _, body = text.partition("\n\n")
    fields = [line.partition(":") for line in head.splitlines()]
    if not fields or not all(sep and key.strip().isalpha() for key, sep, _ in fields):
        return {}, text
    return {key.strip().lower(): value.strip() for key, _, value in fields}, body


def sample_articles(samples: Path) -> list[tuple[Analysis, str]]:
    """The Wikinews samples (and the seed article) as one day's analyses, with their gold event."""
    out = []
    for path in sorted(samples.glob("*/*.txt")):
        header, body = split_header(path.read_text("utf-8"))
        text = body.strip()
        title = header.get("title") or derive_title(text)
        sentences = tuple(split_sentences(text))
        article = Article(id=path.name, title=title, text=text, source="Wikinews", url=header.get("source"),
                          published=CHECK_DAY)
        event = next((g for g, keys in WIKINEWS_GROUPS.items() if any(k in path.stem for k in keys)), path.stem)
        out.append((Analysis(article=article, sentences=sentences, key_facts=sentences[:3]), event))
    return out


def check_day(docs: list[dict], samples: Path) -> tuple[list[Analysis], list[str], int]:
    """The check day: Wikinews samples plus four articles of each half of every held-out ECB+ topic."""
    day = sample_articles(samples) if samples.is_dir() else []
    analyses, gold = [a for a, _ in day], [g for _, g in day]
    picked: dict[str, int] = Counter()
    for d in sorted((d for d in docs if d["topic"] % 2 == 0), key=lambda d: d["doc"]):
        if picked[d["cluster_id"]] < 4:
            picked[d["cluster_id"]] += 1
            a = to_analysis(d)
            analyses.append(replace(a, article=replace(a.article, published=CHECK_DAY)))
            gold.append(d["cluster_id"])
    return analyses, gold, len(day)


def per_topic(docs: list[dict], results: dict[str, list[list[int]]]) -> None:
    gold = [d["cluster_id"] for d in docs]
    by_topic = defaultdict(list)
    for i, d in enumerate(docs):
        by_topic[d["topic"]].append(i)
    print("per topic (the all-documents grouping, scored on each topic's documents; * = held out):")
    print("  topic docs | " + " | ".join(f"{name:^26s}" for name in results))
    sums = {name: [0.0, 0] for name in results}
    for topic, items in sorted(by_topic.items()):
        cells = []
        for name, groups in results.items():
            prf = bcubed(groups, gold, items)
            sums[name][0] += prf[2]
            sums[name][1] += 1
            cells.append(fmt(prf).replace("F1=", "F="))
        print(f"  {topic:4d}{'*' if topic % 2 == 0 else ' '} {len(items):4d} | " + " | ".join(cells))
    print("  mean F1 over topics: " + ", ".join(f"{name} {s / n:.3f}" for name, (s, n) in sums.items()))


def follow(docs: list[dict], grouper: Grouper | None = None) -> dict[str, int]:
    """Day-over-day tracking on ECB+ split in two days; counts of day-2 story outcomes. ``grouper`` (default
    the brief's own) replaces the grouping of ``assemble_brief``, for the baseline."""
    if grouper is not None:
        own = assemble.group_events  # the name assemble_brief calls
        assemble.group_events = lambda analyses, *a, **k: [grouping.EventGroup(tuple(g)) for g in grouper(analyses)]
        try:
            return follow(docs)
        finally:
            assemble.group_events = own
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
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--tune", action="store_true", help="fit and choose the grouping parameters on the odd topics")
    parser.add_argument("--write", action="store_true", help="with --tune: write them to briefing/data/grouping.json")
    parser.add_argument("--follow", action="store_true", help="also measure day-over-day tracking")
    parser.add_argument("--per-topic", action="store_true", help="print the B-cubed figures of every topic")
    args = parser.parse_args()
    if not (args.data / "ecbplus_docs.jsonl").exists():
        print(f"ECB+ not found in {args.data}; pass --data", file=sys.stderr)
        return 2
    docs = load(args.data)
    dev_items = [i for i, d in enumerate(docs) if d["topic"] % 2 == 1]
    test_items = [i for i, d in enumerate(docs) if d["topic"] % 2 == 0]
    dev, test = [docs[i] for i in dev_items], [docs[i] for i in test_items]
    if args.tune:
        tune(dev)
        if args.write:
            write_tuned()
    print(f"TF-IDF baseline: threshold={grouping.LINK_THRESHOLD} entity_boost={blocking.ENTITY_BOOST} "
          f"title_boost={blocking.TITLE_BOOST}")
    print(f"event evidence: link={grouping.LINK_PROBABILITY} split_ratio={grouping.SPLIT_RATIO} "
          f"split_min_part={grouping.SPLIT_MIN_PART} related_ratio={grouping.RELATED_RATIO}; "
          f"weights {grouping.EVENT_WEIGHTS} bias {grouping.EVENT_BIAS}")
    gold = [d["cluster_id"] for d in docs]
    singletons = bcubed([[i] for i in range(len(docs))], gold, test_items)
    print(f"one story per article (held-out topics): {fmt(singletons)}")

    analyses = [to_analysis(d) for d in docs]
    results: dict[str, list[list[int]]] = {}
    print(f"all {len(docs)} documents in one batch ({len(set(gold))} gold events):")
    for name, grouper in GROUPERS:
        start = time.perf_counter()
        groups = results[name] = grouper(analyses)
        took = time.perf_counter() - start
        merged, topics = halves(groups, docs)
        print(f"  {name:16s} {len(groups):4d} stories ({took:.2f} s); halves merged in {merged} of {topics} topics")
        for label, items in (("all 43 topics", None), ("dev (odd topics)", dev_items),
                             ("held out (even)", test_items)):
            print(f"    {label:18s} {fmt(bcubed(groups, gold, items))}")
    if args.per_topic:
        per_topic(docs, results)

    print("each part grouped on its own:")
    for label, part in (("dev (odd topics)", dev), ("held out (even)", test)):
        part_gold = [d["cluster_id"] for d in part]
        part_analyses = [to_analysis(d) for d in part]
        cells = []
        for name, grouper in GROUPERS:
            groups = grouper(part_analyses)
            merged, topics = halves(groups, part)
            cells.append(f"{name} {fmt(bcubed(groups, part_gold))} (halves merged: {merged}/{topics})")
        print(f"  {label:18s} " + "; ".join(cells))

    even_topics = sorted({d["topic"] for d in test})
    days = [even_topics[k : k + 3] for k in range(0, len(even_topics), 3)]
    print(f"small days of three held-out topics ({len(days)} days, "
          f"{min(sum(d['topic'] in t for d in test) for t in days)}-{max(sum(d['topic'] in t for d in test) for t in days)}"
          " articles each), pooled:")
    for name, grouper in GROUPERS:
        totals = np.zeros(3)
        merged_total = 0
        for topics in days:
            part = [d for d in test if d["topic"] in topics]
            groups = grouper([to_analysis(d) for d in part])
            p, r, _ = bcubed(groups, [d["cluster_id"] for d in part])
            totals += (p * len(part), r * len(part), len(part))
            merged_total += halves(groups, part)[0]
        p, r = totals[0] / totals[2], totals[1] / totals[2]
        print(f"  {name:16s} {fmt((p, r, 2 * p * r / (p + r)))}; halves merged in {merged_total} of {len(even_topics)} topics")

    day, day_gold, wikinews = check_day(docs, args.samples)
    ecb_part = [i for i in range(wikinews, len(day))]
    print(f"check day: {len(day)} articles ({wikinews} Wikinews samples, {len(day) - wikinews} from the held-out "
          f"ECB+ topics), {len(set(day_gold))} gold events:")
    for name, grouper in GROUPERS:
        groups = grouper(day)
        wiki_items = list(range(wikinews))
        print(f"  {name:16s} all {fmt(bcubed(groups, day_gold))}; Wikinews "
              f"{fmt(bcubed(groups, day_gold, wiki_items)) if wiki_items else '-'}; ECB+ {fmt(bcubed(groups, day_gold, ecb_part))}")

    for label, part in (("dev (odd topics)", dev), ("held out (even)", test)):
        groups = grouping.group_events([to_analysis(d) for d in part])
        stories, flagged, right, wrong = flag_quality(groups, [d["cluster_id"] for d in part])
        print(f"related reports, {label}: {flagged} reports flagged in {stories} stories, {right} of them of another "
              f"event than their story's; {wrong} members of another event in all stories")

    if args.follow:
        for label, part in (("dev (odd topics)", dev), ("held out (even)", test)):
            for name, grouper in GROUPERS:
                counts = follow(part, grouper if grouper is baseline else None)
                print(f"day over day, {label}, {name}: {sum(counts.values())} day-2 stories: "
                      + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
