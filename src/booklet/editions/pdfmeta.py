"""PDF metadata from booklet.yaml, written so that two builds give byte-identical files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import uuid
from collections.abc import Callable
from typing import Any

from booklet import __version__
from booklet.content.config import Config

_UUID = re.compile(rb"(uuid:|xmp\.[di]id:)[0-9a-fA-F-]{36}")


def build_time(config: Config) -> dt.datetime:
    """Return the documents' date: ``SOURCE_DATE_EPOCH`` when set, else the config's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(microsecond=0)
        except (OverflowError, ValueError, OSError):
            from booklet.errors import ConfigError, Problem

            raise ConfigError("SOURCE_DATE_EPOCH is not a usable time", [Problem(
                f"{epoch[:20]} seconds is beyond the dates a PDF can hold",
                field="SOURCE_DATE_EPOCH", hint="unset it, or give seconds since 1970 "
                "(e.g. `date +%s`)")]) from None
    return dt.datetime.combine(config.date, dt.time(), dt.UTC)


def document_title(config: Config) -> str:
    """Return the title shown in the viewer's window: `title` exactly as written in the config.

    Joining the subtitle with "：" gave "…报告：导言：2023年工作亮点" (two colons); the
    subtitle stays on the cover and in the description.
    """
    return config.title


def apply_metadata(document: Any, config: Config) -> None:
    """Set a WeasyPrint Document's metadata from the config (Info and XMP follow from it)."""
    meta = document.metadata
    when = build_time(config).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta.title = document_title(config)
    meta.authors = [config.author] if config.author else []
    meta.description = config.description or None
    meta.keywords = list(config.keywords)
    meta.lang = config.language
    meta.generator = f"booklet {__version__}"
    meta.created = meta.modified = when
    meta.custom = {}


def identifier(config: Config, edition: str) -> bytes:
    """Return the fixed first part of the PDF /ID: one per booklet and edition."""
    return hashlib.sha256(f"{config.slug}/{edition}".encode()).hexdigest()[:32].encode()


def fixed_xmp_ids(seed: str) -> Callable[[Any, Any], None]:
    """Return a WeasyPrint finisher that replaces random UUIDs in the XMP with fixed ones.

    WeasyPrint 70 writes ``xmpMM:DocumentID`` as ``xmp.did:<uuid4>`` for PDF/X-4, which
    would make every build differ; the replacement is derived from *seed*.
    """

    def finish(document: Any, pdf: Any) -> None:
        ref = pdf.catalog.get("Metadata")
        if ref is None:
            return
        stream = pdf.objects[int(bytes(ref).split()[0])]
        stream.stream = [replace_uuids(_bytes(part), seed) for part in stream.stream]

    return finish


def replace_uuids(xmp: bytes, seed: str) -> bytes:
    """Return *xmp* with every document/instance UUID replaced by one derived from *seed*."""
    fixed = str(uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32])).encode()
    return _UUID.sub(lambda m: m.group(1) + fixed, xmp)


def save(pdf: Any, min_version: str = "1.6") -> bytes:
    """Save a pikepdf PDF compactly and deterministically (the /ID derives from the content)."""
    import pikepdf

    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, min_version=min_version,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _bytes(part: Any) -> bytes:
    """Return a pydyf stream chunk as bytes."""
    return part if isinstance(part, bytes) else str(part).encode()
