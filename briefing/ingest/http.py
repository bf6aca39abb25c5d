"""HTTP for the feed and web readers: one polite, bounded fetch (canonical URLs are ``briefing.urls``).

``fetch`` sends a User-Agent naming the tool, limits redirects, retries connect errors, 429 and
5xx with back-off, caps the bytes read while streaming, checks the content type, and makes
conditional GETs with the ETag / Last-Modified kept in the store's ``http_cache`` table. Every
failure is raised as ``SourceError`` with a message a user can act on.

Two guards sit under httpx, in the network backend of the client ``make_client`` returns, so they
hold for every connection, redirects included:

* Deadlines. Every socket operation (connect, TLS handshake, each read and write) gets the smaller
  of the per-phase ``timeout`` and the time left before the wall-clock deadline of the current
  fetch (three times ``timeout``, redirects and retries included) or of the source (its
  ``give_up_after``). A server that drips its headers one byte a second is thus cut off at the
  deadline; httpx's own timeout is per read and would wait for ever.
* Address policy. The host name is resolved here and only the addresses that pass are connected
  to, so the address checked is the address used (no DNS rebinding between check and connect).
  Loopback, private, link-local, multicast, unspecified and other non-global addresses are
  refused unless the source sets ``allow_private_hosts = true``. Proxies from the environment are
  not used (httpx ignores them when given a transport); name resolution itself is not bounded by
  the deadline (the system resolver's own timeouts apply).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import socket
import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpcore
import httpx

from briefing import __version__
from briefing.errors import SourceError

if TYPE_CHECKING:
    from briefing.store import Store

logger = logging.getLogger(__name__)

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


# --- deadlines and address policy, under httpx ----------------------------------------------

# The wall-clock deadline (time.monotonic) of the fetch running in this thread; no deadline outside one.
_DEADLINE: ContextVar[float] = ContextVar("briefing_http_deadline", default=math.inf)
_EARLY = 0.01  # a socket timeout may fire this much before the deadline it was set for


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before the current deadline; ``error`` once it has passed."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        raise error("the deadline of this request has passed")
    if math.isinf(left):
        return timeout
    return left if timeout is None else min(timeout, left)


def address_refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``address`` may not be fetched without ``allow_private_hosts`` (e.g. "loopback"), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind, flag in (("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
                       ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                       ("private", address.is_private)):
        if flag:
            return kind
    return None if address.is_global else "non-public"


class _Refused(SourceError):
    """A connection the address policy does not allow (``fetch`` adds the URL to the message)."""


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation also stops at the current fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, connects only to addresses the policy allows, bounds every operation."""

    def __init__(self, allow_private_hosts: bool) -> None:
        self.allow_private_hosts = allow_private_hosts

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        if not self.allow_private_hosts:
            refused = [(a, address_refusal(a)) for a in addresses]
            addresses = [a for a, why in refused if why is None]
            if not addresses:
                address, why = refused[0]
                shown = host if host == str(address) else f"{host} ({address})"
                raise _Refused(
                    f"refused to connect to {shown}: {why} addresses are fetched only from a source "
                    "that sets allow_private_hosts = true (for intranet feeds)"
                )
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:  # the address checked is the address connected to
            try:
                stream = super().connect_tcp(
                    str(address), port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        raise error


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private_hosts: bool) -> None:
        super().__init__()
        # httpx offers no public way to give its transport a network backend: rebuild its pool with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,  # httpx's default limits
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private_hosts),
        )


class SourceClient(httpx.Client):
    """An httpx client for one source: our headers, the address policy and the source's deadline."""

    def __init__(self, timeout: float, *, allow_private_hosts: bool = False, give_up_after: float | None = None):
        super().__init__(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            transport=_GuardedTransport(allow_private_hosts),
        )
        self.give_up_after = give_up_after
        self.deadline = math.inf if give_up_after is None else time.monotonic() + give_up_after
        self.gave_up = False  # a fetch failed because the source's deadline had passed

    @property
    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline - _EARLY


def make_client(timeout: float, *, allow_private_hosts: bool = False, give_up_after: float | None = None) -> SourceClient:
    """An HTTP client for one source's fetches (pass it to ``fetch``).

    Args:
        timeout: seconds for each phase (connect, each read); one fetch gets three times that in all.
        allow_private_hosts: allow loopback, private, link-local and other non-public addresses.
        give_up_after: seconds from now after which every fetch with this client fails; None for no limit.
    """
    return SourceClient(timeout, allow_private_hosts=allow_private_hosts, give_up_after=give_up_after)


