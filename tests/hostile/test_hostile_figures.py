"""Class: figure code that never returns, exits or crashes: stopped, located, exit 2."""

from __future__ import annotations

import time

import pytest
from tests.hostile.hostile_helpers import assert_located, project, run

MODULE = '''
from pydantic import BaseModel


class Data(BaseModel):
    source: str
    credit: str


def draw(data, theme):
    {body}


def describe(data):
    return "图"
'''

BODIES = {
    "never returns": ("while True:\n        pass", "stopped after 2 s"),
    "sys.exit(0)": ("import sys\n    sys.exit(0)", "sys.exit(0)"),
    "os._exit": ("import os\n    os._exit(3)", "ended with code 3"),
    "raises": ("return 1 / 0", "ZeroDivisionError"),
}


@pytest.mark.parametrize("name", list(BODIES))
def test_bad_figure_is_stopped_and_located(tmp_path, capsys, name):
    body, words = BODIES[name]
    root = project(tmp_path / "p", body="```chart\nfigure: bad\ndata: data/bad.yaml\n"
                   "caption: 图\n```\n", extra="figure_timeout: 2\n")
    (root / "figures").mkdir()
    (root / "figures" / "bad.py").write_text(MODULE.replace("{body}", body), encoding="utf-8")
    (root / "seeds" / "data").mkdir()
    (root / "seeds" / "data" / "bad.yaml").write_text("source: s\ncredit: c\n", encoding="utf-8")
    start = time.perf_counter()
    code, err = run(capsys, "build", str(root))
    assert time.perf_counter() - start < 60
    assert code == 2
    assert_located(err, "figures/bad.py", words)


def test_sys_exit_at_import_is_located(tmp_path, capsys):
    root = project(tmp_path / "p", body="```chart\nfigure: bad\ndata: data/bad.yaml\n"
                   "caption: 图\n```\n")
    (root / "figures").mkdir()
    (root / "figures" / "bad.py").write_text("import sys\nsys.exit(0)\n", encoding="utf-8")
    (root / "seeds" / "data").mkdir()
    (root / "seeds" / "data" / "bad.yaml").write_text("source: s\n", encoding="utf-8")
    code, err = run(capsys, "build", str(root))
    assert code == 2
    assert_located(err, "figures/bad.py:2", "SystemExit")


def test_import_that_never_finishes_is_stopped(tmp_path, capsys):
    root = project(tmp_path / "p", body="```chart\nfigure: bad\ndata: data/bad.yaml\n"
                   "caption: 图\n```\n", extra="figure_timeout: 2\n")
    (root / "figures").mkdir()
    (root / "figures" / "bad.py").write_text("while True:\n    pass\n", encoding="utf-8")
    (root / "seeds" / "data").mkdir()
    (root / "seeds" / "data" / "bad.yaml").write_text("source: s\n", encoding="utf-8")
    start = time.perf_counter()
    code, err = run(capsys, "build", str(root))
    assert time.perf_counter() - start < 60
    assert code == 2
    assert_located(err, "figures/bad.py", "stopped after 2 s")
