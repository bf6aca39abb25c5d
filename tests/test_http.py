"""Tests of briefing.ingest.http: URL canonicalisation and the bounded, conditional fetch."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.ingest import http as http_module
from briefing.ingest.http import USER_AGENT, canonical_url, fetch, remember
from briefing.store import Store
from tests.http_server import DATA, LocalServer, http_server_fixture  # noqa: F401 - the fixture


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


def test_fetch_sends_user_agent_and_returns_bytes(http_server: LocalServer) -> None:
    response = fetch(f"{http_server.base}/pages/harbour-bridge.html")
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
        fetch(f"{http_server.base}{path}", kind=kind, max_bytes=max_bytes)


def test_fetch_times_out(http_server: LocalServer) -> None:
    http_server.slow_seconds = 3.0
    with pytest.raises(SourceError, match="timed out"):
        fetch(f"{http_server.base}/slow", timeout=0.3)


def test_fetch_follows_a_few_redirects(http_server: LocalServer) -> None:
    response = fetch(f"{http_server.base}/redirect/3")
    assert response.url == f"{http_server.base}/pages/harbour-bridge.html"
    assert len(http_server.hits("/redirect/3")) == 1


def test_redirects_are_limited(http_server: LocalServer) -> None:
    with pytest.raises(SourceError, match="too many redirects"):
        fetch(f"{http_server.base}/redirect/{http_module.MAX_REDIRECTS + 1}")


def test_fetch_retries_server_errors_then_succeeds(http_server: LocalServer) -> None:
    http_server.flaky_failures = 1
    response = fetch(f"{http_server.base}/flaky", kind="feed")
    assert response.status == 200
    assert len(http_server.hits("/flaky")) == 2


def test_fetch_retries_are_bounded(http_server: LocalServer) -> None:
    http_server.flaky_failures = 100
    with pytest.raises(SourceError, match="HTTP 503"):
        fetch(f"{http_server.base}/flaky", kind="feed")
    assert len(http_server.hits("/flaky")) == http_module.RETRIES + 1


def test_fetch_connection_refused() -> None:
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SourceError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/")


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(SourceError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_conditional_get_returns_304_the_second_time(http_server: LocalServer, tmp_path: Path) -> None:
    url = f"{http_server.base}/feeds/wire-a.rss"
    now = datetime(2024, 3, 13, 6, 0, tzinfo=UTC)
    with Store(tmp_path / "briefing.db") as store:
        first = fetch(url, kind="feed", store=store)
        assert first.status == 200 and first.content
        remember(store, url, first, now)
        second = fetch(url, kind="feed", store=store)
    assert second.not_modified and second.content == b""
    hits = http_server.hits("/feeds/wire-a.rss")
    assert "If-None-Match" not in hits[0].headers
    assert hits[1].headers["If-None-Match"] == first.etag


def test_server_module_serves_its_data() -> None:
    assert (DATA / "feeds" / "uolNoticias.rss").is_file()
