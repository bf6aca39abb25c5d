"""The orchestrator: ingest → clean → analyse → assemble → render, for one day."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from briefing.analyse import analyse_article, analyser_version, analysis_from_dict, analysis_to_dict
from briefing.assemble import assemble_brief
from briefing.config import Config
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


POOL_MIN_ARTICLES = 16  # fewer new articles than this are analysed in this process (a pool costs ~1 s to start)
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _analyse_one(job: tuple[Article, int, str]) -> tuple[dict | None, str]:
    """Analyse one article in a worker: its analysis as a dict, or None and why it failed."""
    article, facts, method = job
    try:
        return analysis_to_dict(analyse_article(article, facts, method)), ""
    except Exception as exc:  # reported by the parent, like a failure in-process
        return None, str(exc) or type(exc).__name__


def _analyse_many(jobs: list[tuple[Article, int, str]], workers: int) -> Iterator[tuple[dict | None, str]]:
    """Analyses in the order of ``jobs``: in a pool of ``workers`` processes (each with its models loaded once
    and BLAS on one thread) when there are enough, else here."""
    if workers <= 1 or len(jobs) < POOL_MIN_ARTICLES:
        yield from map(_analyse_one, jobs)
        return
    saved = {key: os.environ.get(key) for key in _ONE_THREAD}
    os.environ.update(_ONE_THREAD)  # inherited by the spawned workers before they import numpy
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield from pool.map(_analyse_one, jobs, chunksize=max(1, min(32, len(jobs) // (4 * workers))))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def analyse_all(
    cfg: Config, store: Store, rows: Iterable[tuple[int, Article, list[dict]]], progress: Progress | None = None
) -> tuple[list[Analysis], list[list[dict]], list[Excluded]]:
    """Analyse each stored article (reusing a stored analysis of the same analyser); a failure is reported and skipped.

    New articles are analysed in ``[brief] workers`` processes (0: one per core); the results are the
    same as in one process and come back in the articles' order.
    """
    facts, method = cfg.brief.facts_per_article, cfg.brief.summarizer
    version = analyser_version(facts, method)
    items = list(rows)
    found: dict[int, Analysis] = {}
    failed: dict[int, str] = {}
    new: list[int] = []
    for k, (row_id, article, _) in enumerate(items):
        stored = store.load_analysis(row_id, version)
        if stored is None:
            new.append(k)
            continue
        try:
            found[k] = analysis_from_dict(article, stored)
        except (KeyError, TypeError, ValueError):  # a stored analysis of an older shape: analyse again
            new.append(k)
    workers = cfg.brief.workers or os.cpu_count() or 1
    results = _analyse_many([(items[k][1], facts, method) for k in new], workers)
    for k, (data, error) in zip(new, progress(results) if progress else results, strict=True):
        row_id, article, _ = items[k]
        if data is None:
            failed[k] = error
            continue
        store.save_analysis(row_id, version, data)
        found[k] = analysis_from_dict(article, data)
    analyses: list[Analysis] = []
    sources: list[list[dict]] = []
    excluded: list[Excluded] = []
    for k, (_, article, article_sources) in enumerate(items):
        if k in failed:  # one bad article must never stop the brief
            logger.warning("not included: %s: analysis failed: %s", article.title, failed[k])
            excluded.append(Excluded(article.source, article.title, f"analysis failed: {failed[k]}"))
        elif k in found:
            analyses.append(found[k])
            sources.append(article_sources)
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
        rows = store.articles_for_day(day, window, with_ids=True)
        analyses, sources, failed = analyse_all(cfg, store, rows, progress)  # type: ignore[arg-type]
        excluded = [*report.excluded, *failed]
        brief = assemble_brief(cfg, analyses, sources, day, now, excluded, store)
        paths = write_brief(brief, out_dir, formats, cfg.brief.templates_dir)
        store.save_brief(day, brief_data(brief), [str(p) for p in paths.values()])
    logger.info("brief for %s: %d stories, %d excluded", day, len(brief.stories), len(brief.excluded))
    return BuildResult(brief, paths)
