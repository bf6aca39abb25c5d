"""HTTP for the feed and web readers: one polite, bounded fetch, and URL canonicalisation.

``fetch`` sends a User-Agent naming the tool, limits redirects, retries connect errors, 429 and
5xx with back-off, caps the bytes read while streaming, checks the content type, and makes
conditional GETs with the ETag / Last-Modified kept in the store's ``http_cache`` table. Every
failure is raised as ``SourceError`` with a message a user can act on.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import httpx

from briefing import __version__
from briefing.errors import SourceError

if TYPE_CHECKING:
    from briefing.store import Store

logger = logging.getLogger(__name__)

# Query parameters that only track the reader, never select the content.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "matomo_", "hsa_", "at_", "__hs", "_hs")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mkt_tok",
        "_ga", "_gl", "ocid", "cmpid", "icid", "ncid", "ito", "ns_mchannel", "ns_source", "ns_campaign",
        "ns_linkname", "ns_fee", "sr_share", "smid", "wt_mc", "wt.mc_id", "soc_src", "soc_trk",
        "ref_src", "ref_url", "xtor", "oly_anon_id", "oly_enc_id", "vero_id",
    }
)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL that identifies an article: tracking parameters, fragment and default port dropped.

    The scheme and host are lower-cased (they are case-insensitive), the path and the remaining
    query parameters are kept in their order (they may select the content), and an empty path
    becomes ``/``. Two links to the same article from two feeds thus compare equal.

    Args:
        url: an absolute URL as found in a feed or config.

    Returns:
        The canonical form; a string that does not parse as a URL is returned stripped.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc:
        return url
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and str(port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        auth = parts.username or ""
        if parts.password:
            auth += f":{parts.password}"
        host = f"{auth}@{host}"
    # Filter the raw pairs so the kept ones keep their exact encoding.
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(unquote_plus(pair.partition("=")[0]))
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


# --- fetching ---------------------------------------------------------------------------------

USER_AGENT = f"briefing/{__version__} (daily news brief; python-httpx)"
MAX_REDIRECTS = 5
RETRIES = 2  # extra attempts after the first, for connect errors, 429 and 5xx
BACKOFF = 1.0  # seconds before the first retry; doubles each time
MAX_RETRY_AFTER = 30.0  # never wait longer than this for a server's Retry-After
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Feeds are served under many types, often wrong ones; refuse only what cannot be a feed.
_NOT_FEED_PREFIXES = ("image/", "audio/", "video/", "font/", "multipart/")
_NOT_FEED_TYPES = frozenset({"application/pdf", "application/zip", "application/gzip", "application/json"})


@dataclass(frozen=True)
class Response:
    """A fetched resource: its final URL and the bytes, or ``not_modified`` after a 304."""

    url: str  # after redirects
    status: int
    content: bytes
    media_type: str  # e.g. "text/html", lower case, "" if the server sent none
    charset: str | None  # from the Content-Type header, if declared
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(timeout: float) -> httpx.Client:
    """An HTTP client with our User-Agent, a per-phase timeout and a redirect limit."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
    )


