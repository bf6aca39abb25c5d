"""A whole day end to end: ``briefing.build.build`` on 100, 1,000 and 10,000-article days, stage by stage.

Each day is a folder of article files made from real texts (bbc-dev, ECB+ and the Wikinews samples of
``../shared/data``, else the repo's ``samples/articles``): every article mixes windows of sentences of two or three
source texts, with its own title, outlet, URL and time, so near-duplicate detection merges none of them (the
number merged is printed). The day goes through the real pipeline (a folder source, a fresh SQLite store, the
configured formats) in a child process per build, so each build's memory is its own:

- cold: a fresh store (nothing ingested or analysed yet);
- warm: a second build of the same day on the same store (files unchanged).

Printed per stage (imports, ingest, analyse (reading the day back included), assemble, render (PDF and the other
formats), the rest (storing the brief)): wall seconds, CPU seconds (the build's process and its worker processes)
and the peak resident set of the process tree while the stage ran (sampled every 20 ms). The baseline, measured
in the same run on the same articles (``--baseline-max``, default 1,000 articles at most): sumy LexRank with pySBD
sentences choosing the key facts alone (``bench/analyse.py``'s baseline, one BLAS thread), and the ratio of the
whole cold build to it; the issue's aim is at most 0.5 at 1,000 articles.

Usage:
    python bench/day.py [--sizes 100,1000,10000] [--engine local|dask] [--scheduler tcp://HOST:PORT]
                        [--stages ingest,analyse,assemble,render] [--formats pdf,html] [--baseline-max 1000]
                        [--no-warm] [--data ../shared/data] [--keep DIR] [--json FILE]

``--engine`` goes to the config's ``[engine] kind`` (``--scheduler`` to ``[engine] scheduler``); a kind the
installed briefing does not accept stops the bench with the config's message (exit status 2). ``--stages`` names the stages to run: the build stops after the last one named.
Run against another tree with ``PYTHONPATH=/that/tree python bench/day.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DAY = date(2024, 3, 5)
STAGES = ("ingest", "analyse", "assemble", "render")
OUTLETS = ["Wire", "Daily Courier", "Herald", "Morning Post", "Times", "Radio One", "Gazette", "Observer",
           "Tribune", "Chronicle", "Ledger", "Standard"]
_ECB_SPACING = [(re.compile(r" ([,.;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$]) "), r"\1"),
                (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"), (re.compile(r"`` ?| ?''"), '"')]


# -- the day's articles -----------------------------------------------------------------------------------


def _ecb_text(raw: str) -> str:
    """An ECB+ document (one tokenised sentence a line) as running text, its URL lines dropped."""
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("http")]
    text = " ".join(lines)
    for pattern, repl in _ECB_SPACING:
        text = pattern.sub(repl, text)
    return text


def source_texts(data: Path) -> tuple[list[list[str]], str]:
    """Sentence lists of real articles (at least 6 sentences each), and where they came from."""
    from briefing.analyse.sentences import split_sentences

    texts: list[str] = []
    origins = []
    bbc = sorted((data / "bbc-dev" / "News Articles").glob("*/*.txt"))
    for path in bbc:
        raw = path.read_bytes()
        body = raw.decode("utf-8", errors="replace") if raw.isascii() or _utf8(raw) else raw.decode("latin-1")
        texts.append(body.split("\n", 1)[-1])
    if bbc:
        origins.append(f"bbc-dev {len(bbc)}")
    ecb = data / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.exists():
        with open(ecb, encoding="utf-8") as f:
            docs = [_ecb_text(json.loads(line)["text"]) for line in f]
        texts.extend(docs)
        origins.append(f"ECB+ {len(docs)}")
    wikinews = sorted((data / "samples").glob("*wikinews*/*.txt"))
    texts.extend(read_article_text(p) for p in wikinews)
    if wikinews:
        origins.append(f"Wikinews samples {len(wikinews)}")
    if not texts:
        own = sorted((ROOT / "samples" / "articles").glob("*.txt"))
        texts = [read_article_text(p) for p in own]
        origins.append(f"samples/articles {len(own)}")
    lists = [s for s in (split_sentences(t) for t in texts) if len(s) >= 6]
    return lists, f"{' + '.join(origins)} ({len(lists)} texts of 6 sentences or more)"


def read_article_text(path: Path) -> str:
    """An article file's text as the folder reader keeps it (the helper moved in this round: either tree)."""
    try:
        from briefing.evaluation import read_article_text as read
    except ImportError:
        from briefing.ingest.folder import read_article_text as read  # type: ignore[attr-defined,no-redef]
    return read(path)


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _window(sentences: list[str], rng: random.Random, low: int, high: int) -> list[str]:
    size = min(len(sentences), rng.randint(low, high))
    start = rng.randrange(len(sentences) - size + 1)
    return sentences[start : start + size]


