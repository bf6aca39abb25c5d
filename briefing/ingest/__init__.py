"""Ingest: one reader per source type, in a plain registry keyed by ``type`` in config.

A reader takes a source's config and a ``ReadContext`` and yields an ``Article`` per good item and
an ``Excluded`` per bad one, so one bad item never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from briefing.errors import BriefingError
from briefing.ingest.registry import READERS, ReadContext, Reader, register
from briefing.models import Article, Excluded

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.store import Store

__all__ = ["READERS", "IngestReport", "ReadContext", "Reader", "ingest", "read_sources", "register"]

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0  # items already stored, the unchanged files below included
    unchanged: int = 0  # files of folder sources not parsed again: unchanged since their article was stored
    excluded: list[Excluded] = field(default_factory=list)


def read_sources(cfg: Config, ctx: ReadContext) -> Iterator[Article | Excluded]:
    """Run every configured source's reader; a source that fails as a whole yields one ``Excluded``."""
    for source in cfg.sources:
        reader = READERS.get(source.type)
        if reader is None:
            yield Excluded(source.name, source.type, f"no reader for source type {source.type!r}")
            continue
        try:
            yield from reader(source, ctx)
        except BriefingError as exc:
            logger.warning("source %s skipped: %s", source.name, exc)
            yield Excluded(source.name, source.path.as_posix() if source.path else (source.url or ""), str(exc))


def ingest(cfg: Config, store: Store, now: datetime, inbox_day: date | None = None) -> IngestReport:
    """Read every source into the store, ``store.BATCH_SIZE`` articles a transaction. Running it twice adds
    nothing twice, and the second run does not read the folder files left unchanged.

    Files of inbox folders belong to ``inbox_day`` (default: today in the configured time zone), the
    day they arrived; every other article belongs to its own publication date.
    """
    report = IngestReport()
    ctx = ReadContext(store=store, now=now, zone=cfg.zone)
    inbox = {s.name for s in cfg.sources if s.inbox}
    with store.batch() as batch:
        for item in read_sources(cfg, ctx):
            if isinstance(item, Excluded):
                logger.warning("not included: %s: %s: %s", item.source, item.item, item.error)
                report.excluded.append(item)
                continue
            day = (inbox_day or now.astimezone(cfg.zone).date()) if item.source in inbox else None
            path, stamp = ctx.files.pop(item.id, (None, None))
            batch.add(item, day, stamp, path)
    report.added, report.duplicates, report.unchanged = batch.added, batch.duplicates + ctx.unchanged, ctx.unchanged
    logger.info("ingest: %d new articles, %d already known (%d of them unchanged files, not read again), %d excluded",
                report.added, report.duplicates, report.unchanged, len(report.excluded))
    return report


# Built-in readers register themselves on import.
from briefing.ingest import feed, folder, web  # noqa: E402,F401
