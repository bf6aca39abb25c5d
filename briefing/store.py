"""The SQLite store: articles, analyses, briefs built, deliveries and job locks.

The schema is versioned with ``PRAGMA user_version``; each entry of ``MIGRATIONS`` moves it one
version up inside a transaction. Append new migrations, never edit a published one.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from briefing.assemble import dedup
from briefing.errors import StoreError
from briefing.models import Article
from briefing.urls import canonical_url, outlet_from_url

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
    # 2: article identity (Article.id), canonical URL per source, MinHash LSH bands for near-duplicates
    """
    ALTER TABLE articles ADD COLUMN article_key TEXT;
    CREATE INDEX articles_key ON articles(article_key);
    ALTER TABLE article_sources ADD COLUMN canonical_url TEXT;
    CREATE INDEX article_sources_canonical ON article_sources(canonical_url);
    CREATE UNIQUE INDEX article_sources_once ON article_sources(article_id, source, COALESCE(url, ''));
    CREATE TABLE article_bands (
        band INTEGER NOT NULL,
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX article_bands_key ON article_bands(band, key);
    CREATE INDEX article_bands_article ON article_bands(article_id);
    """,
    # 3: the outlet (publisher) of each copy of an article, from its own metadata
    """
    ALTER TABLE article_sources ADD COLUMN outlet TEXT;
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
        self._use_wal()
        # In WAL mode NORMAL never leaves the store inconsistent: a crash keeps every committed
        # transaction, a power cut may lose the last ones. FULL would fsync each article (10 ms each).
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    def _use_wal(self, wait: float = 30.0) -> None:
        """Switch the store to WAL once. SQLite answers "database is locked" at once, without waiting
        for the busy timeout, while another process creates the file, so this retries for ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            try:
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"Cannot open the store {self.path}: {exc}") from exc
                time.sleep(0.05)

    def migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"The store {self.path} was made by a newer briefing (schema {version}); upgrade briefing")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                if self.conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue  # another process (a second scheduler) migrated it meanwhile
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

    # -- articles ---------------------------------------------------------------------------------

    def add_article(self, article: Article, day: date | None = None) -> tuple[int, bool]:
        """Store an article once, in one transaction.

        The article belongs to ``day`` if given (inbox folders: the day it was first ingested), else
        to the date of its publication, else of its fetch time.

        An article already stored under the same canonical URL (of any of its sources), the same
        ``Article.id``, the same normalised text, or a near-duplicate text (the same copy with small
        edits: MinHash LSH candidates checked by shingle Jaccard, see ``briefing.assemble.dedup``) is the same
        article: the new source and URL are added to its sources and the first copy's text is kept.
        A text shorter than ``dedup.MIN_WORDS`` words (a feed teaser) only matches with the same title.

        Returns:
            (row id of the article, True if a new article was created).
        """
        canonical = canonical_url(article.url) if article.url else None
        # A short text ("Read the full story") says nothing of identity: it counts only with the title.
        short = len(dedup.normalise_text(article.text).split()) < dedup.MIN_WORDS
        digest = dedup.content_hash(f"{article.title}\n{article.text}" if short else article.text)
        fetched = article.fetched or datetime.now(UTC)
        day = day or (article.published or fetched).date()
        try:
            with self.transaction() as conn:
                found = self._find_same(conn, article, canonical, digest)
                created = found is None
                if found is None:
                    shingles = dedup.shingles(article.text)
                    found = None if short else self._find_near_duplicate(conn, shingles)
                    created = found is None
                    if found is None:
                        found = conn.execute(
                            "INSERT INTO articles (source, url, canonical_url, path, title, text, content_hash,"
                            " published, fetched, day, article_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (
                                article.source, article.url, canonical, None if article.url else article.id,
                                article.title, article.text, digest, _iso(article.published), _iso(fetched),
                                day.isoformat(), article.id,
                            ),
                        ).lastrowid
                        assert found is not None
                        conn.executemany(
                            "INSERT INTO article_bands (band, key, article_id) VALUES (?,?,?)",
                            [(b, k, found) for b, k in enumerate(dedup.band_keys(dedup.minhash(shingles)))],
                        )
                known = conn.execute(  # the same outlet with the same link (tracking parameters aside)
                    "SELECT 1 FROM article_sources WHERE article_id = ? AND source = ?"
                    " AND COALESCE(canonical_url, url, '') = COALESCE(?, '')",
                    (found, article.source, canonical or article.url),
                ).fetchone()
                if not known:
                    conn.execute(
                        "INSERT OR IGNORE INTO article_sources"
                        " (article_id, source, url, canonical_url, title, published, outlet) VALUES (?,?,?,?,?,?,?)",
                        (found, article.source, article.url, canonical, article.title, _iso(article.published),
                         article.outlet),
                    )
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot store article {article.id!r} in {self.path}: {exc}") from exc
        if not created:
            logger.debug("article %s is already stored as #%d", article.id, found)
        return found, created

    @staticmethod
    def _find_same(conn: sqlite3.Connection, article: Article, canonical: str | None, digest: str) -> int | None:
        """Row id of a stored article with the same canonical URL, id or normalised text."""
        queries = [("SELECT id FROM articles WHERE article_key = ?", article.id),
                   ("SELECT id FROM articles WHERE content_hash = ?", digest)]
        if canonical:
            queries[:0] = [("SELECT id FROM articles WHERE canonical_url = ?", canonical),
                           ("SELECT article_id FROM article_sources WHERE canonical_url = ?", canonical)]
        for sql, value in queries:
            row = conn.execute(sql + " LIMIT 1", (value,)).fetchone()
            if row:
                return int(row[0])
        return None

    @staticmethod
    def _find_near_duplicate(conn: sqlite3.Connection, shingles: set[int]) -> int | None:
        """Row id of the stored near-duplicate with the highest Jaccard, among LSH band candidates only."""
        keys = dedup.band_keys(dedup.minhash(shingles))
        where = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        params = [v for pair in enumerate(keys) for v in pair]
        ids = {row[0] for row in conn.execute(f"SELECT DISTINCT article_id FROM article_bands WHERE {where}", params)}
        best, best_score = None, dedup.NEAR_DUPLICATE_JACCARD
        for article_id in sorted(ids):
            text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
            score = dedup.jaccard(shingles, dedup.shingles(text))
            if score >= best_score:
                best, best_score = article_id, score
        return best

    def articles_for_day(
        self, day: date, window_days: int = 0, *, with_ids: bool = False
    ) -> list[tuple[Article, list[dict[str, Any]]]] | list[tuple[int, Article, list[dict[str, Any]]]]:
        """Articles whose day lies in ``[day - window_days, day]``, oldest first, each with its sources.

        Each source is ``{"outlet", "name", "title", "url", "published"}`` (published as an ISO string or
        None; outlet as the article's metadata gave it, else as its URL says, else None),
        in the order they were stored. With ``with_ids=True`` each item is ``(row id, article, sources)``
        so analyses can be saved against the row.
        """
        first = (day - timedelta(days=window_days)).isoformat()
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE day BETWEEN ? AND ? ORDER BY COALESCE(published, fetched), id",
            (first, day.isoformat()),
        ).fetchall()
        sources: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        if rows:
            for src in self.conn.execute(
                "SELECT s.* FROM article_sources s JOIN articles a ON a.id = s.article_id"
                " WHERE a.day BETWEEN ? AND ? ORDER BY s.rowid",
                (first, day.isoformat()),
            ):
                sources[src["article_id"]].append(
                    {"outlet": src["outlet"] or outlet_from_url(src["url"]), "name": src["source"],
                     "title": src["title"], "url": src["url"], "published": src["published"]}
                )
        out: list[Any] = []
        for row in rows:
            article = Article(
                id=row["article_key"] or row["canonical_url"] or row["path"] or f"store:{row['id']}",
                title=row["title"],
                text=row["text"],
                source=row["source"],
                url=row["url"],
                published=_parse(row["published"]),
                fetched=_parse(row["fetched"]),
                outlet=next((src["outlet"] for src in sources[row["id"]] if src["outlet"]), None),
            )
            out.append((row["id"], article, sources[row["id"]]) if with_ids else (article, sources[row["id"]]))
        return out

    def article_by_url(self, url: str) -> Article | None:
        """The article stored under this canonical URL (its own or one of its sources'), if any."""
        row = self.conn.execute(
            "SELECT title, text, url, published, (SELECT outlet FROM article_sources WHERE article_id = articles.id"
            " AND outlet IS NOT NULL LIMIT 1) AS outlet FROM articles WHERE canonical_url = ?"
            " OR id IN (SELECT article_id FROM article_sources WHERE canonical_url = ?) ORDER BY id LIMIT 1",
            (url, url),
        ).fetchone()
        if row is None:
            return None
        try:
            published = _parse(row["published"])
        except ValueError:
            published = None
        return Article(id=url, title=row["title"], text=row["text"], source="", url=row["url"], published=published,
                       outlet=row["outlet"])

    def article_count(self) -> int:
        """How many distinct articles the store holds."""
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- analyses and briefs -------------------------------------------------------------------------

    def save_analysis(self, article_row_id: int, version: str, data: dict[str, Any]) -> None:
        """Keep the analysis of an article, made by analyser ``version`` (replaces an older one)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO analyses (article_id, analyser_version, data) VALUES (?,?,?) ON CONFLICT(article_id)"
                " DO UPDATE SET analyser_version = excluded.analyser_version, data = excluded.data",
                (article_row_id, version, json.dumps(data, ensure_ascii=False)),
            )

    def load_analysis(self, article_row_id: int, version: str) -> dict[str, Any] | None:
        """The stored analysis of an article if it was made by analyser ``version``, else None."""
        row = self.conn.execute(
            "SELECT data FROM analyses WHERE article_id = ? AND analyser_version = ?", (article_row_id, version)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def save_brief(self, day: date, data: dict[str, Any], paths: list[str]) -> None:
        """Keep the brief built for ``day`` (its JSON content and the files written); replaces a rebuild."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO briefs (day, built, data, paths) VALUES (?,?,?,?) ON CONFLICT(day) DO UPDATE SET"
                " built = excluded.built, data = excluded.data, paths = excluded.paths",
                (day.isoformat(), _iso(datetime.now(UTC)), json.dumps(data, ensure_ascii=False),
                 json.dumps([str(p) for p in paths])),
            )

    def load_brief(self, day: date) -> dict[str, Any] | None:
        """The JSON content of the brief built for ``day``, or None."""
        row = self.conn.execute("SELECT data FROM briefs WHERE day = ?", (day.isoformat(),)).fetchone()
        return json.loads(row[0]) if row else None

    def brief_paths(self, day: date) -> list[str]:
        """The files written for the brief of ``day`` (empty if none was built)."""
        row = self.conn.execute("SELECT paths FROM briefs WHERE day = ?", (day.isoformat(),)).fetchone()
        return list(json.loads(row[0])) if row else []

    def previous_briefs(self, before: date, days: int) -> list[tuple[date, dict[str, Any]]]:
        """Briefs of the ``days`` days before ``before`` (``before`` excluded), oldest first, as (day, data)."""
        rows = self.conn.execute(
            "SELECT day, data FROM briefs WHERE day >= ? AND day < ? ORDER BY day",
            ((before - timedelta(days=days)).isoformat(), before.isoformat()),
        ).fetchall()
        return [(date.fromisoformat(r["day"]), json.loads(r["data"])) for r in rows]

    # -- HTTP validators -----------------------------------------------------------------------------

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified kept for ``url`` (None, None if none)."""
        row = self.conn.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def remember_http_validators(self, url: str, etag: str | None, last_modified: str | None, now: datetime) -> None:
        """Keep the validators of ``url``, inside the caller's transaction if one is open."""
        sql = (
            "INSERT INTO http_cache (url, etag, last_modified, fetched) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "fetched = excluded.fetched"
        )
        values = (url, etag, last_modified, now.isoformat())
        if self.conn.in_transaction:  # the caller's transaction decides
            self.conn.execute(sql, values)
            return
        with self.transaction() as conn:
            conn.execute(sql, values)

    # -- deliveries ----------------------------------------------------------------------------------

    def first_attempts_with_status(self, day: date, status: str) -> dict[str, str]:
        """Recipients (lower case) with a delivery of ``day`` in ``status`` → the time of the first such attempt."""
        rows = self.conn.execute(
            "SELECT lower(recipient), MIN(attempt_at) FROM deliveries WHERE day = ? AND status = ?"
            " GROUP BY lower(recipient)",
            (day.isoformat(), status),
        )
        return {row[0]: row[1] for row in rows}

    def delivery_attempts(self, day: date) -> list[dict[str, Any]]:
        """Every recorded delivery attempt for ``day``, oldest first."""
        rows = self.conn.execute(
            "SELECT attempt_at, recipient, message_id, status, detail FROM deliveries WHERE day = ? ORDER BY id",
            (day.isoformat(),),
        )
        return [dict(row) for row in rows]

    def record_deliveries(self, day: date, when: datetime, message_id: str, outcomes: dict[str, tuple[str, str]]) -> None:
        """Record one attempt's outcome per recipient (``{recipient: (status, detail)}``), in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO deliveries (day, attempt_at, recipient, message_id, status, detail) VALUES (?,?,?,?,?,?)",
                [
                    (day.isoformat(), when.isoformat(timespec="seconds"), r, message_id, status, detail)
                    for r, (status, detail) in outcomes.items()
                ],
            )

    # -- the daily job's lock ------------------------------------------------------------------------

    def claim_job(self, day: date, holder: str, now: str, stale_before: str) -> tuple[str, dict[str, Any] | None]:
        """Take the day's job atomically: ``("claimed", None)``, ``("taken_over", previous row)`` when the
        running holder's heartbeat is older than ``stale_before`` (or the holder is ourselves), else
        (the row's status, or ``"busy"``, the row). Times are ISO strings in UTC."""
        with self.transaction() as conn:
            row = conn.execute("SELECT status, holder, heartbeat FROM job_runs WHERE day = ?", (day.isoformat(),)).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO job_runs (day, started, status, holder, heartbeat) VALUES (?, ?, 'running', ?, ?)",
                    (day.isoformat(), now, holder, now),
                )
                return "claimed", None
            if row["status"] != "running":
                return str(row["status"]), dict(row)
            if row["holder"] != holder and datetime.fromisoformat(row["heartbeat"]) > datetime.fromisoformat(stale_before):
                return "busy", dict(row)
            conn.execute(
                "UPDATE job_runs SET holder = ?, heartbeat = ?, started = ? WHERE day = ?",
                (holder, now, now, day.isoformat()),
            )
            return "taken_over", dict(row)

    def beat_job(self, day: date, holder: str, now: str) -> bool:
        """Renew the heartbeat of a running day; False if another holder has it."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE job_runs SET heartbeat = ? WHERE day = ? AND holder = ? AND status = 'running'",
                (now, day.isoformat(), holder),
            )
            return cur.rowcount == 1

    def finish_job(self, day: date, holder: str, status: str, now: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE job_runs SET status = ?, finished = ?, heartbeat = ? WHERE day = ? AND holder = ?",
                (status, now, now, day.isoformat(), holder),
            )

    def job_run(self, day: date) -> dict[str, Any] | None:
        """The ``job_runs`` row of ``day``, if any."""
        row = self.conn.execute("SELECT * FROM job_runs WHERE day = ?", (day.isoformat(),)).fetchone()
        return dict(row) if row else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
