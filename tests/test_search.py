"""`brief search`: FTS5 over stored articles and the stories of the briefs built, ranked, with the matching
sentence; safe queries; the migration that indexes a store made before search existed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import store as store_module
from briefing.analyse.sentences import split_sentences
from briefing.cli import cli
from briefing.config import load_config
from briefing.errors import QueryError
from briefing.models import Article
from briefing.search import best_sentence, fts_query, search, unmark, watch_new_articles
from briefing.store import MIGRATIONS, Store
from tests.conftest import SAMPLES, write_config
from tests.desk_days import DAYS, FIRST_DAY, Desk, build_days, morning, tanker_id

ROOT = Path(__file__).resolve().parent
ECB = ROOT / "data" / "corroboration" / "articles.jsonl"  # real ECB+ and Wikinews texts (CC BY 3.0 / 2.5)


def _ecb_articles() -> list[Article]:
    """The corroboration check set's articles, as stored articles of 2026-03-29 (before the three days)."""
    out = []
    with open(ECB, encoding="utf-8") as handle:
        for line in handle:
            group = json.loads(line)
            for a in group["articles"]:
                out.append(Article(id=f"ecb:{a['id']}", title=a.get("title") or a["sentences"][0][:80],
                                   text=" ".join(a["sentences"]), source="ECB", url=a.get("url"),
                                   fetched=datetime(2026, 3, 29, 8, tzinfo=UTC), outlet=a.get("outlet")))
    return out


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    built = build_days(tmp_path_factory.mktemp("search"), formats=("html,json",) * 3)
    with Store(built.cfg.store.path) as store:
        for article in _ecb_articles():
            store.add_article(article)
    return built


def _run(desk: Desk, *args: str) -> object:
    return CliRunner().invoke(cli, ["search", *args, "--config", str(desk.config_path)])


def _text(store: Store, hit_id: str) -> str:
    row = store.conn.execute("SELECT text FROM articles WHERE COALESCE(article_key, canonical_url, path) = ?",
                             (hit_id,)).fetchone()
    return str(row[0])


def test_hits_are_ranked_with_their_matching_sentence(desk: Desk) -> None:
    with Store(desk.cfg.store.path) as store:
        hits = search(store, "tankers", limit=50)
        assert len(hits) >= 6  # three articles and the story on three days
        assert [h.score for h in hits] == sorted(h.score for h in hits)
        assert {h.kind for h in hits} == {"article", "story"}
        for hit in hits:  # "tankers" finds "tanker" and "tankers" (Porter stems), in a verbatim sentence
            assert "tanker" in hit.sentence.lower() and hit.matched
            assert all(w.lower().startswith("tanker") for w in hit.matched)
            if hit.kind == "article":
                assert hit.sentence in split_sentences(_text(store, hit.id))
            else:
                brief = store.load_brief(hit.day)
                assert brief is not None
                story = next(s for s in brief["stories"] if s["id"] == hit.id)
                assert hit.sentence in story["key_facts"] + [i[k] for i in story["open_issues"] for k in ("question", "evidence")]
                assert hit.link is not None and hit.link.endswith(f"{hit.day.isoformat()}/brief.html#story-{hit.id}")
        stories = [h for h in hits if h.kind == "story"]
        assert {h.id for h in stories} == {tanker_id(desk)} and sorted(h.day for h in stories) == DAYS
        # the best hits are about the tanker contract, not an article that says "tanker" once in passing
        assert all("tanker" in h.title.lower() or "boeing" in h.title.lower() or "airtanker" in h.title.lower()
                   or h.kind == "story" for h in hits[:4])


def test_phrases_prefixes_or_and_exclusions(desk: Desk) -> None:
    with Store(desk.cfg.store.path) as store:
        phrase = search(store, '"refueling tankers"')
        assert phrase and all("refueling tanker" in h.sentence.lower() for h in phrase)
        prefix = search(store, "pira*")  # ECB+: pirates off Somalia
        assert prefix and all(any(w.lower().startswith("pira") for w in h.matched) for h in prefix)
        either = {h.id for h in search(store, "pirates OR courthouse", limit=100)}
        assert either >= {h.id for h in search(store, "pirates", limit=100)} | {h.id for h in search(store, "courthouse", limit=100)}
        with_boeing = search(store, "tanker", limit=100)
        without = search(store, "tanker -Boeing", limit=100)
        assert 0 < len(without) < len(with_boeing)
        for hit in (h for h in without if h.kind == "article"):
            assert "boeing" not in _text(store, hit.id).lower()