def write_day(folder: Path, count: int, pool: list[list[str]], rng: random.Random) -> None:
    """``count`` article files for ``DAY``: windows of 5-12 + 4-8 (+ 1-4, one time in two) sentences of two or
    three source texts (about 16 sentences, 350 words: a news article's length).

    The second text's share keeps any two articles below the near-duplicate Jaccard (0.7) even when they took
    the same window of the same first text."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        a, b, c = rng.sample(pool, 3)
        sentences = _window(a, rng, 5, 12) + _window(b, rng, 4, 8) + (_window(c, rng, 1, 4) if rng.random() < 0.5 else [])
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        words = sentences[0].split()
        title = " ".join(words[: rng.randint(6, 11)]).rstrip(",;:")
        outlet = rng.choice(OUTLETS)
        slug = outlet.lower().replace(" ", "")
        stamp = datetime(DAY.year, DAY.month, DAY.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)
        head = (f"Title: {title}\nDate: {stamp.isoformat()}\nOutlet: {outlet}\n"
                f"Source: https://{slug}.example/{DAY.isoformat()}/{n}\n\n")
        (folder / f"a{n:06d}.txt").write_text(head + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def write_config(where: Path, folder: Path, formats: list[str], engine: str | None, scheduler: str | None = None) -> Path:
    """A config.toml for the day: one folder source, a store and an output folder under ``where``."""
    lines = ["[brief]", 'title = "Bench day"', 'timezone = "UTC"', f'output_dir = "{where / "out"}"',
             f"formats = {json.dumps(formats)}", "", "[store]", f'path = "{where / "store.db"}"', ""]
    if engine is not None:
        lines += ["[engine]", f'kind = "{engine}"'] + ([f'scheduler = "{scheduler}"'] if scheduler else []) + [""]
    lines += ["[[sources]]", 'name = "Day"', 'type = "folder"', f'path = "{folder}"', ""]
    path = where / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- measuring one build (in a child process) ---------------------------------------------------------


class TreeSampler(threading.Thread):
    """Samples the resident set of this process and its descendants every ``interval`` seconds."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop_event = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _tree(self, pid: int) -> list[int]:
        out, todo = [], [pid]
        while todo:
            p = todo.pop()
            out.append(p)
            try:
                for task in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{task}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                continue
        return out

    def rss(self) -> int:
        total = 0
        for pid in self._tree(os.getpid()):
            try:
                with open(f"/proc/{pid}/statm") as f:
                    total += int(f.read().split()[1]) * self._page
            except (OSError, IndexError, ValueError):
                continue
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append((time.perf_counter(), self.rss()))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak(self, start: float, end: float) -> int:
        inside = [r for t, r in self.samples if start <= t <= end]
        return max(inside, default=max((r for _, r in self.samples), default=0))


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Stop(Exception):
    """Raised after the last stage asked for, to end the build there."""


