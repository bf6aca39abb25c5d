"""The folder source: article files (``.txt``, ``.md``, ``.html``) with an optional header block."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefing import dates
from briefing.clean import clean_text, decode, derive_title, extract_html
from briefing.errors import SourceError
from briefing.ingest.registry import ReadContext, register
from briefing.models import Article, Excluded
from briefing.urls import outlet_for

if TYPE_CHECKING:
    from briefing.config import SourceConfig

logger = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".html", ".htm")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{0,30}):[ \t]*(.*?)\s*$")
_KNOWN_KEYS = {"title", "date", "source", "url", "license", "author", "published", "byline", "outlet", "publisher"}


def parse_date(value: str, zone: ZoneInfo) -> datetime:
    """Parse a ``Date:`` header (``YYYY-MM-DD``, ISO, RFC 822 and the forms ``briefing.dates`` reads);
    a date alone means midnight in ``zone``.

    Raises:
        ValueError: the value is not a complete date.
    """
    parsed = dates.parse_date(value, zone)
    if parsed is None:
        raise ValueError(f"not a date: {value!r}")
    return parsed


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


_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is ("a FIFO", ...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _FILE_KINDS if test(mode)), "not a regular file")


def read_file_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most ``max_bytes`` of them, however the file lies about its size.

    FIFOs, devices, sockets and folders are refused without reading (a FIFO would block, ``/dev/zero``
    never ends and reports size 0); the limit is enforced on the bytes read, not on ``stat``.

    Raises:
        SourceError: the file is not a regular file, cannot be read, or is over ``max_bytes``.
    """
    try:
        if kind := _not_regular(os.stat(path).st_mode):
            raise SourceError(f"{path.name}: {kind}, not a regular file; only regular files are read")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            if kind := _not_regular(os.fstat(handle.fileno()).st_mode):  # replaced since the check above
                raise SourceError(f"{path.name}: {kind}, not a regular file; only regular files are read")
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot read the file: {exc.strerror}") from exc
    if len(raw) > max_bytes:
        raise SourceError(f"{path.name}: over the {max_bytes:,}-byte limit (sources[].max_bytes)")
    return raw


def read_article_file(path: Path, source: str, ctx: ReadContext, max_bytes: int) -> Article:
    """Read one article file into an ``Article``.

    Raises:
        SourceError: the file is not a regular file, cannot be read, is empty or too large, or holds
            no article text.
    """
    return article_from_bytes(read_file_bytes(path, max_bytes), path, source, ctx)


def article_from_bytes(raw: bytes, path: Path, source: str, ctx: ReadContext, resolved: Path | None = None) -> Article:
    """The ``Article`` of an article file's bytes (``resolved``: the file's resolved path, if known).

    Raises:
        SourceError: the file holds no article text.
    """
    text = decode(raw, path.name)
    header, body = split_header(text)
    title = header.get("title", "")
    url = header.get("source") or header.get("url") or None
    published = None
    site_name = ""
    if path.suffix.lower() in (".html", ".htm"):
        extracted = extract_html(body, url=url, name=path.name, zone=ctx.zone)
        body, title = extracted.text, title or extracted.title
        published, site_name = extracted.published, extracted.site_name
    else:
        body = clean_text(body)
    if not body.strip():
        raise SourceError(f"{path.name}: no article text left after cleaning")
    date_value = header.get("date") or header.get("published")
    if date_value:
        try:
            published = parse_date(date_value, ctx.zone)
        except ValueError:
            logger.warning("%s: Date header %r is not a date (write YYYY-MM-DD); using the ingest time", path.name, date_value)
    return Article(
        id=(resolved or path.resolve()).as_posix(),
        title=" ".join(title.split()) or derive_title(body),
        text=body,
        source=source,
        url=url,
        published=published,
        fetched=ctx.now,
        outlet=header.get("outlet") or header.get("publisher") or outlet_for(url, site_name),
    )


def _resolved_inside(path: Path, root: Path) -> Path | None:
    """``path`` resolved, or None if it (a link, or inside a linked folder) resolves to a place outside ``root``."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a loop
        return None
    return resolved if resolved.is_relative_to(root) else None


def file_digest(raw: bytes) -> str:
    """The hash of a file's bytes kept in its stamp (BLAKE2b, 128 bits)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@register("folder")
def read_folder(source: SourceConfig, ctx: ReadContext) -> Iterator[Article | Excluded]:
    """Yield every article file under ``source.path`` (recursively, in name order).

    Only the folder's own regular files are read: a link that resolves outside the folder, a FIFO,
    a device or a socket is reported (one ``Excluded`` each) and skipped.

    A file whose article is stored already is not read again while its size and mtime are those of its stamp
    (``store.FileStamp``); with a new size or mtime it is read and hashed, and only a new hash makes it an
    article again. The stamp of each article yielded goes in ``ctx.files`` for the store to record with it.
    """
    from briefing.store import FileStamp  # the store's record; imported here to keep this module's imports light

    assert source.path is not None
    if not source.path.is_dir():
        raise SourceError(f"folder {source.path} does not exist; check sources path for {source.name!r}")
    root = source.path.resolve()
    stamps = ctx.store.file_stamps(source.name) if ctx.store is not None else {}
    for path in sorted(p for p in source.path.rglob("*") if p.suffix.lower() in SUFFIXES):
        resolved = _resolved_inside(path, root)
        if resolved is None:
            logger.warning("folder %s: %s links outside the folder; skipped", source.name, path.name)
            yield Excluded(source.name, path.name, "a link to a file outside the folder; skipped")
            continue
        key = resolved.as_posix()
        try:
            info = os.stat(resolved)
        except OSError as exc:
            yield Excluded(source.name, path.name, f"cannot read the file: {exc.strerror}")
            continue
        if stat.S_ISDIR(info.st_mode):
            continue
        old = stamps.get(key)
        if old is not None and old.unchanged(info.st_size, info.st_mtime_ns):
            ctx.unchanged += 1
            continue
        try:  # stat before reading: a change after the stat gives a new mtime, read on the next run
            raw = read_file_bytes(path, source.max_bytes)
        except SourceError as exc:
            yield Excluded(source.name, path.name, str(exc).removeprefix(f"{path.name}: "))
            continue
        stamp = FileStamp(len(raw), info.st_mtime_ns, file_digest(raw))
        if old is not None and old.digest == stamp.digest:  # touched, not changed
            assert ctx.store is not None
            ctx.store.refresh_file(source.name, key, stamp)
            ctx.unchanged += 1
            continue
        try:
            article = article_from_bytes(raw, path, source.name, ctx, resolved)
        except SourceError as exc:
            yield Excluded(source.name, path.name, str(exc).removeprefix(f"{path.name}: "))
            continue
        ctx.files[article.id] = (key, stamp)
        yield article
