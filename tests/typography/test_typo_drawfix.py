"""The seed booklet's text layer: wide justification gaps do not read as spaces (drawfix)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
HAN = "\u4e00-\u9fff"
# A space between two CJK characters: never in the source, and autospace (Han-Latin) is not
# one. A line set with Han gaps over 0.1 em read like this: "帮 助 向 92 个 国 家 60 000 名".
BETWEEN_CJK = re.compile(f"[{CJK}] [{CJK}]")
# A space between Han and a letter or digit; footnote calls ("，1 人类") and numbers of
# footnotes at a line start ("1 按照") are left out.
HAN_LATIN = re.compile(f"[{HAN}] [A-Za-z0-9]|(?<=[^{CJK}])[A-Za-z0-9] [{HAN}]")


def source_text() -> str:
    """Return every text file of the seed project, where a Han-Latin space may come from."""
    files = sorted((ROOT / "seeds").rglob("*.md")) + sorted((ROOT / "seeds").rglob("*.yaml"))
    return "".join(f.read_text(encoding="utf-8") for f in files).replace("\u00a0", " ")


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_seed_booklet_text_has_no_inserted_spaces(built, edition):
    pdf = next(f.path for f in built.files if f.edition == edition)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "联合国" in text and len(text) > 5000
    assert [line for line in text.splitlines() if BETWEEN_CJK.search(line)] == []
    source = source_text()
    inserted = [m.group() for line in text.splitlines() for m in HAN_LATIN.finditer(line)
                if m.group() not in source]
    assert inserted == []
