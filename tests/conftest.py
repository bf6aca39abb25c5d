"""Shared fixtures: the repository's sample articles and a config that builds a brief from them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.config import Config, load_config
from briefing.ingest import http as http_module
from briefing.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"
SEED = SAMPLES / "nato-iraq-training.txt"
NOW = datetime(2026, 11, 25, 6, 30, tzinfo=ZoneInfo("UTC"))


def write_config(folder: Path, articles: Path, extra: str = "") -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"""
[brief]
title = "Test Brief"
formats = ["pdf", "html", "json", "md"]
max_stories = 30

[store]
path = "store.db"

[[sources]]
name = "Samples"
type = "folder"
path = "{articles.as_posix()}"
inbox = true
{extra}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """A private copy of the sample articles, safe to add bad files to."""
    target = tmp_path / "articles"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def sample_config(tmp_path: Path, articles_dir: Path) -> Config:
    return load_config(write_config(tmp_path, articles_dir))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store in a fresh file."""
    with Store(tmp_path / "briefing.db") as opened:
        yield opened


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP retries without waiting between attempts."""
    monkeypatch.setattr(http_module, "BACKOFF", 0.0)
