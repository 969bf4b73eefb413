"""Loading and validating chapters: located errors, CJK line joining, the seed's structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ROOT, make_project

from booklet.cli import main
from booklet.content.blocks import Photo, Quote, Stats
from booklet.content.chapters import Prose, load_booklet
from booklet.content.config import load_project
from booklet.errors import ContentError

FRONT = "---\ntitle: 第一章\nid: one\n---\n"


def _errors(tmp_path: Path, chapter: str, capsys: pytest.CaptureFixture[str]) -> str:
    make_project(tmp_path, chapter)
    code = main(["build", str(tmp_path), "--edition", "screen", "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    return err


def test_malformed_yaml_block_names_file_and_line(tmp_path, capsys):
    chapter = FRONT + "正文。\n\n```quote\ntext: “引文”\nname: [未闭合\n```\n"
    err = _errors(tmp_path, chapter, capsys)
    assert "chapters/01-test.md:9" in err
    assert "YAML syntax error" in err


def test_unknown_key_names_file_line_and_allowed_keys(tmp_path, capsys):
    err = _errors(tmp_path, FRONT + "```quote\ntext: 引文\nname: 某人\nauthor: 某人\n```\n", capsys)
    assert "chapters/01-test.md:8" in err
    assert "quote.author: unknown key 'author'" in err
    assert "allowed keys: name, role, text" in err


def test_unknown_block_type_names_file_and_line(tmp_path, capsys):
    err = _errors(tmp_path, FRONT + "正文。\n\n```gallery\nsrc: a.jpg\n```\n", capsys)
    assert "chapters/01-test.md:7: unknown block type 'gallery'" in err
    assert "callout" in err  # the fix lists the known types


def test_missing_required_field_and_all_errors_reported(tmp_path, capsys):
    chapter = (FRONT + "```quote\ntext: 引文\n```\n\n```photo\nsrc: a.jpg\n```\n"
               "\n```stats\nitems:\n  - label: 甲\n    value: 1.50\n    text: 乙\n```\n")
    err = _errors(tmp_path, chapter, capsys)
    assert "01-test.md:6: quote.name: this required key is missing" in err
    assert "01-test.md:10: photo.caption: this required key is missing" in err
    assert "01-test.md:16: stats.items.0.value: 1.5 is read as a number" in err
    assert "quote it" in err


def test_bad_config_names_key_and_line(tmp_path, capsys):
    make_project(tmp_path, FRONT + "正文。\n", config_extra="page:\n  width: wide\n")
    code = main(["build", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert "booklet.yaml:6: page.width" in err
    assert "170mm" in err


def test_chinese_line_breaks_join_without_spaces(tmp_path):
    make_project(tmp_path, FRONT + "第一行中文\n第二行中文，Patrick\nMacLeod 说。\n")
    booklet = load_booklet(load_project(tmp_path))
    html = next(n for n in booklet.chapters[0].nodes if isinstance(n, Prose)).html
    assert "第一行中文第二行中文，Patrick MacLeod 说。" in html


def test_footnote_is_rendered_at_its_call(tmp_path):
    make_project(tmp_path, FRONT + "正文[^a]继续。\n\n[^a]: 脚注内容。\n")
    booklet = load_booklet(load_project(tmp_path))
    html = booklet.chapters[0].nodes[0].html
    assert '正文<span class="footnote" id="fn-one-1">脚注内容。</span>继续。' in html


def test_raw_html_is_not_passed_through(tmp_path):
    make_project(tmp_path, FRONT + '文字<script>alert(1)</script><img src="file:///etc/passwd">\n')
    html = load_booklet(load_project(tmp_path)).chapters[0].nodes[0].html
    assert "<script>" not in html and "<img" not in html


def test_level_one_heading_in_body_is_an_error(tmp_path):
    make_project(tmp_path, FRONT + "# 另一个标题\n")
    with pytest.raises(ContentError) as info:
        load_booklet(load_project(tmp_path))
    assert info.value.problems[0].line == 5


def test_seed_booklet_structure():
    booklet = load_booklet(load_project(ROOT))
    assert [c.meta.id for c in booklet.chapters] == [
        "introduction", "highlights", "priorities", "summit", "vision"]
    stats = booklet.blocks_of(Stats)
    assert len(stats) == 1 and len(stats[0][1].items) == 9
    assert len(booklet.blocks_of(Quote)) == 6
    assert len(booklet.blocks_of(Photo)) == 8
    assert len(booklet.charts) == 4 and len(booklet.qrs) == 1  # one 35 000+ graphic (cards)
