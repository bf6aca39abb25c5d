"""Render speed: the PDF of briefs of 10, 30 and 60 stories, beside plain WeasyPrint in the same run.

Stories are made as ``brief build`` makes them (``assemble.build_story`` on groups of three analysed articles:
facts with outlets, corroboration, merged actors, three sources each), from the sample articles and, where the
development data is there (``../shared/data/bbc-dev``), a few hundred BBC articles, so the index of actors grows
with the stories. Each brief also has three times as many "Also reported" stories as stories, as a big day has.

Baseline in the same run: WeasyPrint rendering the same print HTML without our stylesheet (no paged media, fonts,
contents page numbers, bookmarks, grid or columns), so the ratio shows what the brief's layout costs over a plain
WeasyPrint page; ms/story shows whether the time is linear in stories. The last line times a second
``write_brief`` of the unchanged 30-story brief (pdf, html, json), which should not render again.

    python bench/render.py [--sizes 10,30,60] [--repeat 2]

Before-figures of an older checkout: ``cd OLD && PYTHONPATH=OLD python /path/to/bench/render.py`` (this file puts
its own checkout last on ``sys.path``, so ``PYTHONPATH`` wins).
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from markupsafe import escape  # noqa: E402

import briefing  # noqa: E402
import briefing.render as render_module  # noqa: E402
from briefing.analyse import analyse_article  # noqa: E402
from briefing.assemble import build_story  # noqa: E402
from briefing.config import Config  # noqa: E402
from briefing.ingest import ReadContext  # noqa: E402
from briefing.ingest.folder import read_article_file  # noqa: E402
from briefing.models import Analysis, Brief, Excluded, Story  # noqa: E402
from briefing.render import display_title, render_html, render_pdf, write_brief  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc-dev" / "News Articles"
POOL = 360  # articles analysed at most (enough for 60 stories of three articles)


def analysed_pool(limit: int) -> list[Analysis]:
    """The sample articles, then BBC articles (one category after another) up to ``limit``, analysed once."""
    ctx = ReadContext(store=None, now=datetime.now(UTC), zone=ZoneInfo("UTC"))
    paths = sorted((ROOT / "samples" / "articles").glob("*.txt"))
    if BBC.is_dir():
        paths += sorted(BBC.glob("*/*.txt"))
    out = []
    for path in paths[:limit]:
        try:
            out.append(analyse_article(read_article_file(path, "Samples" if "samples" in path.parts else "BBC", ctx,
                                                         5_000_000)))
        except Exception as exc:  # an unreadable file is left out of the pool, as a build would
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
    return out


def make_brief(pool: list[Analysis], n: int, cfg: Config) -> Brief:
    """``n`` stories of three articles each and ``3 n`` one-article "Also reported" stories, cycling the pool."""
    def pick(k: int) -> Analysis:
        return pool[k % len(pool)]

    stories = []
    for i in range(n):
        group = [pick(3 * i + j) for j in range(3)]
        story = build_story([0, 1, 2], group, [[], [], []], cfg)
        stories.append(Story(**{**story.__dict__, "id": f"s{i}", "headline": f"{story.headline} ({i + 1})"}))
    more = []
    for i in range(3 * n):
        a = pick(3 * n + i)
        more.append(Story(id=f"m{i}", headline=f"{a.article.title} ({i + 1})", analyses=(a,), key_facts=a.key_facts))
    excluded = (Excluded("Samples", "broken.txt", "not UTF-8 and no encoding detected"),)
    return Brief(title="Bench Brief", date=date(2026, 11, 25), generated=datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
                 stories=tuple(stories), top_lines=tuple(s.key_facts[0] for s in stories[:5] if s.key_facts),
                 more_stories=tuple(more), excluded=excluded)


def best(repeat: int, func: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest CPU time of ``repeat`` runs. Rendering runs on one thread, so CPU time is the wall time of an
    idle machine; on a shared one it is the figure that other processes disturb least."""
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = func()
        times.append(time.process_time() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,30,60")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cfg = Config()
    pool = analysed_pool(min(POOL, 6 * max(sizes)))
    from pypdf import PdfReader
    from weasyprint import HTML

    checkout = Path(briefing.__file__).resolve().parent.parent
    if (checkout / "templates" / "brief.html").is_file():  # an editable install maps briefing.templates to its own
        render_module.BUILTIN_TEMPLATES = checkout / "templates"  # checkout: render with the imported one's

    print(f"briefing {briefing.__version__} from {checkout}, templates {render_module.BUILTIN_TEMPLATES}; "
          f"{len(pool)} articles in the pool; CPU seconds, best of {args.repeat}")
    render_pdf(make_brief(pool, 1, cfg))  # warm-up: WeasyPrint's import, fontconfig, the templates
    print(f"{'stories':>8} {'pages':>6} {'pdf s':>8} {'plain s':>8} {'ratio':>6} {'ms/story':>9} {'index':>6} "
          f"{'also':>5}")
    for n in sizes:
        brief = make_brief(pool, n, cfg)
        t_pdf, pdf = best(args.repeat, lambda b=brief: render_pdf(b))  # type: ignore[misc]
        page = render_html(brief, for_print=True)
        plain = page.replace('<link rel="stylesheet" href="brief.css">', "")
        t_plain, _ = best(args.repeat, lambda p=plain: HTML(string=p).write_pdf())  # type: ignore[misc]
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        index_entries = page.count('class="index-name"')  # in the PDF's HTML
        also = sum(str(escape(display_title(s.headline))) in page for s in brief.more_stories)
        print(f"{n:>8} {pages:>6} {t_pdf:>8.2f} {t_plain:>8.2f} {t_pdf / t_plain:>6.2f} "
              f"{1000 * t_pdf / n:>9.1f} {index_entries:>6} {also:>5}")
    brief = make_brief(pool, 30, cfg)
    with tempfile.TemporaryDirectory() as tmp:
        t_first, _ = best(1, lambda: write_brief(brief, Path(tmp), ["pdf", "html", "json"]))
        t_again, _ = best(1, lambda: write_brief(brief, Path(tmp), ["pdf", "html", "json"]))
    print(f"write_brief of 30 stories (pdf, html, json): {t_first:.2f} s, again unchanged: {t_again:.2f} s "
          f"({t_again / t_first:.2f})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
