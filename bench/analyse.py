"""Throughput of ``briefing.analyse.analyse_article`` against a sumy LexRank + pySBD baseline, in the same run.

Run: ``python bench/analyse.py [--root DIR] [--limit N] [--facts K] [--method NAME] [--passes P]``.
Articles: ../shared/data/bbc-dev "News Articles" when present (first line is the title), else the repo's
samples/articles. Prints articles/second for ours (sentences, key facts, open issues and actors) and for the
baseline (sumy PlaintextParser with a tokenizer whose ``to_sentences`` is pySBD, then LexRank for K sentences;
key facts only), and the ratio. Each side runs once over the same articles after one warm-up article.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

# One core, as the speed targets say: OpenBLAS (under numpy, which the summariser and sumy use) keeps worker threads
# spinning after each call, and their CPU time counted towards whichever stage came next (actors read 9.7 ms per 600
# words here instead of about 5). Set before numpy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pysbd  # noqa: E402
from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)
from nltk.tokenize import TreebankWordTokenizer  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.parsers.plaintext import PlaintextParser  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from briefing.analyse import analyse_article  # noqa: E402
from briefing.models import Article  # noqa: E402

_WORDLIKE = re.compile(r"\w")



def load_articles(root: Path | None, limit: int) -> tuple[str, list[Article]]:
    """Return (where from, articles); BBC files carry the title on their first line."""
    if root is None:
        root = BBC if BBC.is_dir() else REPO / "samples" / "articles"
    articles = []
    for p in sorted(root.rglob("*.txt"))[:limit]:
        text = read_text(p).strip()
        title, _, body = text.partition("\n")
        if root.name != "News Articles":
            title, body = p.stem, text
        articles.append(Article(id=str(p), title=title.strip(), text=body.strip(), source="bench"))
    return str(root), articles


class PysbdTokenizer:
    """A sumy tokenizer with pySBD sentences (fed paragraph by paragraph) and Treebank words (no NLTK data)."""

    language = "english"

    def __init__(self) -> None:
        self._seg = pysbd.Segmenter(language="en", clean=False)
        self._words = TreebankWordTokenizer()

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._seg.segment(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if _WORDLIKE.search(w))


def make_baseline(facts: int) -> Callable[[Article], list[str]]:
    tokenizer = PysbdTokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(article: Article) -> list[str]:
        parser = PlaintextParser.from_string(article.text, tokenizer)
        return [str(s) for s in summarizer(parser.document, facts)]

    return run


def throughput(run: Callable[[Article], object], articles: list[Article]) -> float:
    """Articles per second over one pass, after one warm-up call."""
    run(articles[0])
    t0 = time.perf_counter()
    for a in articles:
        run(a)
    return len(articles) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=None, help="folder of .txt articles")
    ap.add_argument("--limit", type=int, default=100_000)
    ap.add_argument("--facts", type=int, default=3)
    ap.add_argument("--method", default="default", help="summariser for analyse_article")
    ap.add_argument("--passes", type=int, default=3, help="passes of the per-stage timing (the best is reported)")
    args = ap.parse_args(argv)

    where, articles = load_articles(args.root, args.limit)
    if not articles:
        print(f"no articles under {where}", file=sys.stderr)
        return 1
    words = sum(len(a.text.split()) for a in articles)
    print(f"articles: {len(articles)} from {where}; {words / len(articles):.0f} words/article on average")

    ours = throughput(lambda a: analyse_article(a, facts=args.facts, method=args.method), articles)
    base = throughput(make_baseline(args.facts), articles)
    print(f"{'pipeline':<46} {'articles/s':>10} {'ms/article':>10}")
    print(f"{'ours: analyse_article (method=' + args.method + ')':<46} {ours:>10.1f} {1000 / ours:>10.2f}")
    print(f"{'baseline: sumy LexRank + pySBD sentences':<46} {base:>10.1f} {1000 / base:>10.2f}")
    print(f"throughput ratio ours/baseline: {ours / base:.2f}x")
    print_stages(articles, args.facts, args.method, words, args.passes)
    return 0


def print_stages(articles: list[Article], facts: int, method: str, words: int, passes: int) -> None:
    """CPU time of each analysis stage, per 600 words (the issues' speed targets are stated that way): the best of
    ``passes`` passes over all the articles (the first has the per-word caches of the actor tagger cold)."""
    from briefing.analyse.actors import extract_actors
    from briefing.analyse.facts import select_key_facts
    from briefing.analyse.issues import extract_open_issues
    from briefing.analyse.sentences import split_sentences

    extract_actors(articles[0].text, split_sentences(articles[0].text))  # the model loads once, outside the timing
    stages = ("sentences", "key facts", "open issues", "actors")
    best = dict.fromkeys(stages, float("inf"))
    scale = 1000 * 600 / words
    for n in range(passes):
        totals = dict.fromkeys(stages, 0.0)
        for a in articles:
            t0 = time.process_time()
            sentences = split_sentences(a.text)
            t1 = time.process_time()
            select_key_facts(sentences, facts, method)
            t2 = time.process_time()
            extract_open_issues(sentences)
            t3 = time.process_time()
            extract_actors(a.text, sentences)
            t4 = time.process_time()
            for key, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                totals[key] += dt
        print(f"CPU ms per 600 words, pass {n + 1}: " + ", ".join(f"{k} {v * scale:.2f}" for k, v in totals.items()))
        best = {k: min(best[k], totals[k]) for k in stages}
    print(f"best of {passes} passes, CPU ms per 600 words: " + ", ".join(f"{k} {v * scale:.2f}" for k, v in best.items()))


if __name__ == "__main__":
    sys.exit(main())
