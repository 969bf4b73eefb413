"""WCAG 2.2 contrast of the text inside figures: `booklet check --edition screen` on a fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from booklet.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "check" / "figure-contrast"


def test_small_white_text_on_a_light_field_fails_with_figure_source_and_colours(tmp_path, capsys):
    path = tmp_path / "p"
    shutil.copytree(FIXTURE, path)
    code = main(["check", str(path), "--json", "--edition", "screen"])
    report = json.loads(capsys.readouterr().out)
    found = [f for f in report["findings"] if f["check"] == "contrast"]
    assert code == 1
    assert len(found) == 2, found
    low, regular = sorted(found, key=lambda f: "细体中字" in f["message"])
    assert low["severity"] == "error" and low["edition"] == "screen"
    assert low["message"] == ("figures/labels.py: “浅蓝色块上的白字” (8 pt): paper (#FFFFFF) on "
                              "light (#7FCEED) is 1.76:1, below 4.5:1")
    assert low["file"] == "seeds/chapters/01-chart.md" and low["line"] == 10
    assert low["page"] == 4
    assert "screen:" in low["hint"]
    # 14 pt needs 4.5:1 unless it is bold (read from the embedded font's name).
    assert regular["message"].startswith("figures/labels.py: “细体中字” (14 pt): paper (#FFFFFF)")
    assert regular["message"].endswith("(#009EDB) is 3.04:1, below 4.5:1")
    # Not reported: white on `mid` (drawn in its screen value #006DB0, 5.51:1), the 24 pt
    # number and the 14 pt bold on #009EDB (3.04:1 is enough for large text), dark on paper.
    text = " ".join(f["message"] for f in report["findings"])
    assert "屏幕深蓝" not in text and "40%" not in text and "深色的字" not in text
    assert "粗体大字" not in text


def test_the_same_white_label_fails_when_the_token_has_no_screen_value(tmp_path, capsys):
    path = tmp_path / "p"
    shutil.copytree(FIXTURE, path)
    config = path / "seeds" / "booklet.yaml"
    config.write_text(config.read_text("utf-8").replace(', screen: "#006DB0"', ""), "utf-8")
    main(["check", str(path), "--json", "--edition", "screen"])
    report = json.loads(capsys.readouterr().out)
    messages = [f["message"] for f in report["findings"] if f["check"] == "contrast"]
    # (#009EDB is also the default token brand-fine's colour: the first token of a colour names it)
    assert any("“屏幕深蓝上的白字” (8 pt): paper (#FFFFFF) on " in m and "(#009EDB) is 3.04:1" in m
               for m in messages), messages
    assert not any("40%" in m for m in messages)
