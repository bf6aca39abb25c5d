"""The `brief` command end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import SEED, write_config
from tests.e2e.cli import brief


def test_build_a_day_without_articles(tmp_path: Path, articles_dir: Path) -> None:
    (articles_dir / "broken.txt").write_bytes(b"")
    write_config(tmp_path, articles_dir)
    # the inbox folder is ingested today, so a day long ago has no article: nothing is invented for it
    done = brief("build", "--date", "2001-01-01", "--format", "pdf,json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    paths = done.stdout.split()
    assert [Path(p).parent.name for p in paths] == ["2001-01-01"] * 2
    assert [Path(p).name for p in paths] == ["brief.pdf", "brief.json"]
    text = " ".join(page.extract_text() for page in PdfReader(paths[0]).pages)
    assert "No articles were found" in " ".join(text.split())
    data = json.loads(Path(paths[1]).read_text())
    assert data["stories"] == []
    # one bad article is reported and skipped, never the whole brief
    assert data["excluded"] == [{"source": "Samples", "item": "broken.txt", "error": "the file is empty"}]
    assert "broken.txt" in done.stderr and "not included" in done.stderr.lower()
    # strict mode turns a skipped item into exit status 1
    write_config(tmp_path, articles_dir, extra="").write_text(
        (tmp_path / "config.toml").read_text().replace("max_stories = 30", "max_stories = 30\nstrict = true"))
    assert brief("build", "--date", "2001-01-01", "--format", "json", cwd=tmp_path).returncode == 1


def test_build_today_and_rerun_adds_nothing_twice(tmp_path: Path, articles_dir: Path) -> None:
    write_config(tmp_path, articles_dir)
    first = brief("build", "--date", "today", "--format", "json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    data = json.loads(Path(first.stdout.split()[0]).read_text())
    assert len(data["stories"]) + len(data.get("more_stories", [])) >= 8
    assert any("NATO" in " ".join(s["key_facts"]) for s in data["stories"])
    second = brief("-v", "build", "--date", "today", "--format", "json", cwd=tmp_path)
    assert second.returncode == 0 and "0 new articles" in second.stderr
    assert json.loads(Path(second.stdout.split()[0]).read_text())["stories"] == data["stories"]


def test_bad_usage_and_config_exit_2(tmp_path: Path) -> None:
    done = brief("build", "--date", "tomorrowish", cwd=tmp_path)
    assert done.returncode == 2 and "is not a date" in done.stderr
    done = brief("build", "--date", "today", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Error: Config file not found: config.toml; pass --config PATH or run in the folder that holds config.toml"]
    (tmp_path / "config.toml").write_text("[brief]\nformats = ['doc']\n[email]\nport = 'x'\n")
    done = brief("check-config", "config.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 2 and "'email.port'" in done.stderr


def test_check_config_ok(tmp_path: Path, articles_dir: Path) -> None:
    write_config(tmp_path, articles_dir)
    done = brief("check-config", "config.toml", cwd=tmp_path)
    assert done.returncode == 0 and "OK" in done.stdout


def test_summarize_json_lines_and_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    done = brief("summarize", str(SEED), str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
                 "--facts", "4", "--json", cwd=tmp_path)
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    seed = lines[0]
    assert seed["path"] == str(SEED) and set(seed) == {"path", "title", "date", "key_facts", "open_issues", "actors"}
    assert len(seed["key_facts"]) == 4 and seed["date"] is None
    text = SEED.read_text()
    positions = [text.index(fact) for fact in seed["key_facts"]]
    assert positions == sorted(positions)  # verbatim, in article order
    assert "error" in lines[1] and "empty" in lines[1]["error"]
    assert "error" in lines[2] and "cannot read" in lines[2]["error"]


def test_summarize_text_output(tmp_path: Path) -> None:
    done = brief("summarize", str(SEED), cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("# ") and "Key facts:" in done.stdout


def test_version_and_help(tmp_path: Path) -> None:
    assert brief("--version", cwd=tmp_path).stdout.startswith("brief, version ")
    helptext = brief("--help", cwd=tmp_path).stdout
    for command in ("build", "summarize", "ingest", "check-config"):
        assert command in helptext


def test_ingest_then_build_a_backfilled_day(tmp_path: Path, articles_dir: Path) -> None:
    write_config(tmp_path, articles_dir)
    done = brief("ingest", "--date", "2026-01-05", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("21 new, 0 already known")
    assert brief("ingest", cwd=tmp_path).stdout.startswith("0 new, 21 already known")
    built = brief("build", "--date", "2026-01-05", "--format", "json", cwd=tmp_path)
    data = json.loads(Path(built.stdout.split()[0]).read_text())
    assert len(data["stories"]) >= 8
