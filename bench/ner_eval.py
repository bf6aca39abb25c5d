"""Accuracy and speed of the named-actor extraction.

1. GMB held-out split (the blocks tools/train_ner.py leaves out): entity-level precision, recall and F1, exact span
   and type (person, organization, place = geo + gpe), of the CRF model on GMB's own tokens.
2. The hand-annotated sample articles in tests/data/actors (see its README): mention-level P/R/F1 (exact character
   span and type) of briefing.actors.find_mentions, actor-level P/R/F1 of extract_actors (an actor counts as found
   when its type matches and one of its names is one of the annotated names), and exact-match accuracy of roles.
   The rules after the model were tuned while looking at 14 of these articles; the 3 marked "fresh" were
   annotated afterwards and never used for tuning, so their figures are the fairer ones.
3. Speed: CPU milliseconds per 600 words for extract_actors on the samples (one thread, model already loaded);
   baseline in the same run: sentence splitting and tokenising alone.

Usage: python bench/ner_eval.py [--gmb PATH/ner_dataset.csv.zip] [--repeat 5] [--speed-only] [--compare REV]
(``--compare REV``: also the GMB figures of the code and model of that git revision, and its extract_actors timed
in the same run, interleaved, with a check that it finds the same actors.)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from briefing.actors import extract_actors, find_mentions, tag_words, tokenize  # noqa: E402
from briefing.ingest.folder import read_article_text  # noqa: E402
from briefing.text import split_sentences  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "actors"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def show(label: str, tp: int, n_pred: int, n_gold: int) -> None:
    p, r, f = prf(tp, n_pred, n_gold)
    print(f"  {label:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, predicted {n_pred}, gold {n_gold})")


def eval_gmb(path: Path, tag_words=tag_words, label: str = "") -> None:  # noqa: ANN001
    """Entity-level P/R/F1 on the held-out blocks; ``tag_words`` of another revision to compare."""
    import train_ner

    _, held = train_ner.split(train_ner.load_gmb(path))
    tokens = sum(len(sent) for sent in held)
    t0 = time.perf_counter()
    scores = train_ner.evaluate(held, tag_words)
    seconds = time.perf_counter() - t0
    print(f"GMB held-out{label}: {len(held)} sentences, {tokens} tokens, tagged in {seconds:.1f} s")
    for typ, (tp, n_pred, n_gold) in scores.items():
        show(typ, tp, n_pred, n_gold)


def gold_mentions(text: str, doc: dict) -> set[tuple[int, int, str]]:
    """Every whole-word occurrence of each annotated name, longest names first, without overlaps."""
    items = [(s, None) for s in doc.get("ignore", [])] + [(e[0], e[1]) for e in doc["entities"]]
    items.sort(key=lambda it: -len(it[0]))
    taken = [False] * len(text)
    out: set[tuple[int, int, str]] = set()
    for surface, typ in items:
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            if typ:
                out.add((m.start(), m.end(), typ))
    return out


def eval_samples(fresh: bool | None = None) -> None:
    """Score the samples; ``fresh`` True/False keeps only those annotated after / before the rules were tuned."""
    docs = json.loads((SAMPLES / "annotations.json").read_text(encoding="utf-8"))
    if fresh is not None:
        docs = [d for d in docs if d.get("fresh", False) == fresh]
    m_tp = m_pred = m_gold = 0
    a_tp = a_pred = a_gold = 0
    roles_right = roles_total = 0
    by_type: Counter[str] = Counter()
    for doc in docs:
        text = read_article_text(SAMPLES / "articles" / doc["file"])
        sentences = split_sentences(text)
        gold = gold_mentions(text, doc)
        pred = {(m.start, m.end, m.type) for m in find_mentions(text, sentences) if not m.demonym}
        m_tp, m_pred, m_gold = m_tp + len(gold & pred), m_pred + len(pred), m_gold + len(gold)
        for s in gold & pred:
            by_type["tp " + s[2]] += 1
        for s in pred:
            by_type["pred " + s[2]] += 1
        for s in gold:
            by_type["gold " + s[2]] += 1
        # Actors: gold canonical name -> its names and type.
        gold_actors: dict[str, tuple[set[str], str]] = {}
        for e in doc["entities"]:
            canon = e[2] if len(e) > 2 else e[0]
            names, _ = gold_actors.setdefault(canon, ({canon}, e[1]))
            names.add(e[0])
        actors = extract_actors(text, sentences)
        matched: set[str] = set()
        for actor in actors:
            names = {actor.name, *actor.aliases}
            hit = next(
                (c for c, (ns, t) in gold_actors.items() if t == actor.type and names & ns and c not in matched), None
            )
            if hit:
                matched.add(hit)
                if hit in doc.get("roles", {}):
                    roles_total += 1
                    roles_right += actor.role == doc["roles"][hit]
        a_tp, a_pred, a_gold = a_tp + len(matched), a_pred + len(actors), a_gold + len(gold_actors)
        roles_total += sum(1 for c in doc.get("roles", {}) if c not in matched)
    label = {None: "all", True: "fresh: annotated after the rules were written", False: "used to tune the rules"}
    print(f"Hand-annotated samples ({label[fresh]}): {len(docs)} articles")
    show("mentions", m_tp, m_pred, m_gold)
    for typ in ("person", "organization", "place"):
        show("  " + typ, by_type["tp " + typ], by_type["pred " + typ], by_type["gold " + typ])
    show("actors", a_tp, a_pred, a_gold)
    print(f"  roles          {roles_right}/{roles_total} annotated roles found exactly")


def actors_at(rev: str):  # -> module
    """briefing/actors.py as it was at git revision ``rev``, imported as a separate module (same data files)."""
    import importlib.util
    import subprocess
    import tempfile

    source = subprocess.run(
        ["git", "show", f"{rev}:briefing/actors.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "actors_at_rev.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("briefing._actors_at_rev", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    # ... with the model file of that revision, not the one in the working tree.
    model = subprocess.run(
        ["git", "show", f"{rev}:briefing/data/ner.crfsuite"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    model_path = path.with_name("ner.crfsuite")
    model_path.write_bytes(model)
    if hasattr(module, "use_model"):
        module.use_model(str(model_path))
        return module
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    if hasattr(module, "_Model"):
        attributes = module._model_attributes(model)
        module._model = module._Model(
            tagger=tagger,
            attributes=attributes,
            left_pairs=frozenset(a[6:] for a in attributes if a.startswith("-1w|w=")),
            right_pairs=frozenset(a[6:] for a in attributes if a.startswith("w|+1w=")),
        )
    else:  # before the model kept its attribute names
        module._tagger = tagger
    return module


def eval_speed(repeat: int, compare: str | None = None, articles: Path = SAMPLES / "articles") -> None:
    """CPU ms per 600 words; with ``compare``, also the extract_actors of that git revision, timed in turn."""
    texts = [read_article_text(p) for p in sorted(articles.rglob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    other = actors_at(compare) if compare else None
    import briefing.actors as current

    modules = [("extract_actors", current)] + ([(f"extract_actors at {compare}", other)] if other else [])
    for t in texts:  # whatever split_sentences caches, both see it warm
        split_sentences(t)
    for _, module in modules:  # model and gazetteer loaded outside the timing; the per-word caches emptied
        module._load_tagger()
        module.gazetteer()
        for name, obj in vars(module).items():
            if name != "gazetteer" and callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()
    print(f"Speed on {len(texts)} articles ({words} words), CPU time, one process, one thread:")
    for name, module in modules:
        t0 = time.process_time()
        for t in texts:
            module.extract_actors(t, split_sentences(t))
        first = (time.process_time() - t0) * 1000 / words * 600
        print(f"  first pass, per-word caches cold, {name}: {first:.2f} ms per 600 words")
    if other:
        same = all(
            other.extract_actors(t, split_sentences(t)) == extract_actors(t, split_sentences(t)) for t in texts
        )

    def once(fn) -> float:
        t0 = time.process_time()  # CPU time of this process: other jobs on a shared machine do not count
        for t in texts:
            fn(t)
        return time.process_time() - t0

    fns = {
        "baseline (split sentences + tokenise)": lambda t: [tokenize(s) for s in split_sentences(t)],
        "extract_actors (incl. splitting)": lambda t: extract_actors(t, split_sentences(t)),
    }
    if other:
        fns[f"extract_actors at {compare}"] = lambda t: other.extract_actors(t, split_sentences(t))
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):  # interleaved, so that a change in the machine's load hits all alike
        for name, fn in fns.items():
            best[name] = min(best[name], once(fn))
    print(f"  then best of {repeat} passes (caches warm):")
    for name, seconds in best.items():
        print(f"    {name + ':':<40} {seconds * 1000 / words * 600:.2f} ms per 600 words")
    if other:
        print(f"  same actors as {compare} on all {len(texts)} articles: {same}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gmb", type=Path, default=ROOT.parent / "shared" / "data" / "gmb" / "ner_dataset.csv.zip")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--speed-only", action="store_true", help="only the speed figures")
    parser.add_argument("--compare", metavar="REV", help="also time extract_actors as of this git revision")
    parser.add_argument(
        "--articles", type=Path, default=SAMPLES / "articles", help="folder of .txt articles to time (default: samples)"
    )
    args = parser.parse_args()
    if args.speed_only:
        eval_speed(args.repeat, args.compare, args.articles)
        return 0
    if args.gmb.exists():
        eval_gmb(args.gmb)
        if args.compare:
            eval_gmb(args.gmb, actors_at(args.compare).tag_words, f" with the code and model of {args.compare}")
    else:
        print(f"GMB not found at {args.gmb}: held-out evaluation skipped")
    eval_samples()
    eval_samples(fresh=False)
    eval_samples(fresh=True)
    eval_speed(args.repeat, args.compare, args.articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
