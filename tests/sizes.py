"""The seed booklet at other page sizes: the size matrix of tests, goldens and contact sheets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# page.size in booklet.yaml -> a file-name-safe label (goldens, contact sheets).
SIZES = {
    "170x240mm": "170x240",
    "A5": "a5",
    "B5": "b5",
    "16开": "16k",
    "大32开": "da32k",
    "A4": "a4",
}


def seed_at(size: str, dst: Path, editions: str = "{screen: true, print: false, "
            "imposed: false}") -> Path:
    """Copy the seed project into *dst* with `page.size: <size>` and return *dst*."""
    shutil.copytree(ROOT / "seeds", dst / "seeds")
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", dst / "figures")
    config = dst / "seeds" / "booklet.yaml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^  size: .*$", f"  size: {size}", text)
    assert count == 1, "seeds/booklet.yaml must give page.size"
    text = re.sub(r"(?ms)^editions:\n(  .*?\n)+", "", text) + f"editions: {editions}\n"
    config.write_text(text, encoding="utf-8")
    return dst
