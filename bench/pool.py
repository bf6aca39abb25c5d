"""The analysis stage in a pool of worker processes against one process, on the same articles in one run.

Run: ``python bench/pool.py [--articles 1000] [--workers 2] [--repeat 3]``. Texts: bbc-dev (../shared/data) or,
without it, the repository's samples repeated. Prints the wall time of ``engine.LocalEngine`` with 1 worker (the
baseline, in this process) and with ``--workers`` processes (pool start-up included), the median of
``--repeat`` alternating runs, their ratio, the load average (the machine may be shared) and the CPU seconds
each used (the pool's overhead, which a busy machine does not hide). ``PYTHONPATH=/old/tree python bench/pool.py``
times an older tree's pool (``build._analyse_many``) the same way.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.analyse import analyse_article  # noqa: E402
from briefing.models import Article  # noqa: E402

try:
    from briefing.engine import LocalEngine  # noqa: E402

    def run(jobs: list, workers: int) -> list:
        return list(LocalEngine(workers).map(analyse_article, jobs))
except ImportError:  # a tree from before briefing/engine.py (PYTHONPATH=/old/tree): its spawned pool
    from briefing.build import _analyse_many  # type: ignore[attr-defined]  # noqa: E402

    def run(jobs: list, workers: int) -> list:
        return list(_analyse_many(jobs, workers))


def articles(count: int) -> list[Article]:
    paths = sorted(BBC.glob("*/*.txt")) if BBC.exists() else []
    paths = paths or sorted((REPO / "samples" / "articles").glob("*.txt"))
    out = []
    for k in range(count):
        path = paths[k % len(paths)]
        title, _, body = read_text(path).partition("\n")
        out.append(Article(id=f"{path}#{k}", title=title.strip(), text=body.strip(), source="bench"))
    return out


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jobs = [(a, 3, "default") for a in articles(args.articles)]
    run(jobs[:5], 1)  # warm the models of this process
    timings: dict[int, list[float]] = {1: [], args.workers: []}
    cpu: dict[int, list[float]] = {1: [], args.workers: []}
    outputs = {}
    load = os.getloadavg()[0]
    for _ in range(args.repeat):
        for workers in timings:
            started, cpu_started = time.perf_counter(), _cpu()
            outputs[workers] = run(jobs, workers)
            timings[workers].append(time.perf_counter() - started)
            cpu[workers].append(_cpu() - cpu_started)
            assert all(data is not None for data, _ in outputs[workers])
    assert outputs[1] == outputs[args.workers], "the pool's analyses differ from one process's"
    base, pool = statistics.median(timings[1]), statistics.median(timings[args.workers])
    print(f"{args.articles} articles, median of {args.repeat}: 1 process {base:.2f} s; {args.workers} workers "
          f"{pool:.2f} s; speed-up x{base / pool:.2f} (load average {load:.2f} before, {os.getloadavg()[0]:.2f} after, "
          f"{os.cpu_count()} cores)")
    print(f"CPU seconds (this process and its workers), median: 1 process {statistics.median(cpu[1]):.2f}; "
          f"{args.workers} workers {statistics.median(cpu[args.workers]):.2f}")


if __name__ == "__main__":
    main()
