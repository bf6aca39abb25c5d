"""Render speed: HTML and PDF for briefs of 10, 100 and 1,000 stories.

Stories are built from the sample articles (analysed once, repeated). Baseline in the same run: rendering the
same HTML with WeasyPrint directly, without our templates' print CSS (paged media, TOC counters, bookmarks),
so the ratio shows what the brief's layout costs over a plain WeasyPrint page.

    python bench/render.py [--sizes 10,100,1000]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.analyse import analyse_article  # noqa: E402
from briefing.ingest import ReadContext  # noqa: E402
from briefing.ingest.folder import read_article_file  # noqa: E402
from briefing.models import Brief, Story  # noqa: E402
from briefing.render import render_html, render_pdf  # noqa: E402


def make_brief(analyses: list, n: int) -> Brief:
    stories = []
    for i in range(n):
        a = analyses[i % len(analyses)]
        stories.append(Story(id=str(i), headline=f"{a.article.title} ({i})", analyses=(a,), key_facts=a.key_facts,
                             open_issues=a.open_issues, actors=a.actors))
    return Brief(title="Bench Brief", date=date(2026, 11, 25), generated=datetime.now(UTC),
                 stories=tuple(stories), top_lines=tuple(s.key_facts[0] for s in stories[:5]))


def timed(func, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    ctx = ReadContext(store=None, now=datetime.now(UTC), zone=ZoneInfo("UTC"))
    analyses = [analyse_article(read_article_file(p, "Samples", ctx, 5_000_000))
                for p in sorted((ROOT / "samples" / "articles").glob("*.txt"))]
    from pypdf import PdfReader
    from weasyprint import HTML

    print(f"{'stories':>8} {'html s':>8} {'pdf s':>8} {'pages':>6} {'plain pdf s':>12} {'ratio':>6} {'ms/story':>9}")
    for n in [int(s) for s in args.sizes.split(",")]:
        brief = make_brief(analyses, n)
        t_html, page = timed(render_html, brief)
        t_pdf, pdf = timed(render_pdf, brief)
        plain = page.replace('<link rel="stylesheet" href="brief.css">', "")
        t_plain, _ = timed(HTML(string=plain).write_pdf)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{n:>8} {t_html:>8.3f} {t_pdf:>8.2f} {pages:>6} {t_plain:>12.2f} {t_pdf / t_plain:>6.2f} {1000 * t_pdf / n:>9.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
