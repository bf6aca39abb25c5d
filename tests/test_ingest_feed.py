"""The feed reader against a real HTTP server on 127.0.0.1: encodings, formats, failures, 304, dedup."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from briefing.config import Config, SourceConfig
from briefing.ingest import READERS, ReadContext, read_sources
from briefing.ingest.feed import decode_feed, read_feed
from briefing.models import Article, Excluded
from briefing.store import Store
from briefing.urls import canonical_url
from tests.http_server import DATA, LocalServer, http_server_fixture  # noqa: F401 - the fixture

NOW = datetime(2024, 3, 13, 6, 0, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("no_backoff")




def context(store: Store | None = None) -> ReadContext:
    return ReadContext(store=store, now=NOW, zone=ZoneInfo("UTC"))


def feed(server: LocalServer, path: str, name: str = "Wire", **options: Any) -> SourceConfig:
    settings: dict[str, Any] = {"timeout": 2.0, "allow_private_hosts": True, **options}  # the server is on 127.0.0.1
    return SourceConfig(name=name, type="feed", url=f"{server.base}{path}", **settings)


def articles(items: list[Article | Excluded]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def excluded(items: list[Article | Excluded]) -> list[Excluded]:
    return [item for item in items if isinstance(item, Excluded)]


def test_feed_and_web_readers_are_registered() -> None:
    assert READERS["feed"] is read_feed
    assert "web" in READERS


def test_latin1_feed_without_declaration_is_decoded(http_server: LocalServer) -> None:
    items = list(read_feed(feed(http_server, "/feeds/uolNoticias.rss"), context()))
    titles = [a.title for a in articles(items)]
    assert 'Fama "A" é campeã da Primeira Divisão da Copa Cidade Alta de Futebol Suíço' in titles
    assert "Haddad" in " ".join(titles) and len(titles) == 11
    assert not any("\ufffd" in a.text + a.title or "Ã" in a.text + a.title for a in articles(items))
    # four items carry a title and an empty description: each is reported, none stops the rest
    assert [e.error for e in excluded(items)] == ["the item has no text; try full_text = true"] * 4


def test_gb2312_feed_is_decoded(http_server: LocalServer) -> None:
    items = articles(list(read_feed(feed(http_server, "/feeds/kc0011.rss"), context())))
    assert len(items) == 20
    assert items[0].title == "建国35周年纪念，华表，和平鸽"
    assert "35周年1套520" in items[0].text
    assert items[0].published == datetime(2020, 1, 10, 14, 33, tzinfo=UTC)  # "2020/1/10 14:33:00", the zone UTC


def test_atom_feed(http_server: LocalServer) -> None:
    items = articles(list(read_feed(feed(http_server, "/feeds/heise.atom"), context())))
    assert len(items) == 15
    first = items[0]
    assert first.title == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei"
    assert first.published is not None and first.published.tzinfo is not None
    assert first.url and first.url.endswith("?wt_mc=rss.developer.beitrag.atom")
    assert first.id == canonical_url(first.url) == first.url.split("?")[0]
    assert "<" not in first.text and first.fetched == NOW


def test_rss10_feed(http_server: LocalServer) -> None:
    items = articles(list(read_feed(feed(http_server, "/feeds/bio.rdf"), context())))
    assert len(items) == 30
    assert items[0].title.startswith("Wheat inositol pyrophosphate kinase")
    assert items[0].id == "http://biorxiv.org/cgi/content/short/743294v1?rss=1" or "rss=" in items[0].id


def test_rss091_description_is_stripped_of_html_and_read_more(http_server: LocalServer) -> None:
    items = articles(list(read_feed(feed(http_server, "/feeds/rss091.xml"), context())))
    assert [a.title for a in items] == ["Library extends opening hours", "Market square to be repaved"]
    library = items[0]
    assert library.id == "http://town.example/library-hours"  # utm_campaign dropped
    assert library.text == (
        "The town library will open until nine in the evening from May, the council said on Friday.\n\n"
        "The change costs 30,000 euros a year."
    )
    assert library.published is None


def test_decode_feed_prefers_clean_declared_encoding_and_survives_a_wrong_one() -> None:
    raw = (DATA / "feeds" / "uolNoticias.rss").read_bytes()
    for header in (None, "utf-8", "us-ascii", "iso-8859-1"):
        assert "Últimas Notícias" in decode_feed(raw, header)
    gb = (DATA / "feeds" / "kc0011.rss").read_bytes()
    assert "建国35周年纪念" in decode_feed(gb, "utf-8")  # a wrong header does not win over the declaration
    utf8 = "<?xml version='1.0' encoding='iso-8859-1'?><rss><title>Ação</title></rss>".encode()
    assert "Ação" in decode_feed(utf8)  # valid UTF-8 despite a latin-1 declaration


def test_full_text_follows_links_and_reports_a_bad_item(http_server: LocalServer) -> None:
    items = list(read_feed(feed(http_server, "/feeds/wire-a.rss", full_text=True), context()))
    good, bad = articles(items), excluded(items)
    assert [a.title for a in good] == [
        "Harbour bridge to close for six weeks of repairs",
        "Extra ferries planned during bridge closure",
    ]
    bridge = good[0]
    assert bridge.id == f"{http_server.base}/pages/harbour-bridge.html"  # tracking parameters dropped
    assert "corrosion in two of the steel cables" in bridge.text
    assert "It is not yet clear who will pay" in bridge.text
    for furniture in ("Most read", "Subscribe to our newsletter", "All rights reserved", "Weather"):
        assert furniture not in bridge.text
    assert "\n\n" in bridge.text  # paragraphs kept
    assert bridge.published == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)  # the item's date
    assert len(bad) == 1 and bad[0].source == "Wire"
    assert bad[0].item.endswith("/status/404") and "HTTP 404" in bad[0].error


def test_every_bad_source_is_one_excluded_and_the_rest_continues(http_server: LocalServer) -> None:
    http_server.slow_seconds = 3.0
    bad = {
        "Malformed": "/malformed",
        "Missing": "/status/404",
        "Slow": "/slow",
        "Loop": "/loop",
        "Huge": "/big",
        "Pdf": "/pdf",
        "Empty": "/empty-feed",
    }
    sources = [feed(http_server, "/feeds/rss091.xml", name="Good first")]
    sources += [feed(http_server, path, name=name, max_bytes=100_000, timeout=0.5) for name, path in bad.items()]
    sources.append(feed(http_server, "/feeds/heise.atom", name="Good last"))
    items = list(read_sources(Config(sources=sources), context()))
    by_source: dict[str, list[Excluded]] = {}
    for item in excluded(items):
        by_source.setdefault(item.source, []).append(item)
    assert sorted(by_source) == sorted(bad)
    assert all(len(found) == 1 for found in by_source.values())
    messages = {name: found[0].error for name, found in by_source.items()}
    assert "not a valid feed" in messages["Malformed"]
    assert "HTTP 404" in messages["Missing"]
    assert "timed out" in messages["Slow"]
    assert "too many redirects" in messages["Loop"]
    assert "too large" in messages["Huge"]
    assert "not a feed" in messages["Pdf"]
    assert "no items" in messages["Empty"]
    good = articles(items)
    assert len([a for a in good if a.source == "Good first"]) == 2
    assert len([a for a in good if a.source == "Good last"]) == 15


def test_second_read_is_a_304_and_yields_nothing(http_server: LocalServer, store: Store) -> None:
    source = feed(http_server, "/feeds/rss091.xml")
    first = list(read_feed(source, context(store)))
    assert len(articles(first)) == 2
    for article in articles(first):
        store.add_article(article)
    second = list(read_feed(source, context(store)))
    assert second == []
    hits = http_server.hits("/feeds/rss091.xml")
    assert len(hits) == 2 and "If-None-Match" in hits[1].headers


def test_validators_are_kept_only_after_every_item_was_handed_on(http_server: LocalServer, store: Store) -> None:
    source = feed(http_server, "/feeds/rss091.xml")
    reader = read_feed(source, context(store))
    next(reader)  # a crash here (after one item) must not make the next run a 304
    reader.close()
    assert list(read_feed(source, context(store)))  # fetched in full again
    assert "If-None-Match" not in http_server.hits("/feeds/rss091.xml")[1].headers


def test_two_feeds_carrying_the_same_article(http_server: LocalServer, store: Store) -> None:
    wire_a = feed(http_server, "/feeds/wire-a.rss", name="Wire A", full_text=True)
    wire_b = feed(http_server, "/feeds/wire-b.atom", name="Wire B", full_text=True)
    from_a = articles(list(read_feed(wire_a, context(store))))
    for article in from_a:
        store.add_article(article)
    from_b = articles(list(read_feed(wire_b, context(store))))
    assert len(from_b) == 1
    bridge_a = next(a for a in from_a if "harbour-bridge" in a.id)
    assert from_b[0].id == bridge_a.id  # same canonical URL (utm_* and #fragment dropped)
    assert from_b[0].text == bridge_a.text and from_b[0].source == "Wire B"
    assert len(http_server.hits("/pages/harbour-bridge.html")) == 1  # the page was not downloaded twice
    row_id, created = store.add_article(from_b[0])
    assert not created
    sources = {row["source"] for row in store.conn.execute("SELECT source FROM article_sources WHERE article_id = ?",
                                                           (row_id,))}
    assert sources == {"Wire A", "Wire B"}


def test_invalid_xml_is_reported_as_such_with_its_line(http_server: LocalServer) -> None:
    items = list(read_feed(feed(http_server, "/feeds/invalid-xml.rss"), context()))
    assert [a.title for a in articles(items)] == ["Talks resume"]
    assert [e.error for e in excluded(items)] == [
        "the item has no text; the feed's XML is invalid at line 3: not well-formed (invalid token)"]


def test_outlets_come_from_the_items_own_metadata(http_server: LocalServer) -> None:
    items = articles(list(read_feed(feed(http_server, "/feeds/heise.atom", name="Newsdesk"), context())))
    assert {a.outlet for a in items} == {"heise online"}  # the link's site, known to the table
    assert all(a.source == "Newsdesk" for a in items)  # the config's name stays the "via"
    wire = articles(list(read_feed(feed(http_server, "/feeds/invalid-xml.rss"), context())))
    assert [a.outlet for a in wire] == ["Wire"]  # an unknown site: the feed's own title
