"""Cleaning: decode bytes, drop scrape artefacts and boilerplate lines, normalise whitespace.

Cleaning removes whole lines and collapses whitespace; it never changes the wording of a kept
sentence, so every key fact stays a verbatim substring of the cleaned article.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
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
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


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
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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


def derive_title(text: str, max_words: int = 14) -> str:
    """A headline for an article that has none, made from its first sentence.

    A long sentence is cut before a subordinate clause ("after", "because", "which", …) or a comma,
    and a name followed by its acronym keeps only the acronym; the title is never a whole paragraph.
    """
    from briefing.text import split_sentences

    sentences = split_sentences(text)
    if not sentences:
        return "Untitled"
    words = _shorten_acronyms(" ".join(sentences[0].split())).rstrip(".").split()
    if len(words) <= max_words:
        return " ".join(words)
    for cut in range(min(len(words), max_words + 4) - 1, 5, -1):
        if words[cut].lower() in _TITLE_BREAK or words[cut - 1].endswith((",", ";", ":")):
            return " ".join(words[:cut]).rstrip(",;:")
    return " ".join(words[:max_words]) + "…"


@dataclass(frozen=True)
class ExtractedPage:
    title: str
    text: str
    published: datetime | None


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """Extract an article page's main text, title and date with trafilatura; the text comes back cleaned.

    Raises:
        SourceError: no article text could be found in the page.
    """
    import trafilatura

    result = trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=False, with_metadata=True)
    doc: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    published = None
    if doc.get("date"):
        try:
            published = datetime.fromisoformat(doc["date"]).replace(tzinfo=UTC)
        except ValueError:
            published = None
    title = " ".join((doc.get("title") or "").split())
    # trafilatura puts one paragraph per line; our text model separates paragraphs by a blank line.
    text = clean_text("\n\n".join(line for line in (doc.get("text") or "").splitlines() if line.strip()))
    first, _, rest = text.partition("\n\n")
    if title and first.casefold() == title.casefold():  # the headline repeated as the first paragraph
        text = rest
    if not text:
        raise SourceError("no article text found in the HTML page")
    return ExtractedPage(title=title, text=text, published=published)