def cached_validators(store: Store | None, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified remembered for ``url``, if any."""
    return (None, None) if store is None else store.http_validators(url)


def remember(store: Store | None, url: str, response: Response, now: datetime) -> None:
    """Keep ``response``'s validators so the next fetch of ``url`` can be a conditional GET.

    Call it only once everything read from the response has been handed on: a crash before that
    must not turn the next fetch into a 304 that skips articles never stored.
    """
    if store is None or response.status != 200 or not (response.etag or response.last_modified):
        return
    store.remember_http_validators(url, response.etag, response.last_modified, now)


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


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """Read the body, stopping as soon as it passes ``max_bytes`` (the backend enforces the deadline)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"{url}: response too large ({int(declared):,} bytes, limit {max_bytes:,}); raise max_bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decompressed bytes: the cap also stops compression bombs
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"{url}: response too large (over {max_bytes:,} bytes); raise max_bytes")
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
    allow_private_hosts: bool = False,
) -> Response:
    """GET ``url`` politely: bounded in time, retries and size, conditional, content-type checked.

    A 304 (the resource is unchanged since the validators kept by ``remember``) is returned as a
    ``Response`` with ``not_modified`` true and no content. ``timeout`` bounds each phase (connect,
    each read); connect, headers and body, redirects and retries included, must all be done within
    three times that of wall-clock time, and before the client's ``give_up_after`` runs out.

    Args:
        url: the http(s) URL to fetch.
        timeout: seconds, see above.
        max_bytes: the most bytes of (decompressed) body accepted.
        kind: ``"html"`` accepts only HTML pages, ``"feed"`` refuses only types no feed has.
        store: where the validators for conditional GET are kept; None for a plain GET.
        client: an open client from ``make_client`` to reuse (it carries its own address policy and
            deadline); one is made if None.
        allow_private_hosts: the address policy of the client made here when ``client`` is None.

    Raises:
        SourceError: the URL is not http(s), its host (or a redirect's) is a non-public address
            without ``allow_private_hosts``, the server is unreachable or times out, redirects too
            often, answers with an error status, sends too much, or sends the wrong type.
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs can be fetched")
    own = client is None
    client = client or make_client(timeout, allow_private_hosts=allow_private_hosts)
    if not isinstance(client, SourceClient):
        raise TypeError("fetch needs a client made by make_client: it carries the address policy and deadlines")
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
    deadline = min(time.monotonic() + 3 * timeout, client.deadline)
    token = _DEADLINE.set(deadline)
    try:
        if client.out_of_time:
            raise httpx.TimeoutException("the source's time is up")
        for attempt in range(RETRIES + 1):
            try:
                with client.stream("GET", url, headers=headers) as response:
                    delay = _retry_delay(attempt, response)
                    if response.status_code in _RETRY_STATUS and _may_retry(attempt, delay, deadline):
                        logger.info("%s: HTTP %d, retrying in %.1fs", url, response.status_code, delay)
                        time.sleep(delay)
                        continue
                    return _finish(url, response, kind, max_bytes)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                delay = _retry_delay(attempt, None)
                if not _may_retry(attempt, delay, deadline):
                    if isinstance(exc, httpx.TimeoutException):
                        raise
                    raise SourceError(f"{url}: cannot connect ({_describe(exc)})") from exc
                logger.info("%s: %s, retrying in %.1fs", url, _describe(exc), delay)
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
    except _Refused as exc:
        raise SourceError(f"{url}: {exc}") from None
    except httpx.TooManyRedirects as exc:
        raise SourceError(f"{url}: too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)") from exc
    except httpx.TimeoutException as exc:
        raise SourceError(_timed_out(url, timeout, deadline, client)) from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: {_describe(exc)}") from exc
    finally:
        _DEADLINE.reset(token)
        if own:
            client.close()


def _may_retry(attempt: int, delay: float, deadline: float) -> bool:
    return attempt < RETRIES and time.monotonic() + delay < deadline


def _timed_out(url: str, timeout: float, deadline: float, client: SourceClient) -> str:
    """The message for a fetch that ran out of time: which limit was hit, and how to change it."""
    if client.out_of_time:
        client.gave_up = True
        return (
            f"{url}: gave up: the source's give_up_after of {client.give_up_after:g}s has passed; "
            "what is left is read on the next run, or raise give_up_after"
        )
    if time.monotonic() >= deadline - _EARLY:
        return f"{url}: timed out: no complete response within {3 * timeout:g}s; the server is too slow or raise timeout"
    return f"{url}: timed out after {timeout:g}s; the server is too slow or raise timeout"


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _finish(url: str, response: httpx.Response, kind: str, max_bytes: int) -> Response:
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
    content = _read_capped(response, url, max_bytes)
    return Response(
        final,
        200,
        content,
        media_type,
        charset,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
