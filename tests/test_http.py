"""Tests of briefing.ingest.http: URL canonicalisation and the bounded, conditional fetch."""

from __future__ import annotations

import pytest

from briefing.ingest.http import canonical_url


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
