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
        assert 'add `screen: "#006DB0"` to colors.brand in booklet.yaml' in f["hint"], f
        if "page margin" in f["message"] or ".cover" in f["message"]:  # folios, cover text
            assert (f["file"], f["line"]) == ("seeds/booklet.yaml", line), f
    assert any("page margin" in f["message"] for f in contrast)


def test_new_prints_a_next_command_that_exists(tmp_path, capsys):
    assert main(["new", str(tmp_path / "x")]) == 0
    command = re.search(r"next: (.+) build ", capsys.readouterr().out).group(1)
    import shutil

    first = command.split()[0]
    assert shutil.which(first) or Path(first).is_file()


def test_example_chart_labels_stand_clear_of_their_bars(tmp_path, capsys):
    """The value label starts a few points after its bar (a leading space is lost in SVG)."""
    import pdfplumber

    folder = tmp_path / "bars"
    assert main(["new", str(folder)]) == 0
    assert main(["build", str(folder), "--no-server", "--edition", "screen"]) == 0
    with pdfplumber.open(folder / "dist" / "bars.pdf") as pdf:
        page = next(p for p in pdf.pages if "万人" in (p.extract_text() or ""))
        labels = [w for w in page.extract_words() if w["text"].endswith("万人")]
        bars = [r for r in page.rects if r["x0"] > 0 and r["height"] < 30]
        assert len(labels) == 3
        for label in labels:
            bar = min(bars, key=lambda r: abs((r["top"] + r["bottom"]) / 2
                                              - (label["top"] + label["bottom"]) / 2))
            assert 2 <= label["x0"] - bar["x1"] <= 5, (label, bar)