def test_since_keeps_later_days_only(desk: Desk) -> None:
    with Store(desk.cfg.store.path) as store:
        everything = search(store, "tanker", limit=100)
        later = search(store, "tanker", since=DAYS[1], limit=100)
        assert FIRST_DAY in {h.day for h in everything}
        assert later and {h.day for h in later} <= {DAYS[1], DAYS[2]}
        assert {(h.kind, h.id, h.day) for h in later} == {(h.kind, h.id, h.day) for h in everything if h.day >= DAYS[1]}
        assert search(store, "pirates", since=FIRST_DAY) == []  # the ECB+ articles belong to the day before


def test_cli_text_and_json_output(desk: Desk) -> None:
    result = _run(desk, "Somali", "pirates", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) >= 6 and lines[0].startswith("2026-03-29  article  ")
    assert "pirate" in lines[1].lower()
    result = _run(desk, "tanker", "--since", DAYS[2].isoformat(), "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(r["day"] == DAYS[2].isoformat() for r in records)
    assert {"kind", "id", "day", "title", "sentence", "score", "outlet", "url", "link", "matched"} <= set(records[0])
    story = next(r for r in records if r["kind"] == "story")
    assert story["id"] == tanker_id(desk) and story["position"] >= 1
    result = _run(desk, "zyzzyvas")
    assert result.exit_code == 0 and result.stdout == "" and "No match" in result.stderr


@pytest.mark.parametrize(("query", "says"), [
    ('"unbalanced phrase', "Unbalanced double quote"),
    ("AND", "nothing to search for"),
    ("OR nato", "OR needs"),
    ("nato OR", "OR needs"),
    ("nato NOT", "NOT needs"),
    ("-nato", "only excluded terms"),
    ("!!! ---", "nothing to search for"),
])
def test_a_bad_query_is_one_clear_line_and_status_2(desk: Desk, query: str, says: str) -> None:
    result = CliRunner().invoke(cli, ["search", "--config", str(desk.config_path), "--", query])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ") and says in result.stderr
    assert result.stdout == ""


def test_fts5_syntax_in_plain_words_is_searched_as_text(desk: Desk) -> None:
    with Store(desk.cfg.store.path) as store:  # NEAR, carets, brackets and column filters are plain text
        for query in ("^tanker", "tanker)", "{tanker}", "tanker AND", "tanker:", "US-led"):
            assert search(store, query), query
        assert search(store, "title:tanker") == []  # the phrase "title tanker", which no text has


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list('ab "*-()^:{}+') + ["OR", "AND", "NOT", "NEAR"]), max_size=20).map("".join))
def test_every_query_is_valid_fts5_or_a_query_error(query: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('a b ab ba')")
    try:
        expression = fts_query(query)
    except QueryError:
        return
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_the_best_sentence_has_the_most_matched_words() -> None:
    text, spans = unmark("One \x02NATO\x03 line. \x02NATO\x03 will \x02train\x03 forces. Nothing here.")
    assert text == "One NATO line. NATO will train forces. Nothing here." and len(spans) == 3
    assert best_sentence("One \x02NATO\x03 line. \x02NATO\x03 will \x02train\x03 forces. Nothing here.") == (
        "NATO will train forces.", ("NATO", "train"))
    assert best_sentence("no match at all") == ("", ())


def test_a_store_made_before_search_is_indexed_by_the_migration(desk: Desk, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before_search = next(k for k, script in enumerate(MIGRATIONS) if "fts5" in script)
    with Store(desk.cfg.store.path) as built:
        data = built.load_brief(DAYS[0])
    assert data is not None
    path = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:before_search])
    with store_module.Store(path) as old:
        old.conn.execute(
            "INSERT INTO articles (source, title, text, content_hash, fetched, day) VALUES (?,?,?,?,?,?)",
            ("Old", "Airbus wins", "Something else. EADS won the contract for refueling tankers.", "h",
             "2026-03-01T00:00:00", "2026-03-01"),
        )
        old.conn.execute("INSERT INTO briefs (day, built, data, paths) VALUES (?,?,?,?)",
                         (DAYS[0].isoformat(), "2026-03-30T06:30:00+00:00", json.dumps(data), "[]"))
    monkeypatch.undo()
    with Store(path) as upgraded:
        hits = search(upgraded, "tankers", limit=100)
        article = next(h for h in hits if h.kind == "article")
        assert (article.title, article.sentence, article.day) == ("Airbus wins", "EADS won the contract for refueling tankers.",
                                                                  date(2026, 3, 1))
        assert [h.day for h in hits if h.kind == "story"] == [DAYS[0]]
        # rebuilding that day's brief replaces its stories in the index, never adds a second copy
        upgraded.save_brief(DAYS[0], data, [])
        upgraded.save_brief(DAYS[0], data, [])
        assert [h.day for h in search(upgraded, "tankers", limit=100) if h.kind == "story"] == [DAYS[0]]
        upgraded.save_brief(DAYS[0], {**data, "stories": []}, [])
        assert [h for h in search(upgraded, "tankers", limit=100) if h.kind == "story"] == []


