"""The SQLite store: migrations, one article per story copy, analyses and briefs, transactions."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from briefing import store, words
from briefing.assemble import dedup
from briefing.errors import StoreError
from briefing.models import Article
from briefing.store import MIGRATIONS, Store

TEXT = (
    "NATO agreed on Thursday to send military instructors to Iraq to train the country's new security forces, "
    "ending months of disagreement among the allies. The decision was taken at a meeting of ambassadors in "
    "Brussels after France and Germany dropped their objections, diplomats said. The alliance will set up a "
    "training centre near Baghdad. Who will pay for the mission has not been settled."
)
OTHER = (
    "The European Central Bank left its main interest rate unchanged on Thursday, saying inflation was expected "
    "to ease over the coming months. Its president said the bank was ready to act if energy prices rose further."
)
PUBLISHED = datetime(2004, 8, 5, 9, 12, tzinfo=UTC)


def _article(**changes: object) -> Article:
    base = Article(
        id="https://wire.example/nato-iraq",
        title="NATO agrees to train Iraqi forces",
        text=TEXT,
        source="Wire",
        url="https://wire.example/nato-iraq",
        published=PUBLISHED,
        fetched=datetime(2004, 8, 6, 6, 0, tzinfo=UTC),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path):  # type: ignore[no-untyped-def]
    with Store(tmp_path / "brief.db") as s:
        yield s


def test_new_store_is_migrated_and_reopening_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sub" / "brief.db"
    with Store(path) as s:
        s.add_article(_article())
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert s.article_count() == 1


def test_store_of_schema_1_is_upgraded_keeping_its_rows(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    monkeypatch.setattr(store, "MIGRATIONS", MIGRATIONS[:1])
    with store.Store(path) as s:
        s.conn.execute(
            "INSERT INTO articles (source, title, text, content_hash, fetched, day) VALUES ('Old','t','x','h','f','d')"
        )
    monkeypatch.undo()
    with Store(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 2
        assert s.article_count() == 1


def test_newer_schema_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_adding_the_same_article_twice_adds_nothing(db: Store) -> None:
    first = db.add_article(_article())
    assert first[1] is True
    assert db.add_article(_article()) == (first[0], False)
    ((article, sources),) = db.articles_for_day(date(2004, 8, 5))
    assert article.text == TEXT and article.published == PUBLISHED
    assert sources == [{"outlet": "wire.example", "name": "Wire", "title": "NATO agrees to train Iraqi forces",
                        "url": "https://wire.example/nato-iraq", "published": PUBLISHED.isoformat()}]


def test_same_url_after_dropping_tracking_parameters_is_one_article(db: Store) -> None:
    row, _ = db.add_article(_article())
    tracked = "https://WIRE.example/nato-iraq?utm_source=feed&utm_medium=rss#top"
    again = db.add_article(_article(id=tracked, url=tracked, source="Aggregator", text=TEXT + " Updated."))
    assert again == (row, False)
    retracked = tracked.replace("utm_source=feed", "utm_source=mail")  # the same outlet, the same link
    assert db.add_article(_article(id=retracked, url=retracked, source="Aggregator")) == (row, False)
    assert [s["name"] for s in db.articles_for_day(date(2004, 8, 5))[0][1]] == ["Wire", "Aggregator"]


def test_same_text_from_another_outlet_is_one_article_with_two_sources(db: Store) -> None:
    row, _ = db.add_article(_article())
    copy = _article(id="https://paper.example/1", url="https://paper.example/1", source="Paper",
                    text=TEXT.upper(), title="Allies to train Iraq's army")
    assert db.add_article(copy) == (row, False)
    ((_, sources),) = db.articles_for_day(date(2004, 8, 5))
    assert [(s["name"], s["title"]) for s in sources] == [
        ("Wire", "NATO agrees to train Iraqi forces"), ("Paper", "Allies to train Iraq's army")]


def test_near_duplicate_wire_copy_is_one_article(db: Store) -> None:
    row, _ = db.add_article(_article())
    edited = TEXT.replace("on Thursday", "on Thursday evening").replace("diplomats said", "officials said")
    assert dedup.content_hash(edited) != dedup.content_hash(TEXT)
    copy = _article(id="https://paper.example/2", url="https://paper.example/2", source="Paper", text=edited)
    assert db.add_article(copy) == (row, False)
    different = _article(id="https://paper.example/3", url="https://paper.example/3", source="Paper", text=OTHER)
    other_row, created = db.add_article(different)
    assert created and other_row != row
    assert db.article_count() == 2


def test_short_teasers_alone_do_not_make_two_articles_one(db: Store) -> None:
    teaser = "Read the full story on our website."
    first = db.add_article(_article(id="https://a.example/1", url="https://a.example/1", text=teaser, title="Floods"))
    other = db.add_article(_article(id="https://a.example/2", url="https://a.example/2", text=teaser, title="Strike"))
    assert first[1] and other[1] and first[0] != other[0]
    copy = _article(id="https://b.example/9", url="https://b.example/9", text=teaser, title="Floods", source="B")
    assert db.add_article(copy) == (first[0], False)  # same teaser and same title: the same article


def test_folder_article_without_url_is_identified_by_its_id(db: Store) -> None:
    a = _article(id="samples/nato.txt", url=None, source="Samples")
    row, created = db.add_article(a)
    assert created
    assert db.add_article(dataclasses.replace(a, text=OTHER)) == (row, False)  # same file: same article
    ((article, sources),) = db.articles_for_day(date(2004, 8, 5))
    assert article.id == "samples/nato.txt" and article.url is None and sources[0]["url"] is None


def test_day_is_publication_date_else_fetch_date_and_window(db: Store) -> None:
    db.add_article(_article())  # published 2004-08-05
    undated = _article(id="u", url=None, text=OTHER, published=None, fetched=datetime(2004, 8, 7, 23, 0, tzinfo=UTC))
    db.add_article(undated)
    assert [a.id for a, _ in db.articles_for_day(date(2004, 8, 7))] == ["u"]
    assert db.articles_for_day(date(2004, 8, 6)) == []
    assert [a.id for a, _ in db.articles_for_day(date(2004, 8, 7), window_days=2)] == [
        "https://wire.example/nato-iraq", "u"]
    ((row_id, article, _),) = db.articles_for_day(date(2004, 8, 5), with_ids=True)
    assert isinstance(row_id, int) and article.source == "Wire"


def test_a_day_streams_in_chunks_in_order_while_the_caller_writes(db: Store) -> None:
    def text(k: int) -> str:
        return " ".join(f"word{k}x{i}" for i in range(40))

    for k in range(7):  # seven different texts, published in reverse order of storing
        db.add_article(_article(id=f"a{k}", url=f"https://wire.example/{k}", text=text(k),
                                published=PUBLISHED - timedelta(minutes=k)))
    db.add_article(_article(id="copy", url="https://post.example/0", source="Post", text=text(0) + " more"))
    expected = db.articles_for_day(PUBLISHED.date(), with_ids=True)
    assert [a.id for _, a, _ in expected] == [f"a{k}" for k in range(6, -1, -1)]
    streamed = []
    for row_id, article, sources in db.iter_articles_for_day(PUBLISHED.date(), chunk=3):
        db.save_analysis(row_id, "1", {"id": article.id})  # no statement of the stream is left open meanwhile
        streamed.append((row_id, article, sources))
    assert streamed == expected
    assert [s["name"] for s in expected[-1][2]] == ["Wire", "Post"]  # the copy's outlet joined the first's sources


def test_failed_insert_leaves_the_store_unchanged(db: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def crash(_: object) -> list[int]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(words, "band_keys", crash)
    with pytest.raises(RuntimeError):
        db.add_article(_article())
    monkeypatch.undo()
    assert db.article_count() == 0
    assert db.conn.execute("SELECT COUNT(*) FROM article_sources").fetchone()[0] == 0
    assert db.add_article(_article())[1] is True  # and the store is still usable


def test_analyses_are_kept_per_analyser_version(db: Store) -> None:
    row, _ = db.add_article(_article())
    assert db.load_analysis(row, "1") is None
    db.save_analysis(row, "1", {"key_facts": ["a"]})
    assert db.load_analysis(row, "1") == {"key_facts": ["a"]}
    db.save_analysis(row, "2", {"key_facts": ["b"]})
    assert db.load_analysis(row, "1") is None
    assert db.load_analysis(row, "2") == {"key_facts": ["b"]}


def test_briefs_saved_loaded_and_listed_oldest_first(db: Store) -> None:
    day = date(2004, 8, 10)
    for back in (1, 3, 9):
        d = day - timedelta(days=back)
        db.save_brief(d, {"date": d.isoformat(), "stories": []}, [f"out/{d}/brief.pdf"])
    db.save_brief(day, {"date": day.isoformat(), "stories": [{"id": "x"}]}, [])
    db.save_brief(day, {"date": day.isoformat(), "stories": [{"id": "y"}]}, ["out/brief.html"])  # rebuilt
    assert db.load_brief(day) == {"date": "2004-08-10", "stories": [{"id": "y"}]}
    assert db.brief_paths(day) == ["out/brief.html"]
    assert db.load_brief(date(2004, 8, 8)) is None
    assert [d.isoformat() for d, _ in db.previous_briefs(day, 7)] == ["2004-08-07", "2004-08-09"]


def test_many_processes_opening_a_new_store_at_once(tmp_path: Path) -> None:
    """SQLite says "database is locked" without waiting while another connection creates the file."""
    import threading

    for trial in range(15):
        path, errors = tmp_path / f"s{trial}.db", []

        def open_store(path: Path = path, errors: list = errors) -> None:
            try:
                Store(path).close()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
