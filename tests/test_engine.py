"""The engines: this machine's process pool and a real Dask cluster (2 worker processes on 127.0.0.1) give the
same analyses in the same order; one failing article is reported, the rest built; bad settings are clear errors."""

from __future__ import annotations

import dataclasses
import pickle
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster

from briefing import build as build_module
from briefing import engine as engine_module
from briefing.analyse import analyse_article, analyser_version, analysis_from_dict, analysis_to_dict
from briefing.build import analyse_all, build
from briefing.config import Config, EngineConfig, SourceConfig, load_config, parse_config
from briefing.engine import DaskEngine, Job, LocalEngine, make_engine
from briefing.errors import ConfigError, EngineError
from briefing.ingest import ingest
from briefing.store import Store
from tests.conftest import NOW, SAMPLES, write_config
from tests.failing_analyser import FAIL, KILL, analyse_or_fail

DAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """One cluster for the module. A task whose worker dies fails at once (no retry on another worker), and a
    worker runs one task at a time, so a worker's death fails only the task it was running. Its HTTP server (no
    dashboard without bokeh) listens on a free port of 127.0.0.1."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}):
        local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                             dashboard_address="127.0.0.1:0")
    with local:
        yield local


def _config(kind: str, scheduler: str = "", articles: Path = SAMPLES) -> Config:
    cfg = Config()
    cfg.brief.workers = 1
    cfg.engine = EngineConfig(kind=kind, scheduler=scheduler, timeout=30.0)
    cfg.sources = [SourceConfig(name="Samples", type="folder", path=articles, inbox=True)]
    return cfg


def _jobs(tmp_path: Path, marked: dict[str, str] | None = None) -> list[Job]:
    """The sample articles, read and cleaned by ingest; ``marked``: file name -> marker added to its text."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(SAMPLES.glob("*.txt")):
        extra = f"\n\nThis paragraph is marked {marked[path.name]} for the test.\n" if path.name in (marked or {}) else ""
        (folder / path.name).write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with Store(tmp_path / "jobs.db") as store:
        ingest(_config("local", articles=folder), store, NOW)
        return [(article, 3, "default") for _, article, _ in store.articles_for_day(NOW.date(), with_ids=True)]


def test_a_dask_cluster_gives_the_local_analyses_in_order_and_never_sees_the_store(cluster: LocalCluster, tmp_path: Path) -> None:
    results = {}
    for kind in ("local", "dask"):
        cfg = _config(kind, cluster.scheduler_address)
        with Store(tmp_path / f"{kind}.db") as store:
            ingest(cfg, store, NOW)
            rows = store.articles_for_day(NOW.date(), with_ids=True)
            analyses, _, excluded = analyse_all(cfg, store, rows)  # type: ignore[arg-type]
            assert not excluded
            assert [a.article.id for a in analyses] == [article.id for _, article, _ in rows]
            results[kind] = [analysis_to_dict(a) for a in analyses]
            version = analyser_version(3, "default")
            stored = [analysis_from_dict(article, store.load_analysis(row_id, version) or {}) for row_id, article, _ in rows]
            assert stored == analyses  # saved to the store by this process
    assert results["dask"] == results["local"] and len(results["local"]) == len(list(SAMPLES.glob("*.txt")))
    with Client(cluster) as client:  # the workers ran the analysis; none of them ever loaded the store's code
        loaded = client.run(lambda: ("briefing.analyse" in sys.modules, "briefing.store" in sys.modules))
    assert list(loaded.values()) == [(True, False), (True, False)]


