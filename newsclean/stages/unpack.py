"""Unpack: bounded decompression of gzip, zstd, bzip2 and xz inputs.

Every codec is read in pieces of at most PIECE bytes of output and stops as soon as
the output passes a limit, so a small file that inflates to gigabytes (a decompression
bomb) costs at most `limit` bytes of memory and the time to produce them. A stream cut
off before its end, or bytes that are not the codec's, raise `UnpackError` with the
reject reason (`corrupt_gzip`, `corrupt_zstd`, `corrupt_bz2`, `corrupt_xz`); output past
the limit raises `TooLarge`. Concatenated streams (multi-member gzip, as WARC.gz files
are written: one member per record; pbzip2's bz2; several xz streams or zstd frames) are
read whole.
"""

from __future__ import annotations

import bz2
import io
import lzma
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import zstandard

# Output piece size: what one decompress call may produce before the limit is checked.
PIECE = 1 << 20
# Input fed to zlib per call: its unconsumed input is copied on every call, so feeding
# the whole file would copy it once per output piece.
_ZLIB_FEED = 1 << 18
CODEC_BY_SUFFIX = {".gz": "gzip", ".zst": "zstd", ".bz2": "bz2", ".xz": "xz"}
REASON_BY_CODEC = {"gzip": "corrupt_gzip", "zstd": "corrupt_zstd", "bz2": "corrupt_bz2", "xz": "corrupt_xz"}
# An xz stream says how large a dictionary it needs (up to 1.5 GiB); `xz -9` needs 64
# MiB. A stream asking for more than this is refused (corrupt_xz), not allocated.
XZ_MEMORY_LIMIT = 128 << 20
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_XZ_MAGIC = b"\xfd7zXZ\x00"


