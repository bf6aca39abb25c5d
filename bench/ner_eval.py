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

Usage, from the repository root (the gold-set readers are those of tools/train_ner.py):
    python -m bench.ner_eval [--gmb PATH/ner_dataset.csv.zip] [--repeat 5] [--speed-only] [--compare REV]
(``--compare REV``: every figure also for the code and model of that git revision, in the same run, and its
extract_actors timed interleaved, with a check whether it finds the same actors.)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

import briefing.analyse.actors as actors
from briefing.analyse.actors import extract_actors, mentions, merge, ner, tokenize
from briefing.analyse.sentences import split_sentences
from briefing.evaluation import read_article_text
from tools import train_ner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "data" / "actors"


@dataclass
class Stage:
    """The actor stage of one revision: what the evaluation calls, and the modules whose caches it empties."""

    tag_words: Callable[..., Any]
    find_mentions: Callable[..., Any]
    extract_actors: Callable[..., Any]
    modules: list[ModuleType]
    model: Any = None  # its Model, where per-word features are cached on it
    load: Callable[[], Any] = field(default=lambda: None)  # opens the model and the gazetteer

    def warm(self) -> None:
        """Model and gazetteer loaded; every other cache (per-word features, rules, word lists) emptied."""
        self.load()
        for module in self.modules:
            for name, obj in vars(module).items():
                if name not in ("gazetteer", "load_model") and callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()
        if self.model is not None:
            self.model.known_view.cache_clear()


def _current() -> Stage:
    model = actors.load_model()
    return Stage(
        train_ner.tag_words,
        actors.find_mentions,
        actors.extract_actors,
        [actors, ner, mentions, merge],
        model,
        lambda: (actors.load_model(), actors.gazetteer()),
    )


current = _current()


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


def eval_gold(modules: list[tuple[str, Stage]]) -> None:
    """Held-out parts of the gold sets: the CRF per source and type; the whole actor stage on GUM."""
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


def eval_gmb(path: Path, modules: list[tuple[str, Stage]]) -> None:
    """Entity-level P/R/F1 on the GMB held-out blocks (silver), model only."""
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


def eval_samples(which: str, module: Stage = current, label: str = "") -> None:
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


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True).stdout


def _load_source(name: str, path: Path, package: Path | None = None) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(package)] if package else None
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def package_stage(package: Path, model_path: Path, name: str = "briefing._actors_at_rev") -> Stage:
    """The actor package in the folder ``package`` (ner, mentions, merge: relative imports), imported as ``name``,
    tagging with the model file at ``model_path``."""
    pkg = _load_source(name, package / "__init__.py", package)
    model = pkg.open_model(str(model_path))
    subs = [m for n, m in sys.modules.items() if n.startswith(name + ".")]
    return Stage(
        lambda words: pkg.tag_sentences([words], model)[0],
        partial(pkg.find_mentions, model=model),
        partial(pkg.extract_actors, model=model),
        [pkg, *subs],
        model,
        pkg.gazetteer,
    )


@lru_cache(maxsize=4)
def actors_at(rev: str) -> Stage:
    """The actor stage as it was at git revision ``rev``, imported under another name (same data files but the
    model: that revision's). Three layouts: briefing/actors.py; briefing/analyse/actors/__init__.py alone; the
    package briefing/analyse/actors/ (ner, mentions, merge, relative imports)."""
    folder = Path(tempfile.mkdtemp())
    files = (
        _git("ls-tree", "--name-only", f"{rev}:briefing/analyse/actors/").decode().split()
        if not _git("ls-tree", "--name-only", rev, "briefing/actors.py")
        else []
    )
    model_path = folder / "ner.crfsuite"
    model_path.write_bytes(_git("show", f"{rev}:briefing/data/ner.crfsuite"))
    if len([f for f in files if f.endswith(".py")]) > 1:  # the package
        package = folder / "actors_at_rev"
        package.mkdir()
        for name in files:
            if name.endswith(".py"):
                (package / name).write_bytes(_git("show", f"{rev}:briefing/analyse/actors/{name}"))
        return package_stage(package, model_path)
    source = "briefing/analyse/actors/__init__.py" if files else "briefing/actors.py"
    path = folder / "actors_at_rev.py"
    path.write_bytes(_git("show", f"{rev}:{source}"))
    module = _load_source("briefing._actors_at_rev", path)
    stage = Stage(
        module.tag_words,
        module.find_mentions,
        module.extract_actors,
        [module],
        load=lambda: (module._load_tagger(), module.gazetteer()),
    )
    if hasattr(module, "use_model"):  # ... with the model file of that revision, not the one in the working tree
        module.use_model(str(model_path))
        return stage
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    if hasattr(module, "_Model"):
        attributes = module._model_attributes(model_path.read_bytes())
        module._model = module._Model(
            tagger=tagger,
            attributes=attributes,
            left_pairs=frozenset(a[6:] for a in attributes if a.startswith("-1w|w=")),
            right_pairs=frozenset(a[6:] for a in attributes if a.startswith("w|+1w=")),
        )
    else:  # before the model kept its attribute names
        module._tagger = tagger
    return stage


def eval_speed(repeat: int, compare: str | None = None, articles: Path = SAMPLES / "articles") -> None:
    """CPU ms per 600 words; with ``compare``, also the extract_actors of that git revision, timed in turn."""
    texts = [read_article_text(p) for p in sorted(articles.rglob("*.txt"))]
    words = sum(len(t.split()) for t in texts)
    other = actors_at(compare) if compare else None
    modules = [("extract_actors", current)] + ([(f"extract_actors at {compare}", other)] if other else [])
    for t in texts:  # whatever split_sentences caches, both see it warm
        split_sentences(t)
    for _, module in modules:  # model and gazetteer loaded outside the timing; the per-word caches emptied
        module.warm()
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
    for r in range(repeat):  # interleaved, so that a change in the machine's load hits all alike; in turn first
        for name, fn in list(fns.items())[:: 1 if r % 2 == 0 else -1]:
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
    modules: list[tuple[str, Stage]] = [("", current)]
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
