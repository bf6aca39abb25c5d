"""A real HTTP server on 127.0.0.1 for the ingest tests, serving tests/data and a few bad routes.

Routes:
    /feeds/<file>, /pages/<file>   files from tests/data (``{base}`` in them replaced by the server
                                   address), with an ETag; ``If-None-Match`` gets a 304
    /status/<code>                 an empty response with that status
    /slow                          waits ``slow_seconds`` before answering (for timeouts)
    /loop                          redirects to itself
    /redirect/<n>                  redirects n times, then to /pages/harbour-bridge.html
    /big                           streams ``big_bytes`` of HTML without a Content-Length
    /big-declared                  declares a huge Content-Length
    /pdf                           a small application/pdf
    /malformed                     broken XML
    /empty-feed                    a valid RSS feed without items
    /flaky                         503 the first ``flaky_failures`` times, then a feed
    /redirect-to?url=<url>         redirects to any URL (another host, too)
    /links-feed                    an RSS feed with one item per URL in ``links`` (with an ETag)
Each request is recorded (path and headers) in ``server.requests``.

Also here: ``drip_server``, raw sockets that send a status line and then a header one byte at a
time, and the ``public_server`` fixture, a second server on 127.0.0.2 that the address policy is
made to take for a public host (so that redirects and links from "the internet" to 127.0.0.1 can
be tested without a network).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from briefing.ingest import http as http_module

DATA = Path(__file__).parent / "data"

_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "text/xml",
    ".html": "text/html; charset=utf-8",
}
# Served without any charset parameter, so the reader must find the encoding itself.
_NO_CHARSET = {"uolNoticias.rss": "application/rss+xml", "kc0011.rss": "text/xml"}
_HEADER_CHARSET = {"latin1-no-meta.html": "text/html; charset=iso-8859-1"}

EMPTY_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Nothing today</title><link>http://empty.example/</link>
<description>No items</description></channel></rss>
"""
MALFORMED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken <item><title>unclosed & bad</titel>
"""


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    base: str = ""
    requests: list[Request] = field(default_factory=list)
    slow_seconds: float = 2.0
    big_bytes: int = 2_000_000
    flaky_failures: int = 1
    links: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str) -> list[Request]:
        """The requests made for ``path`` (exact, without the query string)."""
        return [r for r in self.requests if r.path.split("?")[0] == path]


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "text/plain", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key.replace("_", "-"), value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with server.lock:
                server.requests.append(Request(self.path, dict(self.headers.items())))
            path = self.path.split("?")[0]
            if path.startswith(("/feeds/", "/pages/")):
                return self._file(path)
            if path.startswith("/status/"):
                return self._send(int(path.rsplit("/", 1)[1]), b"")
            if path == "/slow":
                time.sleep(server.slow_seconds)
                return self._send(200, b"<html><body><p>late</p></body></html>", "text/html")
            if path == "/loop":
                return self._send(302, b"", Location="/loop")
            if path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                target = f"/redirect/{left - 1}" if left > 1 else "/pages/harbour-bridge.html"
                return self._send(301, b"", Location=target)
            if path == "/big":
                return self._stream_big()
            if path == "/big-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(10**12))
                self.end_headers()
                self.wfile.write(b"<html>")
                return None
            if path == "/pdf":
                return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "application/pdf")
            if path == "/malformed":
                return self._send(200, MALFORMED, "application/rss+xml")
            if path == "/empty-feed":
                return self._send(200, EMPTY_FEED, "application/rss+xml")
            if path == "/flaky":
                with server.lock:
                    failures = len(server.hits("/flaky"))
                if failures <= server.flaky_failures:
                    return self._send(503, b"busy", Retry_After="0")
                return self._file("/feeds/rss091.xml")
            if path == "/redirect-to":
                return self._send(302, b"", Location=parse_qs(urlsplit(self.path).query)["url"][0])
            if path == "/links-feed":
                return self._etagged(_links_feed(server.links), "application/rss+xml")
            return self._send(404, b"not found")

        def _file(self, path: str) -> None:
            file = DATA / path.lstrip("/")
            if not file.is_file() or ".." in path:
                return self._send(404, b"not found")
            body = file.read_bytes().replace(b"{base}", server.base.encode())
            content_type = _NO_CHARSET.get(file.name) or _HEADER_CHARSET.get(file.name) or _TYPES[file.suffix]
            return self._etagged(body, content_type)

        def _etagged(self, body: bytes, content_type: str) -> None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self._send(200, body, content_type, ETag=etag)

        def _stream_big(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 8000 + b"</p>"
            sent = 0
            try:
                while sent < server.big_bytes:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its size cap, as it should

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up early (timeouts, size caps) is expected here, not an error."""


def _links_feed(links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{escape(link)}</link><description>Item {i} only.</description></item>"
        for i, link in enumerate(links, 1)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Links</title>'
            f"<link>http://links.example/</link><description>Links</description>{items}</channel></rss>").encode()


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[LocalServer]:
    """Run the test server in a thread for the duration of the block."""
    state = LocalServer()
    httpd = _QuietServer((host, 0), _handler(state))
    state.base = f"http://{host}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(name="http_server")
def http_server_fixture() -> Iterator[LocalServer]:
    """The test server as fixture ``http_server``, one per test: import ``http_server_fixture`` to use it."""
    with serve() as server:
        yield server


PUBLIC_HOST = "127.0.0.2"  # stands in for a public address in ``public_server``


@pytest.fixture(name="public_server")
def public_server_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A test server on 127.0.0.2, an address the address policy is made to take for a public one.

    Only that address is let through: 127.0.0.1, localhost and every other non-public address are
    still refused, so a link or redirect from this "public" server to the local one can be tested.
    """
    real = http_module.address_refusal

    def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(address) == PUBLIC_HOST else real(address)

    monkeypatch.setattr(http_module, "address_refusal", refusal)
    with serve(PUBLIC_HOST) as server:
        yield server


@contextmanager
def drip_server(seconds: float = 60.0, interval: float = 1.0) -> Iterator[str]:
    """A raw-socket HTTP server on 127.0.0.1 that never finishes its headers; yields its base URL.

    It answers every request with ``HTTP/1.1 200 OK\\r\\nX-Slow: `` and then one byte every
    ``interval`` seconds for ``seconds``: each read returns quickly, so only a wall-clock deadline stops it.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                end = time.monotonic() + seconds
                while time.monotonic() < end and not stop.wait(interval):
                    conn.sendall(b"x")
            except OSError:
                pass  # the client hung up, as it should at its deadline

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()
