"""Compress PDF streams at a measured zlib level, and each distinct stream once (pydyf 0.13).

pydyf's `Stream.data` deflates every stream at level 9. Measured on the streams of a
438-page screen edition (8.5 MB raw, bench/RESULTS.md): level 9 takes 0.62 s for 2.00 MB,
level 6 0.26 s for 2.02 MB (+1.4 %), level 4 0.07 s for 2.11 MB (+5.8 %). Level 6 keeps
the files as small within 1.4 % for less than half the time.

In a warm process (`booklet watch`, the build server) most streams of a rebuild are the
same bytes as in the last build — unchanged pages, font subsets, figures — so the
compressed form is kept by a digest of the raw bytes and reused (bounded by `LIMIT`);
large streams are also kept on disk for the next process (patches.deflatestore).
The output is exactly what deflating again would give: zlib is deterministic.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict
from typing import Any

from booklet.render.patches import deflatestore
from booklet.render.patches.guard import PatchReviewError, code_digest, require

LEVEL = 6
REVIEWED_SOURCE = "3236aa16a8f266f1"  # sha256[:16] of pydyf 0.13's Stream.data getter
LIMIT = 96 << 20  # bytes of compressed streams kept: a few builds of a long book
_CACHE: OrderedDict[bytes, bytes] = OrderedDict()
_size = 0


class CompressionPatchError(PatchReviewError):
    """pydyf's Stream.data is not the code this patch was reviewed against."""


def source_digest() -> str:
    """Return the digest of pydyf's own Stream.data getter."""
    import pydyf

    return code_digest(pydyf.Stream.data.fget, dedent=True)


def deflate(raw: bytes) -> bytes:
    """Return *raw* deflated at LEVEL, from the cache when the same bytes were seen."""
    global _size
    key = hashlib.blake2b(raw, digest_size=20).digest() + len(raw).to_bytes(8, "little")
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
        return found
    big = len(raw) >= deflatestore.MIN_BYTES  # large streams are also kept on disk
    packed = deflatestore.read(key, raw, LEVEL) if big else None
    if packed is None:
        packed = zlib.compress(raw, LEVEL)
        if big:
            deflatestore.write(key, packed, LEVEL)
    _CACHE[key] = packed
    _size += len(packed)
    while _size > LIMIT and _CACHE:
        _size -= len(_CACHE.popitem(last=False)[1])
    return packed


def install() -> None:
    """Replace Stream.data with the same serialisation using `deflate` (idempotent)."""
    import pydyf

    prop = pydyf.Stream.data
    if getattr(prop.fget, "__booklet_patched__", False):
        return
    require(prop.fget, REVIEWED_SOURCE, "pydyf.Stream.data", "compression.py",
            CompressionPatchError, dedent=True)
    original = prop.fget
    to_bytes, dictionary = pydyf._to_bytes, pydyf.Dictionary

    def data(self: Any) -> bytes:
        """Serialise the stream as pydyf does, deflated by `deflate`."""
        stream = b"\n".join(to_bytes(item) for item in self.stream)
        extra = dictionary(self.extra.copy())
        if self.compress:
            extra["Filter"] = "/FlateDecode"
            stream = deflate(stream)
        extra["Length"] = len(stream)
        return b"\n".join((extra.data, b"stream", stream, b"endstream"))

    data.__booklet_patched__ = True  # type: ignore[attr-defined]
    data.__wrapped__ = original  # type: ignore[attr-defined]
    pydyf.Stream.data = property(data)
