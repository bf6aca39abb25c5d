"""Accuracy and speed of the named-actor extraction.

1. Gold sets, held-out parts (tools/train_ner.py says how each is split; none was trained on or used to choose):
   GUM test documents, wikigold test documents, BTC test tweets (section g, news accounts, also alone), UNER over
   EWT test. Entity-level precision, recall and F1, exact span and type (person, organization, place), of the CRF
   model on each source's tokens; for GUM also of the whole actor stage (``find_mentions``: model and rules) on the
   raw sentences, character spans, and both on GUM's news and interview test documents alone.
2. GMB held-out split (silver, the blocks tools/train_ner.py leaves out), model only.
3. The hand-annotated sample articles in tests/data/actors (see its README): mention-level P/R/F1 (exact character
   span and type) of ``find_mentions``, actor-level P/R/F1 of ``extract_actors`` (an actor counts as found when
   its type matches and one of its names is one of the annotated names), and roles: people with an annotated role
   that get one at all, and that get exactly the annotated one. Reported for all, for the articles the rules were
   tuned on, and for the fresh ones (annotated before the tagger ran on them; batch 2: the 12 of the gold-model
   issue, chosen by path order).
4. Speed: CPU milliseconds per 600 words for extract_actors on the samples (one thread, model already loaded);
   baseline in the same run: sentence splitting and tokenising alone.

Usage: python bench/ner_eval.py [--gmb PATH/ner_dataset.csv.zip] [--repeat 5] [--speed-only] [--compare REV]
(``--compare REV``: every figure also for the code and model of that git revision, in the same run, and its
extract_actors timed interleaved, with a check whether it finds the same actors.)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import briefing.analyse.actors as current  # noqa: E402
from briefing.analyse.actors import extract_actors, tokenize  # noqa: E402
from briefing.analyse.sentences import split_sentences  # noqa: E402
from briefing.ingest.folder import read_article_text  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "actors"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def show(label: str, tp: int, n_pred: int, n_gold: int) -> None:
    p, r, f = prf(tp, n_pred, n_gold)
    print(f"  {label:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, predicted {n_pred}, gold {n_gold})")


def show_scores(scores: dict[str, tuple[int, int, int]]) -> None:
    for typ, (tp, n_pred, n_gold) in scores.items():
        show(typ, tp, n_pred, n_gold)


def eval_gold(modules: list[tuple[str, ModuleType]]) -> None:
    """Held-out parts of the gold sets: the CRF per source and type; the whole actor stage on GUM."""
    import train_ner

    gold = [d for d in train_ner.load_gold() if d.split == "test"]
    parts = {
        "GUM test (12 documents, 6 genres)": [d for d in gold if d.source == "gum"],
        "GUM test, news and interviews (4 documents)": [
            d for d in gold if d.source == "gum" and d.genre in ("news", "interview")
        ],
        "wikigold test": [d for d in gold if d.source == "wikigold"],
        "BTC test (all sections)": [d for d in gold if d.source == "btc"],
        "BTC test, section g (news accounts)": [d for d in gold if d.source == "btc" and d.genre == "g"],
        "UNER EWT test": [d for d in gold if d.source == "uner"],
    }
    for label, module in modules:
        total: Counter[tuple[str, int]] = Counter()
        for name, docs in parts.items():
            sents = [s for d in docs for s in d.sentences]
            scores = train_ner.evaluate(sents, module.tag_words)
            print(f"{name}{label}: model on the source's tokens, {len(sents)} sentences")
            show_scores(scores)
            if name.startswith(("wikigold", "BTC test (", "UNER", "GUM test (")):
                for typ, counts in scores.items():
                    for i, v in enumerate(counts):
                        total[(typ, i)] += v
            if name.startswith("GUM"):
                print(f"{name}{label}: whole actor stage (model + rules) on the raw sentences, character spans")
                show_scores(train_ner.evaluate_pipeline(docs, module.find_mentions))
        print(f"All gold test parts together{label}: model")
        show_scores({typ: (total[(typ, 0)], total[(typ, 1)], total[(typ, 2)]) for typ in train_ner.TYPES})


def eval_gmb(path: Path, modules: list[tuple[str, ModuleType]]) -> None:
    """Entity-level P/R/F1 on the GMB held-out blocks (silver), model only."""
    import train_ner

    _, held = train_ner.split(train_ner.load_gmb(path))
    relabelled = train_ner.gmb_as_gold(held)
    tokens = sum(len(sent) for sent in held)
    for label, module in modules:
        for name, sents in (("GMB's labels", held), ("relabelled to the gold conventions", relabelled)):
            t0 = time.perf_counter()
            scores = train_ner.evaluate(sents, module.tag_words)
            seconds = time.perf_counter() - t0
            print(f"GMB held-out{label}, {name}: {len(held)} sentences, {tokens} tokens, tagged in {seconds:.1f} s")
            show_scores(scores)


def gold_mentions(text: str, doc: dict) -> set[tuple[int, int, str]]:
    """Every whole-word occurrence of each annotated name, longest names first, without overlaps."""
    items = [(s, None) for s in doc.get("ignore", [])] + [(e[0], e[1]) for e in doc["entities"]]
    items.sort(key=lambda it: -len(it[0]))
    taken = [False] * len(text)
    out: set[tuple[int, int, str]] = set()
    for surface, typ in items:
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?![\w$])", text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            if typ:
                out.add((m.start(), m.end(), typ))
    return out


SAMPLE_SETS = {
    "all": lambda d: True,
    "used to tune the rules": lambda d: not d.get("fresh", False),
    "fresh, batch 1: 3 annotated before the GMB tagger saw them": lambda d: (
        d.get("fresh", False) and d.get("batch", 1) == 1
    ),
    "fresh, batch 2: 12 annotated before the gold-trained tagger saw them": lambda d: d.get("batch") == 2,
}


def eval_samples(which: str, module: ModuleType = current, label: str = "") -> None:
    """Score the hand-annotated samples of one of SAMPLE_SETS with ``module`` (briefing.analyse.actors, or another
    revision's)."""
    docs = json.loads((SAMPLES / "annotations.json").read_text(encoding="utf-8"))
    docs = [d for d in docs if SAMPLE_SETS[which](d)]
    m_tp = m_pred = m_gold = 0
    a_tp = a_pred = a_gold = 0
    roles_right = roles_given = roles_total = 0
    by_type: Counter[str] = Counter()
    for doc in docs:
        text = read_article_text(SAMPLES / "articles" / doc["file"])
        sentences = split_sentences(text)
        gold = gold_mentions(text, doc)
        pred = {(m.start, m.end, m.type) for m in module.find_mentions(text, sentences) if not m.demonym}
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
        actors = module.extract_actors(text, sentences)
        matched: set[str] = set()
        for actor in actors:
            names = {actor.name, *actor.aliases}
            hit = next(
                (c for c, (ns, t) in gold_actors.items() if t == actor.type and names & ns and c not in matched), None
            )
            if hit:
                matched.add(hit)
                if hit in doc.get("roles", {}):
                    roles_right += actor.role == doc["roles"][hit]
                    roles_given += actor.role is not None
        a_tp, a_pred, a_gold = a_tp + len(matched), a_pred + len(actors), a_gold + len(gold_actors)
        roles_total += len(doc.get("roles", {}))
    print(f"Hand-annotated samples{label} ({which}): {len(docs)} articles")
    show("mentions", m_tp, m_pred, m_gold)
    for typ in ("person", "organization", "place"):
        show("  " + typ, by_type["tp " + typ], by_type["pred " + typ], by_type["gold " + typ])
    show("actors", a_tp, a_pred, a_gold)
    share = roles_given / roles_total if roles_total else 0.0
    print(
        f"  roles          {roles_given}/{roles_total} people with an annotated role get one ({share:.0%}),"
        f" {roles_right} exactly the annotated one"
    )


@lru_cache(maxsize=4)
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
    import briefing.analyse.actors as current

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
        same = all(other.extract_actors(t, split_sentences(t)) == extract_actors(t, split_sentences(t)) for t in texts)

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
    parser.add_argument("--compare", metavar="REV", help="also every figure for the code and model of this revision")
    parser.add_argument(
        "--articles", type=Path, default=SAMPLES / "articles", help="folder of .txt articles to time (default: samples)"
    )
    args = parser.parse_args()
    if args.speed_only:
        eval_speed(args.repeat, args.compare, args.articles)
        return 0
    modules: list[tuple[str, ModuleType]] = [("", current)]
    if args.compare:
        modules.append((f" [code and model of {args.compare}]", actors_at(args.compare)))
    eval_gold(modules)
    if args.gmb.exists():
        eval_gmb(args.gmb, modules)
    else:
        print(f"GMB not found at {args.gmb}: held-out evaluation skipped")
    for which in SAMPLE_SETS:
        for label, module in modules:
            eval_samples(which, module, label)
    eval_speed(args.repeat, args.compare, args.articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
