"""A feed response's body as it arrives: Content-Encoding undone within the size cap.

Its own module because the fetcher's job is the request (address guard, limits, redirects,
validators); this is what is done with the bytes, and the one place a hostile body (a gzip bomb,
a stream cut short) is caught.
"""

from __future__ import annotations

import zlib

from bot.ingest.errors import BadEncodingError, ResponseTooLargeError


class BodyDecoder:
    """Content-Encoding decoder that stops as soon as the *decoded* size passes `limit`.

    httpx's own decoders inflate a whole network chunk at once, so a 64 KiB chunk of a gzip bomb
    could become tens of megabytes before anyone counts; `max_length` bounds every step here.
    Nor do they notice a stream that stops before its end, which `finish` refuses.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [
            c.strip() for c in encoding.lower().split(",") if c.strip() not in ("", "identity")
        ]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise BadEncodingError(f"unsupported Content-Encoding: {encoding}")
        self._coding = codings[0] if codings else None
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        self._zlib: zlib._Decompress | None = self._new_zlib(raw=False) if self._coding else None
        self._first = True

    def _new_zlib(self, *, raw: bool) -> zlib._Decompress:
        if self._coding == "deflate":  # servers send zlib-wrapped or raw deflate; try both
            return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise ResponseTooLargeError(f"feed larger than {self._limit} bytes once decoded")
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self._add(chunk)
            return
        try:
            self._inflate(chunk)
        except zlib.error as exc:
            if not (self._first and self._coding == "deflate"):
                raise BadEncodingError(f"corrupt {self._coding} body: {exc}") from exc
            self._zlib = self._new_zlib(raw=True)
            try:
                self._inflate(chunk)
            except zlib.error as exc2:
                raise BadEncodingError(f"corrupt deflate body: {exc2}") from exc2
        self._first = False

    def _inflate(self, data: bytes) -> None:
        assert self._zlib is not None
        while data:
            out = self._zlib.decompress(data, self._limit - self._size + 1)
            self._add(out)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof and self._zlib.unused_data:
                # Concatenated gzip members are legal; start on the next one.
                data = self._zlib.unused_data
                self._zlib = self._new_zlib(raw=False)

    def finish(self) -> bytes:
        # No bytes at all is an empty body, not a cut-off stream: the parser says what is wrong.
        if self._zlib is not None and not self._first:
            self._add(self._zlib.flush())
            # A server that closes early without a Content-Length looks like a complete 200;
            # only the compressed stream knows it stopped short. Accepting the half feed would
            # also store its validators, and the next poll's 304 would hide the rest for good.
            if not self._zlib.eof:
                raise BadEncodingError(f"truncated {self._coding} body")
        return b"".join(self._parts)