def cached_validators(store: Store | None, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified remembered for ``url``, if any."""
    if store is None:
        return None, None
    row = store.conn.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)).fetchone()
    return (row["etag"], row["last_modified"]) if row else (None, None)


def remember(store: Store | None, url: str, response: Response, now: datetime) -> None:
    """Keep ``response``'s validators so the next fetch of ``url`` can be a conditional GET.

    Call it only once everything read from the response has been handed on: a crash before that
    must not turn the next fetch into a 304 that skips articles never stored.
    """
    if store is None or response.status != 200 or not (response.etag or response.last_modified):
        return
    sql = (
        "INSERT INTO http_cache (url, etag, last_modified, fetched) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
        "fetched = excluded.fetched"
    )
    values = (url, response.etag, response.last_modified, now.isoformat())
    if store.conn.in_transaction:  # the caller's transaction decides
        store.conn.execute(sql, values)
        return
    with store.transaction() as conn:
        conn.execute(sql, values)


def _check_type(url: str, media_type: str, kind: str) -> None:
    if kind == "html" and media_type and media_type not in HTML_TYPES:
        raise SourceError(f"{url}: not an HTML page (content type {media_type})")
    if kind == "feed" and (media_type.startswith(_NOT_FEED_PREFIXES) or media_type in _NOT_FEED_TYPES):
        raise SourceError(f"{url}: not a feed (content type {media_type})")


def _retry_delay(attempt: int, response: httpx.Response | None) -> float:
    delay = BACKOFF * 2**attempt
    header = response.headers.get("Retry-After") if response is not None else None
    if header and header.strip().isdigit():
        delay = max(delay, float(header.strip()))
    return min(delay, MAX_RETRY_AFTER)


def _read_capped(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """Read the body, stopping as soon as it passes ``max_bytes`` or the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"{url}: response too large ({int(declared):,} bytes, limit {max_bytes:,}); raise max_bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decompressed bytes: the cap also stops compression bombs
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"{url}: response too large (over {max_bytes:,} bytes); raise max_bytes")
        if time.monotonic() > deadline:
            raise SourceError(f"{url}: timed out while reading the response")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    kind: str = "html",
    store: Store | None = None,
    client: httpx.Client | None = None,
) -> Response:
    """GET ``url`` politely: bounded retries, conditional, size-capped, content-type checked.

    A 304 (the resource is unchanged since the validators kept by ``remember``) is returned as a
    ``Response`` with ``not_modified`` true and no content. ``timeout`` bounds each phase (connect,
    each read); the whole response must arrive within three times that.

    Args:
        url: the http(s) URL to fetch.
        timeout: seconds, see above.
        max_bytes: the most bytes of (decompressed) body accepted.
        kind: ``"html"`` accepts only HTML pages, ``"feed"`` refuses only types no feed has.
        store: where the validators for conditional GET are kept; None for a plain GET.
        client: an open client to reuse (see ``make_client``); one is made if None.

    Raises:
        SourceError: the URL is not http(s), the server is unreachable or times out, redirects
            too often, answers with an error status, sends too much, or sends the wrong type.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs can be fetched")
    own = client is None
    client = client or make_client(timeout)
    etag, last_modified = cached_validators(store, url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    headers["Accept"] = (
        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        if kind == "html"
        else "application/rss+xml,application/atom+xml,application/rdf+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
    )
    try:
        for attempt in range(RETRIES + 1):
            last = attempt == RETRIES
            deadline = time.monotonic() + 3 * timeout
            try:
                with client.stream("GET", url, headers=headers) as response:
                    if response.status_code in _RETRY_STATUS and not last:
                        delay = _retry_delay(attempt, response)
                        logger.info("%s: HTTP %d, retrying in %.1fs", url, response.status_code, delay)
                        time.sleep(delay)
                        continue
                    return _finish(url, response, kind, max_bytes, deadline)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                if last:
                    raise SourceError(f"{url}: cannot connect ({_describe(exc)})") from exc
                delay = _retry_delay(attempt, None)
                logger.info("%s: %s, retrying in %.1fs", url, _describe(exc), delay)
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
    except httpx.TooManyRedirects as exc:
        raise SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)") from exc
    except httpx.TimeoutException as exc:
        raise SourceError(f"{url}: timed out after {timeout:g}s; the server is too slow or raise timeout") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {_describe(exc)}") from exc
    finally:
        if own:
            client.close()


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _finish(url: str, response: httpx.Response, kind: str, max_bytes: int, deadline: float) -> Response:
    """Turn an httpx response into ours, or raise ``SourceError`` for an error status or type."""
    final = str(response.url)
    if response.status_code == 304:
        logger.info("%s: not modified since the last fetch", url)
        return Response(final, 304, b"", "", None)
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        raise SourceError(f"{url}: HTTP {response.status_code} {reason}")
    if response.status_code != 200:
        raise SourceError(f"{url}: unexpected HTTP status {response.status_code}")
    content_type = response.headers.get("Content-Type", "")
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    _check_type(url, media_type, kind)
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    content = _read_capped(response, url, max_bytes, deadline)
    return Response(
        final,
        200,
        content,
        media_type,
        charset,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
