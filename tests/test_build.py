"""The orchestrator: stored analyses are reused, bad articles are excluded, not fatal."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from briefing import build as build_module
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
    result = build(sample_config, DAY, formats=["json"], now=NOW)
    failed = [e for e in result.brief.excluded if "analysis failed: boom" in e.error]
    assert len(failed) == 2 and all("Basra" in e.item for e in failed)
    assert len(result.brief.stories) >= 8
