"""A fresh `booklet new` project passes `booklet check`, and a failing colour token is located."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from booklet.cli import main


def _check(folder: Path, capsys: pytest.CaptureFixture[str],
           *options: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["check", str(folder), "--json", *options])
    out = capsys.readouterr().out
    data = json.loads(out)
    findings = data["findings"] if isinstance(data, dict) else data
    return code, findings


@pytest.mark.parametrize("size", [None, "A5"])
def test_new_project_passes_check(tmp_path, capsys, size):
    folder = tmp_path / "fresh"
    assert main(["new", str(folder)]) == 0
    if size:
        config = folder / "seeds" / "booklet.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "size: 170x240mm", f"size: {size}"), encoding="utf-8")
    code, findings = _check(folder, capsys)
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors == [] and code == 0
    # The scaffold's own text and colours raise nothing about themselves.
    assert [f for f in findings if f["check"] in ("contrast", "line-end")] == []


def test_contrast_error_names_the_token_line_and_key(tmp_path, capsys):
    folder = tmp_path / "nobrand"
    assert main(["new", str(folder)]) == 0
    config = folder / "seeds" / "booklet.yaml"
    text = config.read_text(encoding="utf-8").replace(', screen: "#006DB0"', "")
    config.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("  brand:"))
    code, findings = _check(folder, capsys, "--edition", "screen")
    contrast = [f for f in findings if f["check"] == "contrast"]
    assert code == 1 and contrast
    for f in contrast:
        assert (f["file"], f["line"]) == ("seeds/booklet.yaml", line), f
        assert 'add `screen: "#006DB0"` to colors.brand' in f["hint"]


def test_new_prints_a_next_command_that_exists(tmp_path, capsys):
    assert main(["new", str(tmp_path / "x")]) == 0
    command = re.search(r"next: (.+) build ", capsys.readouterr().out).group(1)
    import shutil

    first = command.split()[0]
    assert shutil.which(first) or Path(first).is_file()
