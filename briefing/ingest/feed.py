"""The feed source: RSS 0.9x/1.0/2.0 and Atom, read with feedparser.

Each item becomes an article: with ``full_text = true`` the item's link is fetched and its main
text extracted (trafilatura, via ``briefing.clean.extract_html``); otherwise the item's own
content or description is used, with its HTML stripped. Feed bytes are decoded here, not by
feedparser, so a feed in latin-1 without a declaration or with a wrong declared charset still
reads correctly.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

import feedparser
import httpx

from briefing.clean import clean_text, decode_bytes, derive_title
from briefing.dates import parse_date
from briefing.errors import SourceError
from briefing.ingest.http import fetch, make_client, remember
from briefing.ingest.registry import ReadContext, register
from briefing.ingest.web import html_to_text, read_page, stored_article
from briefing.models import Article, Excluded
from briefing.urls import canonical_url, outlet_for

if TYPE_CHECKING:
    from briefing.config import SourceConfig

logger = logging.getLogger(__name__)

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_XML_DECL_ENCODING = re.compile(rb"""(^\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
# Declared legacy encodings are read with the superset that real-world files actually use.
def decode_feed(data: bytes, http_charset: str | None = None) -> str:
    """Decode a feed's bytes to text, whatever its declaration says.

    Order: a byte-order mark; valid UTF-8 (a non-UTF-8 text almost never is); the encoding the
    XML declaration names, then the HTTP header's, each only if the bytes decode cleanly with it;
    then charset detection, preferring windows-1252 on a tie (``briefing.clean.decode_bytes``).

    Raises:
        SourceError: the bytes are empty.
    """
    if not data.strip():
        raise SourceError("the feed is empty (no bytes)")
    match = _XML_DECL.match(data)
    return decode_bytes(data, (match.group(1).decode("ascii") if match else None, http_charset), name="feed")


def parse_feed(data: bytes, http_charset: str | None, url: str) -> Any:
    """Parse feed bytes with feedparser after decoding them ourselves (see ``decode_feed``).

    Raises:
        SourceError: the bytes are not a feed at all (malformed XML with no items, or HTML).
    """
    text = decode_feed(data, http_charset)
    # Hand feedparser UTF-8 and say so everywhere, so it does not re-guess the encoding.
    utf8 = _XML_DECL_ENCODING.sub(rb"\g<1>utf-8\g<3>", text.encode("utf-8"), count=1)
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": url}
    # A stream, never the bytes themselves: feedparser would try a bytes/str argument as a file name or URL.
    parsed = feedparser.parse(io.BytesIO(utf8), response_headers=headers)
    if not parsed.entries:
        if parsed.bozo:
            raise SourceError(f"{url}: not a valid feed ({parsed.get('bozo_exception') or 'malformed XML'})")
        if not parsed.version:
            raise SourceError(f"{url}: not a feed (no RSS or Atom element found)")
        raise SourceError(f"{url}: the feed has no items")
    if parsed.bozo:
        logger.warning("%s: feed is not well-formed (%s); read leniently", url, parsed.get("bozo_exception"))
    return parsed


def _entry_time(entry: Any, zone: tzinfo) -> datetime | None:
    """The item's date, read from its own text (``briefing.dates``), never from feedparser's guess.

    feedparser reads forms it does not know (``2020/1/10 14:33:00``) as some other day, so only the
    raw strings are used.
    """
    for key in ("published", "updated", "created"):
        value = dict.get(entry, key)  # no deprecated key aliasing
        if isinstance(value, str) and (parsed := parse_date(value, zone)):
            return parsed
    return None


def _entry_text(entry: Any) -> str:
    """The item's own text: the longest of its content and its description, HTML stripped."""
    candidates = [c for c in entry.get("content") or [] if c.get("value")]
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"})
    best = ""
    for candidate in candidates:
        value = candidate.get("value") or ""
        text = html_to_text(value) if "html" in (candidate.get("type") or "text/html") else value
        if len(text) > len(best):
            best = text
    return best


def xml_problem(parsed: Any) -> str | None:
    """What is wrong with a feed's XML, with its line ("the feed's XML is invalid at line 3: mismatched tag"), or None."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    line = getattr(exc, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc or "malformed")
    return f"the feed's XML is invalid{where}: {message}"


def entry_article(
    entry: Any, source: SourceConfig, ctx: ReadContext, feed_url: str, client: httpx.Client | None = None,
    *, feed_title: str = "", invalid_xml: str | None = None,
) -> Article:
    """Turn one feed item into an ``Article`` (fetching its page if ``full_text``).

    Its outlet is the table's name for its link's site, else the item's ``<source>``, else its page's
    ``og:site_name``, else the feed's title (``briefing.urls.outlet_for``).

    Raises:
        SourceError: the item has no text (saying so when the feed's XML is invalid, ``invalid_xml``), or
            (``full_text``) its page cannot be read.
    """
    item_source = entry.get("source") or {}
    named = [item_source.get("title") if isinstance(item_source, dict) else None]
    link = (entry.get("link") or "").strip()
    url = canonical_url(link) if link else None
    title = " ".join(html_to_text(entry.get("title") or "").split())
    published = _entry_time(entry, ctx.zone)
    if url:
        article_id = url
    else:  # an item without a link: identify it by the feed and its own id or content
        key = entry.get("id") or title or entry.get("summary") or ""
        article_id = f"{canonical_url(feed_url)}#{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"
    if source.full_text and url:
        known = stored_article(ctx.store, url)
        if known is not None:  # already fetched once: no second download, but this source is recorded
            return Article(
                id=url, title=title or known.title, text=known.text, source=source.name, url=link,
                published=published or known.published, fetched=ctx.now,
                outlet=known.outlet or outlet_for(link, *named, feed_title),
            )
        page = read_page(link, source, ctx, client=client)
        title = title or page.title
        text = page.text
        published = published or page.published
        named.append(page.site_name)
    else:
        text = clean_text(_entry_text(entry))
    if not text.strip():
        hint = f"; {invalid_xml}" if invalid_xml else "" if source.full_text else "; try full_text = true"
        raise SourceError("the item has no text" + hint)
    if published is None:
        raw = next((entry[k] for k in ("published", "updated", "created") if dict.get(entry, k)), None)
        logger.warning(
            "feed %s: item %s has %s; it is dated by the fetch time", source.name, link or title or article_id,
            f"an unreadable date {raw!r}" if raw else "no date",
        )
    return Article(
        id=article_id, title=title or derive_title(text), text=text, source=source.name, url=link or None,
        published=published, fetched=ctx.now, outlet=outlet_for(link, *named, feed_title),
    )


@register("feed")
def read_feed(source: SourceConfig, ctx: ReadContext) -> Iterator[Article | Excluded]:
    """Read a feed source: one ``Article`` per good item, one ``Excluded`` per bad one.

    A feed that is unchanged since the last run (HTTP 304) yields nothing: its items are in the
    store already.

    Raises:
        SourceError: the feed as a whole cannot be fetched or parsed, or has no items.
    """
    url = source.url or ""
    with make_client(
        source.timeout, allow_private_hosts=source.allow_private_hosts, give_up_after=source.give_up_after
    ) as client:
        response = fetch(
            url, timeout=source.timeout, max_bytes=source.max_bytes, kind="feed", store=ctx.store, client=client
        )
        if response.not_modified:
            logger.info("feed %s unchanged since the last fetch", source.name)
            return
        parsed = parse_feed(response.content, response.charset, response.url)
        logger.info("feed %s: %d items", source.name, len(parsed.entries))
        feed_title = " ".join(html_to_text(parsed.feed.get("title") or "").split())
        invalid_xml = xml_problem(parsed)
        for entry in parsed.entries:
            try:
                yield entry_article(entry, source, ctx, response.url, client=client, feed_title=feed_title,
                                    invalid_xml=invalid_xml)
            except SourceError as exc:
                item = entry.get("link") or entry.get("title") or entry.get("id") or "(item)"
                logger.warning("feed %s: item %s skipped: %s", source.name, item, exc)
                yield Excluded(source.name, item, str(exc))
    # Only now, with every item handed on, is it safe to let the next fetch be a 304 (not if items
    # were left out because the source ran out of time: they are read on the next run).
    if not client.gave_up:
        remember(ctx.store, url, response, ctx.now)
