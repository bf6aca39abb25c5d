"""Build the word clusters that ship in briefing/data/clusters.tsv (features of the named-entity model).

Distributional clusters from GMB text only (Voice of America newswire, US-government public domain), training blocks
only (never the held-out blocks of tools/train_ner.py; with --dev, not the dev blocks either):
1. each word seen at least MIN_COUNT times is described by the words right before and right after it (counts over
   the CONTEXT most frequent words, left and right apart), weighted by positive pointwise mutual information;
2. a randomised SVD cuts that to DIMS dimensions; the rows are scaled to unit length;
3. k-means (cosine, fixed seed) groups them at several granularities (LEVELS clusters), coarse to fine, as Brown
   cluster bit-prefixes of different lengths would.

Output: one line per word, ``word<TAB>cluster at each level, comma-separated``; readable with the standard library.
numpy is needed by this script only, not by briefing.

Usage (from the repository root, about a minute):
    python tools/word_clusters.py                      # briefing/data/clusters.tsv from all training blocks
    python tools/word_clusters.py --dev --out /tmp/clusters-dev.tsv   # without the dev blocks (for --dev runs)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import train_ner  # noqa: E402

DEFAULT_OUT = ROOT / "briefing" / "data" / "clusters.tsv"
MIN_COUNT = 3
CONTEXT = 2000
DIMS = 100
LEVELS = (32, 128, 512)
SEED = 20040805


def context_matrix(sentences: Sequence[Sequence[str]], vocab: dict[str, int], context: dict[str, int]) -> np.ndarray:
    """Counts of (word, context word on the left) and (word, context word on the right), PPMI-weighted."""
    n_ctx = len(context)
    counts = np.zeros((len(vocab), 2 * n_ctx + 2), dtype=np.float32)
    for words in sentences:
        padded = ["<s>", *words, "</s>"]
        for i in range(1, len(padded) - 1):
            row = vocab.get(padded[i])
            if row is None:
                continue
            left = context.get(padded[i - 1].lower(), n_ctx)
            right = context.get(padded[i + 1].lower(), n_ctx)
            counts[row, left] += 1
            counts[row, n_ctx + 1 + right] += 1
    total = counts.sum()
    rows = counts.sum(axis=1, keepdims=True)
    cols = counts.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * total / (rows * cols))
    return np.nan_to_num(np.maximum(pmi, 0), nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)


def embed(matrix: np.ndarray, dims: int, rng: np.random.Generator) -> np.ndarray:
    """Randomised SVD (two power iterations): rows of U * S, scaled to unit length."""
    sketch = matrix @ rng.standard_normal((matrix.shape[1], dims + 20), dtype=np.float32)
    for _ in range(2):
        sketch = matrix @ (matrix.T @ np.linalg.qr(sketch)[0])
    q = np.linalg.qr(sketch)[0]
    u, s, _ = np.linalg.svd(q.T @ matrix, full_matrices=False)
    vectors = (q @ u[:, :dims]) * s[:dims]
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def kmeans(vectors: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 25) -> np.ndarray:
    """Spherical k-means; returns the cluster of each row."""
    centres = vectors[rng.choice(len(vectors), k, replace=False)]
    assign = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        assign = np.argmax(vectors @ centres.T, axis=1)
        for c in range(k):
            members = vectors[assign == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-9)
            else:
                centres[c] = vectors[rng.integers(len(vectors))]
    return assign


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=train_ner.DEFAULT_DATA, help="GMB ner_dataset.csv.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dev", action="store_true", help="leave out the dev blocks too (clusters for --dev runs)")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    args = parser.parse_args(argv)

    train_set, _ = train_ner.split(train_ner.load_gmb(args.data))
    if args.dev:
        train_set, _ = train_ner.dev_split(train_set)
    sentences = [[w for w, _ in s] for s in train_set]
    freq = Counter(w for s in sentences for w in s)
    words = sorted((w for w, c in freq.items() if c >= args.min_count), key=lambda w: (-freq[w], w))
    vocab = {w: i for i, w in enumerate(words)}
    low_freq = Counter(w.lower() for s in sentences for w in s)
    context = {w: i for i, (w, _) in enumerate(low_freq.most_common(CONTEXT))}
    rng = np.random.default_rng(SEED)
    vectors = embed(context_matrix(sentences, vocab, context), DIMS, rng)
    levels = [kmeans(vectors, k, rng) for k in LEVELS]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# word clusters from GMB training text (tools/word_clusters.py); levels {LEVELS}\n")
        for i, word in enumerate(words):
            fh.write(word + "\t" + ",".join(str(int(level[i])) for level in levels) + "\n")
    print(f"{len(words)} words (seen {args.min_count}+ times) in {args.out}, {args.out.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
