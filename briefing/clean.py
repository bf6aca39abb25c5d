"""Cleaning: decode bytes, drop scrape artefacts and boilerplate lines, normalise whitespace.

Cleaning removes whole lines and collapses whitespace; it never changes the wording of a kept
sentence, so every key fact stays a verbatim substring of the cleaned article.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cache
from html.parser import HTMLParser
from typing import Any

from charset_normalizer import from_bytes

from briefing.errors import SourceError

logger = logging.getLogger(__name__)

# Whole lines that are scrape artefacts or page furniture, never article text.
_JUNK_LINE = re.compile(
    r"""^(?:
        !\[[^\]]*\]\([^)]*\)\s*\|?            # markdown image residue: ![]() |
      | [A-Z][A-Z0-9.&\- ]{1,30}\s*\|         # wire slugs: WAR.WIRE |
      | \|+                                   # table residue
      | (?:click|tap)\s+here\b.*              # Click here to …
      | read\s+(?:more|the\s+full\s+story)\b.*
      | (?:advertisement|sponsored(?:\s+content)?|related(?:\s+(?:articles|stories|coverage))?)\s*:?
      | (?:share|share\s+this(?:\s+article)?|follow\s+us|sign\s+up|subscribe)\b.{0,60}
      | (?:image|photo|picture|video)\s*(?:caption|credit)?\s*:.{0,120}
      | (?-i:(?:By|BY)\s+[A-Z][\w.'\-]+(?:\s+(?:[A-Z][\w.'\-]+|and|de|van|von|al))*(?:\s*,\s*[A-Z][\w'\-]+(?:\s[A-Z][\w'\-]+){0,3})?)  # By Jane Doe, Reuters
      | (?:copyright|©|\(c\))\s.{0,100}
      | all\s+rights\s+reserved\.?
      | (?:updated|published|posted|last\s+updated)\s*:?\s+[\w ,:.+\-]{4,40}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'”’)\]]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# What a declared charset means in practice: its superset (what servers call iso-8859-1 is windows-1252).
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "iso-8859-9": "cp1254", "big5": "big5hkscs", "shift_jis": "cp932", "euc-kr": "cp949",
    "tis-620": "cp874", "iso-8859-11": "cp874",
}
# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_BOMS = tuple(bom for bom, codec in _BOMS if codec != "utf-8-sig")


def codec_for(name: str | None) -> str | None:
    """Python's codec for a declared charset (a superset where one exists), or None if unknown."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    for declared, superset in _SUPERSETS.items():
        if codecs.lookup(declared).name == canonical:
            return superset
    return canonical


def decode_bytes(data: bytes, declared: Iterable[str | None] = (), *, name: str = "input", lenient: bool = True) -> str:
    """Decode text of uncertain encoding: a byte-order mark; valid UTF-8 (other text almost never is); each
    declared charset that decodes the bytes cleanly; then detection, windows-1252 winning ties.

    charset_normalizer cannot tell most single-byte code pages apart on short Western text (equal
    chaos); windows-1252 is the web's default legacy encoding (WHATWG), so it is preferred among
    the least chaotic candidates.

    Raises:
        SourceError: nothing fits and ``lenient`` is false (lenient: windows-1252 with replacements).
    """
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in declared:
        codec = codec_for(candidate)
        if codec and codec != "utf-8":
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                logger.info("%s declares %s but is not valid %s", name, candidate, codec)
    matches = list(from_bytes(data))
    if not matches:
        if lenient:
            return data.decode("cp1252", errors="replace")
        raise SourceError(f"{name}: cannot detect the text encoding; save the file as UTF-8")
    least = min(match.chaos for match in matches)
    if any(match.chaos == least and "cp1252" in match.could_be_from_charset for match in matches):
        return data.decode("cp1252", errors="replace")
    logger.info("%s: encoding detected as %s", name, matches[0].encoding)
    return str(matches[0])


def decode(data: bytes, name: str = "input") -> str:
    """Decode an article file's bytes (see ``decode_bytes``).

    Raises:
        SourceError: the bytes are empty, binary, or in no recognisable encoding.
    """
    if not data.strip():
        raise SourceError(f"{name}: the file is empty")
    if b"\x00" in data[:4096] and not data.startswith(_WIDE_BOMS):
        raise SourceError(f"{name}: looks like a binary file, not an article")
    return decode_bytes(data, name=name, lenient=False)


def is_junk_line(line: str) -> bool:
    """True for a line that is a scrape artefact or boilerplate (not article text)."""
    stripped = line.strip()
    return bool(stripped) and bool(_JUNK_LINE.match(stripped))


def clean_text(text: str) -> str:
    """Return the article text without artefact lines, paragraphs separated by one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if line and is_junk_line(line):
            continue
        if line:
            current.append(line)
        # A blank line ends a paragraph; so does a line that ends a sentence (one paragraph per
        # line, as many scraped texts have). Other line breaks are hard wrapping and are joined.
        if current and (not line or _ENDS_SENTENCE.search(line)):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


