"""MP4, 3GP and M4A files (ISO base media) without what the recording phone wrote about them.

User-data and metadata boxes (where phones put the place as `©xyz` or an Apple location key,
the make and model, titles) become `free` boxes of the same size with their bytes zeroed,
and the creation and modification times in the movie, track and media headers are zeroed.
Nothing changes size, so no offset inside the file moves and it plays as before."""

from __future__ import annotations

import struct

# Boxes holding metadata, wherever they sit at the top, in the movie or in a track.
METADATA_BOXES = frozenset({b"udta", b"meta", b"uuid", b"XMP_"})
# Boxes whose children are walked: the movie, its tracks and their media.
CONTAINERS = frozenset({b"moov", b"trak", b"mdia"})
# Headers that carry creation and modification times right after their version and flags.
TIMED_HEADERS = frozenset({b"mvhd", b"tkhd", b"mdhd"})


class BrokenBoxError(ValueError):
    """A box claims more bytes than its parent holds: not a well-formed ISO media file."""


def without_metadata(data: bytes) -> bytes:
    """The same file with its metadata boxes emptied and its timestamps zeroed."""
    cleaned = bytearray(data)
    _clean_boxes(cleaned, 0, len(cleaned))
    return bytes(cleaned)


def _clean_boxes(data: bytearray, start: int, end: int) -> None:
    position = start
    while position + 8 <= end:
        size, header = _box_size(data, position, end)
        kind = bytes(data[position + 4 : position + 8])
        payload = position + header
        if kind in METADATA_BOXES:
            data[position + 4 : position + 8] = b"free"
            data[payload : position + size] = bytes(position + size - payload)
        elif kind in TIMED_HEADERS:
            _zero_times(data, payload, position + size)
        elif kind in CONTAINERS:
            _clean_boxes(data, payload, position + size)
        position += size


def _box_size(data: bytearray, position: int, end: int) -> tuple[int, int]:
    """A box's whole size and its header's: 32-bit, 64-bit (size 1), or to the end (size 0)."""
    (size,) = struct.unpack_from(">I", data, position)
    header = 8
    if size == 1:
        if position + 16 > end:
            raise BrokenBoxError("a box's 64-bit size is cut off")
        (size,) = struct.unpack_from(">Q", data, position + 8)
        header = 16
    elif size == 0:
        size = end - position
    if size < header or position + size > end:
        raise BrokenBoxError("a box is larger than the file or box that holds it")
    return size, header


def _zero_times(data: bytearray, payload: int, end: int) -> None:
    """Version 1 headers keep both times in 64 bits, version 0 in 32."""
    if payload >= end:
        raise BrokenBoxError("a media header is empty")
    width = 8 if data[payload] == 1 else 4
    first, last = payload + 4, payload + 4 + 2 * width
    if last > end:
        raise BrokenBoxError("a media header is cut off")
    data[first:last] = bytes(last - first)
