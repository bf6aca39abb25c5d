"""Ingest into the store: batches in one transaction each, stored shingles, unchanged folder files skipped."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing import store as store_module
from briefing.assemble import dedup
from briefing.config import Config, SourceConfig
from briefing.errors import StoreError
from briefing.ingest import folder as folder_module
from briefing.ingest import ingest
from briefing.models import Article
from briefing.store import RACY_NS, Store
from tests.conftest import NOW, ROOT, SAMPLES

HOUR_NS = 3_600 * 10**9


def _texts() -> list[tuple[str, str]]:
    """(title, text) of the repo's sample articles and the ECB+ documents of tests/data: several reports of
    the same events (different articles) and unrelated ones."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        head, _, body = path.read_text("utf-8").partition("\n\n")
        out.append((path.stem, body))
    for path in sorted((ROOT / "tests" / "data" / "ecbplus").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            doc = json.loads(line)
            lines = [s for s in doc["text"].splitlines() if s.strip() and not s.startswith("http")]
            out.append((lines[0], "\n\n".join(lines[1:])))
    return out


def _copies(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Wire copies of some texts: a few words changed, the last paragraph cut, a new first sentence."""
    rng = random.Random(3)
    out = []
    for k, (title, text) in enumerate(texts[::4]):
        words = text.split(" ")
        for _ in range(3):
            words[rng.randrange(len(words))] = "reportedly"
        out.append((title, " ".join(words)))
        if k % 2 == 0:
            out.append((title + " (update)", text.rsplit("\n\n", 1)[0]))
        else:
            out.append((title, "Updated at noon. " + text))
    return out


def _reference(items: list[Article]) -> list[int]:
    """The dedup decision for each article, by brute force: the index of the first-stored article it is the same
    as (same URL or id, same normalised text, or exact shingle Jaccard at least 0.7 with a long text), else its own."""
    stored: list[tuple[int, Article, set[int]]] = []
    decision = []
    for k, a in enumerate(items):
        short = len(dedup.normalise_text(a.text).split()) < dedup.MIN_WORDS
        digest = dedup.content_hash(f"{a.title}\n{a.text}" if short else a.text)
        same = next((i for i, b, _ in stored if b.url == a.url or b.id == a.id
                     or dedup.content_hash(f"{b.title}\n{b.text}" if len(dedup.normalise_text(b.text).split())
                                           < dedup.MIN_WORDS else b.text) == digest), None)
        if same is None and not short:
            sh = dedup.shingles(a.text)
            scores = [(dedup.jaccard(sh, other), -i) for i, _, other in stored]
            best = max((s for s in scores if s[0] >= dedup.NEAR_DUPLICATE_JACCARD), default=None)
            same = -best[1] if best else None
        if same is None:
            stored.append((k, a, dedup.shingles(a.text)))
            same = k
        decision.append(same)
    return decision


def test_batched_ingest_makes_the_same_dedup_decisions_as_comparing_every_pair(tmp_path: Path) -> None:
    texts = _texts()
    items = [Article(id=f"https://o{k % 5}.example/{k}", title=t, text=x, source=f"Outlet {k % 5}",
                     url=f"https://o{k % 5}.example/{k}", published=NOW) for k, (t, x) in enumerate(texts + _copies(texts))]
    expected = _reference(items)
    assert sum(k != e for k, e in enumerate(expected)) >= 20  # the copies are merged, ...
    assert len(set(expected)) >= len(texts) - 2  # ... the different reports of the same events are not
    with Store(tmp_path / "batch.db") as s, s.batch(size=7) as batch:
        for a in items:
            batch.add(a)
    with Store(tmp_path / "batch.db") as s:
        row_of = {r["url"]: r["article_id"] for r in s.conn.execute("SELECT url, article_id FROM article_sources")}
    with Store(tmp_path / "one.db") as s:
        one_by_one = [s.add_article(a)[0] for a in items]
    rows = [row_of[a.url] for a in items]
    first_row = {k: rows[k] for k in set(expected)}
    assert rows == [first_row[e] for e in expected]
    assert one_by_one == rows
    assert batch.added == len(set(expected)) and batch.duplicates == len(items) - len(set(expected))


def test_signatures_are_stored_once_and_rule_candidates_out(tmp_path: Path) -> None:
    (title, text), (other_title, other) = _texts()[:2]
    copy = text.replace(" the ", " a ", 2)
    with Store(tmp_path / "s.db") as s:
        row, _ = s.add_article(Article("a", title, text, "Wire", "https://w.example/a", NOW))
        (sig,) = s.conn.execute("SELECT signature FROM article_signatures WHERE article_id = ?", (row,)).fetchone()
        assert dedup.unpack_signature(sig) == dedup.minhash(dedup.shingles(text))
        # The stored signature decides which candidates are compared: one that rules the copy out wins over the text.
        far = dedup.minhash(dedup.shingles(other))
        s.conn.execute("UPDATE article_signatures SET signature = ? WHERE article_id = ?",
                       (dedup.pack_signature(far), row))
        b_row, created = s.add_article(Article("b", title, copy, "Post", "https://p.example/b", NOW))
        assert created
        s.conn.execute("DELETE FROM articles WHERE id = ?", (b_row,))
        # A row stored before signatures were (an older store) gets its own from its text, once.
        s.conn.execute("DELETE FROM article_signatures WHERE article_id = ?", (row,))
        assert s.add_article(Article("c", title, copy, "Herald", "https://h.example/c", NOW)) == (row, False)
        (sig,) = s.conn.execute("SELECT signature FROM article_signatures WHERE article_id = ?", (row,)).fetchone()
        assert dedup.unpack_signature(sig) == dedup.minhash(dedup.shingles(text))
        other_row, created = s.add_article(Article("d", other_title, other, "Wire", "https://w.example/d", NOW))
        assert created and s.conn.execute("SELECT COUNT(*) FROM article_signatures").fetchone()[0] == 2


def test_a_failed_write_rolls_back_its_whole_batch_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()[:9]
    calls = {"n": 0}
    real = Store._add

    def fail_on_the_eighth(self: Store, *args: object, **kwargs: object) -> tuple[int, bool]:
        calls["n"] += 1
        if calls["n"] == 8:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_add", fail_on_the_eighth)
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(StoreError, match="disk I/O error"), s.batch(size=5) as batch:
            for k, (t, x) in enumerate(texts):
                batch.add(Article(f"a{k}", t, x, "Wire", f"https://w.example/{k}", NOW))
        assert s.article_count() == 5  # the first batch; none of the second (articles 6 to 8)
        assert s.conn.execute("SELECT COUNT(DISTINCT article_id) FROM article_sources").fetchone()[0] == 5
        assert s.conn.execute("SELECT COUNT(*) FROM article_bands").fetchone()[0] == 5 * dedup.BANDS
        assert not s.conn.in_transaction


_CRASH = """
import os, sys
from pathlib import Path
from datetime import UTC, datetime
from briefing import store
from briefing.config import Config, SourceConfig
from briefing.ingest import ingest
store.BATCH_SIZE = 4
real, seen = store.Store._add, [0]
def add(self, *args, **kwargs):
    seen[0] += 1
    if seen[0] == 11:  # the third article of the third batch: the process dies, nothing is cleaned up
        os._exit(3)
    return real(self, *args, **kwargs)
store.Store._add = add
cfg = Config()
cfg.sources = [SourceConfig(name="F", type="folder", path=Path(sys.argv[1]))]
with store.Store(sys.argv[2]) as s:
    ingest(cfg, s, datetime(2026, 11, 25, 6, 30, tzinfo=UTC))
"""


def _folder(where: Path, count: int) -> Path:
    where.mkdir()
    for k, (title, text) in enumerate(_texts()[:count]):
        (where / f"{k:02d}.txt").write_text(f"Title: {title}\nDate: 2026-11-24\n\n{text}\n", encoding="utf-8")
    return where


def test_a_crash_mid_batch_keeps_the_committed_batches_whole(tmp_path: Path) -> None:
    articles = _folder(tmp_path / "in", 14)
    db = tmp_path / "s.db"
    proc = subprocess.run([sys.executable, "-c", _CRASH, str(articles), str(db)], cwd=ROOT, capture_output=True)
    assert proc.returncode == 3, proc.stderr.decode()
    with Store(db) as s:
        assert s.article_count() == 8  # two batches of four committed, the third lost whole
        ids = [r[0] for r in s.conn.execute("SELECT id FROM articles")]
        for table in ("article_sources", "article_signatures", "source_files"):
            assert sorted(r[0] for r in s.conn.execute(f"SELECT DISTINCT article_id FROM {table}")) == sorted(ids)
        assert s.conn.execute("SELECT COUNT(*) FROM article_bands").fetchone()[0] == 8 * dedup.BANDS
        cfg = Config()
        cfg.sources = [SourceConfig(name="F", type="folder", path=articles)]
        report = ingest(cfg, s, NOW)
        assert report.added == 6  # the rest, read again on the next run
        assert s.article_count() == 14


def _stamps_age(db: Store, age_ns: int) -> None:
    """Make every stamp look recorded ``age_ns`` after its file's mtime (as if the files had been old)."""
    db.conn.execute("UPDATE source_files SET checked_ns = mtime_ns + ?", (age_ns,))


def test_a_rerun_reads_no_unchanged_file_and_rereads_a_changed_one(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _folder(tmp_path / "in", 6)
    read: list[str] = []
    real = folder_module.read_file_bytes

    def spy(path: Path, max_bytes: int) -> bytes:
        read.append(path.name)
        return real(path, max_bytes)

    monkeypatch.setattr(folder_module, "read_file_bytes", spy)
    cfg = Config()
    cfg.sources = [SourceConfig(name="F", type="folder", path=articles)]
    with Store(tmp_path / "s.db") as s:
        first = ingest(cfg, s, NOW)
        assert (first.added, first.unchanged, len(read)) == (6, 0, 6)
        _stamps_age(s, 10 * RACY_NS)
        read.clear()
        again = ingest(cfg, s, NOW)
        assert (again.added, again.duplicates, again.unchanged, read) == (0, 6, 6, [])

        changed = articles / "02.txt"  # new bytes: read again (the article keeps its first text, as before)
        changed.write_text(changed.read_text("utf-8") + "\nA new last line.\n", encoding="utf-8")
        touched = articles / "04.txt"  # a new mtime, the same bytes: read and hashed, then skipped
        os.utime(touched, ns=(time.time_ns(), time.time_ns() - HOUR_NS))
        (articles / "06.txt").write_text("Title: New\n\n" + _texts()[8][1], encoding="utf-8")  # a new file
        read.clear()
        third = ingest(cfg, s, NOW)
        assert sorted(read) == ["02.txt", "04.txt", "06.txt"]
        # 02 read and known by its path; 4 not read; 04 read and the same bytes; 06 new
        assert (third.added, third.duplicates, third.unchanged) == (1, 6, 5)
        _stamps_age(s, 10 * RACY_NS)
        read.clear()
        assert ingest(cfg, s, NOW).unchanged == 7 and read == []


def test_a_file_rewritten_within_the_clock_resolution_is_hashed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Same size and mtime prove nothing for a file modified right before its stamp was taken."""
    articles = _folder(tmp_path / "in", 2)
    cfg = Config()
    cfg.sources = [SourceConfig(name="F", type="folder", path=articles)]
    path = articles / "00.txt"
    with Store(tmp_path / "s.db") as s:
        ingest(cfg, s, NOW)
        info = path.stat()
        _stamps_age(s, RACY_NS // 2)  # recorded within RACY_NS of the mtime
        text = path.read_text("utf-8")
        path.write_text(text.replace("e", "a", 1), encoding="utf-8")  # the same size ...
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # ... and the same mtime
        report = ingest(cfg, s, NOW)
        assert (report.duplicates, report.unchanged) == (2, 1)  # 00 read again; 01 hashed, the same bytes
        stamp = s.file_stamps("F")[path.resolve().as_posix()]
        assert stamp.digest == folder_module.file_digest(path.read_bytes())


def test_feed_validators_land_with_the_articles_read_before_them(tmp_path: Path) -> None:
    """A 304 on the next run must never hide articles that were not stored: validators wait for their batch."""
    with Store(tmp_path / "s.db") as s:
        with pytest.raises(RuntimeError), s.batch(size=100) as batch:
            batch.add(Article("a", "Title", _texts()[0][1], "Feed", "https://f.example/a", NOW))
            s.remember_http_validators("https://f.example/rss", '"v1"', None, datetime.now(UTC))
            with Store(tmp_path / "s.db") as other:  # nothing visible yet to another connection
                assert other.http_validators("https://f.example/rss") == (None, None)
                assert other.article_count() == 0
            raise RuntimeError("the reader failed")
        assert s.article_count() == 1  # what was handed on before the failure is stored, as before batches
        assert s.http_validators("https://f.example/rss") == ('"v1"', None)


def test_store_module_batch_size_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BATCH_SIZE", 2)
    with Store(tmp_path / "s.db") as s, s.batch() as batch:
        for k, (t, x) in enumerate(_texts()[:3]):
            batch.add(Article(f"a{k}", t, x, "Wire", f"https://w.example/{k}", NOW))
        assert s.article_count() == 2 and len(batch.pending) == 1
