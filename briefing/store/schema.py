"""The store's schema: its migrations, in order. Append new migrations, never edit a published one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

_FTS_TOKENS = "tokenize = 'porter unicode61 remove_diacritics 2'"  # "protests" finds "protest", "Genève" "Geneve"
# The search document of each story of a brief (row ``{brief}`` of ``{table}``, or a trigger's row): its headline, its key facts
# and its open issues (question and evidence), one sentence a line; the stories beyond max_stories by headline.
_STORY_ROWS = """INSERT INTO stories_fts (day, story_id, position, headline, facts, issues)
        SELECT {brief}.day, json_extract(s.value, '$.id'), CAST(s.key AS INTEGER) + 1,
            COALESCE(json_extract(s.value, '$.headline'), ''),
            COALESCE((SELECT group_concat(f.value, char(10)) FROM json_each(s.value, '$.key_facts') f), ''),
            COALESCE((SELECT group_concat(COALESCE(json_extract(i.value, '$.question'), '') || char(10)
                                          || COALESCE(json_extract(i.value, '$.evidence'), ''), char(10))
                      FROM json_each(s.value, '$.open_issues') i), '')
        FROM {table}json_each({brief}.data, '$.stories') s
        UNION ALL
        SELECT {brief}.day, json_extract(m.value, '$.id'), NULL, COALESCE(json_extract(m.value, '$.headline'), ''), '', ''
        FROM {table}json_each({brief}.data, '$.more_stories') m"""

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
    # 4: full-text search (FTS5, Porter stems): articles, and the stories of every brief built, kept in
    # step by triggers; the articles and briefs already stored are indexed here
    f"""
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', {_FTS_TOKENS});
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE VIRTUAL TABLE stories_fts USING fts5(
        day UNINDEXED, story_id UNINDEXED, position UNINDEXED, headline, facts, issues, {_FTS_TOKENS}
    );
    CREATE TRIGGER stories_fts_insert AFTER INSERT ON briefs BEGIN
        {_STORY_ROWS.format(brief="new", table="")};
    END;
    CREATE TRIGGER stories_fts_update AFTER UPDATE OF data ON briefs BEGIN
        DELETE FROM stories_fts WHERE day = old.day;
        {_STORY_ROWS.format(brief="new", table="")};
    END;
    CREATE TRIGGER stories_fts_delete AFTER DELETE ON briefs BEGIN
        DELETE FROM stories_fts WHERE day = old.day;
    END;
    {_STORY_ROWS.format(brief="briefs", table="briefs, ")};
    """,
    # 5: each article's MinHash signature, stored once (it rules out most near-duplicate candidates without
    # re-shingling their stored texts; older rows get theirs when first a candidate), and the files a folder
    # source has read (size, mtime, hash), so a re-run skips the unchanged ones
    """
    CREATE TABLE article_signatures (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature BLOB NOT NULL
    );
    CREATE TABLE source_files (
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        digest TEXT NOT NULL,
        checked_ns INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (source, path)
    );
    CREATE INDEX source_files_article ON source_files(article_id);
    """,
]


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, a trigger's body (with its own semicolons) kept whole."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""
    if pending.strip(" \n;"):
        yield pending
