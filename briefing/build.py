"""The orchestrator: ingest → clean → analyse → assemble → render, for one day."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from briefing.analyse import analyse_article, analyser_version, analysis_from_dict
from briefing.archive import write_archive
from briefing.assemble import assemble_brief
from briefing.config import Config
from briefing.engine import make_engine
from briefing.ingest import ingest
from briefing.models import Analysis, Article, Brief, Excluded
from briefing.render import brief_data, write_brief
from briefing.store import Store

logger = logging.getLogger(__name__)

Progress = Callable[[Iterable], Iterable]


@dataclass
class BuildResult:
    brief: Brief
    paths: dict[str, Path]


def analyse_all(
    cfg: Config, store: Store, rows: Iterable[tuple[int, Article, list[dict]]], progress: Progress | None = None
) -> tuple[list[Analysis], list[list[dict]], list[Excluded]]:
    """Analyse each stored article (reusing a stored analysis of the same analyser); a failure is reported and skipped.

    New articles are analysed by the ``[engine]`` (``briefing.engine``: ``[brief] workers`` processes here, or a
    Dask cluster); the results are the same as in one process and come back in the articles' order.
    """
    facts, method = cfg.brief.facts_per_article, cfg.brief.summarizer
    version = analyser_version(facts, method)
    # One pass over the rows, which may stream from the store: a stored analysis is taken as its row comes, a
    # new article goes to the engine, which pulls jobs as it has room, so only the articles in flight are held
    # beside the analyses.
    slots: list[Analysis | str | None] = []  # per row: its analysis, why it failed, or None while in flight
    kept: list[tuple[Article, list[dict]]] = []
    in_flight: deque[tuple[int, int, Article]] = deque()

    def jobs() -> Iterator[tuple[Article, int, str]]:
        for row_id, article, article_sources in rows:
            k = len(slots)
            kept.append((article, article_sources))
            stored = store.load_analysis(row_id, version)
            if stored is not None:
                try:
                    slots.append(analysis_from_dict(article, stored))
                    continue
                except (KeyError, TypeError, ValueError):  # a stored analysis of an older shape: analyse again
                    pass
            slots.append(None)
            in_flight.append((k, row_id, article))
            yield article, facts, method

    # analyse_article is looked up here, at call time, so that tests can swap it
    results = make_engine(cfg).map(analyse_article, jobs())
    for data, error in progress(results) if progress else results:
        k, row_id, article = in_flight.popleft()
        if data is None:
            slots[k] = error
            continue
        store.save_analysis(row_id, version, data)
        slots[k] = analysis_from_dict(article, data)
    assert not in_flight, "the engine returned fewer results than it was given articles"
    analyses: list[Analysis] = []
    sources: list[list[dict]] = []
    excluded: list[Excluded] = []
    for slot, (article, article_sources) in zip(slots, kept, strict=True):
        if isinstance(slot, Analysis):
            analyses.append(slot)
            sources.append(article_sources)
        else:  # one bad article must never stop the brief
            logger.warning("not included: %s: analysis failed: %s", article.title, slot)
            excluded.append(Excluded(article.source, article.title, f"analysis failed: {slot}"))
    return analyses, sources, excluded


def build(
    cfg: Config,
    day: date,
    *,
    formats: list[str] | None = None,
    out_dir: Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the brief for ``day``: ingest the sources, analyse, assemble, render.

    Args:
        cfg: the loaded configuration.
        day: the date of the brief (in the configured time zone).
        formats: output formats; default ``cfg.brief.formats``.
        out_dir: output folder; the brief lands in ``out_dir/YYYY-MM-DD/``. Default ``cfg.brief.output_dir``.
        now: the current time (aware); injectable for tests.
        progress: wraps the article iterable to show progress (the CLI passes a progress bar).

    Raises:
        StoreError, RenderError: a broken stage. Bad articles and sources never raise: they are excluded.
    """
    now = now or datetime.now(cfg.zone)
    formats = formats or cfg.brief.formats
    out_dir = out_dir or cfg.brief.output_dir
    with Store(cfg.store.path) as store:
        report = ingest(cfg, store, now)
        window = max((s.window_days for s in cfg.sources), default=0)
        rows = store.iter_articles_for_day(day, window)
        analyses, sources, failed = analyse_all(cfg, store, rows, progress)  # type: ignore[arg-type]
        excluded = [*report.excluded, *failed]
        brief = assemble_brief(cfg, analyses, sources, day, now, excluded, store)
        paths = write_brief(brief, out_dir, formats, cfg.brief.templates_dir)
        store.save_brief(day, brief_data(brief), [str(p) for p in paths.values()])
        write_archive(store, out_dir, cfg.brief.title, cfg.brief.templates_dir)  # index.html and briefs.atom
    logger.info("brief for %s: %d stories, %d excluded", day, len(brief.stories), len(brief.excluded))
    return BuildResult(brief, paths)
