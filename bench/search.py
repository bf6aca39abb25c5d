"""Search: `brief search` over 10,000 stored articles, beside a plain LIKE scan of the same store.

The store is filled through ``Store.add_article`` (so the FTS5 triggers index each article as it is stored;
copies it merges as duplicates do not count) with 10,000 real texts: the BBC News articles of ``bbc-dev`` (1,316), the ECB+ documents (982, detokenised)
and runs of six consecutive sentences of the GMB newswire (Voice of America), detokenised, until 10,000;
without ``../shared/data`` the repo's samples are stored in numbered copies (a weak stand-in: few words).

Printed per query: the hits FTS5 finds, the time of ``briefing.search.search`` (the library call behind
`brief search`: bm25-ranked FTS5 query, highlighting and the best sentence of the 20 hits shown), of the
ranked FTS5 query alone, and the
time of the baseline, a LIKE scan (``text LIKE '%word%'`` for each word, case-insensitive for ASCII only,
unranked, no stems, no sentences) over the same store, with their ratio; median of the runs after a warm-up.
Also: the index's size (dbstat), the time to rebuild it from scratch, and one `brief search` process end to end.

Usage:
    python bench/search.py [--articles 10000] [--runs 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefing.models import Article
from briefing.search import fts_query, search
from briefing.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
QUERIES = ["election", "oil prices", '"prime minister"', "protest* police", "Iraq OR Afghanistan", "champion -football"]
_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]'])|([(\[$]) ")


def detokenise(text: str) -> str:
    return _SPACE_BEFORE.sub(lambda m: m.group(1) or m.group(2), text).replace(" n't", "n't").replace(" 's", "'s")


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def texts(data: Path, wanted: int) -> Iterator[tuple[str, str, str]]:
    """(origin, title, text) of real articles, at most ``wanted`` (the BBC and ECB+ ones all, then GMB runs)."""
    count = 0
    bbc = data / "bbc-dev" / "News Articles"
    for path in sorted(bbc.glob("*/*.txt")) if bbc.is_dir() else []:
        title, _, body = _read(path).strip().partition("\n")
        yield "bbc-dev", title.strip(), body.strip()
        count += 1
    ecb = data / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.exists():
        with open(ecb, encoding="utf-8") as handle:
            for line in handle:
                text = detokenise(json.loads(line)["text"].replace("\n", " "))
                yield "ecbplus", text[:80], text
                count += 1
    gmb = data / "gmb" / "ner_dataset.csv.zip"
    if gmb.exists() and count < wanted:
        with zipfile.ZipFile(gmb) as archive, archive.open("ner_dataset.csv") as raw:
            sentences: list[str] = []
            words: list[str] = []
            rows = csv.reader(io.TextIOWrapper(raw, encoding="latin-1", newline=""))
            next(rows)
            for marker, word, *_ in rows:
                if marker.startswith("Sentence:") and words:
                    sentences.append(detokenise(" ".join(words)))
                    words = []
                if word:
                    words.append(word)
                if len(sentences) == 6:
                    yield "gmb", sentences[0][:80], " ".join(sentences)
                    sentences = []
                    count += 1
                    if count >= wanted:
                        return
    if count == 0:  # no development data: numbered copies of the samples
        samples = sorted((ROOT / "samples" / "articles").glob("*.txt"))
        for k in range(wanted):
            body = _read(samples[k % len(samples)]).split("\n\n", 1)[-1]
            yield "samples", f"copy {k}", f"Copy {k}. {body}"


def fill(store: Store, data: Path, wanted: int) -> tuple[dict[str, int], float]:
    origins: dict[str, int] = {}
    start = time.perf_counter()
    day = datetime(2026, 1, 1, 8, tzinfo=UTC)
    stored = 0
    for k, (origin, title, text) in enumerate(texts(data, wanted + wanted // 10)):  # some are duplicates
        if stored >= wanted:
            break
        _, created = store.add_article(Article(id=f"bench:{k}", title=title, text=text, source=origin,
                                               fetched=day + timedelta(days=k % 60)))
        origins[origin] = origins.get(origin, 0) + created
        stored += created
    return origins, time.perf_counter() - start


def like_scan(store: Store, query: str) -> int:
    """The baseline: every article whose text contains each plain word of the query (quotes, * and operators
    dropped; a -word excluded), unranked."""
    words = [w.strip('"*') for w in query.split() if w not in ("OR", "AND", "NOT")]
    include = [w for w in words if not w.startswith("-")]
    exclude = [w[1:] for w in words if w.startswith("-")]
    if "OR" in query.split():
        where = "(" + " OR ".join("text LIKE ?" for _ in include) + ")"
    else:
        where = " AND ".join("text LIKE ?" for _ in include)
    where += "".join(" AND text NOT LIKE ?" for _ in exclude)
    params = [f"%{w}%" for w in include + exclude]
    return len(store.conn.execute(f"SELECT id, title FROM articles WHERE {where}", params).fetchall())


def ranked_ids(store: Store, query: str) -> list[int]:
    """The FTS5 query alone: the 20 best article ids by bm25, without highlighting or sentences."""
    return [r[0] for r in store.conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT 20",
        (fts_query(query),))]


def timed(func, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    result = func()  # warm-up (page cache)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.db"
        with Store(path) as store:
            origins, seconds = fill(store, args.data, args.articles)
            stored = store.article_count()
            print(f"store: {stored:,} articles ({', '.join(f'{o} {n:,}' for o, n in origins.items())}), "
                  f"stored in {seconds:.1f} s with the FTS5 triggers")
            print(f"{'query':24} {'FTS hits':>8} {'LIKE hits':>9} {'search (ms)':>11} {'FTS alone (ms)':>14}"
                  f" {'LIKE scan (ms)':>14} {'ratio':>6}")
            ratios = []
            for query in QUERIES:
                ours, _ = timed(lambda q=query: search(store, q, limit=20, kinds=("article",)), args.runs)
                hits = store.conn.execute(
                    "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?",
                    (fts_query(query),)).fetchone()[0]
                alone, _ = timed(lambda q=query: ranked_ids(store, q), args.runs)
                base, found = timed(lambda q=query: like_scan(store, q), args.runs)
                ratios.append(base / ours)
                print(f"{query:24} {hits:>8,} {found:>9,} {ours * 1000:>11.1f} {alone * 1000:>14.1f}"
                      f" {base * 1000:>14.1f} {base / ours:>5.1f}x")
            print(f"median ratio (LIKE scan / search): {statistics.median(ratios):.1f}x")
            index = store.conn.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0] or 0
            text = store.conn.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'articles'").fetchone()[0] or 0
            start = time.perf_counter()
            with store.transaction() as conn:
                conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            rebuild = time.perf_counter() - start
            print(f"index: {index / 2**20:.1f} MiB beside {text / 2**20:.1f} MiB of articles; rebuilt from scratch in "
                  f"{rebuild:.2f} s ({rebuild / max(stored, 1) * 1e6:.0f} µs an article)")
        config = Path(tmp) / "config.toml"
        config.write_text(f'[store]\npath = "{path.as_posix()}"\n', encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "briefing", "search", "oil prices", "--json", "--config", str(config)],
                              capture_output=True, text=True, check=False)
        print(f"`brief search \"oil prices\"` as a process (start-up and imports included): "
              f"{time.perf_counter() - start:.2f} s, exit status {done.returncode}, {len(done.stdout.splitlines())} hits shown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