class UnpackError(ValueError):
    """Bytes a codec cannot decompress: `reason` is the reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class TooLarge(ValueError):
    """More output than the limit allows."""


@dataclass(frozen=True)
class Member:
    """Where one gzip member starts: in the compressed file and in the output."""

    packed_offset: int
    unpacked_offset: int


def codec_of(name: str) -> str | None:
    """The codec a file name's last suffix names, if any.

    >>> codec_of("crawl.warc.gz"), codec_of("feed.jsonl.ZST"), codec_of("page.html")
    ('gzip', 'zstd', None)
    """
    lowered = name.lower()
    return next((codec for suffix, codec in CODEC_BY_SUFFIX.items() if lowered.endswith(suffix)), None)


def strip_codec_suffix(name: str) -> str:
    """The name without its compression suffix.

    >>> strip_codec_suffix("a/b.html.xz"), strip_codec_suffix("a/b.html")
    ('a/b.html', 'a/b.html')
    """
    codec = codec_of(name)
    if codec is None:
        return name
    suffix = next(s for s, c in CODEC_BY_SUFFIX.items() if c == codec)
    return name[: -len(suffix)]


def sniff_codec(data: bytes) -> str | None:
    """The codec whose magic bytes open `data` (a page saved compressed under a plain
    name, as crawlers that keep the server's Content-Encoding do).

    >>> sniff_codec(b"\\x1f\\x8b\\x08\\x00"), sniff_codec(b"BZh91AY&SY"), sniff_codec(b"<html>")
    ('gzip', 'bz2', None)
    """
    if data.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if data.startswith(_ZSTD_MAGIC):
        return "zstd"
    if data.startswith(_XZ_MAGIC):
        return "xz"
    if len(data) >= 10 and data.startswith(b"BZh") and data[3:4].isdigit() and data[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return "bz2"
    return None


def unpack(data: bytes, codec: str, limit: int, members: list[Member] | None = None) -> bytes:
    """The decompressed bytes (all streams), at most `limit` of them; `members` (gzip
    only) collects where each member starts.

    >>> import gzip
    >>> unpack(gzip.compress(b"one ") + gzip.compress(b"two"), "gzip", 100)
    b'one two'
    >>> unpack(gzip.compress(b"x" * 101), "gzip", 100)
    Traceback (most recent call last):
    newsclean.stages.unpack.TooLarge: more than 100 bytes once decompressed
    """
    return b"".join(unpacked_pieces(data, codec, limit, members))


def unpacked_length(data: bytes, codec: str, limit: int) -> int:
    """How many bytes `data` holds once decompressed, counted piece by piece (never
    held), at most `limit` + 1 (TooLarge and UnpackError are not raised: a file that
    cannot be read counts at the bytes read before the damage)."""
    total = 0
    try:
        for piece in unpacked_pieces(data, codec, limit):
            total += len(piece)
    except TooLarge:
        return limit + 1
    except UnpackError:
        pass
    return total


def unpacked_pieces(data: bytes, codec: str, limit: int, members: list[Member] | None = None) -> Iterator[bytes]:
    """The decompressed output in pieces of at most PIECE bytes; TooLarge as soon as
    the total passes `limit`, UnpackError for a corrupt or truncated stream."""
    readers: dict[str, Callable[..., Iterator[bytes]]] = {
        "gzip": _gzip_pieces, "zstd": _zstd_pieces, "bz2": _bz2_pieces, "xz": _xz_pieces,
    }
    if codec not in readers:
        raise ValueError(f"unknown codec {codec!r}")
    total = 0
    pieces = readers[codec](data, limit, members) if codec == "gzip" else readers[codec](data, limit)
    try:
        for piece in pieces:
            total += len(piece)
            if total > limit:
                raise TooLarge(f"more than {limit} bytes once decompressed")
            if piece:
                yield piece
    except (TooLarge, UnpackError):
        raise
    except (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError, ValueError) as exc:
        raise UnpackError(REASON_BY_CODEC[codec], str(exc) or type(exc).__name__) from None


def _gzip_pieces(data: bytes, limit: int, members: list[Member] | None) -> Iterator[bytes]:
    """gzip members one after the other; NUL padding between members is skipped (some
    writers pad to a block size)."""
    view = memoryview(data)
    start, produced = 0, 0
    while start < len(view):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        if members is not None:
            members.append(Member(start, produced))
        pos = start
        while not inflater.eof:
            if pos >= len(view):
                raise EOFError("truncated gzip stream")
            chunk = bytes(view[pos: pos + _ZLIB_FEED])
            pos += len(chunk)
            while True:  # a full piece may leave output pending: ask again until short
                piece = inflater.decompress(chunk, min(PIECE, limit + 1 - produced))
                produced += len(piece)
                yield piece
                if produced > limit:
                    return
                chunk = inflater.unconsumed_tail
                if inflater.eof or (not chunk and len(piece) < PIECE):
                    break
        pos -= len(inflater.unused_data)
        while pos < len(view) and view[pos] == 0:
            pos += 1
        start = pos


def _zstd_pieces(data: bytes, limit: int) -> Iterator[bytes]:
    """zstd frames. zstandard's stream reader bounds the output but returns a frame cut
    short without an error, so once the output is known to fit the limit a second pass
    checks that every frame ends."""
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    produced = 0
    while piece := reader.read(min(PIECE, limit + 1 - produced)):
        produced += len(piece)
        yield piece
        if produced > limit:
            return
    rest = data
    while rest:  # the output fits the limit: decompressing whole frames is bounded
        if not rest.startswith(_ZSTD_MAGIC) and not (len(rest) >= 4 and 0x50 <= rest[0] <= 0x5F and rest[1:4] == b"\x2a\x4d\x18"):
            raise UnpackError("corrupt_zstd", "bytes after the last zstd frame are not a frame")
        inflater = zstandard.ZstdDecompressor().decompressobj()
        inflater.decompress(rest)
        if not inflater.eof:
            raise UnpackError("corrupt_zstd", "truncated zstd frame")
        rest = inflater.unused_data


def _bz2_pieces(data: bytes, limit: int) -> Iterator[bytes]:
    yield from _stdlib_pieces(data, limit, bz2.BZ2Decompressor, "bz2")


def _xz_pieces(data: bytes, limit: int) -> Iterator[bytes]:
    make = lambda: lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=XZ_MEMORY_LIMIT)  # noqa: E731
    yield from _stdlib_pieces(data, limit, make, "xz")


def _stdlib_pieces(data: bytes, limit: int, make: Callable[[], object], name: str) -> Iterator[bytes]:
    """Streams of a decompressor with `max_length` (bz2, lzma), one after the other."""
    rest = data
    produced = 0
    while rest:
        inflater = make()
        feed = rest
        while not inflater.eof:  # type: ignore[attr-defined]
            piece = inflater.decompress(feed, min(PIECE, limit + 1 - produced))  # type: ignore[attr-defined]
            feed = b""
            produced += len(piece)
            if piece:
                yield piece
                if produced > limit:
                    return
            elif inflater.needs_input:  # type: ignore[attr-defined]
                raise EOFError(f"truncated {name} stream")
        rest = inflater.unused_data  # type: ignore[attr-defined]
        if name == "xz":
            rest = rest.lstrip(b"\x00")  # stream padding