def child_build(config: Path, stages: list[str]) -> dict[str, Any]:
    """Build ``DAY`` with ``config`` in this process; the figures of each stage."""
    sampler = TreeSampler()
    sampler.start()
    marks: list[tuple[str, float, float]] = [("start", time.perf_counter(), _cpu())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter(), _cpu()))

    import briefing
    from briefing import build as build_module
    from briefing import render
    from briefing.config import load_config
    from briefing.errors import ConfigError

    mark("imported")
    own_templates = Path(briefing.__file__).resolve().parents[1] / "templates"
    if own_templates.is_dir() and own_templates != Path(render.BUILTIN_TEMPLATES).resolve():
        # Another tree on PYTHONPATH: the installed (editable) package maps briefing.templates to the checkout's
        # templates; render with that tree's own.
        render.BUILTIN_TEMPLATES = own_templates  # type: ignore[misc]
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        return {"error": str(exc)}
    last = stages[-1]

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            mark(f"{name}:start")
            result = fn(*args, **kwargs)
            mark(f"{name}:end")
            if name == last and last != STAGES[-1]:  # a full run goes on to store the brief
                raise _Stop
            return result

        return wrapper

    build_module.ingest = timed("ingest", build_module.ingest)  # type: ignore[assignment]
    build_module.analyse_all = timed("analyse", build_module.analyse_all)  # type: ignore[assignment]
    build_module.assemble_brief = timed("assemble", build_module.assemble_brief)  # type: ignore[assignment]
    build_module.write_brief = timed("render", build_module.write_brief)  # type: ignore[assignment]
    for fmt, (filename, renderer) in list(render.RENDERERS.items()):
        render.RENDERERS[fmt] = (filename, timed(f"format {fmt}", renderer))
    stories = excluded = -1
    try:
        result = build_module.build(cfg, DAY, now=datetime(DAY.year, DAY.month, DAY.day, 23, tzinfo=UTC))
        stories, excluded = len(result.brief.stories), len(result.brief.excluded)
    except _Stop:
        pass
    mark("end")
    sampler.stop()
    from briefing.store import Store

    with Store(cfg.store.path) as store:
        stored = store.article_count()
    at = {name: (t, c) for name, t, c in marks}

    def span(first: str, second: str) -> dict[str, float] | None:
        if first not in at or second not in at:
            return None
        (t0, c0), (t1, c1) = at[first], at[second]
        return {"wall": t1 - t0, "cpu": c1 - c0, "peak": sampler.peak(t0, t1)}

    figures = {
        "imports": span("start", "imported"),
        "ingest": span("ingest:start", "ingest:end"),
        "analyse": span("ingest:end", "analyse:end"),  # the day read back from the store, then analysed
        "assemble": span("assemble:start", "assemble:end"),
        "render": span("render:start", "render:end"),
        "total": span("start", "end"),
    }
    formats = {name.split(":")[0].removeprefix("format "): span(name, name.replace(":start", ":end"))
               for name, _, _ in marks if name.startswith("format ") and name.endswith(":start")}
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"stages": figures, "formats": formats, "stories": stories, "excluded": excluded, "stored": stored,
            "maxrss": own.ru_maxrss * 1024, "children_maxrss": children.ru_maxrss * 1024}


