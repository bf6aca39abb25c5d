"""Article size: time and peak memory of one very long article, at 1k, 4k and 16k sentences.

Run: ``python bench/size.py [--sizes 1000 4000 16000] [--root DIR]``.
Text: the bbc-dev "News Articles" bodies (title lines dropped) when ../shared/data is present, else the repo's
samples/articles (repeated as needed), joined into one article and cut at the end of its N-th sentence.
Every measurement runs in its own process, so each peak resident set (``ru_maxrss``) is that of one size and one
job; every process imports the same modules first, outside the timing:

- baseline: read the file (``read_article_file``) and split it into sentences;
- key facts: the same, then ``select_key_facts`` (the default summariser);
- brief summarize: what ``brief summarize FILE`` runs (read, then ``analyse_article``: key facts, open issues and
  actors, all capped at the first ``MAX_SCORED_SENTENCES`` sentences).

Ratios are against the baseline at the same size. The aim (issue "Article size must not be quadratic"): 16k
sentences in under 10 s and 500 MB for the key facts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, as in bench/analyse.py
    os.environ.setdefault(_var, "1")

from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.analyse import MAX_SENTENCE_CHARS, analyse_article  # noqa: E402
from briefing.analyse.facts import MAX_SCORED_SENTENCES, select_key_facts  # noqa: E402
from briefing.analyse.sentences import sentence_spans, split_sentences  # noqa: E402
from briefing.config import Config  # noqa: E402
from briefing.ingest import ReadContext  # noqa: E402
from briefing.ingest.folder import read_article_file  # noqa: E402

JOBS = ("baseline", "facts", "summarize")


def long_article(root: Path | None, sentences: int) -> tuple[str, str]:
    """(where from, one article body of exactly ``sentences`` sentences made of real articles in a row)."""
    if root is None:
        root = BBC if BBC.is_dir() else REPO / "samples" / "articles"
    bodies = []
    for p in sorted(root.rglob("*.txt")):
        text = read_text(p).strip()
        bodies.append(text.partition("\n")[2].strip() if root.name == "News Articles" else text)
    if not bodies:
        raise SystemExit(f"no articles under {root}")
    parts: list[str] = []
    count = 0
    while count < sentences:  # repeated only when the folder holds fewer sentences than asked for
        body = bodies[len(parts) % len(bodies)]
        parts.append(body)
        count += len(split_sentences(body))
    text = "\n\n".join(parts)
    spans = sentence_spans(text)
    return f"{root} ({len(parts)} articles in a row)", text[: spans[sentences - 1][1]]


def job(name: str, path: Path) -> dict[str, float]:
    """Run one measurement in this process; seconds per stage and the peak resident set in MB."""
    cfg = Config()
    ctx = ReadContext(store=None, now=datetime.now(cfg.zone), zone=cfg.zone)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    article = read_article_file(path, "files", ctx, max_bytes=50_000_000)
    sentences = split_sentences(article.text)
    out["split"] = time.perf_counter() - t0
    if name in ("facts", "summarize"):
        t = time.perf_counter()
        fit = [s for s in sentences if len(s) <= MAX_SENTENCE_CHARS]
        select_key_facts(fit, 3)
        out["facts"] = time.perf_counter() - t
    if name == "summarize":  # what brief summarize runs after reading: analyse_article (all stages, capped)
        t = time.perf_counter()
        analyse_article(article, 3)
        out["analyse"] = time.perf_counter() - t
    out["total"] = time.perf_counter() - t0
    out["sentences"] = len(sentences)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def measure(name: str, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--job", name, str(path)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{name} on {path} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000], help="sentences per article")
    ap.add_argument("--root", type=Path, default=None, help="folder of .txt articles")
    ap.add_argument("--job", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)  # one measurement
    args = ap.parse_args(argv)
    if args.job:
        print(json.dumps(job(args.job[0], Path(args.job[1]))))
        return 0

    print(f"key facts score at most MAX_SCORED_SENTENCES = {MAX_SCORED_SENTENCES:,} sentences")
    print(f"{'sentences':>9} {'KB':>6} | {'baseline':>15} | {'key facts (x baseline)':>29} | "
          f"{'brief summarize (x baseline)':>30} | analyse_article")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            where, body = long_article(args.root, n)
            path = Path(tmp) / f"long-{n}.txt"
            path.write_text(f"Title: {n} sentences of {Path(where.split(' (')[0]).name}\n\n{body}\n", "utf-8")
            base, facts, whole = (measure(name, path) for name in JOBS)
            b_t, b_m = base["total"], base["peak_mb"]

            def cell(r: dict[str, float], b_t: float = b_t, b_m: float = b_m) -> str:
                t, m = r["total"], r["peak_mb"]
                return f"{t:6.2f} s (x{t / b_t:4.0f}) {m:5.0f} MB (x{m / b_m:3.1f})"

            print(f"{int(base['sentences']):>9,} {path.stat().st_size / 1024:>6.0f} | {b_t:6.2f} s {b_m:5.0f} MB | "
                  f"{cell(facts)} | {cell(whole):>30} | "
                  f"{whole['analyse']:.2f} s")
    print(f"text of the largest: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
