"""The orchestrator: stored analyses are reused, bad articles are excluded, not fatal."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from briefing import build as build_module
from briefing import engine as engine_module
from briefing.analyse import analysis_from_dict, analysis_to_dict
from briefing.build import build
from briefing.config import Config
from tests.conftest import NOW

DAY = date(2026, 11, 25)


def test_analyses_are_stored_and_reused(sample_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(sample_config, DAY, formats=["json"], now=NOW)
    count = sqlite3.connect(sample_config.store.path).execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
    assert count == sum(len(s.analyses) for s in first.brief.stories + first.brief.more_stories) > 0

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stored analysis should have been reused")

    monkeypatch.setattr(build_module, "analyse_article", must_not_run)
    second = build(sample_config, DAY, formats=["json"], now=NOW)
    assert second.brief.stories == first.brief.stories


def test_round_trip_of_an_analysis(sample_config: Config) -> None:
    result = build(sample_config, DAY, formats=["json"], now=NOW)
    for story in result.brief.stories:
        for analysis in story.analyses:
            assert analysis_from_dict(analysis.article, analysis_to_dict(analysis)) == analysis


def test_an_article_whose_analysis_fails_is_excluded(sample_config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    real = build_module.analyse_article

    def flaky(article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "Basra" in article.title:
            raise ValueError("boom")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(build_module, "analyse_article", flaky)
    sample_config.brief.workers = 1  # the patched function runs in this process only
    result = build(sample_config, DAY, formats=["json"], now=NOW)
    failed = [e for e in result.brief.excluded if "analysis failed: boom" in e.error]
    assert len(failed) == 2 and all("Basra" in e.item for e in failed)
    assert len(result.brief.stories) >= 8


def test_a_pool_of_workers_gives_the_serial_analyses(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Worker processes (forked here) analyse new articles; their analyses equal those of one process, in order."""
    from briefing.analyse import analysis_to_dict
    from briefing.build import analyse_all
    from briefing.config import Config, SourceConfig
    from briefing.ingest import ingest
    from briefing.store import Store
    from tests.conftest import NOW, SAMPLES

    def must_not_run(*args: object) -> None:
        raise AssertionError("a stored analysis should have been reused")

    monkeypatch.setattr(engine_module, "POOL_MIN_ARTICLES", 2)
    results = []
    for workers in (1, 2):
        cfg = Config()
        cfg.brief.workers = workers
        cfg.sources = [SourceConfig(name="Samples", type="folder", path=SAMPLES, inbox=True)]
        with Store(tmp_path / f"w{workers}.db") as store:
            ingest(cfg, store, NOW)
            rows = store.articles_for_day(NOW.date(), with_ids=True)
            analyses, _, excluded = analyse_all(cfg, store, rows)  # type: ignore[arg-type]
            results.append([analysis_to_dict(a) for a in analyses])
            assert not excluded and len(analyses) == len(rows) > 10
            # stored by the parent: a second pass loads every analysis instead of computing it
            with monkeypatch.context() as patch:
                patch.setattr(build_module, "analyse_article", must_not_run)
                assert [analysis_to_dict(a) for a in analyse_all(cfg, store, rows)[0]] == results[-1]  # type: ignore[arg-type]
    assert results[0] == results[1]
