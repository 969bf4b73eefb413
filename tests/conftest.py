"""Shared fixtures: the seed booklet is built once per test session and read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The text the seed booklet's chapters were made from (see tests/fixtures/source/README.md).
SOURCE = ROOT / "tests/fixtures/source/un-sg-report-2023-highlights.zh.txt"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build every edition of the seed booklet once into a temporary folder."""
    from booklet.build import build

    out = tmp_path_factory.mktemp("dist")
    return build(ROOT, out=out)


@pytest.fixture(scope="session")
def screen_pdf(built) -> Path:
    """Return the screen edition of the seed booklet."""
    return next(f.path for f in built.files if f.edition == "screen")


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """Copy the seed project (content, data, figures) into a scratch folder."""
    dst = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", dst / "seeds")
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", dst / "figures")
    return dst


def make_project(root: Path, chapter: str, name: str = "01-test.md",
                 config_extra: str = "") -> Path:
    """Write a minimal project with one chapter and return its folder."""
    (root / "seeds" / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / "booklet.yaml").write_text(
        "title: 测试小册子\nslug: test-booklet\ndate: 2024-01-01\n"
        "editions: {screen: true, print: false, imposed: false}\n" + config_extra,
        encoding="utf-8")
    (root / "seeds" / "chapters" / name).write_text(chapter, encoding="utf-8")
    return root
