"""Scale: ingest into the store and group stories for a 1,000-article day with 10,000 articles stored.

Wall times depend on what else the machine runs; CPU times (this process only) are printed too.

Articles are synthesised from real text: BBC News (``bbc-dev``) and ECB+ documents when
``../shared/data`` is present, else the repo's ``samples/articles``. Each synthetic article mixes
the sentences of two source texts, so it is new text; on top, a share of each day are wire copies
with small edits of that day's articles (which must be merged as near-duplicates) and re-posts
of the same URL with tracking parameters (merged by canonical URL).

Printed: ingest time for the earlier days and for the measured day (with the store already
holding the earlier days), how many copies were merged, the time to read the day back, the time
of ``group_stories`` (event evidence over the candidate pairs, linkage, second pass) and of the
whole ``assemble_brief`` (with earlier briefs to follow), the candidate pairs the blocking produced
against all pairs, and, as baselines measured in the same run, the time of the TF-IDF grouping
(``tfidf_groups``, the grouping before event evidence) and of all-pairs cosine over the same day.
Peak memory: the process's maximum resident set, and the peak of Python allocations during grouping
(tracemalloc).

``--sizes 1000,10000`` measures only the grouping instead: ``group_stories`` on synthetic days of those sizes
(no store), beside the code of ``--baseline`` (a checkout of an earlier version, run in a subprocess with its
package on ``PYTHONPATH``, on the same articles) in the same run, as a ratio, with the number of stories the two
groupings share exactly.

Usage:
    python bench/scale.py [--days 10] [--per-day 1000] [--data ../shared/data]
    python bench/scale.py --sizes 1000,10000 [--baseline /tmp/baseline/repo] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from briefing import assemble
from briefing.analyse.sentences import split_sentences
from briefing.config import Config, SourceConfig
from briefing.models import Analysis, Article
from briefing.render import brief_data
from briefing.store import Store

try:
    from briefing.assemble import stories
except ImportError:  # an older checkout (--baseline), where the grouping lived in briefing.assemble
    stories = assemble  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
OUTLETS = ["Wire", "Daily", "Herald", "Courier", "Post", "Times", "Radio", "Blog"]


def source_texts(data: Path) -> tuple[list[list[str]], str]:
    """Sentence lists of real articles, and where they came from."""
    texts: list[str] = []
    bbc = data / "bbc-dev" / "News Articles"
    if bbc.is_dir():
        for path in sorted(bbc.glob("*/*.txt")):
            raw = path.read_bytes()
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                body = raw.decode("latin-1")
            texts.append(body.split("\n", 1)[-1])
    ecb = data / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.exists():
        with open(ecb, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"].replace("\n", " ") for line in f)
    origin = "bbc-dev + ecbplus"
    if not texts:
        texts = [p.read_text("utf-8").split("\n\n", 1)[-1] for p in sorted((ROOT / "samples" / "articles").glob("*.txt"))]
        origin = "samples/articles"
    sentence_lists = [s for s in (split_sentences(t) for t in texts) if len(s) >= 4]
    return sentence_lists, f"{origin} ({len(sentence_lists)} texts)"


def make_day(day: date, count: int, pool: list[list[str]], rng: random.Random, serial: list[int]) -> list[Article]:
    """``count`` distinct articles for ``day``, plus about 12 % edited wire copies and 6 % re-posted URLs of them."""
    articles: list[Article] = []
    distinct = 0
    while distinct < count:
        serial[0] += 1
        n = serial[0]
        published = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)
        roll = rng.random()
        if articles and roll < 0.10:  # a wire copy with small edits, carried by another outlet
            base = rng.choice(articles)
            words = base.text.split(" ")
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(["reportedly", "Monday", "officials", "also"])
            text = " ".join(words)
            title = base.title
        elif articles and roll < 0.15:  # the same URL again, with tracking parameters
            base = rng.choice(articles)
            url = base.url + f"?utm_source=feed{n}&utm_medium=rss"
            articles.append(Article(url, base.title, base.text, rng.choice(OUTLETS), url, published))
            continue
        else:
            a, b = rng.sample(pool, 2)
            sentences = a[: rng.randint(3, 8)] + b[: rng.randint(2, 6)]
            text = "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))
            title = sentences[0][:90]
            distinct += 1
        url = f"https://{rng.choice(OUTLETS).lower()}.example/{day.isoformat()}/{n}"
        articles.append(Article(url, title, text, rng.choice(OUTLETS), url, published))
    return articles


def quick_analysis(article: Article) -> Analysis:
    """Sentences and lead-3 facts: enough for grouping, without the cost of the full analyse stage."""
    sentences = tuple(split_sentences(article.text))
    return Analysis(article=article, sentences=sentences, key_facts=sentences[:3])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def day_json(articles: Sequence[Analysis]) -> list[dict]:
    """The articles and their sentences as JSON, so another checkout groups exactly the same input."""
    return [{"url": a.article.url, "title": a.article.title, "text": a.article.text, "source": a.article.source,
             "published": a.article.published.isoformat(), "sentences": list(a.sentences)} for a in articles]


def from_json(rows: Sequence[dict]) -> list[Analysis]:
    out = []
    for r in rows:
        article = Article(r["url"], r["title"], r["text"], r["source"], r["url"], datetime.fromisoformat(r["published"]))
        out.append(Analysis(article=article, sentences=tuple(r["sentences"]), key_facts=tuple(r["sentences"][:3])))
    return out


def time_grouping(analyses: Sequence[Analysis], repeat: int) -> tuple[float, list[list[int]]]:
    """The fastest of ``repeat`` runs of ``group_stories`` (wall seconds), and its groups."""
    best, groups = math.inf, []
    for _ in range(repeat):
        start = time.perf_counter()
        groups = stories.group_stories(analyses)
        best = min(best, time.perf_counter() - start)
    return best, groups


def sizes_main(args: argparse.Namespace) -> int:
    """Grouping time at each size, this checkout against ``--baseline`` on the same articles."""
    sizes = [int(x) for x in args.sizes.split(",")]
    if args.child:  # run under the baseline's PYTHONPATH: read the days, print times and groups
        days = json.loads(Path(args.child).read_text("utf-8"))
        out = [time_grouping(from_json(rows), args.repeat) for rows in days]
        print(json.dumps(out))
        return 0
    rng = random.Random(args.seed)
    pool, origin = source_texts(args.data)
    serial = [0]
    days = [[quick_analysis(a) for a in make_day(date(2024, 3, 1), n, pool, rng, serial)] for n in sizes]
    print(f"text from {origin}; grouping only, sizes {sizes} (distinct articles, plus ~10 % wire copies and "
          f"5 % re-posts); best of {args.repeat}")
    ours = [time_grouping(d, args.repeat) for d in days]
    theirs: list[tuple[float, list[list[int]]]] | None = None
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "days.json"
            path.write_text(json.dumps([day_json(d) for d in days]), "utf-8")
            env = {**os.environ, "PYTHONPATH": str(args.baseline)}
            done = subprocess.run([sys.executable, __file__, "--sizes", args.sizes, "--repeat", str(args.repeat),
                                   "--child", str(path)], env=env, cwd=args.baseline, capture_output=True,
                                  text=True, check=True)
            theirs = json.loads(done.stdout)
    for k, day in enumerate(days):
        took, groups = ours[k]
        line = f"  {len(day):6d} articles: group_stories {took:6.2f} s, {len(groups)} stories"
        if theirs is not None:
            base, base_groups = theirs[k]
            same = len({tuple(g) for g in groups} & {tuple(g) for g in base_groups})
            line += (f"; baseline {base:6.2f} s, {len(base_groups)} stories; ratio {took / base:.2f} "
                     f"({base / took:.1f}x faster); {same} of {len(base_groups)} baseline stories identical")
        print(line, flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=10, help="days in the store, the last one measured")
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", help="comma-separated day sizes: time only the grouping at each")
    parser.add_argument("--baseline", type=Path, help="with --sizes: a checkout whose grouping is timed beside")
    parser.add_argument("--repeat", type=int, default=1, help="with --sizes: runs of each grouping, the best kept")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sizes:
        return sizes_main(args)
    rng = random.Random(args.seed)
    pool, origin = source_texts(args.data)
    print(f"text from {origin}; {args.days} days x {args.per_day} articles")
    cfg = Config()
    cfg.sources = [SourceConfig(name=o, type="feed", url="https://x.example/", weight=1.0) for o in OUTLETS]
    first_day = date(2024, 3, 1)
    last_day = first_day + timedelta(days=args.days - 1)
    serial = [0]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "scale.db") as store:
        start, cpu = time.perf_counter(), time.process_time()
        earlier = 0
        for k in range(args.days - 1):
            day = first_day + timedelta(days=k)
            for article in make_day(day, args.per_day, pool, rng, serial):
                store.add_article(article)
                earlier += 1
        if earlier:
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"ingest earlier days: {earlier} items in {took:.1f} s wall, {cpu:.1f} s CPU "
                  f"({1000 * cpu / earlier:.2f} ms CPU/item); store holds {store.article_count()} articles")
        # Earlier briefs, so the measured day follows stories against them.
        for k in range(max(0, args.days - 4), args.days - 1):
            day = first_day + timedelta(days=k)
            rows = store.articles_for_day(day)
            brief = assemble.assemble_brief(cfg, [quick_analysis(a) for a, _ in rows], [s for _, s in rows], day,
                                            datetime(day.year, day.month, day.day, 23, tzinfo=UTC), [], store)
            store.save_brief(day, brief_data(brief), [])

        items = make_day(last_day, args.per_day, pool, rng, serial)
        before = store.article_count()
        start, cpu = time.perf_counter(), time.process_time()
        created = sum(store.add_article(a)[1] for a in items)
        ingest, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"ingest the day: {len(items)} items in {ingest:.2f} s wall, {cpu:.2f} s CPU "
              f"({1000 * cpu / len(items):.2f} ms CPU/item), "
              f"{created} new articles, {len(items) - created} merged as copies; store holds {before + created}")
        start = time.perf_counter()
        again = sum(store.add_article(a)[1] for a in items)
        print(f"ingest the same day again: {time.perf_counter() - start:.2f} s, {again} new articles")

        start = time.perf_counter()
        rows = store.articles_for_day(last_day)
        read = time.perf_counter() - start
        analyses = [quick_analysis(a) for a, _ in rows]
        sources = [s for _, s in rows]
        print(f"read the day back: {len(rows)} articles in {read:.2f} s")

        start, cpu = time.perf_counter(), time.process_time()
        groups = stories.group_stories(analyses)
        group_time, cpu = time.perf_counter() - start, time.process_time() - cpu
        vectors = stories.tfidf_vectors([stories.term_counts(a) for a in analyses])
        pairs = stories.candidate_pairs(vectors)
        n = len(analyses)
        print(f"group_stories: {n} articles -> {len(groups)} stories in {group_time:.2f} s wall, {cpu:.2f} s CPU; "
              f"{len(pairs)} candidate pairs of {n * (n - 1) // 2} ({100 * len(pairs) / max(1, n * (n - 1) // 2):.1f} %)")
        start, cpu = time.perf_counter(), time.process_time()
        events = stories.group_events(analyses)
        print(f"  the same as group_events (with cohesion and related reports), run again: "
              f"{time.perf_counter() - start:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
              f"{sum(bool(g.related) for g in events)} stories with related reports; "
              f"largest story {max(len(g.members) for g in events)} articles")
        start, cpu = time.perf_counter(), time.process_time()
        baseline_groups = stories.tfidf_groups(analyses)
        print(f"baseline, TF-IDF grouping (tfidf_groups, the grouping before event evidence): {len(baseline_groups)} "
              f"stories in {time.perf_counter() - start:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")

        start, cpu = time.perf_counter(), time.process_time()
        brief = assemble.assemble_brief(cfg, analyses, sources, last_day, datetime.now(UTC), [], store)
        print(f"assemble_brief (group, build, follow 3 earlier briefs, rank): {time.perf_counter() - start:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU; "
              f"{len(brief.stories)} + {len(brief.more_stories)} stories, "
              f"{sum(s.status == 'continuing' for s in (*brief.stories, *brief.more_stories))} continuing")

        # Baseline: all-pairs cosine over the same vectors (what grouping without blocking would compute).
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            vi = vectors[i]
            for j in range(i + 1, n):
                stories.cosine(vi, vectors[j])
        print(f"baseline, all-pairs cosine over the same day: {time.perf_counter() - start:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU")

        tracemalloc.start()
        stories.group_stories(analyses)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during group_stories: {peak / 2**20:.1f} MiB; "
              f"peak RSS of the whole run: {peak_rss_mb():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
