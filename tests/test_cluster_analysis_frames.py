"""The analysis worker's replies: length-prefixed marshal frames, read back whole or not at all."""

from __future__ import annotations

import io

import pytest

from bot.cluster import analysis_worker


def _reader(data: bytes) -> analysis_worker.Worker:
    # Only what `recv` touches: the reply pipe and the hang deadline.
    worker = object.__new__(analysis_worker.Worker)
    worker._out = io.BufferedReader(io.BytesIO(data))  # type: ignore[assignment]
    worker._deadline = analysis_worker._Deadline()
    return worker


def _frames(*replies: object) -> bytes:
    out = io.BytesIO()
    for reply in replies:
        analysis_worker._reply(out, reply)
    return out.getvalue()


def test_replies_come_back_equal_and_in_order():
    fields = ({"senat": 0.5, "e:kim jong un": 0.25}, {}, 0.1 + 0.2, frozenset({"#40"}), ("senat",))
    replies = [([fields, fields], None), ([], b"\x80snapshot"), b"stats"]
    worker = _reader(_frames(*replies))
    assert [worker.recv() for _ in replies] == replies
    assert worker._deadline.at is None  # no deadline left running between calls


@pytest.mark.parametrize("cut", [3, 8, 12])
def test_a_reply_cut_short_or_garbled_reads_as_a_dead_worker(cut):
    # EOFError is what the batch's failure path takes: it finishes inline.
    data = _frames(([({"a": 1.0},)], None))
    with pytest.raises(EOFError):
        _reader(data[:cut]).recv()
    garbled = data[:8] + b"\xff" * (len(data) - 8)
    with pytest.raises(EOFError):
        _reader(garbled).recv()