# ---- brief watch ----


WATCH = '\n[watch]\nactors = ["de Hoop Scheffer"]\nplaces = ["Iraq"]\nterms = ["refueling tankers"]\n'


def test_watch_lists_the_new_articles_that_mention_the_watchlist(tmp_path: Path) -> None:
    inbox = tmp_path / "articles"
    inbox.mkdir()
    for name in ("usaf_tanker_contract__100911.txt", "gum_news_korea.txt", "nato-iraq-training.txt"):
        shutil.copy(SAMPLES / name, inbox / name)
    cfg = load_config(write_config(tmp_path, inbox, WATCH))
    first = morning(FIRST_DAY)
    with Store(cfg.store.path) as store:
        found, excluded = watch_new_articles(cfg, store, 24, first)
        assert excluded == []
        by_file = {Path(hit.article.id).name: {(m.item, m.kind, m.matched) for m in hit.matches} for hit in found}
        assert by_file == {
            "usaf_tanker_contract__100911.txt": {("refueling tankers", "term", "refueling tankers")},
            "nato-iraq-training.txt": {("de Hoop Scheffer", "actor", "Jaap de Hoop Scheffer"), ("Iraq", "place", "Iraq")},
        }
        # two days later nothing is new; a new report of the tanker contract is
        later = first + timedelta(days=2)
        assert watch_new_articles(cfg, store, 24, later)[0] == []
        shutil.copy(SAMPLES / "usaf_tanker_contract__102977.txt", inbox / "usaf_tanker_contract__102977.txt")
        (hit,) = watch_new_articles(cfg, store, 24, later)[0]
        assert Path(hit.article.id).name == "usaf_tanker_contract__102977.txt" and hit.article.fetched == later
        assert watch_new_articles(cfg, store, 72, later, fetch=False)[0] != []


def test_watch_exit_status_is_1_when_nothing_matches(tmp_path: Path) -> None:
    inbox = tmp_path / "articles"
    inbox.mkdir()
    shutil.copy(SAMPLES / "nato-iraq-training.txt", inbox / "nato-iraq-training.txt")
    path = write_config(tmp_path, inbox, WATCH)
    result = CliRunner().invoke(cli, ["watch", "--since", "24", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "watch: de Hoop Scheffer (actor) as 'Jaap de Hoop Scheffer'; Iraq (place)" in result.stdout
    records = [json.loads(line) for line in CliRunner().invoke(
        cli, ["watch", "--json", "--no-fetch", "--config", str(path)]).stdout.splitlines()]
    assert [r["watch"][0]["item"] for r in records] == ["de Hoop Scheffer"]
    quiet = write_config(tmp_path, inbox, '\n[watch]\nterms = ["zyzzyva"]\n')  # matches nothing
    result = CliRunner().invoke(cli, ["watch", "--config", str(quiet)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "No article stored in the last 24 hours mentions the watchlist.\n"
    empty = write_config(tmp_path, inbox)  # (the same config.toml, rewritten without [watch])
    result = CliRunner().invoke(cli, ["watch", "--config", str(empty)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: The watchlist is empty")
