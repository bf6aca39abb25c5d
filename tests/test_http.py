"""Tests of briefing.ingest.http: URL canonicalisation and the bounded, conditional fetch."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from briefing.build import build
from briefing.config import Config, SourceConfig, load_config
from briefing.errors import SourceError
from briefing.ingest import ReadContext, read_sources
from briefing.ingest import http as http_module
from briefing.ingest.feed import read_feed
from briefing.ingest.http import USER_AGENT, Response, fetch, remember
from briefing.models import Article, Excluded
from briefing.store import Store
from briefing.urls import canonical_url
from tests.conftest import NOW
from tests.http_server import (  # noqa: F401 - the fixtures
    DATA,
    LocalServer,
    drip_server,
    http_server_fixture,
    public_server_fixture,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.ORG:443/a/B?utm_source=x&id=3&fbclid=y#frag", "https://example.org/a/B?id=3"),
        ("http://example.org", "http://example.org/"),
        ("http://x.org:8080/p?q=a%20b&utm_medium=rss", "http://x.org:8080/p?q=a%20b"),
        ("https://x.org/p?utm_a=1&utm_b=2", "https://x.org/p"),
        ("https://x.org/p?a=1&a=2&gclid=z", "https://x.org/p?a=1&a=2"),
        ("  https://x.org/Case/Path  ", "https://x.org/Case/Path"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("HTTP://News.Example.com/story?id=7&utm_campaign=x#top")
    assert canonical_url(once) == once == "http://news.example.com/story?id=7"


# --- fetch against a real server on 127.0.0.1 ------------------------------------------------


pytestmark = pytest.mark.usefixtures("no_backoff")


def get(url: str, **options: Any) -> Response:
    """``fetch`` for the local server on 127.0.0.1, which is reachable only by opting in."""
    return fetch(url, allow_private_hosts=True, **options)


def test_fetch_sends_user_agent_and_returns_bytes(http_server: LocalServer) -> None:
    response = get(f"{http_server.base}/pages/harbour-bridge.html")
    assert response.status == 200
    assert b"corrosion" in response.content
    assert response.media_type == "text/html" and response.charset == "utf-8"
    assert response.etag
    assert http_server.hits("/pages/harbour-bridge.html")[0].headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("briefing/")


@pytest.mark.parametrize(
    ("path", "kind", "max_bytes", "message"),
    [
        ("/status/404", "html", 5_000_000, "HTTP 404"),
        ("/status/500", "html", 5_000_000, "HTTP 500"),
        ("/loop", "html", 5_000_000, "too many redirects"),
        ("/big", "html", 100_000, "too large"),
        ("/big-declared", "html", 5_000_000, "too large"),
        ("/pdf", "html", 5_000_000, "not an HTML page (content type application/pdf)"),
        ("/pdf", "feed", 5_000_000, "not a feed (content type application/pdf)"),
    ],
)
def test_fetch_failures_raise_source_error(
    http_server: LocalServer, path: str, kind: str, max_bytes: int, message: str
) -> None:
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        get(f"{http_server.base}{path}", kind=kind, max_bytes=max_bytes)


def test_fetch_times_out(http_server: LocalServer) -> None:
    http_server.slow_seconds = 3.0
    with pytest.raises(SourceError, match="timed out"):
        get(f"{http_server.base}/slow", timeout=0.3)


def test_fetch_follows_a_few_redirects(http_server: LocalServer) -> None:
    response = get(f"{http_server.base}/redirect/3")
    assert response.url == f"{http_server.base}/pages/harbour-bridge.html"
    assert len(http_server.hits("/redirect/3")) == 1


def test_redirects_are_limited(http_server: LocalServer) -> None:
    with pytest.raises(SourceError, match="too many redirects"):
        get(f"{http_server.base}/redirect/{http_module.MAX_REDIRECTS + 1}")


def test_fetch_retries_server_errors_then_succeeds(http_server: LocalServer) -> None:
    http_server.flaky_failures = 1
    response = get(f"{http_server.base}/flaky", kind="feed")
    assert response.status == 200
    assert len(http_server.hits("/flaky")) == 2


def test_fetch_retries_are_bounded(http_server: LocalServer) -> None:
    http_server.flaky_failures = 100
    with pytest.raises(SourceError, match="HTTP 503"):
        get(f"{http_server.base}/flaky", kind="feed")
    assert len(http_server.hits("/flaky")) == http_module.RETRIES + 1


def test_fetch_connection_refused() -> None:
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="cannot connect"):
        get(f"http://127.0.0.1:{port}/")


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(SourceError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_conditional_get_returns_304_the_second_time(http_server: LocalServer, tmp_path: Path) -> None:
    url = f"{http_server.base}/feeds/wire-a.rss"
    now = datetime(2024, 3, 13, 6, 0, tzinfo=UTC)
    with Store(tmp_path / "briefing.db") as store:
        first = get(url, kind="feed", store=store)
        assert first.status == 200 and first.content
        remember(store, url, first, now)
        second = get(url, kind="feed", store=store)
    assert second.not_modified and second.content == b""
    hits = http_server.hits("/feeds/wire-a.rss")
    assert "If-None-Match" not in hits[0].headers
    assert hits[1].headers["If-None-Match"] == first.etag


def test_server_module_serves_its_data() -> None:
    assert (DATA / "feeds" / "uolNoticias.rss").is_file()


# --- deadlines: one per request, one per source ------------------------------------------------


def test_a_server_dripping_its_headers_is_cut_off_at_the_request_deadline() -> None:
    # httpx's timeout is per read: a byte every 0.25 s never trips a 1 s timeout, only the deadline does.
    with drip_server(seconds=60, interval=0.25) as base:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"timed out"):  # by the deadline, or a read slower than 1 s
            get(f"{base}/rss.xml", timeout=1.0, kind="feed")
        assert time.monotonic() - started < 10


def test_a_source_gives_up_after_its_deadline_and_is_read_in_full_next_time(
    http_server: LocalServer, store: Store
) -> None:
    http_server.slow_seconds = 10.0
    http_server.links = [f"{http_server.base}/slow", f"{http_server.base}/pages/harbour-bridge.html"]
    source = SourceConfig(name="Wire", type="feed", url=f"{http_server.base}/links-feed", full_text=True,
                          timeout=5.0, give_up_after=1.0, allow_private_hosts=True)
    context = ReadContext(store=store, now=NOW, zone=NOW.tzinfo)  # type: ignore[arg-type]
    started = time.monotonic()
    items = list(read_feed(source, context))
    assert time.monotonic() - started < 4  # not the 5 s read timeout, let alone the 10 s the server waits
    assert all(isinstance(item, Excluded) for item in items) and len(items) == 2
    assert all("gave up: the source's give_up_after of 1s has passed" in item.error for item in items)
    assert not http_server.hits("/pages/harbour-bridge.html")  # not even tried once the time was up
    http_server.slow_seconds = 0.0
    again = list(read_feed(source, context))  # the feed is fetched in full, not as a 304
    assert "If-None-Match" not in http_server.hits("/links-feed")[1].headers
    assert [type(item) for item in again] == [Article, Article]


def test_a_slow_source_is_listed_as_not_included_and_the_brief_is_built(
    http_server: LocalServer, tmp_path: Path
) -> None:
    with drip_server(seconds=60, interval=0.25) as slow:
        (tmp_path / "config.toml").write_text(f"""
