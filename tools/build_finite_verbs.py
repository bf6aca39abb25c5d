"""Build briefing/data/finite_verbs.txt: word forms that are finite verbs in UD English-EWT.

A form is kept when it is a finite verb or auxiliary (``VerbForm=Fin``) in at least ``--share`` of its
occurrences in the training part of EWT (CC BY-SA 4.0, Universal Dependencies). The list lets the
sentence cleaner tell a sentence ("The army withdrew.") from a label or a caption ("Troops in Basra,
2004"). Run from the repository root:

    python tools/build_finite_verbs.py [--ud ../shared/data/ud-ewt] [--share 0.3]

``--check`` prints, on EWT's test part (never used to build the list), how often a sentence with a finite
verb is found to have one, and how often one without is found to have none.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "briefing" / "data" / "finite_verbs.txt"


def sentences(path: Path) -> list[list[tuple[str, bool]]]:
    """Each sentence of a CoNLL-U file as (lower-cased form, is a finite verb) per word."""
    out: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                out.append(current)
            current = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                finite = cols[3] in ("VERB", "AUX") and "VerbForm=Fin" in cols[5]
                current.append((cols[1].lower(), finite))
    if current:
        out.append(current)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ud", type=Path, default=Path("../shared/data/ud-ewt"))
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    finite, seen = Counter[str](), Counter[str]()
    for sentence in sentences(args.ud / "en_ewt-ud-train.conllu"):
        for form, is_finite in sentence:
            seen[form] += 1
            finite[form] += is_finite
    kept = sorted(f for f in finite if finite[f] / seen[f] >= args.share and f.isalpha() or f in ("'s", "'re", "'m", "'ve", "'d", "'ll", "n't"))
    header = ("# Finite verb forms of UD English-EWT train (CC BY-SA 4.0, universaldependencies.org), built by "
              f"tools/build_finite_verbs.py --share {args.share}; one lower-case form a line.\n")
    OUT.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} forms written to {OUT}")
    if args.check:
        words = set(kept)
        hit = [0, 0]
        total = [0, 0]
        for sentence in sentences(args.ud / "en_ewt-ud-test.conllu"):
            truth = any(f for _, f in sentence)
            found = any(form in words for form, _ in sentence)
            total[truth] += 1
            hit[truth] += found == truth
        print(f"EWT test: sentences with a finite verb found {hit[1]}/{total[1]} ({hit[1] / total[1]:.1%}); "
              f"without one found {hit[0]}/{total[0]} ({hit[0] / total[0]:.1%})")


if __name__ == "__main__":
    main()
