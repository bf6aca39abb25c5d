"""Every key fact and every open issue's evidence is a verbatim sentence of its article, on real news.

Run: ``python bench/verbatim.py [--method NAME] [--limit N]``. Reads ../shared/data/bbc-dev when present
(else the repo's samples). An article's raw file is the reference: a fact must appear in it word for word
(only whitespace may differ, since cleaning joins wrapped lines). Prints the counts and any violation.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import BBC, REPO, read_text  # noqa: E402  (bench/ is on sys.path when run as a script)

from briefing.analyse import analyse_article
from briefing.clean import clean_text
from briefing.models import Article


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", default="default")
    parser.add_argument("--limit", type=int, default=100_000)
    args = parser.parse_args()
    root = BBC if BBC.is_dir() else REPO / "samples" / "articles"
    files = sorted(root.rglob("*.txt"))[: args.limit]
    facts = evidence = bad = 0
    start = time.perf_counter()
    for path in files:
        raw = read_text(path)
        title, _, body = raw.strip().partition("\n")
        article = Article(id=str(path), title=title, text=clean_text(body), source="bench")
        analysis = analyse_article(article, 3, args.method)
        flat = " ".join(raw.split())
        for sentence, kind in [(f, "fact") for f in analysis.key_facts] + [(i.evidence, "evidence") for i in analysis.open_issues]:
            facts += kind == "fact"
            evidence += kind == "evidence"
            if " ".join(sentence.split()) not in flat:
                bad += 1
                print(f"NOT VERBATIM ({kind}) {path.name}: {sentence!r}")
    print(f"{len(files)} articles from {root}: {facts} key facts, {evidence} evidence sentences, "
          f"{bad} not verbatim ({time.perf_counter() - start:.1f} s, method {args.method})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
