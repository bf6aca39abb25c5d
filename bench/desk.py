"""The desk's cost: the calendar and the watchlist beside the analysis of the same articles, in the same run.

Over the dated Wikinews articles of ``samples/`` and ``tests/data/keypoints`` (each resolved against its own
``Date:``), times per article, median of ``--repeat`` runs after a warm-up:

- baseline: ``analyse_article`` (key facts, open issues, actors: what every article costs a build);
- the calendar: ``find_dates`` over the article's sentences (``upcoming_events`` is this plus the linking);
- the watchlist: ``match_analysis`` with a watchlist of two actors, two places and two terms.

The ratios say what the desk adds to a build's analysis. Also printed: the events found, for a check by eye.

    python bench/desk.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from briefing.analyse import analyse_article  # noqa: E402
from briefing.assemble.calendar import find_dates  # noqa: E402
from briefing.assemble.watch import match_analysis  # noqa: E402
from briefing.config import WatchConfig  # noqa: E402
from briefing.evaluation import read_article_text  # noqa: E402
from briefing.models import Article  # noqa: E402

WATCH = WatchConfig(actors=["NATO", "Jaap de Hoop Scheffer"], places=["Iraq", "Georgia"],
                    terms=["training mission", "bankruptcy"])


def articles() -> list[Article]:
    """The dated article files of the samples and the keypoints set, once each."""
    out: list[Article] = []
    seen: set[str] = set()
    for path in sorted([*(ROOT / "samples" / "articles").glob("*.txt"), *(ROOT / "tests/data/keypoints").glob("*.txt")]):
        head = path.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^Date: (\d{4}-\d\d-\d\d)", head, re.MULTILINE)
        title = re.search(r"^Title: (.*)$", head, re.MULTILINE)
        text = read_article_text(path)
        if not found or text in seen:
            continue
        seen.add(text)
        published = datetime.combine(date.fromisoformat(found.group(1)), datetime.min.time(), UTC)
        out.append(Article(id=str(path), title=title.group(1) if title else path.stem, text=text, source="bench",
                           published=published))
    return out


def timed(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm-up: models and tables loaded, caches filled
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = articles()
    analyses = [analyse_article(a, 3, "default") for a in docs]
    sentences = sum(len(a.sentences) for a in analyses)

    def calendar() -> list[Any]:
        return [m for a in analyses for s in a.sentences for m in find_dates(s, a.article.published.date())]  # type: ignore[union-attr]

    baseline = timed(lambda: [analyse_article(a, 3, "default") for a in docs], args.repeat)
    cal = timed(calendar, args.repeat)
    watch = timed(lambda: [match_analysis(a, WATCH) for a in analyses], args.repeat)
    n = len(docs)
    print(f"{n} articles, {sentences} sentences")
    print(f"analyse_article (baseline)  {1000 * baseline / n:8.2f} ms/article")
    print(f"calendar (find_dates)       {1000 * cal / n:8.2f} ms/article  {1e6 * cal / sentences:6.1f} µs/sentence"
          f"  ratio to baseline {cal / baseline:.3f}")
    print(f"watchlist (match_analysis)  {1000 * watch / n:8.2f} ms/article  ratio to baseline {watch / baseline:.3f}")
    for mention in sorted(calendar(), key=lambda m: m.day):
        print(f"  {mention.day}  {mention.when}")


if __name__ == "__main__":
    main()
