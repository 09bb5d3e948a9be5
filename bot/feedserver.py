"""A tiny loopback HTTP server for feeds: the demo, the tests and the benches all poll it.

It serves an in-memory route table on 127.0.0.1 (port 0, so parallel runs never collide),
answers conditional requests with 304, plays scripted reply sequences (503 then 200, 301, 410,
slow or gzip-encoded bodies) and records every request so tests can assert what was sent.

    with FeedServer({"/feed.xml": rss_bytes}) as srv:
        srv.script("/flaky", Reply(status=503, headers={"Retry-After": "2"}), Reply(body=rss))
        result = await fetcher.fetch(srv.url("/feed.xml"))
        assert srv.requests[0].header("User-Agent").startswith("newsdigest/")
"""

from __future__ import annotations

import gzip
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

__all__ = ["FeedServer", "RecordedRequest", "Reply"]

_DRIP_CHUNK = 1024


@dataclass(slots=True)
class Reply:
    """One scripted response."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None  # enables If-None-Match -> 304
    last_modified: str | None = None  # HTTP-date; enables If-Modified-Since -> 304
    delay: float = 0.0  # seconds before the status line (a slow server)
    drip: float = 0.0  # seconds between 1 KiB body chunks (a slow body)
    gzip: bool = False  # gzip the body on the wire and say so in Content-Encoding


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


class _Route:
    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.served = 0

    def next_reply(self) -> Reply:
        # The last reply repeats, so a script "503, 200" settles into serving the 200.
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # benches open many connections at once; the default 5 drops SYNs
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (timeout tests, cancelled polls) is normal here, not an error.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as real feed hosts do
    # Headers and body go out in separate writes; with Nagle on, the body then waits for the
    # client's delayed ACK (~40 ms a response on Linux loopback).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # tests and benches would drown in access logs

    def do_GET(self) -> None:
        owner = self.server.owner
        path = urlsplit(self.path).path
        owner._record(RecordedRequest("GET", self.path, dict(self.headers.items())))
        with owner._enter_flight():
            reply = owner._next_reply(path)
            if reply.delay and owner._stopping.wait(reply.delay):
                return
            self._send(reply)

    def _send(self, reply: Reply) -> None:
        status, body, headers = reply.status, reply.body, dict(reply.headers)
        if reply.etag:
            headers["ETag"] = reply.etag
        if reply.last_modified:
            headers["Last-Modified"] = reply.last_modified
        if status == 200 and self._not_modified(reply):
            status, body = 304, b""
        if reply.gzip and body:
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        if body or status == 200:
            headers.setdefault("Content-Type", reply.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not reply.drip:
            self.wfile.write(body)
            return
        for start in range(0, len(body), _DRIP_CHUNK):
            self.wfile.write(body[start : start + _DRIP_CHUNK])
            self.wfile.flush()
            if self.server.owner._stopping.wait(reply.drip):
                return

    def _not_modified(self, reply: Reply) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            if not reply.etag:
                return False
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or reply.etag.removeprefix("W/") in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and reply.last_modified:
            try:
                return parsedate_to_datetime(reply.last_modified) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False


class FeedServer:
    """Threaded loopback server with a thread-safe in-memory route table."""

    def __init__(self, routes: Mapping[str, Reply | bytes] | None = None) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        for path, reply in (routes or {}).items():
            self.route(path, reply)

    # -- lifecycle
    def start(self) -> Self:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # -- routes
    def route(self, path: str, reply: Reply | bytes, **fields: object) -> None:
        """Serve `reply` (or a 200 with these bytes, plus any `Reply` fields) at `path`."""
        if isinstance(reply, bytes):
            reply = Reply(body=reply, **fields)  # type: ignore[arg-type]
        self.script(path, reply)

    def script(self, path: str, *replies: Reply) -> None:
        """Serve `replies` to successive requests for `path`; the last one then repeats."""
        if not replies:
            raise ValueError("a script needs at least one reply")
        with self._lock:
            self._routes[path] = _Route(list(replies))

    def redirect(self, path: str, target: str, status: int = 301) -> None:
        self.route(path, Reply(status=status, headers={"Location": target}))

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    # -- what happened
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self.max_in_flight = 0

    # -- used by the handler
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            route = self._routes.get(path)
            if route is None:
                return Reply(status=404, body=b"not found", content_type="text/plain")
            return route.next_reply()

    def _enter_flight(self) -> _Flight:
        return _Flight(self)


class _Flight:
    """Counts requests being answered right now, to observe concurrency limits from outside."""

    def __init__(self, owner: FeedServer) -> None:
        self._owner = owner

    def __enter__(self) -> None:
        owner = self._owner
        with owner._lock:
            owner._in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner._in_flight)

    def __exit__(self, *exc: object) -> None:
        with self._owner._lock:
            self._owner._in_flight -= 1
