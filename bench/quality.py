"""Summary quality on bbc-dev: ROUGE F1 of 3-sentence key facts for every method, plus time per article.

Run: ``python bench/quality.py`` (reads ../shared/data/bbc-dev; needs the bench extra: rouge-score);
``--split held`` for the fifth kept back from tuning; ``--wikinews`` for the gate's 16 hand-referenced
Wikinews articles (lead-style news, a check that no weight is tuned on).
Scores are rouge-score F1 with Porter stemming (ROUGE-1, ROUGE-2, ROUGE-Lsum), averaged over articles.
The article title (first line) is not part of the text; the reference summaries glue their sentences
together without spaces, so they are split on sentence-final punctuation followed by a capital.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from common import read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.summarise import SUMMARIZERS, select_key_facts
from briefing.text import split_sentences

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-dev"
WIKINEWS = Path(__file__).resolve().parents[1] / "tests" / "data" / "summaries"
_GLUED = re.compile(r"(?<=[.!?])([\"'”’]?)(?=[\"“]?[A-Z])")


@dataclass(frozen=True)
class Doc:
    name: str  # category/NNN
    sentences: list[str]
    reference: list[str]



def split_reference(text: str) -> list[str]:
    """Split a glued reference summary ("...stabilise.China's ...") into sentences."""
    glued = _GLUED.sub(lambda m: m.group(1) + "\n", text.strip())
    return [s.strip() for s in glued.splitlines() if s.strip()]


def held_out(name: str) -> bool:
    """The fixed fifth of bbc-dev kept back from tuning (chosen by a hash of the file name)."""
    return zlib.crc32(name.encode()) % 5 == 0


def load_bbc(root: Path = DEFAULT_ROOT, split: str = "all") -> list[Doc]:
    """Load bbc-dev articles and references; ``split`` is "all", "tune" or "held"."""
    docs = []
    for path in sorted((root / "News Articles").glob("*/*.txt")):
        name = f"{path.parent.name}/{path.stem}"
        if split == "tune" and held_out(name) or split == "held" and not held_out(name):
            continue
        ref_path = root / "Summaries" / path.parent.name / path.name
        if not ref_path.exists():
            continue
        _, _, body = read_text(path).partition("\n")  # the first line is the title
        sentences = split_sentences(body)
        reference = split_reference(read_text(ref_path))
        if sentences and reference:
            docs.append(Doc(name, sentences, reference))
    return docs


def load_wikinews(root: Path = WIKINEWS) -> list[Doc]:
    """The 16 Wikinews articles of the quality gate with their hand-written references: a check, never tuned on."""
    docs = []
    for ref_path in sorted(root.glob("*.ref")):
        body = ref_path.with_suffix(".txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
        reference = [line.strip() for line in ref_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        docs.append(Doc(ref_path.stem, split_sentences(body), reference))
    return docs


def _key(sentence: str) -> str:
    return re.sub(r"\W+", "", sentence.lower())


def longest(sentences: Sequence[str], k: int) -> list[int]:
    """Diagnostic, not a method: the k longest sentences, to show what length alone earns on bbc-dev."""
    return sorted(sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))[:k])


def evaluate(docs: Sequence[Doc], methods: dict[str, Callable[[Sequence[str], int], list[int]]], k: int = 3):  # type: ignore[no-untyped-def]
    """Return {method: (R1, R2, RLsum, hits, seconds per article)}: rouge-score F1 x 100, and the share (%) of
    chosen sentences that are reference sentences, a check on fact choice that sentence length cannot game."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in methods}
    seconds = dict.fromkeys(methods, 0.0)
    for doc in docs:  # methods interleaved per article, so a change in machine load hits them alike
        reference = "\n".join(doc.reference)
        in_reference = {_key(r) for r in doc.reference}
        for name, method in methods.items():
            start = time.perf_counter()
            chosen = method(doc.sentences, k)
            seconds[name] += time.perf_counter() - start
            s = scorer.score(reference, "\n".join(doc.sentences[i] for i in chosen))
            hits = statistics.fmean(_key(doc.sentences[i]) in in_reference for i in chosen) if chosen else 0.0
            scores[name].append((s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeLsum"].fmeasure, hits))
    return {
        name: tuple(100 * statistics.fmean(x[j] for x in rows) for j in range(4)) + (seconds[name] / len(docs),)
        for name, rows in scores.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--split", choices=("all", "tune", "held"), default="all")
    parser.add_argument("-k", type=int, default=3)
    parser.add_argument("--wikinews", action="store_true",
                        help="score the quality gate's 16 Wikinews references (tests/data/summaries) instead")
    args = parser.parse_args(argv)
    if args.wikinews:
        docs, label = load_wikinews(), "wikinews check"
    elif not (args.root / "News Articles").is_dir():
        print(f"bbc-dev not found at {args.root}", file=sys.stderr)
        return 1
    else:
        docs, label = load_bbc(args.root, args.split), f"bbc-dev ({args.split})"
    methods = {name: (lambda s, k, m=name: select_key_facts(s, k, m)) for name in SUMMARIZERS}
    methods["(longest, diagnostic)"] = longest
    # warm caches (stemmer, imports) so the first method timed is not penalised
    for name in ("default", "lexrank"):
        select_key_facts(docs[0].sentences, args.k, name)
    results = evaluate(docs, methods, args.k)
    mean_sentences = statistics.fmean(len(d.sentences) for d in docs)
    print(f"{label}: {len(docs)} articles, {mean_sentences:.1f} sentences each, k={args.k}")
    print(f"{'method':<22} {'R1':>6} {'R2':>6} {'RLsum':>6} {'hits%':>6} {'ms/article':>11}")
    for name, (r1, r2, rl, hits, sec) in sorted(results.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:<22} {r1:6.2f} {r2:6.2f} {rl:6.2f} {hits:6.1f} {1000 * sec:11.2f}")
    baselines = {n: v for n, v in results.items() if n not in ("default", "(longest, diagnostic)")}
    best = max(baselines, key=lambda n: baselines[n][0])
    d = results["default"]
    print(f"default - best baseline ({best}): {d[0] - baselines[best][0]:+.2f} R1 (aim >= +1)")
    print(f"default - lead: {d[0] - results['lead'][0]:+.2f} R1 (aim >= +10)")
    print(f"time default / lexrank: {d[4] / results['lexrank'][4]:.2f}x (aim <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
