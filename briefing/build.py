"""The orchestrator: ingest → clean → analyse → assemble → render, for one day."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from briefing.analyse import analyse_article, analyser_version, analysis_from_dict, analysis_to_dict
from briefing.assemble import assemble_brief
from briefing.config import Config
from briefing.errors import StoreError
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
    """Analyse each stored article (reusing a stored analysis of the same analyser); a failure is reported and skipped."""
    facts, method = cfg.brief.facts_per_article, cfg.brief.summarizer
    version = analyser_version(facts, method)
    analyses: list[Analysis] = []
    sources: list[list[dict]] = []
    excluded: list[Excluded] = []
    items = list(rows)
    for row_id, article, article_sources in progress(items) if progress else items:
        try:
            stored = store.load_analysis(row_id, version)
            if stored is not None:
                analysis = analysis_from_dict(article, stored)
            else:
                analysis = analyse_article(article, facts, method)
                store.save_analysis(row_id, version, analysis_to_dict(analysis))
        except StoreError:
            raise
        except Exception as exc:  # one bad article must never stop the brief
            logger.warning("not included: %s: analysis failed: %s", article.title, exc, exc_info=True)
            excluded.append(Excluded(article.source, article.title, f"analysis failed: {exc}"))
            continue
        analyses.append(analysis)
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
