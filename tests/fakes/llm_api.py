"""A local fake of an OpenAI-compatible chat-completions endpoint on 127.0.0.1.

It answers every POST with the configured reply (status, body, an optional delay before it and a
drip between its bytes) and records what it received, so tests assert the exact request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


def chat_body(content: str, tokens: int = 321) -> bytes:
    """A chat-completions response body whose message content is `content`."""
    payload = {"choices": [{"message": {"role": "assistant", "content": content}}]}
    return json.dumps({**payload, "usage": {"total_tokens": tokens}}).encode()


@dataclass
class Held:
    """A request the fake holds unanswered until the test `release`s it: a call still out while
    others are answered. Its answer is the status, body and headers in force once released."""

    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


class FakeCompletions(BaseHTTPRequestHandler):
    status: ClassVar[int] = 200
    body: ClassVar[bytes] = b""
    delay: ClassVar[float] = 0.0  # seconds before answering, for calls that must overlap
    # Seconds between the answer's bytes: each read is quick, so only an overall deadline ends
    # the client's wait.
    drip: ClassVar[float] = 0.0
    # False: no Content-Length, the body ends when the connection closes (HTTP/1.0), so a client
    # cannot refuse an oversized body from the header and must count what it reads.
    send_length: ClassVar[bool] = True
    headers_out: ClassVar[dict[str, str]] = {}  # extra response headers (a 429's Retry-After)
    requests: ClassVar[list[dict[str, Any]]] = []  # {"path", "body", "auth"} per request
    # The requests held (`hold`), by their place in arrival order (0: the first).
    held: ClassVar[dict[int, Held]] = {}

    @classmethod
    def hold(cls, index: int) -> Held:
        """Hold the `index`th request (from 0, in arrival order) until it is released."""
        cls.held[index] = Held()
        return cls.held[index]

    def log_message(self, *args: Any) -> None:
        """Keep the test output free of the server's request log."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        requests = type(self).requests
        requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if (held := self.held.get(len(requests) - 1)) is not None:
            held.arrived.set()
            held.released.wait(10)
        time.sleep(self.delay)
        try:
            self.send_response(self.status)
            self.send_header("Content-Type", "application/json")
            for name, value in self.headers_out.items():
                self.send_header(name, value)
            if self.send_length:
                self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            if not self.drip:
                self.wfile.write(self.body)
                return
            for i in range(len(self.body)):
                self.wfile.write(self.body[i : i + 1])
                self.wfile.flush()
                time.sleep(self.drip)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a deadline, or an error status read): expected


@contextmanager
def serve_completions(body: bytes) -> Iterator[str]:
    """The endpoint's base URL (".../v1"), answering `body` with 200 until told otherwise."""
    handler = FakeCompletions
    handler.status, handler.body, handler.delay, handler.drip = 200, body, 0.0, 0.0
    handler.send_length = True
    handler.headers_out = {}
    handler.requests = []
    handler.held = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
