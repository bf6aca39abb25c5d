"""The folder source: article files (``.txt``, ``.md``, ``.html``) with an optional header block."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefing.clean import clean_text, decode, derive_title, extract_html
from briefing.errors import SourceError
from briefing.ingest import ReadContext, register
from briefing.models import Article, Excluded

if TYPE_CHECKING:
    from briefing.config import SourceConfig

logger = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".html", ".htm")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{0,30}):[ \t]*(.*?)\s*$")
_KNOWN_KEYS = {"title", "date", "source", "url", "license", "author", "published", "byline"}


def parse_date(value: str, zone: ZoneInfo) -> datetime:
    """Parse ``YYYY-MM-DD`` or an ISO date-time; a date alone means midnight in ``zone``.

    Raises:
        ValueError: the value is not an ISO date.
    """
    value = value.strip()
    if len(value) == 10:
        return datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(0), zone)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split an optional ``Key: value`` header block (ended by the first blank line) from the body."""
    head, sep, body = text.lstrip("\n").partition("\n\n")
    lines = head.splitlines()
    matches = [_HEADER_LINE.match(line) for line in lines]
    if not sep or not lines or not all(matches):
        return {}, text
    header = {m.group(1).lower(): m.group(2) for m in matches if m}
    if not _KNOWN_KEYS & header.keys():
        return {}, text
    return header, body


def read_article_text(path: Path) -> str:
    """The text of a plain-text article file as the folder reader keeps it: decoded, header block split off,
    artefact lines and hard wraps cleaned (for tests and benchmarks that need an article's text, not an Article)."""
    return clean_text(split_header(decode(path.read_bytes(), path.name))[1])


def read_article_file(path: Path, source: str, ctx: ReadContext, max_bytes: int) -> Article:
    """Read one article file into an ``Article``.

    Raises:
        SourceError: the file cannot be read, is empty or too large, or holds no article text.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"{path.name}: {size:,} bytes is over the {max_bytes:,}-byte limit (sources[].max_bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot read the file: {exc.strerror}") from exc
    text = decode(raw, path.name)
    header, body = split_header(text)
    title = header.get("title", "")
    published = None
    if path.suffix.lower() in (".html", ".htm"):
        extracted = extract_html(body, url=header.get("source") or header.get("url"))
        body, title = extracted.text, title or extracted.title
        published = extracted.published
    else:
        body = clean_text(body)
    if not body.strip():
        raise SourceError(f"{path.name}: no article text left after cleaning")
    date_value = header.get("date") or header.get("published")
    if date_value:
        try:
            published = parse_date(date_value, ctx.zone)
        except ValueError:
            logger.warning("%s: Date header %r is not YYYY-MM-DD; using the ingest time instead", path.name, date_value)
    return Article(
        id=path.resolve().as_posix(),
        title=" ".join(title.split()) or derive_title(body),
        text=body,
        source=source,
        url=header.get("source") or header.get("url") or None,
        published=published,
        fetched=ctx.now,
    )


@register("folder")
def read_folder(source: SourceConfig, ctx: ReadContext) -> Iterator[Article | Excluded]:
    """Yield every article file under ``source.path`` (recursively, in name order)."""
    assert source.path is not None
    if not source.path.is_dir():
        raise SourceError(f"folder {source.path} does not exist; check sources path for {source.name!r}")
    files = sorted(p for p in source.path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    for path in files:
        try:
            yield read_article_file(path, source.name, ctx, source.max_bytes)
        except SourceError as exc:
            yield Excluded(source.name, path.name, str(exc).removeprefix(f"{path.name}: "))
