"""Every error the schemas can raise is said in plain words, YAML errors without parser text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from booklet.content.blocks import BLOCK_TYPES
from booklet.content.chapters import FrontMatter
from booklet.content.config import Config
from booklet.content.plainwords import PYDANTIC, pydantic_words
from booklet.content.yamlsource import parse_yaml, validate

WRONG = [0, 3.5, -1, 500, True, "", "x", "170", "#12", [], ["a", "b"], {}, {"a": 1}, None,
         "2024-13-40", [1, 2, 3, 4, 5, 6], "a" * 300]
JARGON = ("Input should", "instance of", "valid dictionary", "<block", "token", "Value error")


def _models() -> list[type[BaseModel]]:
    """Return every schema model, nested ones included."""
    seen: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = [Config, FrontMatter, *BLOCK_TYPES.values()]
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
                for inner in (arg, *getattr(arg, "__args__", ())):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        stack.append(inner)
    return seen


def _errors() -> list[dict]:
    """Plant each wrong kind of value in each field of each model; return the errors."""
    errors = []
    base = {"title": "t", "slug": "s", "date": "2024-01-01"}
    for model in _models():
        for name in model.model_fields:
            for value in WRONG:
                data = {**(base if model is Config else {}), name: value}
                try:
                    model.model_validate(data)
                except ValidationError as exc:
                    errors += exc.errors()
    return errors


def test_every_error_type_the_schemas_raise_has_plain_words():
    errors = _errors()
    kinds = {e["type"] for e in errors}
    assert {"string_type", "literal_error", "missing", "extra_forbidden"} <= kinds
    unmapped = kinds - set(PYDANTIC) - {"missing", "extra_forbidden"}
    assert unmapped == set()
    for err in errors:
        if err["type"] in ("missing", "extra_forbidden"):
            continue
        message, _hint = pydantic_words(err)
        assert not any(j in message for j in JARGON), (err, message)


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("page:\n  width: 170\n", "add a unit: 170mm"),
    ("page:\n  width: '170'\n", "add a unit: 170mm"),
    ("colors:\n  brand: '#009EDB'\n", "a colour needs RGB for the screen and CMYK"),
    ("typography:\n  punctuation: half\n", "is not one of the choices"),
    ("keywords: 12\n", "this must be a list, not 12"),
])
def test_config_mistakes_in_plain_words(yaml_text, expected):
    text = "title: t\nslug: s\ndate: 2024-01-01\n" + yaml_text
    located, problems = parse_yaml(text, Path("booklet.yaml"))
    assert located is not None and not problems
    _config, problems = validate(Config, located)
    (problem,) = problems
    assert expected in problem.message and problem.line == text.count("\n")
    assert not any(j in problem.message for j in JARGON)


@pytest.mark.parametrize(("yaml_text", "line", "expected"), [
    ("a:\n  b: 1\n c: 2\n", 3, "indented differently"),
    ("a: 1\n  b: 2\n", 2, "a colon here"),
    ("a: [1, 2\n", 1, "never closed with ]"),
    ('a: "abc\nb: 1\n', 1, "never closed"),
    ("a: @x\n", 1, "cannot start with '@'"),
    ("a:\n\tb: 1\n", 2, "tab"),
])
def test_yaml_errors_in_plain_words(yaml_text, line, expected):
    _located, (problem,) = parse_yaml(yaml_text, Path("x.yaml"))
    assert expected in problem.message and problem.line == line, problem
    assert not any(j in problem.message for j in JARGON)


@pytest.mark.parametrize("block", [
    "```photo\nsrc: images/a.jpg\ncaption：文字\n```\n",
    "```photo\ncaption：文字\n```\n",
    "```photo\ncaption：文字\nsrc: images/a.jpg\n```\n",
])
def test_full_width_colon_after_a_key(tmp_path, block):
    from tests.conftest import make_project

    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.errors import ContentError

    text = "---\ntitle: 章\nid: one\n---\n\n" + block
    project = load_project(make_project(tmp_path, text))
    with pytest.raises(ContentError) as caught:
        load_booklet(project)
    (problem,) = caught.value.problems
    assert "the key 'caption' is followed by a full-width colon" in problem.message
    assert problem.line == text.splitlines().index("caption：文字") + 1
    assert "`caption: …`" in (problem.hint or "")
