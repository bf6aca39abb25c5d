"""The SQLite store: articles, analyses, briefs built, deliveries and job locks.

The schema is versioned with ``PRAGMA user_version``; each entry of ``MIGRATIONS`` moves it one
version up inside a transaction. Append new migrations, never edit a published one.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import StoreError

logger = logging.getLogger(__name__)

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        canonical_url TEXT,
        path TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        simhash INTEGER,
        published TEXT,
        fetched TEXT NOT NULL,
        day TEXT NOT NULL
    );
    CREATE UNIQUE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_canonical ON articles(canonical_url);
    CREATE INDEX articles_day ON articles(day);
    CREATE TABLE article_sources (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        PRIMARY KEY (article_id, source, url)
    );
    CREATE TABLE analyses (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        analyser_version TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        fetched TEXT NOT NULL
    );
    CREATE TABLE briefs (
        day TEXT PRIMARY KEY,
        built TEXT NOT NULL,
        data TEXT NOT NULL,
        paths TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        attempt_at TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT
    );
    CREATE INDEX deliveries_day ON deliveries(day);
    CREATE TABLE job_runs (
        day TEXT PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,
        holder TEXT NOT NULL,
        heartbeat TEXT NOT NULL
    );
    """,
]


class Store:
    """A connection to the SQLite store; created and migrated on first use."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the store {self.path}: {exc}; check [store] path in config.toml") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.migrate()

    def migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"The store {self.path} was made by a newer briefing (schema {version}); upgrade briefing")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
            logger.info("store %s migrated to schema %d", self.path, number)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one IMMEDIATE transaction: all of it lands, or none of it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
