from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from briefing.config import (
    BriefConfig,
    EmailConfig,
    ScheduleConfig,
    SourceConfig,
    StoreConfig,
    load_config,
    parse_config,
)
from briefing.errors import ConfigError
from tests.conftest import ROOT


def problems(data: dict, base: Path = Path("/tmp")) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(data, base)
    return info.value.problems


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[[sources]]\nname = "A"\ntype = "folder"\npath = "in"\n')
    cfg = load_config(tmp_path / "config.toml")
    assert cfg.brief.formats == ["pdf", "html"]
    assert cfg.store.path == tmp_path / "briefing.db"
    assert cfg.brief.output_dir == tmp_path / "out"
    assert cfg.sources[0].path == tmp_path / "in"


def test_every_problem_is_reported_with_key_and_fix() -> None:
    found = problems(
        {
            "brief": {"formats": ["pdf", "docx"], "colour": "red", "facts_per_article": 0, "timezone": "Mars/Base"},
            "email": {"port": "abc", "security": "tls"},
            "schedule": {"time": "6.30"},
            "sources": [{"name": "A", "type": "folder"}, {"name": "A", "type": "rss"}],
            "extra": 1,
        }
    )
    text = "\n".join(found)
    assert "Config key 'brief.colour' is unknown" in text
    assert "Config value 'brief.formats': unknown format 'docx'; choose from pdf, html, md, json" in text
    assert "Config value 'email.port': expected an integer, got 'abc'" in text
    assert "'email.security'" in text and "'schedule.time'" in text and "'brief.timezone'" in text
    assert "'brief.facts_per_article': must be at least 1" in text
    assert "'sources[0].path': a folder source needs path" in text
    assert "'sources[1].name': the name 'A' is used twice" in text
    assert "'sources[1].type': unknown type 'rss'" in text
    assert "Config key 'extra' is unknown" in text
    assert len(found) == 11


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Config file not found"):
        load_config(tmp_path / "nope.toml")
    (tmp_path / "bad.toml").write_text("[brief\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(tmp_path / "bad.toml")


def test_sample_config_documents_every_key() -> None:
    """The shipped config.toml mentions every key of every section (as a setting or a comment)."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    load_config(ROOT / "config.toml")  # and it is valid
    tomllib.loads(text)
    for section, cls in [("brief", BriefConfig), ("store", StoreConfig), ("sources", SourceConfig),
                         ("email", EmailConfig), ("schedule", ScheduleConfig)]:
        assert f"[{section}]" in text or f"[[{section}]]" in text
        for field in dataclasses.fields(cls):
            assert f"{field.name} =" in text, f"config.toml does not document {section}.{field.name}"
