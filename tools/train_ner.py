"""Train the named-entity model that ships in briefing/data/ner.crfsuite.

Data: the Groningen Meaning Bank (GMB) NER export, Voice of America newswire (US-government public domain),
47,959 sentences, 1.05 M tokens, tags B-/I- of geo, gpe, org, per, tim, art, eve, nat. We keep per, org, geo and gpe
(briefing maps them to person, organization, place, place); tim, art, eve and nat become O (not actors).

Held-out split: the sentences are in document order, so we cut them into contiguous blocks of BLOCK sentences and
hold out HELDOUT_BLOCKS of them, chosen with a fixed seed. Only block edges can cut a document.

Dev split: features and settings are chosen on DEV_BLOCKS of the training blocks (seed DEV_SEED), never on the
held-out blocks: ``--dev`` trains on the other training blocks and scores on the dev blocks.

Usage (from the repository root; 4 to 6 minutes on a shared 2-core machine, about 0.7 GB of memory):
    python tools/train_ner.py                                 # train on the training blocks, write the model
    python tools/train_ner.py --data PATH/ner_dataset.csv.zip --out briefing/data/ner.crfsuite --iterations 60
    python tools/train_ner.py --dev --c2 1.0 --iterations 100 # a setting or feature change, scored on the dev blocks
The defaults (60 L-BFGS iterations, c1 0.05, c2 0.5, minfreq 2, BIO labels of per/org/geo/gpe) are the shipped
model's. L-BFGS has no randomness, so the same data and defaults give the same model.
Evaluate afterwards with: python bench/ner_eval.py
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing import actors  # noqa: E402
from briefing.actors import LABEL_TYPES, sentence_features  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gmb" / "ner_dataset.csv.zip"
DEFAULT_OUT = ROOT / "briefing" / "data" / "ner.crfsuite"
SEED = 20040805
BLOCK = 1000  # sentences per contiguous block (a GMB document has about 20)
HELDOUT_BLOCKS = 5  # of 48: about 10 % of the corpus
DEV_SEED = 19690720
DEV_BLOCKS = 5  # of the 43 training blocks: features and hyperparameters are chosen on these, never on held-out

Sentence = list[tuple[str, str]]  # (word, label)


def load_gmb(path: Path, all_classes: bool = False) -> list[Sentence]:
    """Read the GMB CSV export (latin-1) into sentences of (word, label); labels outside per/org/geo/gpe become O
    unless ``all_classes`` (then tim, art, eve and nat are kept: briefing reads them as O)."""
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv"))
        raw = zf.read(name).decode("latin-1")
    sentences: list[Sentence] = []
    reader = csv.reader(io.StringIO(raw))
    next(reader)  # header: Sentence #, Word, POS, Tag
    for row in reader:
        if len(row) < 4:
            continue
        if row[0].strip():
            sentences.append([])
        tag = row[3]
        kind = tag[2:]
        sentences[-1].append((row[1], tag if kind in LABEL_TYPES or (all_classes and tag != "O") else "O"))
    return sentences


def split(sentences: Sequence[Sentence], seed: int = SEED) -> tuple[list[Sentence], list[Sentence]]:
    """Split into (train, held-out) by whole contiguous blocks of BLOCK sentences, chosen with a fixed seed."""
    blocks = [list(sentences[i : i + BLOCK]) for i in range(0, len(sentences), BLOCK)]
    held = set(random.Random(seed).sample(range(len(blocks)), HELDOUT_BLOCKS))
    train = [s for i, b in enumerate(blocks) if i not in held for s in b]
    test = [s for i, b in enumerate(blocks) if i in held for s in b]
    return train, test


def dev_split(train_set: Sequence[Sentence], seed: int = DEV_SEED) -> tuple[list[Sentence], list[Sentence]]:
    """Split the training sentences into (train minus dev, dev) by whole blocks of BLOCK, chosen with ``seed``."""
    blocks = [list(train_set[i : i + BLOCK]) for i in range(0, len(train_set), BLOCK)]
    dev = set(random.Random(seed).sample(range(len(blocks)), DEV_BLOCKS))
    rest = [s for i, b in enumerate(blocks) if i not in dev for s in b]
    return rest, [s for i, b in enumerate(blocks) if i in dev for s in b]


def spans(labels: Iterable[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, actor type) from BIO labels; geo and gpe are both 'place'."""
    out: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    labels = list(labels) + ["O"]
    for i, lab in enumerate(labels):
        typ = LABEL_TYPES.get(lab[2:], "") if lab != "O" else ""
        if start >= 0 and (lab.startswith("B-") or typ != kind):
            out.add((start, i, kind))
            start, kind = -1, ""
        if typ and start < 0:
            start, kind = i, typ
    return out


