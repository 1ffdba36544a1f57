"""Messages between the HTTP front and its engine processes: a JSON head and a byte body per frame.

A frame is two big-endian 32-bit lengths (head, body), the head (a JSON object) and the body.
Pipes carry them, not sockets: an engine has no network at all (see :mod:`diplograph.serve.sandbox`).
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import BinaryIO

__all__ = ["read_frame", "read_frame_async", "write_frame", "encode_frame"]

_LENGTHS = struct.Struct(">II")


def encode_frame(head: dict, body: bytes = b"") -> bytes:
    data = json.dumps(head, separators=(",", ":")).encode("utf-8")
    return _LENGTHS.pack(len(data), len(body)) + data + body


def write_frame(stream: BinaryIO, head: dict, body: bytes = b"") -> None:
    stream.write(encode_frame(head, body))
    stream.flush()


def read_frame(stream: BinaryIO) -> tuple[dict, bytes] | None:
    """The next frame, or None at the end of the stream."""
    lengths = _read_exactly(stream, _LENGTHS.size)
    if lengths is None:
        return None
    head_size, body_size = _LENGTHS.unpack(lengths)
    head = _read_exactly(stream, head_size)
    body = _read_exactly(stream, body_size) if body_size else b""
    if head is None or body is None:
        return None
    return json.loads(head), body


async def read_frame_async(reader: asyncio.StreamReader) -> tuple[dict, bytes]:
    """The next frame; raises :class:`asyncio.IncompleteReadError` when the stream ends first."""
    head_size, body_size = _LENGTHS.unpack(await reader.readexactly(_LENGTHS.size))
    head = json.loads(await reader.readexactly(head_size))
    body = await reader.readexactly(body_size) if body_size else b""
    return head, body


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
