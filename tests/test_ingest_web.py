"""The web reader against a real HTTP server on 127.0.0.1: extraction, encodings, failures, 304."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from briefing.config import SourceConfig
from briefing.ingest import ReadContext
from briefing.ingest.web import decode_html, html_to_text, read_web
from briefing.models import Article, Excluded
from briefing.store import Store
from tests.http_server import LocalServer, http_server_fixture  # noqa: F401 - the fixture

NOW = datetime(2024, 3, 13, 6, 0, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("no_backoff")




def web(server: LocalServer, *paths: str, **options: object) -> SourceConfig:
    source = SourceConfig(name="Pages", type="web", urls=[f"{server.base}{p}" for p in paths], timeout=2.0,
                          allow_private_hosts=True)  # the server is on 127.0.0.1
    for key, value in options.items():
        setattr(source, key, value)
    return source


def context(store: Store | None = None) -> ReadContext:
    return ReadContext(store=store, now=NOW, zone=ZoneInfo("UTC"))


def test_page_main_text_title_and_date(http_server: LocalServer) -> None:
    (article,) = list(read_web(web(http_server, "/pages/harbour-bridge.html?utm_source=newsletter"), context()))
    assert isinstance(article, Article)
    assert article.id == f"{http_server.base}/pages/harbour-bridge.html"
    assert article.title == "Harbour bridge to close for six weeks of repairs"
    assert article.published is not None and article.published.date() == date(2024, 3, 12)
    assert article.text.startswith("The city council voted on Monday to close the harbour bridge")
    assert article.text.count("\n\n") >= 4  # five paragraphs
    for furniture in ("Most read", "Local team wins", "Subscribe", "Riverside Gazette", "Sport", "By Mara"):
        assert furniture not in article.text
    assert article.source == "Pages" and article.fetched == NOW


def test_latin1_page_declared_in_the_header_only(http_server: LocalServer) -> None:
    (article,) = list(read_web(web(http_server, "/pages/latin1-no-meta.html"), context()))
    assert isinstance(article, Article)
    assert article.title == "Câmara aprova orçamento da saúde"
    assert "João Araújo" in article.text and "\ufffd" not in article.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/status/404", "HTTP 404"),
        ("/slow", "timed out"),
        ("/loop", "too many redirects"),
        ("/big", "too large"),
        ("/pdf", "not an HTML page"),
    ],
)
def test_each_bad_page_is_one_excluded_and_the_rest_continues(
    http_server: LocalServer, path: str, message: str
) -> None:
    http_server.slow_seconds = 3.0
    source = web(http_server, "/pages/harbour-bridge.html", path, "/pages/harbour-ferries.html",
                 timeout=0.5, max_bytes=100_000)
    items = list(read_web(source, context()))
    assert [type(item) for item in items] == [Article, Excluded, Article]
    bad = items[1]
    assert isinstance(bad, Excluded)
    assert bad.source == "Pages" and bad.item == f"{http_server.base}{path}" and message in bad.error
    assert isinstance(items[2], Article) and items[2].title == "Extra ferries planned during bridge closure"


def test_unchanged_page_in_the_store_is_a_304_and_yields_nothing(http_server: LocalServer, store: Store) -> None:
    source = web(http_server, "/pages/harbour-bridge.html")
    (article,) = list(read_web(source, context(store)))
    assert isinstance(article, Article)
    store.add_article(article)
    assert list(read_web(source, context(store))) == []
    hits = http_server.hits("/pages/harbour-bridge.html")
    assert len(hits) == 2 and "If-None-Match" not in hits[0].headers and "If-None-Match" in hits[1].headers


def test_page_not_in_the_store_is_fetched_in_full_even_with_validators(
    http_server: LocalServer, store: Store
) -> None:
    source = web(http_server, "/pages/harbour-bridge.html")
    assert len(list(read_web(source, context(store)))) == 1  # validators kept, but the article never stored
    assert len(list(read_web(source, context(store)))) == 1
    assert "If-None-Match" not in http_server.hits("/pages/harbour-bridge.html")[1].headers


def test_decode_html() -> None:
    text = "<html><body><p>Ação €</p></body></html>"
    assert decode_html(text.encode("utf-8"), "iso-8859-1") == text  # valid UTF-8 beats a wrong header
    assert decode_html(text.encode("cp1252"), "iso-8859-1") == text
    meta = '<html><head><meta charset="windows-1252"></head><body><p>Ação €</p></body></html>'
    assert decode_html(meta.encode("cp1252")) == meta
    assert decode_html("<p>中文新闻</p>".encode("gb18030"), "gb2312") == "<p>中文新闻</p>"


def test_html_to_text() -> None:
    fragment = '<p>First <b>para</b>.</p><p>Second<br>line. <a href="/x">Read more</a></p><img src="x.png">'
    assert html_to_text(fragment).split() == ["First", "para.", "Second", "line."]
    assert "\n\n" in html_to_text(fragment)
    assert html_to_text("Plain &amp; simple") == "Plain & simple"
    assert html_to_text('<p>Keep <a href="/m">More money for schools</a></p>').strip() == "Keep More money for schools"


def test_a_page_names_its_outlet(http_server: LocalServer) -> None:
    (named,) = list(read_web(web(http_server, "/pages/harbour-bridge-named.html"), context()))
    assert isinstance(named, Article) and named.outlet == "Riverside Gazette" and named.source == "Pages"