_ACRONYM = re.compile(r"\b((?:[A-Z][\w-]*\s+){1,7}[A-Z][\w-]*)\s+\(([A-Z]{2,8})\)")
_TITLE_BREAK = {"after", "because", "while", "which", "who", "when", "since", "following", "amid", "despite",
                "as", "but", "and", "although", "where", "with"}


def _shorten_acronyms(sentence: str) -> str:
    """'The North Atlantic Treaty Organization (NATO) leaders' -> 'NATO leaders'."""

    def replace(m: re.Match[str]) -> str:
        words = [w for w in m.group(1).split() if w[0].isupper()]
        for start in range(len(words)):
            if "".join(w[0] for w in words[start:]) == m.group(2):
                kept = m.group(1).split()[: m.group(1).split().index(words[start])]
                return " ".join([*(w for w in kept if w != "The"), m.group(2)])
        return m.group(0)

    return _ACRONYM.sub(replace, sentence)


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A dateline or wire tag that opens a lead, as a prefix of the sentence it opens: "WASHINGTON —",
# "(CNN) --", "LONDON, May 2 (Reuters) -", "WEST PALM BEACH, Fla. —", "BEIJING (AP) —".
DATELINE = re.compile(
    rf"""^(?:
        \((?:CNN|AP|AFP|Reuters|UPI|dpa|Xinhua)\)\s*(?:--|[—–-])?\s*
      | (?-i:[A-Z][A-Z.'’\-]{{2,}}(?:\s+[A-Z][A-Z.'’\-]+){{0,4}})
        (?:,\s*(?-i:[A-Z][A-Za-z.]{{1,12}}(?:\s[A-Z][A-Za-z.]{{1,12}})?))?
        (?:,?\s+{_MONTH}\s+\d{{1,2}})?
        \s*(?:\((?-i:[A-Z][\w .&]{{1,24}})\))?
        \s*(?:--|[—–]|\s-)\s+
    )""",
    re.VERBOSE,
)
TITLE_WORDS = (6, 16)  # a derived headline's length in words


def strip_dateline(sentence: str) -> str:
    """``sentence`` without a leading dateline or wire tag (the rest is a verbatim suffix of it)."""
    match = DATELINE.match(sentence)
    rest = sentence[match.end():] if match else ""
    # what follows a dateline opens a sentence ("NATO — the alliance of 26 ..." is no dateline)
    return rest if len(rest) > 20 and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'") else sentence


def derive_title(text: str, max_words: int = TITLE_WORDS[1]) -> str:
    """A headline for an article that has none, made from its lead sentence.

    The lead's dateline or wire tag ("WASHINGTON —", "(CNN) --") is dropped; a sentence of fewer
    than six words (a dateline cut off by the splitter) is passed over for the next. A long sentence
    is cut before a subordinate clause ("after", "because", "which", …) or after a comma, between
    six and ``max_words`` words; only a sentence with no such break is cut short and ends in "…".
    A name followed by its acronym keeps only the acronym.
    """
    from briefing.analyse.sentences import split_sentences

    sentences = split_sentences(strip_dateline(text.lstrip()))[:4]
    if not sentences:
        return "Untitled"
    lead = next((s for s in sentences if len(strip_dateline(s).split()) >= TITLE_WORDS[0]), sentences[0])
    words = _shorten_acronyms(" ".join(strip_dateline(lead).split())).rstrip(".").split()
    if len(words) <= max_words:
        return " ".join(words)
    for cut in range(max_words, TITLE_WORDS[0] - 1, -1):
        if words[cut].lower() in _TITLE_BREAK or words[cut - 1].endswith((",", ";", ":")):
            return " ".join(words[:cut]).rstrip(",;:")
    return " ".join(words[:max_words]).rstrip(",;:") + "…"


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    text: str
    published: datetime | None
    site_name: str = ""  # the page's own name for its site (og:site_name), if it states one


# Where a page states its own publication date (its metadata, never its URL or its image names).
_DATE_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created", "date", "sailthru.date", "parsely-pub-date",
)
_TIME_XPATH = '//time[@itemprop="datePublished" or @pubdate or @class="published"]/@datetime'
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
# The libraries whose log lines are ours to report (with the article's name), not theirs to print.
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan")
_TEXT_SKIP = frozenset({"script", "style", "noscript", "template", "head", "nav", "footer", "svg", "iframe"})
_TEXT_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                          "section", "article", "header", "pre", "dd", "dt", "table", "ul", "ol"})