[brief]
formats = ["json", "html"]
[[sources]]
name = "Good wire"
type = "feed"
url = "{http_server.base}/feeds/rss091.xml"
allow_private_hosts = true
[[sources]]
name = "Slow wire"
type = "feed"
url = "{slow}/rss.xml"
timeout = 1.0
allow_private_hosts = true
""")
        cfg = load_config(tmp_path / "config.toml")
        started = time.monotonic()
        result = build(cfg, NOW.date(), now=NOW)
        assert time.monotonic() - started < 60
    (excluded,) = result.brief.excluded
    assert excluded.source == "Slow wire" and "timed out" in excluded.error
    headlines = [story.headline for story in result.brief.stories + result.brief.more_stories]
    assert "Library extends opening hours" in " ".join(headlines)
    page = result.paths["html"].read_text(encoding="utf-8")
    assert "Not included" in page and "Slow wire" in page


# --- address policy: no server-side request forgery -----------------------------------------


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("0x7f000001", "loopback"),
        ("2130706433", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
    ],
)
def test_non_public_hosts_are_refused(http_server: LocalServer, host: str, kind: str) -> None:
    port = http_server.base.rsplit(":", 1)[1]
    with pytest.raises(SourceError, match=rf"refused to connect to .*{kind} addresses .*allow_private_hosts = true"):
        fetch(f"http://{host}:{port}/pages/harbour-bridge.html")
    assert http_server.requests == []


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(SourceError, match=r"intranet\.example \(192\.168\.0\.10\): private addresses"):
        fetch("http://intranet.example/feed.xml")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0x7f000001", "2130706433"])
def test_a_redirect_from_a_public_host_to_an_internal_one_is_refused(
    public_server: LocalServer, http_server: LocalServer, host: str
) -> None:
    internal = http_server.base.replace("127.0.0.1", host) + "/pages/harbour-bridge.html"
    assert fetch(f"{public_server.base}/pages/harbour-ferries.html").status == 200  # the "public" host is fine
    with pytest.raises(SourceError, match="refused to connect to .*loopback addresses"):
        fetch(f"{public_server.base}/redirect-to?url={quote(internal)}")
    assert len(public_server.hits("/redirect-to")) == 1
    assert http_server.requests == []


def test_full_text_links_to_internal_hosts_are_not_fetched(public_server: LocalServer, http_server: LocalServer) -> None:
    internal = [http_server.base.replace("127.0.0.1", host) + "/pages/harbour-bridge.html"
                for host in ("127.0.0.1", "localhost", "0x7f000001", "2130706433")]
    redirect = f"{public_server.base}/redirect-to?url={quote(internal[0])}"
    public_server.links = [*internal, redirect, f"{public_server.base}/pages/harbour-ferries.html"]
    source = SourceConfig(name="Wire", type="feed", url=f"{public_server.base}/links-feed", full_text=True)
    items = list(read_sources(Config(sources=[source]), ReadContext(store=None, now=NOW, zone=NOW.tzinfo)))  # type: ignore[arg-type]
    assert [type(item) for item in items] == [Excluded] * 5 + [Article]
    assert all("allow_private_hosts = true" in item.error for item in items if isinstance(item, Excluded))
    assert http_server.requests == []  # the internal page never became a key fact
    source.allow_private_hosts = True  # an intranet feed opts in
    items = list(read_sources(Config(sources=[source]), ReadContext(store=None, now=NOW, zone=NOW.tzinfo)))  # type: ignore[arg-type]
    assert [type(item) for item in items] == [Article] * 6
