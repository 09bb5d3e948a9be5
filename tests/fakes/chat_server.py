"""A fake chat HTTP API on 127.0.0.1 that outlives the bot process: crash tests kill the bot with
SIGKILL and then ask this server what actually landed.

POST /post     {"channel", "story_id", "nonce", "kind", "thread"} -> {"ref"}
GET  /history  ?channel=C -> [{"ref", "story_id", "nonce", "kind", "thread"}, ...]

Channels whose id starts with "D" behave like Discord: a repeated nonce returns the first message
instead of posting again. Others behave like Slack: every POST posts, and the history carries the
bot's metadata (story id and nonce) so a restarted bot can look before resending.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeChatServer:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length))
                self._json({"ref": server.post(payload)})

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                channel = query.get("channel", [""])[0]
                with server.lock:
                    self._json([m for m in server.messages if m["channel"] == channel])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def post(self, payload: dict[str, Any]) -> str:
        with self.lock:
            if payload["channel"].startswith("D"):
                for m in self.messages:
                    if m["nonce"] == payload["nonce"] and m["channel"] == payload["channel"]:
                        return str(m["ref"])
            ref = f"{payload['channel']}-{len(self.messages) + 1}"
            self.messages.append({**payload, "ref": ref})
            return ref

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
