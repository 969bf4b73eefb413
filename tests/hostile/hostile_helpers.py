"""Helpers of the hostile-input catalogue: run the CLI and judge its answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import make_project

from booklet.cli import main

FRONT = "---\ntitle: 第一章\nid: one\n---\n\n"


def project(root: Path, body: str = "正文。\n", extra: str = "") -> Path:
    """Write a one-chapter project with only the screen edition."""
    return make_project(root, FRONT + body, config_extra=extra)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the CLI; return its exit code and what it printed on stderr."""
    code = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error" not in err, err
    return code, err


def assert_located(err: str, where: str, *words: str) -> None:
    """Assert a bad-input message: the place (file:line or option), the words, and a fix."""
    assert where in err, err
    for word in words:
        assert word in err, err
    assert "fix:" in err or re.search(r"Invalid value for '--", err), err
