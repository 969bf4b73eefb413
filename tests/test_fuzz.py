"""Fuzzing: random content gives a PDF or a clear error; never a crash, never a hang."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import make_project

from booklet.content.chapters import load_booklet
from booklet.content.config import load_project
from booklet.errors import BookletError

# Characters that stress the loader and the typesetter: CJK (incl. rare extension B),
# Chinese punctuation, Markdown and YAML syntax, controls, combining marks, emoji.
ALPHABET = st.one_of(
    st.sampled_from(list("中文排版测试。，、；：？！“”‘’（）《》——……")),
    st.sampled_from(list("#*_`[]()!<>-:|{}\"'\\ \n\t")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.characters(codec="utf-8"),
)
BLOCK_KINDS = st.sampled_from(["stats", "quote", "photo", "chart", "qr", "callout", "x", ""])


@st.composite
def chapters(draw: st.DrawFn) -> str:
    """Return a chapter file: valid front matter, random prose and random blocks."""
    parts = ["---\ntitle: 章\nid: fuzz\n---\n"]
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            parts.append(draw(st.text(ALPHABET, max_size=300)) + "\n\n")
        else:
            body = draw(st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(ALPHABET, max_size=20),
                lambda inner: st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["text", "name", "items", "src", "caption",
                                                   "url", "label", "value"]), inner, max_size=4),
                max_leaves=8))
            import yaml

            parts.append(f"```{draw(BLOCK_KINDS)}\n{yaml.safe_dump(body, allow_unicode=True)}"
                         "```\n\n")
    return "".join(parts)


def _load(text: str) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        make_project(root, "x")
        (root / "seeds" / "chapters" / "01-test.md").write_bytes(
            text.encode("utf-8", "surrogatepass"))
        try:
            load_booklet(load_project(root))
        except BookletError as exc:
            assert exc.problems and all(p.file or p.message for p in exc.problems)
    finally:
        shutil.rmtree(root)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(chapters())
def test_loader_never_crashes(text):
    _load(text)


@settings(max_examples=6, deadline=30000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, min_size=1, max_size=2000))
def test_build_gives_pdf_or_clear_error(tmp_path_factory, text):
    from booklet.build import build

    root = tmp_path_factory.mktemp("fuzz")
    make_project(root, "---\ntitle: 章\nid: fuzz\n---\n" + text + "\n")
    try:
        result = build(root, edition="screen")
    except BookletError as exc:
        assert exc.problems or exc.message
    else:
        assert result.files[0].path.stat().st_size > 1000


@pytest.mark.slow
@settings(max_examples=2000, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(chapters())
def test_loader_never_crashes_long(text):
    _load(text)