def page_date(html: str, zone: tzinfo = UTC) -> datetime | None:
    """The publication date a page's metadata states (meta tags, ``<time>``, JSON-LD), if any."""
    import lxml.html
    from lxml import etree

    from briefing.dates import parse_date

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    values: list[str] = []
    by_key: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _DATE_META_KEYS and meta.get("content"):
            by_key.setdefault(key, meta.get("content", ""))
    values += [by_key[key] for key in _DATE_META_KEYS if key in by_key]
    values += [str(v) for v in root.xpath(_TIME_XPATH)]
    for script in root.xpath('//script[@type="application/ld+json"]/text()'):
        values += _JSON_LD_DATE.findall(str(script))
    return next((d for d in (parse_date(v, zone) for v in values) if d), None)


class _TextParser(HTMLParser):
    """Plain text of a page at any nesting depth (libxml2 stops at 256 levels): blocks become paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _TEXT_SKIP:
            self.skipping += 1
        elif tag in _TEXT_BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _TEXT_SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _TEXT_BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of a page, without main-text extraction (a fallback when extraction finds none)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class _Relay(logging.Handler):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.article = name

    def emit(self, record: logging.LogRecord) -> None:
        # The libraries' errors are about the page, not the run: at most INFO, shown with -v.
        level = min(record.levelno, logging.INFO)
        logger.log(level, "%s: %s says: %s", self.article, record.name.split(".")[0], record.getMessage())


@contextmanager
def _library_logs(name: str) -> Iterator[None]:
    """Re-log the extraction libraries' own lines as ours (with the article's name) while extracting."""
    relay = _Relay(name)
    loggers = [logging.getLogger(library) for library in _LIBRARY_LOGGERS]
    saved = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.addHandler(relay)
        lg.propagate = False
    try:
        yield
    finally:
        for lg, propagate in zip(loggers, saved, strict=True):
            lg.removeHandler(relay)
            lg.propagate = propagate


def extract_html(html: str, url: str | None = None, *, name: str | None = None, zone: tzinfo = UTC) -> ExtractedPage:
    """Extract an article page's main text, title and date with trafilatura; the text comes back cleaned.

    The date is the one the page's metadata states (``page_date``); trafilatura's own guess, which
    falls back to digits in the URL, is not used. A page in which trafilatura finds no text (for
    example one nested deeper than libxml2 parses) falls back to its whole visible text.

    Raises:
        SourceError: no text at all could be found in the page.
    """
    import trafilatura

    with _library_logs(name or url or "page"):
        result = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=False, with_metadata=True
        )
    doc: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    title = " ".join((doc.get("title") or "").split())
    # trafilatura puts one paragraph per line; our text model separates paragraphs by a blank line.
    text = clean_text("\n\n".join(line for line in (doc.get("text") or "").splitlines() if line.strip()))
    if not text:
        text = clean_text(plain_text(html))
        if text:
            logger.info("%s: no main text found; using the page's whole visible text", name or url or "page")
    first, _, rest = text.partition("\n\n")
    if title and first.casefold() == title.casefold():  # the headline repeated as the first paragraph
        text = rest
    if not text:
        raise SourceError("no article text found in the HTML page")
    site_name = " ".join((doc.get("sitename") or "").split())[:80]
    return ExtractedPage(title=title, text=text, published=page_date(html, zone), site_name=site_name)


# ---- sentences that are page furniture, not reporting ----------------------------------------------
# One record a rule: (kind, pattern). A sentence matching any is never a key fact or a top line; the
# sentence is dropped, never rewritten. Measured on tests/data/junk (bench/junk_eval.py).
JUNK_SENTENCES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("caption", r"\((?:pictured|pictured\s+\w+|left|right|centre|center|above|below|top|bottom|inset|"
                    r"file\s+photo|file)\)"),
        ("caption", r"^(?:photo|image|picture|video|graphic|illustration|source|credit)s?\s*(?:credit|caption)?\s*:"),
        ("caption", r"\b(?:getty\s+images|ap\s+photo|afp(?:\s+via\s+getty)?\s*/|image\s+copyright|image\s+caption|"
                    r"photograph:|shutterstock|reuters/|epa/)"),
        ("prompt", r"^(?:scroll\s+down|click\s+(?:here|to)|tap\s+here|read\s+more|watch(?:\s+the)?\s+video|"
                   r"share\s+(?:this|on|with)|follow\s+(?:us|@|him|her)|sign\s+up|subscribe|advertisement|"
                   r"related(?:\s+(?:articles|stories|coverage))?\s*:|more\s*:|see\s+also\s*:|download\s+(?:our|the)\s+app|"
                   r"join\s+the\s+conversation|comments?\s*(?:\(\d+\))?$|listen\s+to\s+this|show\s+all\b)"),
        ("prompt", r"\b(?:scroll\s+down\s+for\s+(?:video|more)|click\s+here|sign\s+up\s+(?:here|for|to)|"
                   r"if\s+you(?:'|’)re\s+(?:on|using)\s+the\s+app|for\s+the\s+latest\s+news|"
                   r"(?:like|follow)\s+us\s+on\s+(?:facebook|twitter|instagram)|newsletter)\b"),
        ("byline", r"^by\s+\.?\s*(?-i:[A-Z][\w.'’-]+)(?:\s+(?-i:[A-Z][\w.'’-]+|and|de|van|von|al|bin)){0,5}\s*\.?\s*"
                   r"(?:$|[,|]|for\s|and\s|in\s(?-i:[A-Z])|-\s)"),
        ("byline", r"\b(?:published|updated|last\s+updated|posted)\s*:?\s*(?:\d{1,2}:\d{2}|\d{1,2}\s+\w+\s+\d{4}|"
                   r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2})"),
        ("byline", r"^(?:©|\(c\)|copyright\b)|\ball\s+rights\s+reserved\b|^(?:contact|e-?mail)\s+the\s+(?:author|writer)\b|"
                   r"\bcopyrighted\s+(?:property|material)\b|\b(?:reprint\w*|republish\w*)\b.{0,40}\bpermission\b"),
        ("fragment", r"^[-•*·–—]\s.*[^.!?…\"'”’)\]]$"),  # an item of a list of links (no final stop)
    )
)
FACT_MAX_WORDS = 60
_WORD = re.compile(r"[A-Za-z]+|['’](?:s|re|m|ve|d|ll)\b|n['’]t\b")
_FINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


@cache
def _finite_verbs() -> frozenset[str]:
    """Finite verb forms (briefing/data/finite_verbs.txt, built from UD English-EWT by tools/build_finite_verbs.py)."""
    from importlib.resources import files

    text = files("briefing.data").joinpath("finite_verbs.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def has_finite_verb(sentence: str) -> bool:
    """True if a word of ``sentence`` is a finite verb form (UD English-EWT's list, or a past form in -ed)."""
    verbs = _finite_verbs()
    for word in _WORD.findall(sentence):
        lower = word.lower().replace("’", "'")
        if lower in verbs or (lower.endswith("ed") and len(lower) > 3 and not word[0].isupper()):
            return True
    return False


def sentence_junk(sentence: str) -> str | None:
    """Why ``sentence`` can never be a fact or a top line, or None: ``"caption"``, ``"prompt"``, ``"byline"``,
    ``"dateline"``, ``"fragment"`` (no finite verb, and unfinished or of four words at most), ``"unfinished"``
    (four words or more without a final stop: a caption or heading), ``"run-on"`` (over ``FACT_MAX_WORDS``)."""
    text = sentence.strip()
    for kind, pattern in JUNK_SENTENCES:
        if pattern.search(text):
            return kind
    if DATELINE.match(text + " ") and strip_dateline(text) == text and len(text.split()) <= 8:
        return "dateline"
    finished = bool(_FINAL.search(text))
    if not has_finite_verb(strip_dateline(text)) and (not finished or len(text.split()) <= 4):
        return "fragment"
    if not finished and len(text.split()) >= 4:
        return "unfinished"  # a caption or a heading: reporting ends its sentences
    if len(text.split()) > FACT_MAX_WORDS:
        return "run-on"
    return None


# A run-in caption ends where a sentence starts without a full stop between: "... pictured together
# Prosecutors say the girl ...": a lower-case word or number, then a capitalised word and a lower-case one.
_RUN_IN_BOUNDARY = re.compile(r"(?<=[a-z0-9)'’])\s+(?=[A-Z][a-z]+\s+[a-z])")
_CAPTION_MARK = JUNK_SENTENCES[0][1]


def fact_span(sentence: str) -> str | None:
    """The part of ``sentence`` that may be a key fact, as a verbatim span of it, or None.

    A leading dateline or wire tag is left out ("WASHINGTON (Reuters) - The Senate voted ..." gives
    "The Senate voted ..."); a photo caption that runs into the sentence after it without a full stop
    gives that sentence; page furniture and fragments give None (``sentence_junk``).
    """
    span = strip_dateline(sentence.strip())
    mark = _CAPTION_MARK.search(span)
    if mark:
        for boundary in _RUN_IN_BOUNDARY.finditer(span, mark.end()):
            rest = span[boundary.end():]
            if len(rest.split()) >= 6 and sentence_junk(rest) is None:
                return rest
        return None
    return None if sentence_junk(span) else span
