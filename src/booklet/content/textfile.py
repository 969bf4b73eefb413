"""Read a user's text file: UTF-8 (BOM allowed), LF or CRLF, with located decoding errors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from booklet.content import gate
from booklet.errors import Problem

# C0/C1 controls other than tab and newline never belong in content; they are invisible
# in an editor and break PDF text extraction.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embedding, override and isolate controls reorder the characters around them
# when printed: text would read differently from the source (and from its copied text).
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def read_text(file: Path, roots: Iterable[Path] | None = None) -> tuple[str, list[Problem]]:
    """Return the file's text normalised to LF, or a problem saying where decoding failed.

    The file is read through the gate (booklet.content.gate): it must resolve inside *roots*
    (any folder when None) and be a regular file.
    """
    try:
        raw = gate.read_bytes(file, roots if roots is not None else [Path("/")])
    except gate.GateRefused as exc:
        return "", [gate.located(file, exc.strerror)]
    except OSError as exc:
        return "", [Problem(f"cannot read the file: {exc.strerror}", file,
                            hint="check that it exists and is readable")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", [Problem(
            f"not UTF-8: byte 0x{raw[exc.start]:02X} cannot be decoded", file, line, column,
            hint="save the file as UTF-8 (most editors: 'Save with encoding' > UTF-8)")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    for match in _CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(
            f"invisible control character U+{ord(match.group()):04X}", file, line, column,
            hint="delete it (it may have come from copy and paste)"))
    for match in _BIDI.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(
            f"bidirectional control character U+{ord(match.group()):04X} would reorder the "
            "printed text", file, line, column,
            hint="delete it: Chinese and Latin text need no direction marks"))
    return text, problems
