"""The evaluation sets of the key-fact benches, with their tune / held-out parts.

Every set gives ``Doc``s whose ``sentences`` are what the product ranks: the article split by
``briefing.analyse.sentences.split_sentences`` and filtered by ``common.fact_sentences`` (``clean.fact_span``, as
``briefing.analyse`` does). References are lists of lines.

- ``bbc``: bbc-dev (../shared/data/bbc-dev), long extractive references; "held" is the fixed fifth chosen by a
  hash of the file name (``bbc_held_out``), "tune" the rest.
- ``gum``: GUM's news and interview documents (../shared/data/gum, Wikinews, CC BY 2.5), reference = the human
  document summary ``meta::summary1`` (abstractive, one sentence, like a news highlight); per-sentence
  ``s_prominence`` (1 = most prominent) is kept as ``Doc.prominence``. Parts follow GUM's own splits.md: "test"
  is GUM's test documents; "tune" is train + dev minus every document that is also in a held-out part or the
  gate elsewhere (the gate's 6 GUM news articles and the keypoints' held-out GUM articles have the same text).
- ``keypoints``: tests/data/keypoints, 48 Wikinews articles with 3 verbatim key-fact sentences (``.ref``) and up
  to 3 abstractive key points (``.points``), written before any system output; parts from its splits.json, and
  "tune" also drops the articles that are GUM test documents.
- ``gate``: the quality gate's 16 Wikinews articles (tests/data/summaries), 3 verbatim sentences each. A check
  only: never tuned on.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from common import REPO, SHARED, fact_sentences, read_text

from briefing.analyse.sentences import sentence_spans, split_sentences

BBC_ROOT = SHARED / "bbc-dev"
GUM_ROOT = SHARED / "gum"
GATE = REPO / "tests" / "data" / "summaries"
KEYPOINTS = REPO / "tests" / "data" / "keypoints"
_GLUED = re.compile(r"(?<=[.!?])([\"'”’]?)(?=[\"“]?[A-Z])")
GUM_GENRES = ("news", "interview")
_GUM_DROPPED_BLOCKS = frozenset({"head", "figure", "caption"})  # headings and captions are not article text
_GUM_END_HEADINGS = frozenset({"sources", "references", "external links", "related news"})


@dataclass(frozen=True)
class Doc:
    name: str
    sentences: list[str]  # fact spans, in article order
    reference: list[str]
    prominence: tuple[int, ...] | None = None  # GUM only: best (lowest) s_prominence per sentence


def split_reference(text: str) -> list[str]:
    """Split a glued bbc-dev reference summary ("...stabilise.China's ...") into sentences."""
    glued = _GLUED.sub(lambda m: m.group(1) + "\n", text.strip())
    return [s.strip() for s in glued.splitlines() if s.strip()]


def bbc_held_out(name: str) -> bool:
    """The fixed fifth of bbc-dev kept back from tuning (chosen by a hash of the file name)."""
    return zlib.crc32(name.encode()) % 5 == 0


def load_bbc(root: Path = BBC_ROOT, split: str = "all") -> list[Doc]:
    """bbc-dev articles and references; ``split`` is "all", "tune" or "held". The title (first line) is dropped."""
    docs = []
    for path in sorted((root / "News Articles").glob("*/*.txt")):
        name = f"{path.parent.name}/{path.stem}"
        if split == "tune" and bbc_held_out(name) or split == "held" and not bbc_held_out(name):
            continue
        ref_path = root / "Summaries" / path.parent.name / path.name
        if not ref_path.exists():
            continue
        _, _, body = read_text(path).partition("\n")
        sentences = fact_sentences(split_sentences(body))
        reference = split_reference(read_text(ref_path))
        if sentences and reference:
            docs.append(Doc(name, sentences, reference))
    return docs


def _body(path: Path) -> str:
    """The body of a Wikinews fixture: everything after the header's blank line."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_gate(root: Path = GATE) -> list[Doc]:
    """The quality gate's 16 Wikinews articles with their 3-sentence references: a check, never tuned on."""
    return [Doc(p.stem, fact_sentences(split_sentences(_body(p.with_suffix(".txt")))), _lines(p))
            for p in sorted(root.glob("*.ref"))]


@cache
def keypoint_splits() -> dict[str, tuple[str, ...]]:
    splits = json.loads((KEYPOINTS / "splits.json").read_text(encoding="utf-8"))
    return {part: tuple(names) for part, names in splits.items()}


