"""The SQLite store: articles, analyses, briefs built, deliveries and job locks.

The schema is versioned with ``PRAGMA user_version``; each entry of ``schema.MIGRATIONS`` moves it one
version up inside a transaction. Every SQL statement of the package is here or in ``schema.py``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from briefing import words
from briefing.errors import QueryError, StoreError
from briefing.models import Article
from briefing.store.schema import MIGRATIONS, statements
from briefing.urls import canonical_url, outlet_from_url

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # articles written per transaction at ingest
RACY_NS = 2_000_000_000  # a file modified this close to when it was recorded may change again unseen: hash it


@dataclass(frozen=True)
class FileStamp:
    """What a folder source knew of a file it read: its size, modification time and a hash of its bytes.

    ``checked_ns`` is when the stamp was recorded; the file is taken as unchanged without reading it only while
    its size and mtime are the same and its mtime is older than that by ``RACY_NS`` (a file rewritten within the
    clock's resolution of the stamp keeps its mtime: it is hashed instead)."""

    size: int
    mtime_ns: int
    digest: str
    checked_ns: int = 0

    def unchanged(self, size: int, mtime_ns: int) -> bool:
        """True if a file of this size and mtime is known unchanged without reading it."""
        return size == self.size and mtime_ns == self.mtime_ns and mtime_ns + RACY_NS <= self.checked_ns


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
        self._batch: ArticleBatch | None = None
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
                for statement in statements(script):
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
        """Store an article once, in one transaction (``batch`` stores many in one).

        The article belongs to ``day`` if given (inbox folders: the day it was first ingested), else
        to the date of its publication, else of its fetch time.

        An article already stored under the same canonical URL (of any of its sources), the same
        ``Article.id``, the same normalised text, or a near-duplicate text (the same copy with small
        edits: MinHash LSH candidates checked by shingle Jaccard, see ``briefing.assemble.dedup``) is the same
        article: the new source and URL are added to its sources and the first copy's text is kept.
        A text shorter than ``words.MIN_WORDS`` words (a feed teaser) only matches with the same title.

        Returns:
            (row id of the article, True if a new article was created).

        Raises:
            StoreError: the store refused the write; nothing of the article was stored.
        """
        try:
            with self.transaction() as conn:
                return self._add(conn, article, day)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot store article {article.id!r} in {self.path}: {exc}") from exc

    @contextmanager
    def batch(self, size: int | None = None) -> Iterator[ArticleBatch]:
        """Store articles ``size`` (default ``BATCH_SIZE``) at a time, one transaction each (see ``ArticleBatch``).

        What was handed to the batch is written when the block ends, also when it ends with an exception
        (as ``add_article`` would have stored each one before it); a crash loses only the batch being filled,
        never a committed one, and never leaves half an article.
        """
        if self._batch is not None:
            raise StoreError("a batch is already open on this store connection")
        batch = ArticleBatch(self, size or BATCH_SIZE)
        self._batch = batch
        try:
            yield batch
        except BaseException:
            self._batch = None
            if batch.pending:
                try:
                    batch.flush()
                except StoreError as exc:
                    logger.error("the articles of the last batch were not stored: %s", exc)
            raise
        self._batch = None
        batch.flush()

    def _add(self, conn: sqlite3.Connection, article: Article, day: date | None, stamp: FileStamp | None = None,
             path: str | None = None) -> tuple[int, bool]:
        """``add_article`` inside the caller's transaction; with ``stamp``, also record the file it was read from."""
        canonical = canonical_url(article.url) if article.url else None
        identity = words.text_identity(article.title, article.text)
        fetched = article.fetched or datetime.now(UTC)
        day = day or (article.published or fetched).date()
        found = self._find_same(conn, article, canonical, identity.digest)
        created = False
        if found is None and not identity.short:
            found = self._find_near_duplicate(conn, identity)
        if found is None:
            created = True
            found = conn.execute(
                "INSERT INTO articles (source, url, canonical_url, path, title, text, content_hash,"
                " published, fetched, day, article_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.source, article.url, canonical, None if article.url else article.id,
                    article.title, article.text, identity.digest, _iso(article.published), _iso(fetched),
                    day.isoformat(), article.id,
                ),
            ).lastrowid
            assert found is not None
            conn.executemany("INSERT INTO article_bands (band, key, article_id) VALUES (?,?,?)",
                             [(b, k, found) for b, k in enumerate(identity.band_keys)])
            conn.execute("INSERT INTO article_signatures (article_id, signature) VALUES (?,?)",
                         (found, words.pack_signature(identity.signature)))
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
        if stamp is not None and path is not None:
            self._record_file(conn, article.source, path, stamp, found)
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
    def _find_near_duplicate(conn: sqlite3.Connection, identity: words.TextIdentity) -> int | None:
        """Row id of the stored near-duplicate with the highest Jaccard, among LSH band candidates only.

        A candidate's signature is read as stored and rules most candidates out (``words.worth_checking``); only
        the others' texts are shingled for the exact Jaccard. A row stored before signatures were (schema 4 and
        older) gets its signature computed from its text once, and stored."""
        keys = identity.band_keys
        where = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        params = [v for pair in enumerate(keys) for v in pair]
        ids = sorted({row[0] for row in conn.execute(f"SELECT DISTINCT article_id FROM article_bands WHERE {where}",
                                                     params)})
        if not ids:
            return None
        signatures = {row[0]: words.unpack_signature(row[1]) for row in conn.execute(
            f"SELECT article_id, signature FROM article_signatures WHERE article_id IN ({','.join('?' * len(ids))})",
            ids)}
        for article_id in ids:
            if article_id not in signatures:
                text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
                signatures[article_id] = words.text_identity("", text).signature
                conn.execute("INSERT OR IGNORE INTO article_signatures (article_id, signature) VALUES (?,?)",
                             (article_id, words.pack_signature(signatures[article_id])))
        checked = [i for i in ids if words.worth_checking(identity.signature, signatures[i])]
        best, best_score = None, words.NEAR_DUPLICATE_JACCARD
        for article_id in checked:
            text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
            score = words.similarity(identity.shingles, words.shingles(text))
            if score >= best_score:
                best, best_score = article_id, score
        return best

    # -- files read by folder sources ---------------------------------------------------------------

    def file_stamps(self, source: str) -> dict[str, FileStamp]:
        """The stamps of the files source ``source`` has read into stored articles, by path."""
        rows = self.conn.execute(
            "SELECT path, size, mtime_ns, digest, checked_ns FROM source_files WHERE source = ?", (source,))
        return {row[0]: FileStamp(row[1], row[2], row[3], row[4]) for row in rows}

    def refresh_file(self, source: str, path: str, stamp: FileStamp) -> None:
        """A file read again was found unchanged in its bytes (a new mtime only): keep its new stamp.
        Inside an open ``batch`` it is written with the batch."""
        def write(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE source_files SET size = ?, mtime_ns = ?, digest = ?, checked_ns = ?"
                         " WHERE source = ? AND path = ?",
                         (stamp.size, stamp.mtime_ns, stamp.digest, time.time_ns(), source, path))

        self._write(write)

    @staticmethod
    def _record_file(conn: sqlite3.Connection, source: str, path: str, stamp: FileStamp, article_id: int) -> None:
        conn.execute(
            "INSERT INTO source_files (source, path, size, mtime_ns, digest, checked_ns, article_id)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(source, path) DO UPDATE SET size = excluded.size,"
            " mtime_ns = excluded.mtime_ns, digest = excluded.digest, checked_ns = excluded.checked_ns,"
            " article_id = excluded.article_id",
            (source, path, stamp.size, stamp.mtime_ns, stamp.digest, time.time_ns(), article_id),
        )

    def _write(self, write: Callable[[sqlite3.Connection], None]) -> None:
        """Run one write: with the open batch (after what was handed to it), in the caller's open transaction,
        or in its own."""
        if self._batch is not None:
            self._batch.later(write)
        elif self.conn.in_transaction:
            write(self.conn)
        else:
            with self.transaction() as conn:
                write(conn)

    def articles_for_day(
        self, day: date, window_days: int = 0, *, with_ids: bool = False
    ) -> list[tuple[Article, list[dict[str, Any]]]] | list[tuple[int, Article, list[dict[str, Any]]]]:
        """Articles whose day lies in ``[day - window_days, day]``, oldest first, each with its sources.

        Each source is ``{"outlet", "name", "title", "url", "published"}`` (published as an ISO string or
        None; outlet as the article's metadata gave it, else as its URL says, else None),
        in the order they were stored. With ``with_ids=True`` each item is ``(row id, article, sources)``
        so analyses can be saved against the row. ``iter_articles_for_day`` gives the same without holding them.
        """
        rows = self.iter_articles_for_day(day, window_days)
        if with_ids:
            return list(rows)
        return [(article, sources) for _, article, sources in rows]

    def iter_articles_for_day(
        self, day: date, window_days: int = 0, chunk: int = 500
    ) -> Iterator[tuple[int, Article, list[dict[str, Any]]]]:
        """``articles_for_day(..., with_ids=True)`` one at a time: the day's row ids are read first, then the
        articles and their sources ``chunk`` rows at a time, so only one chunk of texts is held (no statement
        stays open between chunks: the caller may write to the store meanwhile)."""
        first = (day - timedelta(days=window_days)).isoformat()
        ids = [row[0] for row in self.conn.execute(
            "SELECT id FROM articles WHERE day BETWEEN ? AND ? ORDER BY COALESCE(published, fetched), id",
            (first, day.isoformat()),
        )]
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            marks = ",".join("?" * len(part))
            rows = {row["id"]: row for row in self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", part)}
            sources: dict[int, list[dict[str, Any]]] = {row_id: [] for row_id in part}
            for src in self.conn.execute(
                f"SELECT * FROM article_sources WHERE article_id IN ({marks}) ORDER BY rowid", part
            ):
                sources[src["article_id"]].append(
                    {"outlet": src["outlet"] or outlet_from_url(src["url"]), "name": src["source"],
                     "title": src["title"], "url": src["url"], "published": src["published"]}
                )
            for row_id in part:
                row = rows.get(row_id)
                if row is None:  # removed since the ids were read
                    continue
                article = Article(
                    id=row["article_key"] or row["canonical_url"] or row["path"] or f"store:{row['id']}",
                    title=row["title"],
                    text=row["text"],
                    source=row["source"],
                    url=row["url"],
                    published=_parse(row["published"]),
                    fetched=_parse(row["fetched"]),
                    outlet=next((src["outlet"] for src in sources[row_id] if src["outlet"]), None),
                )
                yield row_id, article, sources[row_id]

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

    # -- full-text search, story history, the archive ------------------------------------------------

    def search_articles(
        self, match: str, since: date | None = None, limit: int = 20, marks: tuple[str, str] = ("\x02", "\x03")
    ) -> list[dict[str, Any]]:
        """Stored articles matching the FTS5 expression ``match``, best first (bm25; the title weighs five times
        the text), of days from ``since`` on: ``{"row", "id", "title", "url", "published", "day", "outlet", "score",
        "marked_title", "marked_text"}``, the matched words of the last two between ``marks``.

        Raises:
            QueryError: ``match`` is not a valid FTS5 expression.
        """
        rows = self._match(
            match,
            "SELECT a.id AS row, COALESCE(a.article_key, a.canonical_url, a.path, 'store:' || a.id) AS id, a.title,"
            " a.url, a.published, a.day, (SELECT outlet FROM article_sources WHERE article_id = a.id"
            " AND outlet IS NOT NULL LIMIT 1) AS outlet, bm25(articles_fts, 5.0, 1.0) AS score"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ? AND a.day >= ? ORDER BY score, a.id LIMIT ?",
            (match, (since or date.min).isoformat(), limit),
        )
        for row in rows:  # highlighting only the hits shown, not every match
            row["marked_title"], row["marked_text"] = self._match(
                match, "SELECT highlight(articles_fts, 0, ?, ?) AS t, highlight(articles_fts, 1, ?, ?) AS x FROM articles_fts"
                " WHERE articles_fts MATCH ? AND rowid = ?", (*marks, *marks, match, row["row"]))[0].values()
        return rows

    def search_stories(
        self, match: str, since: date | None = None, limit: int = 20, marks: tuple[str, str] = ("\x02", "\x03")
    ) -> list[dict[str, Any]]:
        """Stories of the briefs built matching the FTS5 expression ``match``, best first (bm25; headline 5, key
        facts 2, open issues 1), of briefs from ``since`` on: ``{"day", "story_id", "position", "score",
        "marked_headline", "marked_facts", "marked_issues"}``; ``position`` is the story's number in its brief
        (None: listed under "Also reported"); facts and issues one sentence a line.

        Raises:
            QueryError: ``match`` is not a valid FTS5 expression.
        """
        return self._match(
            match,
            "SELECT day, story_id, position, bm25(stories_fts, 0, 0, 0, 5.0, 2.0, 1.0) AS score,"
            " highlight(stories_fts, 3, ?, ?) AS marked_headline, highlight(stories_fts, 4, ?, ?) AS marked_facts,"
            " highlight(stories_fts, 5, ?, ?) AS marked_issues"
            " FROM stories_fts WHERE stories_fts MATCH ? AND day >= ? ORDER BY score, day DESC LIMIT ?",
            (*marks, *marks, *marks, match, (since or date.min).isoformat(), limit),
        )

    def _match(self, match: str, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        """The rows of a full-text query; an FTS5 syntax error becomes a ``QueryError``."""
        try:
            return [dict(row) for row in self.conn.execute(sql, params)]
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "MATCH" in str(exc):
                raise QueryError(f"Cannot search for {match!r}: {exc}") from exc
            raise StoreError(f"Cannot search the store {self.path}: {exc}") from exc

    def articles_stored_since(self, when: datetime) -> list[tuple[int, Article, list[dict[str, Any]]]]:
        """Articles first stored (fetched) at ``when`` or later, oldest first, as ``(row id, article, sources)``
        like ``articles_for_day(..., with_ids=True)`` (``brief watch``)."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE julianday(fetched) >= julianday(?) ORDER BY julianday(fetched), id",
            (when.astimezone(UTC).isoformat(),),
        ).fetchall()
        sources: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for row_id in sources:
            for src in self.conn.execute("SELECT * FROM article_sources WHERE article_id = ? ORDER BY rowid", (row_id,)):
                sources[row_id].append({"outlet": src["outlet"] or outlet_from_url(src["url"]), "name": src["source"],
                                        "title": src["title"], "url": src["url"], "published": src["published"]})
        return [
            (row["id"], Article(
                id=row["article_key"] or row["canonical_url"] or row["path"] or f"store:{row['id']}", title=row["title"],
                text=row["text"], source=row["source"], url=row["url"], published=_parse(row["published"]),
                fetched=_parse(row["fetched"]), outlet=next((s["outlet"] for s in sources[row["id"]] if s["outlet"]), None),
            ), sources[row["id"]])
            for row in rows
        ]

    def story_appearances(self, story_id: str) -> list[dict[str, Any]]:
        """Each brief that has the story ``story_id``, oldest first: ``{"day", "position", "story", "paths"}``;
        ``story`` is the story as brief.json has it, ``position`` its number (None: under "Also reported")."""
        rows = self.conn.execute(
            "SELECT b.day, CAST(s.key AS INTEGER) + 1 AS position, s.value AS story, b.paths"
            " FROM briefs b, json_each(b.data, '$.stories') s WHERE json_extract(s.value, '$.id') = ?"
            " UNION ALL SELECT b.day, NULL, m.value, b.paths FROM briefs b, json_each(b.data, '$.more_stories') m"
            " WHERE json_extract(m.value, '$.id') = ? ORDER BY 1",
            (story_id, story_id),
        )
        return [{"day": date.fromisoformat(r["day"]), "position": r["position"], "story": json.loads(r["story"]),
                 "paths": json.loads(r["paths"])} for r in rows]

    def story_ids(self, prefix: str) -> list[str]:
        """The ids of the stories of the briefs built that start with ``prefix``, sorted."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.conn.execute(
            "SELECT DISTINCT story_id FROM stories_fts WHERE story_id LIKE ? ESCAPE '\\' ORDER BY story_id",
            (escaped + "%",),
        )
        return [r[0] for r in rows]

    def brief_summaries(self) -> list[dict[str, Any]]:
        """Every brief built, newest first: ``{"day", "built", "paths", "title", "generated", "top_lines",
        "stories": [{"id", "headline"}], "more_stories"}`` (``more_stories`` a count)."""
        rows = self.conn.execute(
            "SELECT day, built, paths, json_extract(data, '$.title') AS title, json_extract(data, '$.generated')"
            " AS generated, json_extract(data, '$.top_lines') AS top_lines,"
            " (SELECT json_group_array(json_object('id', json_extract(s.value, '$.id'), 'headline',"
            " json_extract(s.value, '$.headline'))) FROM json_each(data, '$.stories') s) AS stories,"
            " COALESCE(json_array_length(data, '$.more_stories'), 0) AS more_stories FROM briefs ORDER BY day DESC"
        )
        return [{**dict(r), "day": date.fromisoformat(r["day"]), "paths": json.loads(r["paths"]),
                 "top_lines": json.loads(r["top_lines"] or "[]"), "stories": json.loads(r["stories"] or "[]")}
                for r in rows]

    # -- HTTP validators -----------------------------------------------------------------------------

    def http_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified kept for ``url`` (None, None if none)."""
        row = self.conn.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def remember_http_validators(self, url: str, etag: str | None, last_modified: str | None, now: datetime) -> None:
        """Keep the validators of ``url``: with the open ``batch`` (so they land with, never before, the articles
        read from that response), else inside the caller's transaction if one is open, else in their own."""
        sql = (
            "INSERT INTO http_cache (url, etag, last_modified, fetched) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "fetched = excluded.fetched"
        )
        values = (url, etag, last_modified, now.isoformat())

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(sql, values)

        self._write(write)

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


class ArticleBatch:
    """Articles (and the writes that must follow them) handed to the store, written ``size`` at a time.

    Each write of the batch is one IMMEDIATE transaction: every article of it lands, with its sources, bands,
    signature and file stamp, or none does. ``added`` and ``duplicates`` count what the written batches held.
    """

    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = max(1, size)
        self.pending: list[Callable[[sqlite3.Connection], None]] = []
        self.articles = 0  # articles among the pending writes
        self.added = 0
        self.duplicates = 0

    def add(self, article: Article, day: date | None = None, stamp: FileStamp | None = None,
            path: str | None = None) -> None:
        """Store ``article`` (as ``Store.add_article``) with the batch; with ``stamp``, record the file at
        ``path`` it was read from in the same transaction."""
        def write(conn: sqlite3.Connection) -> None:
            try:
                _, created = self.store._add(conn, article, day, stamp, path)
            except sqlite3.Error as exc:
                raise StoreError(f"Cannot store article {article.id!r} in {self.store.path}: {exc}") from exc
            if created:
                self.added += 1
            else:
                self.duplicates += 1

        self.pending.append(write)
        self.articles += 1
        if self.articles >= self.size:
            self.flush()

    def later(self, write: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``write`` in the transaction of the batch, after the articles handed on before it."""
        self.pending.append(write)

    def flush(self) -> None:
        """Write what is pending in one transaction.

        Raises:
            StoreError: the store refused a write; none of the pending writes was stored.
        """
        pending, self.pending, self.articles = self.pending, [], 0
        if not pending:
            return
        added, duplicates = self.added, self.duplicates
        try:
            with self.store.transaction() as conn:
                for write in pending:
                    write(conn)
        except sqlite3.Error as exc:
            self.added, self.duplicates = added, duplicates
            raise StoreError(f"Cannot store a batch of articles in {self.store.path}: {exc}") from exc
        except BaseException:
            self.added, self.duplicates = added, duplicates
            raise


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
