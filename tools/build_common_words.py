"""Build briefing/data/common_words.txt: words that news text writes in lower case more often than capitalised.

``briefing.analyse.actors`` uses the list to tell a common word put first in a sentence ("Combat is reported to have spread")
from a one-word name. Source: the GMB named-entity export (Voice of America newswire, US-government public domain;
see briefing/data/README.md), the same file tools/train_ner.py reads. Counted away from sentence starts: a word is
kept when it is written in lower case at least MIN_LOWER times and more often than capitalised.

Usage (from the repository root, a few seconds):
    python tools/build_common_words.py [--data ../shared/data/gmb/ner_dataset.csv.zip] [--out briefing/data/common_words.txt]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gmb" / "ner_dataset.csv.zip"
DEFAULT_OUT = ROOT / "briefing" / "data" / "common_words.txt"
MIN_LOWER = 3
_OPENERS = frozenset({'"', "'", "``", "(", ":", ";", "--"})


def count(path: Path) -> tuple[Counter[str], Counter[str]]:
    """(lower-case, capitalised) counts of alphabetic words that do not open a sentence, a quote or a bracket."""
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv"))
        raw = zf.read(name).decode("latin-1")
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    previous = ""
    reader = csv.reader(io.StringIO(raw))
    next(reader)  # header: Sentence #, Word, POS, Tag
    for row in reader:
        if len(row) < 4:
            continue
        word = row[1]
        opens = bool(row[0].strip()) or previous in _OPENERS
        previous = word
        if opens or not word.isalpha():
            continue
        if word.islower():
            lower[word] += 1
        elif word.istitle():
            capital[word.lower()] += 1
    return lower, capital


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="GMB ner_dataset.csv.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="word list to write")
    args = parser.parse_args(argv)
    lower, capital = count(args.data)
    words = sorted(w for w, n in lower.items() if n >= MIN_LOWER and n > capital[w])
    header = (
        "# Words written in lower case more often than capitalised in GMB (Voice of America newswire, public domain),\n"
        f"# away from sentence starts, at least {MIN_LOWER} times. Built by tools/build_common_words.py.\n"
    )
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(words)} words -> {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
