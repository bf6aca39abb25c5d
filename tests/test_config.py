from __future__ import annotations

import dataclasses
import subprocess
import sys
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


def test_line_breaks_in_values_that_go_into_email_headers_are_config_errors() -> None:
    found = problems(
        {
            "brief": {"title": "Daily\nBrief"},
            "email": {"sender": "brief@example.org\r\nBcc: spy@example.net", "recipients": ["ok@example.org", "a@b\n"],
                      "subject": "{title}\r{date}"},
        }
    )
    for key in ("brief.title", "email.sender", "email.recipients[1]", "email.subject"):
        assert f"Config value '{key}': must be one line (it goes into an email header); remove the line break" in found
    assert len(found) == 4


def test_check_config_exits_2_naming_the_key_with_a_line_break(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[email]\nsubject = "Brief\\r\\nBcc: spy@example.net"\n')
    done = subprocess.run([sys.executable, "-m", "briefing", "check-config", "config.toml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Config value 'email.subject': must be one line" in done.stderr and "Traceback" not in done.stderr


def test_source_address_policy_and_limits(tmp_path: Path) -> None:
    feed = {"name": "Intranet", "type": "feed", "url": "http://intranet.local/rss.xml"}
    cfg = parse_config({"sources": [feed, {**feed, "name": "Wire", "allow_private_hosts": True, "give_up_after": 60}]},
                       tmp_path)
    assert [s.allow_private_hosts for s in cfg.sources] == [False, True]  # refused unless a source opts in
    assert [s.give_up_after for s in cfg.sources] == [300.0, 60.0]
    found = problems({"sources": [{**feed, "timeout": 0, "give_up_after": -1, "allow_private_hosts": "yes"}]})
    assert sorted(found) == [
        "Config value 'sources[0].allow_private_hosts': expected true or false, got 'yes'",
        "Config value 'sources[0].give_up_after': must be more than 0 seconds, got -1",
        "Config value 'sources[0].timeout': must be more than 0 seconds, got 0",
    ]
