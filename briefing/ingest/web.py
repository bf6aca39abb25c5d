"""The web source: a list of article URLs, each fetched and reduced to its main text.

Main text, title and date come from trafilatura through ``briefing.clean.extract_html`` (the
same settings ``bench/extraction.py`` measures). The feed reader's ``full_text`` mode uses
``read_page`` from here too.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING

import httpx
import lxml.html
from lxml import etree

from briefing.clean import ExtractedPage, decode_bytes, derive_title, extract_html
from briefing.errors import SourceError
from briefing.ingest.http import fetch, make_client, remember
from briefing.ingest.registry import ReadContext, register
from briefing.models import Article, Excluded
from briefing.urls import canonical_url, outlet_for

if TYPE_CHECKING:
    from briefing.config import SourceConfig
    from briefing.store import Store

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|p|div|article|title)\b", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
     "section", "article", "pre", "dd", "dt", "header", "footer"}
)
# Links that only point to the full story ("Read more", "Continue reading…", "[…]").
_MORE_LINK = re.compile(
    r"^[\s\[(]*(?:(?:read\s+more|continue\s+reading|read\s+the\s+(?:full|whole|rest))\b.{0,40}"
    r"|(?:full\s+(?:story|article)|more|weiterlesen|mehr|leia\s+mais|lire\s+la\s+suite|seguir\s+leyendo"
    r"|leer\s+m[aá]s|…|\.\.\.)[\s.…:»›→>)\]-]*)$",
    re.IGNORECASE,
)
_DROP_TAGS = ("script", "style", "figure", "figcaption", "noscript", "iframe", "object", "embed")


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """Decode a page's bytes: BOM, valid UTF-8, the HTTP charset, the ``<meta>`` charset, detection."""
    meta = _META_CHARSET.search(data[:4096])
    return decode_bytes(data, (http_charset, meta.group(1).decode("ascii") if meta else None), name="page")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed description): blocks become paragraphs."""
    if "<" not in fragment:
        return html.unescape(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]*>", " ", fragment))
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()  # keeps the tail text
    for link in list(root.iter("a")):
        if _MORE_LINK.match(link.text_content()):
            link.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return root.text_content()


def stored_article(store: Store | None, url: str) -> Article | None:
    """The article already in the store under this canonical URL, if any (to avoid a second download)."""
    return None if store is None else store.article_by_url(url)


def page_from_response(content: bytes, charset: str | None, url: str, zone: tzinfo = UTC) -> ExtractedPage:
    """Extract main text, title and date from a fetched page; the text is cleaned.

    Raises:
        SourceError: the bytes are not an HTML page or hold no article text.
    """
    if not _LOOKS_HTML.search(content[:8192]):
        raise SourceError(f"{url}: not an HTML page")
    try:
        return extract_html(decode_html(content, charset), url=url, zone=zone)
    except SourceError as exc:
        raise SourceError(f"{url}: {exc}") from None


def read_page(
    url: str, source: SourceConfig, ctx: ReadContext, client: httpx.Client | None = None
) -> ExtractedPage:
    """Fetch an article page (plain GET) and extract it.

    Raises:
        SourceError: the page cannot be fetched or holds no article text.
    """
    response = fetch(
        url, timeout=source.timeout, max_bytes=source.max_bytes, kind="html", client=client,
        allow_private_hosts=source.allow_private_hosts,  # used only if no client is given
    )
    return page_from_response(response.content, response.charset, response.url, ctx.zone)


@register("web")
def read_web(source: SourceConfig, ctx: ReadContext) -> Iterator[Article | Excluded]:
    """Read a web source: one ``Article`` per listed URL, or one ``Excluded`` if it cannot be read.

    A page already in the store is fetched conditionally; if unchanged (HTTP 304) it yields nothing.
    """
    with make_client(
        source.timeout, allow_private_hosts=source.allow_private_hosts, give_up_after=source.give_up_after
    ) as client:
        for link in source.urls:
            url = canonical_url(link)
            known = stored_article(ctx.store, url)
            try:
                response = fetch(
                    link, timeout=source.timeout, max_bytes=source.max_bytes, kind="html",
                    store=ctx.store if known else None, client=client,
                )
                if response.not_modified:
                    logger.info("web %s: %s unchanged since the last fetch", source.name, link)
                    continue
                page = page_from_response(response.content, response.charset, response.url, ctx.zone)
            except SourceError as exc:
                logger.warning("web %s: %s skipped: %s", source.name, link, exc)
                yield Excluded(source.name, link, str(exc))
                continue
            yield Article(
                id=url, title=page.title or derive_title(page.text), text=page.text, source=source.name,
                url=link, published=page.published, fetched=ctx.now, outlet=outlet_for(link, page.site_name),
            )
            remember(ctx.store, link, response, ctx.now)
