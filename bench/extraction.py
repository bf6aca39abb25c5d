"""Main-text quality of the web reader on real article pages: how much body it keeps, how much boilerplate it lets in.

Two sets under ../shared/data/html (measurement only, never copied into the repo):

* ``article_extraction_benchmark`` (181 pages with a ground-truth body). Scored two ways, per page then
  averaged over pages: word tokens (``\\w+``, bag of words) and the benchmark's own convention of 4-token
  shingles, where precision and recall are averaged over pages and F1 is taken from the two averages.
  Recall = share of the true body kept; 1 - precision = share of the output that is not body (boilerplate).
* ``trafilatura_eval_news_en`` (30 pages): share of the "with" strings present in the output and of the
  "without" strings (boilerplate) absent from it, whitespace-normalised.

``briefing`` is exactly the web reader's path (``briefing.ingest.web.page_from_response``: encoding, then
``briefing.clean.extract_html``'s trafilatura settings, ``clean_text``, headline removal). The other rows,
measured in the same run, are baselines: trafilatura's defaults and its precision/recall modes with the
same post-processing, and all visible text of the page (what no extraction would give).

Usage:
    python bench/extraction.py [--data ../shared/data/html] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura

from briefing.clean import clean_text
from briefing.errors import SourceError
from briefing.ingest.web import decode_html, page_from_response

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"
_WORD = re.compile(r"\w+")

Extractor = Callable[[bytes, str], str]


def briefing_reader(raw: bytes, url: str) -> str:
    """The web reader's own path, unchanged."""
    try:
        return page_from_response(raw, None, url).text
    except SourceError:
        return ""


def trafilatura_mode(**options: bool) -> Extractor:
    """trafilatura.extract with ``options``, followed by the same clean_text as the reader."""

    def run(raw: bytes, url: str) -> str:
        text = trafilatura.extract(decode_html(raw), url=url, include_comments=False, **options)
        return clean_text(text or "")

    return run


def all_visible_text(raw: bytes, url: str) -> str:
    """No extraction at all: every text node of the body (scripts and styles dropped)."""
    root = lxml.html.fromstring(decode_html(raw))
    for element in root.xpath("//script|//style|//noscript"):
        element.drop_tree()
    body = root.find("body")
    return (body if body is not None else root).text_content()


EXTRACTORS: dict[str, Extractor] = {
    "briefing (web reader)": briefing_reader,
    "trafilatura defaults": trafilatura_mode(),
    "trafilatura favor_precision": trafilatura_mode(favor_precision=True),
    "trafilatura favor_recall": trafilatura_mode(favor_recall=True),
    "all visible text (baseline)": all_visible_text,
}


def _counts(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def overlap(true: str, pred: str, n: int) -> tuple[float | None, float | None]:
    """Precision and recall of ``pred``'s n-grams against ``true``'s (None where undefined)."""
    truth, got = _counts(_WORD.findall(true.lower()), n), _counts(_WORD.findall(pred.lower()), n)
    common = sum((truth & got).values())
    precision = common / sum(got.values()) if got else None
    recall = common / sum(truth.values()) if truth else None
    return precision, recall


def score_ground_truth(folder: Path, extractor: Extractor, limit: int | None) -> dict[str, float]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    rows: dict[int, list[tuple[float | None, float | None]]] = {1: [], 4: []}
    empty = 0
    for key in keys:
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pred = extractor(raw, truth[key].get("url") or "")
        empty += not pred.strip()
        for n in rows:
            rows[n].append(overlap(truth[key].get("articleBody", ""), pred, n))
    result: dict[str, float] = {"pages": len(keys), "empty": empty}
    for n, pairs in rows.items():
        # a page with no output counts as precision 0 (nothing useful kept) and recall 0
        p = statistics.mean(0.0 if pr is None else pr for pr, _ in pairs)
        r = statistics.mean(rc for _, rc in pairs if rc is not None)
        result[f"p{n}"], result[f"r{n}"], result[f"f{n}"] = p, r, 2 * p * r / (p + r) if p + r else 0.0
        f1s = [2 * a * b / (a + b) if a and b else 0.0 for a, b in pairs if b is not None]
        result[f"mean_f{n}"] = statistics.mean(f1s)
    return result


def score_strings(folder: Path, extractor: Extractor, limit: int | None) -> dict[str, float]:
    cases = json.loads((folder / "evaldata_news_en.json").read_text(encoding="utf-8"))
    present = absent = wanted = unwanted = 0
    for url, case in list(cases.items())[:limit]:
        raw = (folder / "html" / case["file"]).read_bytes()
        text = " ".join(extractor(raw, url).split())
        for needle in case.get("with", []):
            wanted += 1
            present += " ".join(needle.split()) in text
        for needle in case.get("without", []):
            unwanted += 1
            absent += " ".join(needle.split()) not in text
    return {"with": present / wanted, "without": absent / unwanted, "n_with": wanted, "n_without": unwanted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    args = parser.parse_args(argv)
    aeb, news = args.data / "article_extraction_benchmark", args.data / "trafilatura_eval_news_en"
    if not aeb.is_dir() or not news.is_dir():
        print(f"data not found under {args.data}; pass --data", file=sys.stderr)
        return 2
    print(f"trafilatura {trafilatura.__version__}")
    header = (
        f"{'extractor':<30} {'tokP':>6} {'tokR':>6} {'tokF1':>6} {'shP':>6} {'shR':>6} {'shF1':>6} {'empty':>5}"
        f" | {'with':>6} {'w/out':>6} | {'s/page':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, extractor in EXTRACTORS.items():
        start = time.perf_counter()
        gt = score_ground_truth(aeb, extractor, args.limit)
        st = score_strings(news, extractor, args.limit)
        per_page = (time.perf_counter() - start) / (gt["pages"] + min(30, args.limit or 30))
        print(
            f"{name:<30} {gt['p1']:6.3f} {gt['r1']:6.3f} {gt['f1']:6.3f} {gt['p4']:6.3f} {gt['r4']:6.3f} {gt['f4']:6.3f}"
            f" {int(gt['empty']):5d} | {st['with']:6.3f} {st['without']:6.3f} | {per_page:6.3f}",
            flush=True,
        )
    print(
        f"\narticle_extraction_benchmark: {int(gt['pages'])} pages; tok = word tokens, sh = 4-token shingles "
        "(benchmark convention: F1 of page-averaged P and R); empty = pages with no text extracted.\n"
        f"trafilatura_eval_news_en: {int(st['n_with'])} must-contain and {int(st['n_without'])} must-not-contain "
        "strings; with = share present, w/out = share absent."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