def bilou(labels: Sequence[str]) -> list[str]:
    """BIO labels as BILOU: the last token of a name is L-, a one-token name U- (briefing reads them back as BIO)."""
    out = list(labels)
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        continues = i + 1 < len(labels) and labels[i + 1] == "I-" + lab[2:]
        if not continues:
            out[i] = ("U-" if lab[0] == "B" else "L-") + lab[2:]
    return out


Scores = dict[str, tuple[int, int, int]]  # actor type or "all" -> (true positives, predicted, gold)


def evaluate(sentences: Sequence[Sentence], tag_words: Callable[[list[str]], list[str]]) -> Scores:
    """Entity-level counts, exact span and type, of ``tag_words`` on ``sentences``."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for sent in sentences:
        gold = spans(lab for _, lab in sent)
        pred = spans(tag_words([w for w, _ in sent]))
        for counter, found in ((n_pred, pred), (n_gold, gold), (tp, gold & pred)):
            counter.update(typ for _, _, typ in found)
            counter["all"] += len(found)
    return {typ: (tp[typ], n_pred[typ], n_gold[typ]) for typ in ("all", "person", "organization", "place")}


def report(scores: Scores) -> None:
    """Print P/R/F1 per type."""
    for typ, (tp, n_pred, n_gold) in scores.items():
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {typ:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, predicted {n_pred}, gold {n_gold})")


def train(
    sentences: Sequence[Sentence],
    out: Path,
    iterations: int,
    c1: float,
    c2: float,
    minfreq: float,
    verbose: bool = False,
    scheme: str = "bio",
) -> float:
    """Train a CRF with L-BFGS and write it to ``out``; return the seconds it took."""
    import pycrfsuite

    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=verbose)
    for sent in sentences:
        words = [w for w, _ in sent]
        labels = [lab for _, lab in sent]
        trainer.append(sentence_features(words), bilou(labels) if scheme == "bilou" else labels)
    print(f"features extracted in {time.perf_counter() - t0:.0f} s", flush=True)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.minfreq": minfreq,
            "feature.possible_transitions": True,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="GMB ner_dataset.csv.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--iterations", type=int, default=60, help="L-BFGS iterations")
    parser.add_argument("--c1", type=float, default=0.05, help="L1 penalty (sparser, smaller model)")
    parser.add_argument("--c2", type=float, default=0.5, help="L2 penalty")
    parser.add_argument("--minfreq", type=float, default=2, help="drop features seen fewer times")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--verbose", action="store_true", help="print crfsuite's progress per iteration")
    parser.add_argument("--scheme", choices=("bio", "bilou"), default="bio", help="label encoding to train with")
    parser.add_argument("--all-classes", action="store_true", help="train tim, art, eve, nat as classes, not O")
    parser.add_argument(
        "--dev",
        action="store_true",
        help=f"train on the training blocks minus {DEV_BLOCKS} dev blocks (seed {DEV_SEED}) and score on those; "
        "--out then defaults to a scratch file, not the shipped model",
    )
    args = parser.parse_args(argv)

    sentences = load_gmb(args.data, args.all_classes)
    train_set, held = split(sentences, args.seed)
    print(f"{len(sentences)} sentences: {len(train_set)} train, {len(held)} held out (seed {args.seed})", flush=True)
    out = args.out
    if args.dev:
        train_set, dev = dev_split(train_set)
        print(f"dev mode: {len(train_set)} train, {len(dev)} dev (seed {DEV_SEED})", flush=True)
        if out == DEFAULT_OUT:
            out = Path(tempfile.gettempdir()) / "ner-dev.crfsuite"
    print(
        f"c1 {args.c1}, c2 {args.c2}, {args.iterations} iterations, minfreq {args.minfreq}, {args.scheme} labels"
        + (", all GMB classes" if args.all_classes else ""),
        flush=True,
    )
    seconds = train(train_set, out, args.iterations, args.c1, args.c2, args.minfreq, args.verbose, args.scheme)
    print(f"trained in {seconds:.0f} s; model {out} is {out.stat().st_size / 1e6:.1f} MB", flush=True)
    if args.dev:
        actors.use_model(str(out))
        print("dev blocks:")
        report(evaluate(dev, actors.tag_words))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