def child_baseline(folder: Path) -> dict[str, Any]:
    """sumy LexRank + pySBD choosing 3 key facts of every article of ``folder`` (bench/analyse.py's baseline)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from analyse import make_baseline  # type: ignore[import-not-found]

    texts = [read_article_text(p) for p in sorted(folder.glob("*.txt"))]
    run = make_baseline(3)
    from briefing.models import Article

    articles = [Article(id=str(k), title="", text=t, source="bench") for k, t in enumerate(texts)]
    run(articles[0])  # warm-up: models and caches
    t0, c0 = time.perf_counter(), time.process_time()
    for article in articles:
        run(article)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "articles": len(articles)}


def _run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True,
                          env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


# -- the table ----------------------------------------------------------------------------------------------


def _cell(fig: dict[str, float] | None) -> str:
    if not fig:
        return "–"
    return f"{fig['wall']:.2f} / {fig['cpu']:.2f} / {fig['peak'] / 2**20:.0f}"


def print_table(rows: list[tuple[int, str, dict[str, Any]]], header: bool = True) -> None:
    names = ("imports", *STAGES, "total")
    if header:
        print("\nwall s / CPU s / peak MiB of the process tree, per stage")
        print("| articles | build | " + " | ".join(names) + " | PDF | stories |")
        print("|---" * (len(names) + 4) + "|")
    for size, label, res in rows:
        cells = [_cell(res["stages"].get(n)) for n in names]
        pdf = res["formats"].get("pdf")
        print(f"| {size:,} | {label} | " + " | ".join(cells) + f" | {_cell(pdf)} | {res['stories']} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="articles per day, comma-separated")
    parser.add_argument("--engine", choices=("local", "dask"), default=None,
                        help="[engine] kind of the config (default: none written, the installed default)")
    parser.add_argument("--scheduler", default=None, help="[engine] scheduler (tcp://HOST:PORT) with --engine dask")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    parser.add_argument("--stages", default=",".join(STAGES), help="stages to run; the build stops after the last")
    parser.add_argument("--formats", default="pdf,html", help="[brief] formats")
    parser.add_argument("--baseline-max", type=int, default=1000, help="largest day the sumy baseline runs on")
    parser.add_argument("--no-warm", action="store_true", help="only the cold build")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the days in this folder and keep them; a day already there is reused")
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown or not stages:
        parser.error(f"--stages: unknown {unknown}; choose from {', '.join(STAGES)}")
    stages = [s for s in STAGES if s in stages]  # in pipeline order
    if args.child_build:
        print("RESULT " + json.dumps(child_build(args.child_build, stages)))
        return 0
    if args.child_baseline:
        print("RESULT " + json.dumps(child_baseline(args.child_baseline)))
        return 0

    import briefing

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    pool, origin = source_texts(args.data)
    print(f"briefing from {Path(briefing.__file__).parent}; texts: {origin}; cores: {os.cpu_count()}; "
          f"stages: {', '.join(stages)}; formats: {', '.join(formats)}; engine: {args.engine or '(default)'}")
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-day-"))
    rows: list[tuple[int, str, dict[str, Any]]] = []
    baselines: dict[int, dict[str, Any]] = {}
    try:
        for size in sizes:
            where = base / f"day-{size}"
            folder = where / "articles"
            if args.keep and folder.is_dir() and sum(1 for _ in folder.glob("*.txt")) == size:
                print(f"{size:,} articles: the day kept in {folder}")  # the same files for another tree
            else:
                shutil.rmtree(folder, ignore_errors=True)
                write_day(folder, size, pool, random.Random(f"{args.seed}:{size}"))
            shutil.rmtree(where / "out", ignore_errors=True)  # a fresh store and output for the cold build
            for old in where.glob("store.db*"):
                old.unlink()
            config = write_config(where, folder, formats, args.engine, args.scheduler)
            for label in ("cold", "warm")[: 1 if args.no_warm else 2]:
                try:
                    res = _run_child(["--child-build", str(config), "--stages", ",".join(stages)])
                except SystemExit as exc:  # one failed build: say so and go on with the next
                    print(exc, file=sys.stderr, flush=True)
                    continue
                if "error" in res:
                    print(f"the config was refused ({'--engine ' + args.engine if args.engine else 'config'}):\n"
                          f"{res['error']}", file=sys.stderr)
                    return 2
                rows.append((size, label, res))
                if args.json:
                    args.json.write_text(json.dumps({"rows": rows, "baselines": baselines}, indent=1))
                print_table([(size, label, res)], header=False)
                print(f"{size:,} articles, {label}: {res['stored']:,} stored ({size - res['stored']:,} merged), "
                      f"{res['stories']} stories, total {res['stages']['total']['wall']:.1f} s wall, "
                      f"max RSS {res['maxrss'] / 2**20:.0f} MiB (largest worker {res['children_maxrss'] / 2**20:.0f})",
                      flush=True)
            if size <= args.baseline_max:
                env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
                baselines[size] = b = _run_child(["--child-baseline", str(folder)], env)
                if args.json:
                    args.json.write_text(json.dumps({"rows": rows, "baselines": baselines}, indent=1))
                cold = _cold(rows, size)
                print(f"{size:,} articles, baseline sumy LexRank + pySBD key facts: {b['wall']:.1f} s wall, "
                      f"{b['cpu']:.1f} s CPU" + (f"; cold build / baseline = {cold['wall'] / b['wall']:.2f} wall, "
                                                 f"{cold['cpu'] / b['cpu']:.2f} CPU" if cold else ""), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print_table(rows)
    if baselines:
        print("\n| articles | sumy LexRank + pySBD key facts (wall s / CPU s) | cold build (wall s / CPU s) "
              "| ratio (wall / CPU) |")
        print("|---|---|---|---|")
        for size, b in baselines.items():
            cold = _cold(rows, size)
            if cold:
                print(f"| {size:,} | {b['wall']:.2f} / {b['cpu']:.2f} | {cold['wall']:.2f} / {cold['cpu']:.2f} "
                      f"| {cold['wall'] / b['wall']:.2f} / {cold['cpu'] / b['cpu']:.2f} |")
    return 0


def _cold(rows: list[tuple[int, str, dict[str, Any]]], size: int) -> dict[str, float] | None:
    """The whole cold build's figures at ``size``, if it ran."""
    return next((r["stages"]["total"] for s, label, r in rows if s == size and label == "cold"), None)


if __name__ == "__main__":
    sys.exit(main())
