"""Class: YAML that would hang or crash: alias bombs, recursive aliases, odd scalars, depth."""

from __future__ import annotations

import string
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile.hostile_helpers import assert_located, project, run

from booklet.content.yamlsource import parse_yaml, validate
from booklet.errors import Problem

LAUGHS = "".join(
    f"{a}: &{a} [{', '.join([f'*{b}'] * 9) if b else ', '.join(['lol'] * 9)}]\n"
    for a, b in zip("abcdefghi", ["", *"abcdefgh"], strict=True))

CASES = {
    "alias bomb": (LAUGHS, "alias bomb"),
    "recursive alias": ("x: &x [1, *x]\n", "recursive alias"),
    "recursive mapping": ("x: &x {y: *x}\n", "recursive alias"),
    "huge integer": ("x: " + "7" * 5000 + "\n", "too large"),
    "impossible date": ("x: 2023-02-30\n", "not a real date"),
    "deep nesting": ("x: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than"),
    "deep block nesting": ("".join(" " * i + "a:\n" for i in range(200)) + " " * 200 + "b\n",
                           "nested more than"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_yaml_is_a_located_error_at_once(name):
    text, words = CASES[name]
    start = time.perf_counter()
    located, problems = parse_yaml(text, Path("x.yaml"))
    assert time.perf_counter() - start < 2
    assert located is None and problems
    assert words in problems[0].message and problems[0].line and problems[0].hint


@pytest.mark.parametrize("where", ["booklet.yaml", "front matter", "block"])
@pytest.mark.parametrize("name", ["alias bomb", "recursive alias", "impossible date",
                                  "huge integer"])
def test_hostile_yaml_everywhere_yaml_is_read(tmp_path, capsys, where, name):
    text, words = CASES[name]
    if where == "booklet.yaml":
        root = project(tmp_path / "p", extra=text.replace("x:", "keywords:", 1)
                       if name != "alias bomb" else text)
        place = "booklet.yaml:"
    elif where == "front matter":
        root = project(tmp_path / "p")
        chapter = root / "seeds" / "chapters" / "01-test.md"
        chapter.write_text("---\ntitle: 一\nid: one\n" + text + "---\n\n正文。\n",
                           encoding="utf-8")
        place = "01-test.md:"
    else:
        root = project(tmp_path / "p", body="正文。\n\n```quote\n" + text + "```\n")
        place = "01-test.md:"
    start = time.perf_counter()
    code, err = run(capsys, "build", str(root))
    assert time.perf_counter() - start < 30
    assert code == 2
    assert_located(err, place, words)


def test_aliases_within_limits_still_work():
    located, problems = parse_yaml("base: &b {a: 1}\nother: *b\nlist: [*b, *b]\n",
                                   Path("x.yaml"))
    assert not problems and located is not None
    assert located.data["list"] == [{"a": 1}, {"a": 1}]


# Hypothesis: YAML documents built from anchors, aliases (forward, backward, recursive) and
# odd scalars. The property: parse + validate always answers quickly, with located problems
# or data, and never raises.
ODD_SCALARS = st.sampled_from([
    "9" * 4400, "-" + "9" * 5000, "0x" + "f" * 3000, "1e999", "-.inf", ".nan", "2023-02-30",
    "2023-13-01", "2023-02-28T25:61:00", "~", "null", "yes", "no", "on", "0o777", "0b101",
    "'\\u202e'", '"\\x00"', '"\\uD800"', "!!binary AAAA", "!!python/object:os.system x",
    "!!timestamp 9999-99-99", "!!int abc", "!!float x", "<<: *a", "? [a]\n: b", "&a", "*zz",
    "'" + "长" * 2000 + "'", "|\n  多行\n  文本", "{a: 1, a: 2}", "[" * 70 + "]" * 70,
])
NAMES = st.sampled_from(list("abcd"))


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """Draw a YAML text of mappings and lists sprinkled with anchors and aliases."""
    lines = []
    for i in range(draw(st.integers(1, 8))):
        key = draw(st.sampled_from(["title", "id", "x", "items", f"k{i}", "date", "page"]))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            value = draw(ODD_SCALARS)
        elif kind == 1:
            value = f"&{draw(NAMES)} [{', '.join(draw(st.lists(st.sampled_from(['1', '*a', '*b', 'x', '*c']), max_size=9)))}]"  # noqa: E501
        elif kind == 2:
            value = f"*{draw(NAMES)}"
        elif kind == 3:
            value = f"&{draw(NAMES)} {{y: *{draw(NAMES)}, z: {draw(ODD_SCALARS)}}}"
        else:
            value = draw(st.text(string.printable + "中文：，“”", max_size=30))
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_documents())
def test_any_yaml_gives_data_or_located_problems(text):
    from booklet.content.chapters import FrontMatter
    from booklet.content.config import Config

    located, problems = parse_yaml(text, Path("f.yaml"), first_line=3)
    assert all(isinstance(p, Problem) and p.line is not None and p.line >= 3 for p in problems)
    if located is not None and not problems:
        for model in (Config, FrontMatter):
            _, found = validate(model, located)
            assert all(p.file == Path("f.yaml") for p in found)