def test_with_dask_one_failing_article_is_reported_and_the_brief_built(
    cluster: LocalCluster, tmp_path: Path, articles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = articles_dir / "amalgum_news_basra.txt"
    marked.write_text(marked.read_text(encoding="utf-8") + f"\n\nThis paragraph is marked {FAIL}.\n", encoding="utf-8")
    cfg = load_config(write_config(tmp_path, articles_dir, f'\n[engine]\nkind = "dask"\nscheduler = "{cluster.scheduler_address}"\n'))
    assert cfg.engine.kind == "dask"
    monkeypatch.setattr(build_module, "analyse_article", analyse_or_fail)  # a module function: workers import it
    result = build(cfg, DAY, formats=["json"], now=NOW)
    failed = [e for e in result.brief.excluded if e.error.startswith("analysis failed")]
    assert len(failed) == 1 and "Basra" in failed[0].item
    assert failed[0].error == f"analysis failed: marked to fail: {failed[0].item}"
    built = sum(len(s.analyses) for s in result.brief.stories + result.brief.more_stories)
    assert built == len(list(articles_dir.glob("*.txt"))) - 1 and len(result.brief.stories) >= 8
    assert result.paths["json"].is_file()


def test_the_local_pool_forked_spawned_or_from_a_fork_server_gives_the_serial_outcomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From a fork server and spawned here (this process may run the cluster's threads: no fork); forked in a
    fresh process of one thread."""
    jobs = _jobs(tmp_path, {"amalgum_news_nato.txt": FAIL})
    serial = list(LocalEngine(1).map(analyse_or_fail, jobs))
    assert [data is None for data, _ in serial].count(True) == 1
    monkeypatch.setattr(engine_module, "POOL_MIN_ARTICLES", 2)
    for method in ("forkserver", "spawn"):
        monkeypatch.setattr(engine_module, "_start_method", lambda method=method: method)
        assert list(LocalEngine(2).map(analyse_or_fail, jobs)) == serial, method
    (tmp_path / "serial.pickle").write_bytes(pickle.dumps((jobs, serial)))
    script = """
import pickle, sys
from briefing import engine
from tests.failing_analyser import analyse_or_fail
jobs, serial = pickle.loads(open(sys.argv[1], "rb").read())
engine.POOL_MIN_ARTICLES = 2
assert engine._start_method() == "fork", engine._start_method()
assert list(engine.LocalEngine(2).map(analyse_or_fail, jobs)) == serial
print("same")
"""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "serial.pickle")], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout.strip()) == (0, "same"), done.stderr[-2000:]


def test_the_engine_comes_from_the_registry() -> None:
    cfg = Config()
    cfg.brief.workers = 3
    assert make_engine(cfg) == LocalEngine(3)
    cfg.engine = EngineConfig(kind="dask", scheduler="tcp://10.0.0.5:8786", timeout=5.0)
    assert make_engine(cfg) == DaskEngine("tcp://10.0.0.5:8786", 5.0)


@pytest.mark.parametrize("address", ["", "localhost:8786", "http://127.0.0.1:8786", "tcp://127.0.0.1",
                                     "tcp://:8786", "tcp://127.0.0.1:99999", "tcp://127.0.0.1:8786/x"])
def test_a_bad_scheduler_address_is_a_config_error_that_shows_the_form(address: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"engine": {"kind": "dask", "scheduler": address}}, Path("."))
    assert info.value.problems == [
        "Config value 'engine.scheduler': expected the Dask scheduler's address as tcp://HOST:PORT, "
        f"e.g. scheduler = \"tcp://10.0.0.5:8786\", got {address!r}"]


def test_engine_settings_are_typed_and_unknown_keys_reported() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"engine": {"kind": "spark", "timeout": "soon", "workers": 4}}, Path("."))
    assert info.value.problems == [
        "Config value 'engine.timeout': expected a number, got 'soon'",
        "Config key 'engine.workers' is unknown: remove it or use one of kind, scheduler, timeout",
        "Config value 'engine.kind': unknown engine 'spark'; choose from local, dask",
    ]
    cfg = parse_config({"engine": {"kind": "dask", "scheduler": "tcp://[::1]:8786", "timeout": 3}}, Path("."))
    assert cfg.engine == EngineConfig("dask", "tcp://[::1]:8786", 3.0)
    assert parse_config({}, Path(".")).engine == EngineConfig()


def test_dask_without_the_distributed_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(ConfigError, match=r"needs the distributed package; install it with pip install 'briefing\[dask\]'"):
        parse_config({"engine": {"kind": "dask", "scheduler": "tcp://127.0.0.1:8786"}}, Path("."))
    engine = DaskEngine("tcp://127.0.0.1:8786", 1.0)
    job: Job = _one_job()
    with pytest.raises(EngineError, match=r"needs the distributed package: pip install 'briefing\[dask\]'"):
        list(engine.map(analyse_article, [job]))


def _one_job() -> Job:
    from briefing.models import Article

    return (Article(id="a", title="A", text="The council met on Monday. It approved the budget.", source="t"), 3, "default")


def test_an_unreachable_scheduler_fails_the_build_within_its_timeout() -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(EngineError, match=rf"Dask scheduler tcp://127.0.0.1:{port} cannot be reached within 1 s .*`dask scheduler`"):
        list(DaskEngine(f"tcp://127.0.0.1:{port}", 1.0).map(analyse_article, [_one_job()]))
    assert time.monotonic() - started < 30  # bounded (not a speed check: it would otherwise wait for ever)


def test_a_scheduler_without_workers_is_a_clear_error() -> None:
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as empty:
        with pytest.raises(EngineError, match=r"has no worker after 1 s; start one with `dask worker tcp://127\.0\.0\.1:\d+"):
            list(DaskEngine(empty.scheduler_address, 1.0).map(analyse_article, [_one_job()]))


def test_no_jobs_need_no_cluster() -> None:
    assert list(DaskEngine("tcp://127.0.0.1:9", 1.0).map(analyse_article, [])) == []


def test_an_article_that_kills_its_dask_worker_is_reported_alone(cluster: LocalCluster, tmp_path: Path) -> None:
    """Last in the module: it kills a worker twice (its chunk, then itself alone); the nanny restarts it."""
    jobs = _jobs(tmp_path, {"amalgum_news_egypt.txt": KILL})
    local = list(LocalEngine(1).map(analyse_article, jobs))
    outcomes = list(DaskEngine(cluster.scheduler_address, 30.0).map(analyse_or_fail, jobs))
    killed = [k for k, (data, _) in enumerate(outcomes) if data is None]
    assert len(killed) == 1 and KILL in jobs[killed[0]][0].text
    assert outcomes[killed[0]] == (None, "its analysis killed the Dask worker running it")
    assert [o for k, o in enumerate(outcomes) if k not in killed] == [o for k, o in enumerate(local) if k not in killed]


def test_the_shipped_config_documents_the_engine() -> None:
    text = (Path(__file__).resolve().parent.parent / "config.toml").read_text(encoding="utf-8")
    assert "# [engine]" in text
    for field in dataclasses.fields(EngineConfig):
        assert f"# {field.name} = " in text, f"config.toml does not document engine.{field.name}"


def test_brief_build_says_in_one_line_when_the_scheduler_cannot_be_reached(tmp_path: Path, articles_dir: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli import cli

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_config(tmp_path, articles_dir, f'\n[engine]\nkind = "dask"\nscheduler = "tcp://127.0.0.1:{port}"\ntimeout = 1\n')
    result = CliRunner().invoke(cli, ["build", "--date", "today", "--config", str(config), "--format", "json"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output
    assert errors[0].startswith(f"Error: Dask scheduler tcp://127.0.0.1:{port} cannot be reached within 1 s (")
    assert errors[0].endswith("); start it with `dask scheduler` or set [engine] kind = \"local\"")
