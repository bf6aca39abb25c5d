"""The registry of source readers, keyed by a source's ``type`` in config (the readers register themselves)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefing.models import Article, Excluded

if TYPE_CHECKING:
    from briefing.config import SourceConfig
    from briefing.store import FileStamp, Store


@dataclass
class ReadContext:
    """What a reader may use besides its own config."""

    store: Store | None
    now: datetime  # aware; becomes the fetch time of every article read
    zone: ZoneInfo  # the configured time zone, for dates without a time
    # The file each article yielded was read from, by Article.id: (path, stamp), for the store to record with
    # the article so that a re-run skips the file while it is unchanged (folder sources).
    files: dict[str, tuple[str, FileStamp]] = field(default_factory=dict)
    unchanged: int = 0  # files a reader skipped as unchanged since they were stored


Reader = Callable[["SourceConfig", ReadContext], Iterator[Article | Excluded]]
READERS: dict[str, Reader] = {}


def register(kind: str) -> Callable[[Reader], Reader]:
    """Register a reader for a source type; built-in readers use it like an extension would."""

    def decorator(reader: Reader) -> Reader:
        READERS[kind] = reader
        return reader

    return decorator
