"""The analysis stage in a pool of worker processes against one process, on the same articles in one run.

Run: ``python bench/pool.py [--articles 400] [--workers 2]``. Texts: bbc-dev (../shared/data) or, without it,
the repository's samples repeated. Prints the wall time of ``build._analyse_many`` for 1 worker (the baseline,
in this process) and for ``--workers`` spawned processes (pool start-up included), and their ratio.
"""

from __future__ import annotations

import argparse
import time

from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.build import _analyse_many  # noqa: E402
from briefing.models import Article  # noqa: E402


def articles(count: int) -> list[Article]:
    paths = sorted(BBC.glob("*/*.txt")) if BBC.exists() else []
    paths = paths or sorted((REPO / "samples" / "articles").glob("*.txt"))
    out = []
    for k in range(count):
        path = paths[k % len(paths)]
        title, _, body = read_text(path).partition("\n")
        out.append(Article(id=f"{path}#{k}", title=title.strip(), text=body.strip(), source="bench"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    jobs = [(a, 3, "default") for a in articles(args.articles)]
    list(_analyse_many(jobs[:5], 1))  # warm the models of this process
    timings = {}
    for workers in (1, args.workers):
        started = time.perf_counter()
        results = list(_analyse_many(jobs, workers))
        timings[workers] = time.perf_counter() - started
        assert all(data is not None for data, _ in results)
    base, pool = timings[1], timings[args.workers]
    print(f"{args.articles} articles: 1 process {base:.2f} s; {args.workers} workers {pool:.2f} s; "
          f"speed-up x{base / pool:.2f}")


if __name__ == "__main__":
    main()