@cache
def gum_splits() -> dict[str, str]:
    """GUM document name -> "train", "dev", "test" or "test2" (splits.md)."""
    out: dict[str, str] = {}
    part = ""
    for line in (GUM_ROOT / "splits.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            part = line[3:].strip()
        elif line.strip().startswith("* "):
            out[line.strip()[2:].strip()] = part
    return out


def _fixture_name(gum_name: str) -> str:
    """GUM_news_clock -> gum_news_clock, the name the Wikinews fixtures use for the same article."""
    return gum_name.lower()


def load_keypoints(part: str, reference: str = "ref") -> list[Doc]:
    """The keypoints set's "tune" or "held" part; ``reference`` "ref" (3 verbatim sentences) or "points"."""
    if part == "held":
        names = keypoint_splits()["held_out"]
    else:
        gum_test = {_fixture_name(n) for n, p in gum_splits().items() if p == "test"}
        names = tuple(n for n in keypoint_splits()["tune"] if n not in gum_test)
    return [Doc(n, fact_sentences(split_sentences(_body(KEYPOINTS / f"{n}.txt"))), _lines(KEYPOINTS / f"{n}.{reference}"))
            for n in names]


@dataclass(frozen=True)
class _GumSentence:
    text: str
    prominence: int
    paragraph_start: bool


def _read_gum(path: Path) -> tuple[str, list[_GumSentence]]:
    """(summary1, body sentences) of a GUM conllu file: headings and figure captions dropped, and everything
    from a closing "Sources" heading on."""
    summary = ""
    sentences: list[_GumSentence] = []
    stack: list[list[str | int]] = []  # open blocks: [type, sentences left]
    prominence, new_paragraph = 0, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# meta::summary1 = "):
            summary = re.sub(r"^\(\w+\)\s*", "", line.split(" = ", 1)[1]).strip()
        elif line == "# newpar":
            new_paragraph = True
        elif line.startswith("# newpar_block = "):
            for block in line.split(" = ", 1)[1].split(" | "):
                count = re.search(r"\((\d+) s\)\s*$", block)
                stack.append([block.split()[0], int(count.group(1)) if count else 1])
        elif line.startswith("# s_prominence = "):
            prominence = int(line.split(" = ", 1)[1])
        elif line.startswith("# text = "):
            text = line.split(" = ", 1)[1].strip()
            kinds = {str(kind) for kind, left in stack if int(left) > 0}
            for block in stack:
                block[1] = int(block[1]) - 1
            stack = [b for b in stack if int(b[1]) > 0]
            if "head" in kinds and text.lower() in _GUM_END_HEADINGS:
                break
            if kinds & _GUM_DROPPED_BLOCKS:
                new_paragraph = True
                continue
            sentences.append(_GumSentence(text, prominence, new_paragraph))
            new_paragraph = False
    return summary, sentences


def load_gum(part: str) -> list[Doc]:
    """GUM news and interview documents: part "test" (GUM's test split) or "tune" (train + dev, see the module
    docstring for what is left out). Sentences are re-split from the text, as the product would see it."""
    splits = gum_splits()
    elsewhere = set(keypoint_splits()["held_out"]) | {p.stem for p in GATE.glob("*.ref")}
    docs = []
    for path in sorted(GUM_ROOT.glob("dep/GUM_*.conllu")):
        name = path.stem
        if name.split("_")[1] not in GUM_GENRES:
            continue
        if part == "test" and splits.get(name) != "test":
            continue
        if part == "tune" and (splits.get(name) not in ("train", "dev") or _fixture_name(name) in elsewhere):
            continue
        summary, gum_sentences = _read_gum(path)
        text, offsets = "", []
        for s in gum_sentences:
            if text:
                text += "\n\n" if s.paragraph_start else " "
            offsets.append((len(text), len(text) + len(s.text), s.prominence))
            text += s.text
        sentences: list[str] = []
        prominence: list[int] = []
        for start, end in sentence_spans(text):
            span = fact_sentences([text[start:end]])
            if not span:
                continue
            begin = start + text[start:end].find(span[0])
            finish = begin + len(span[0])
            sentences.append(span[0])
            prominence.append(min((p for s, e, p in offsets if s < finish and e > begin), default=9))
        if sentences and summary:
            docs.append(Doc(name, sentences, [summary], tuple(prominence)))
    return docs
