"""Writing a booklet: numbered figures and tables, cross-references, long tables, URLs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from tests.conftest import make_project

from booklet.content.chapters import load_booklet
from booklet.content.config import load_project
from booklet.errors import ContentError

FIXTURE = Path(__file__).parent / "fixtures" / "writing"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from booklet.build import build

    root = tmp_path_factory.mktemp("writing") / "writing"
    shutil.copytree(FIXTURE, root)
    result = build(root, out=root / "dist", edition="screen")
    assert not [w for w in result.warnings if "footnote" in w.message or "HTML" in w.message]
    with pdfplumber.open(root / "dist" / "writing.pdf") as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_figures_and_tables_are_numbered_and_referenced(pages):
    text = _flat("".join(pages))
    assert "图1各地区受益人数" in text  # the chart's number before its caption
    assert "表1各地区支出" in text and "表2六十个地区的数据" in text
    assert "图1列出各地区受益人数，表1按地区列出支出" in text
    assert "参看“未来峰会”一节和展望" in text  # [@sec:…] prints the section title


def test_page_references_name_the_page_the_target_is_on(pages):
    table_page = next(n for n, p in enumerate(pages, 1) if "六十个地区的数据" in _flat(p))
    outlook_page = next(n for n, p in enumerate(pages, 1) if _flat(p).startswith("编号与引用展望")
                        or "展望长表格" in _flat(p))
    text = _flat("".join(pages))
    assert f"详见表2（见第{table_page}页）" in text
    assert f"在第{outlook_page}页" in text


def test_long_table_repeats_its_header_on_every_page(pages):
    spread = [p for p in pages if "第30区" in p or "第45区" in p or "第60区" in p
              or "第1区" in p]
    assert len(spread) >= 2  # the 60-row table runs over pages
    assert all(re.search(r"地区\s+人数\s+比率\s+备注", p) for p in spread)


def test_number_columns_are_right_aligned_and_urls_break(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    booklet = load_booklet(load_project(root))
    html = "".join(n.html for ch in booklet.chapters for n in ch.nodes if hasattr(n, "html"))
    assert '<th class="numeric">支出（万美元）</th>' in html
    assert '<td class="numeric">3 600</td>' in html
    assert "<td>非洲</td>" in html  # text columns stay left
    assert ('<span class="url no-typo">https://<wbr>www<wbr>.un<wbr>.org/<wbr>zh/<wbr>'
            'common<wbr>-agenda/') in html
    assert "<caption><span class=\"label-number\">表1</span>各地区支出</caption>" in html


def test_fixture_checks_clean_in_both_editions(tmp_path, capsys):
    import json

    from booklet.cli import main

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    config = root / "seeds/booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("print: false", "print: true"),
                      encoding="utf-8")
    assert main(["check", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["editions"] == ["screen", "print"]
    # No overflow, no URL break taken for a line-rule fault, no widow from a repeated header;
    # the one warning is that the fixture prints with the generic profile (the printer confirms).
    findings = [f for f in report["findings"] if f["check"] != "output-intent"]
    assert findings == []
    assert report["summary"] == {"error": 0, "warning": 1, "info": 0}, report["findings"]


CHAPTER = """---
title: 章
id: one
---

## 甲 {#a}

```chart
id: one
figure: x
data: data/x.yaml
caption: 图表
```

Table: 表格 {#tbl:t}

| a | b |
| --- | --- |
| 1 | 2 |

见[@fig:one]、[@tbl:t]。
"""


def _load(tmp_path: Path, chapter: str, extra: str = "") -> list:
    root = make_project(tmp_path, chapter, config_extra=extra)
    booklet = load_booklet(load_project(root))
    return [n for ch in booklet.chapters for n in ch.nodes]


def test_per_chapter_numbering(tmp_path):
    nodes = _load(tmp_path, CHAPTER, "numbering: {per_chapter: true}\n")
    html = "".join(getattr(n, "html", "") for n in nodes)
    assert 'href="#fig-one">图1-1</a>' in html and 'href="#tbl-t">表1-1</a>' in html


def test_headings_have_stable_anchors(tmp_path):
    nodes = _load(tmp_path, CHAPTER.replace("## 甲 {#a}", "## 乙\n\n## 甲 {#a}\n\n## 丙"))
    anchors = {n.text: n.anchor for n in nodes if hasattr(n, "anchor")}
    assert anchors["甲"] == "sec-a"
    again = _load(tmp_path / "2", CHAPTER.replace("## 甲 {#a}", "## 新\n\n## 乙\n\n## 丙"))
    assert {n.text: n.anchor for n in again if hasattr(n, "anchor")}["丙"] == anchors["丙"]


@pytest.mark.parametrize(("change", "words"), [
    ("见[@fig:one]", "[@fig:nope] refers to a label that does not exist"),
    ("Table: 表格 {#tbl:t}", "label 'fig:one' is already used"),
])
def test_label_mistakes_are_located_errors(tmp_path, change, words):
    bad = CHAPTER.replace("见[@fig:one]", "见[@fig:nope]") if "见" in change else \
        CHAPTER.replace("Table: 表格 {#tbl:t}", "```chart\nid: one\nfigure: x\ndata: d\n"
                        "caption: 又一个\n```\n\nTable: 表格 {#tbl:t}")
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, bad)
    (problem,) = caught.value.problems
    assert words in problem.message and problem.line
    lines = bad.splitlines()
    target = "[@fig:nope]" if "见" in change else "caption: 又一个"
    expected = next(n for n, t in enumerate(lines, 1) if target in t)
    assert problem.line == (expected if "见" in change else expected - 4)


def test_copy_rules_can_be_switched_off(tmp_path):
    from booklet.check.copy import copy_queries

    text = "---\ntitle: 章\nid: one\n---\n\n向多亿人说\"你好\"，达尔富尔(苏丹)。\n"
    project = load_project(make_project(tmp_path, text))
    assert {f.check for f in copy_queries(project)} == {
        "copy-missing-number", "copy-quotes", "copy-punctuation"}
    off = load_project(make_project(tmp_path / "off", text, config_extra=(
        "check:\n  copy:\n    english_quotes: false\n    missing_number: false\n")))
    assert {f.check for f in copy_queries(off)} == {"copy-punctuation"}


def test_seed_copy_queries_are_listed():
    """The seed text stays as written; check queries what a copy editor would."""
    from tests.conftest import ROOT

    from booklet.check.copy import copy_queries

    found = {(f.check, f.file.name, f.line) for f in copy_queries(load_project(ROOT), 22)}
    assert ("copy-page-reference", "02-highlights.md", 6) in found  # 见第110页
    assert ("copy-missing-number", "02-highlights.md", 6) in found  # 向多亿人
    assert ("copy-digit-grouping", "02-highlights.md", 15) in found  # 3200多万 / 3 600万
    assert ("copy-punctuation", "01-introduction.md", 44) in found  # 达尔富尔(苏丹)


def test_page_references_in_watch_layout_match_the_full_layout(tmp_path):
    """Parts laid out one by one (booklet watch) print the same page numbers."""
    from booklet.build import Session, build

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    (root / "seeds/chapters/02-two.md").write_text(
        "---\ntitle: 第二章\nid: two\n---\n\n回到峰会一节，见[@page:sec:summit]；"
        "长表见[@page:tbl:long]。\n", encoding="utf-8")
    texts = []
    for session in (None, Session()):
        out = root / ("watch" if session else "full")
        build(root, out=out, edition="screen", session=session)
        with pdfplumber.open(out / "writing.pdf") as pdf:
            texts.append(_flat("".join(p.extract_text() or "" for p in pdf.pages)))
    refs = [re.findall(r"见第\d+页|在第\d+页", t) for t in texts]
    assert refs[0] == refs[1] and len(refs[0]) == 4, refs


def test_digit_grouping_and_same_quantity_queries(tmp_path):
    from booklet.check.copy import copy_queries

    text = ("---\ntitle: 章\nid: one\n---\n\n共有3 600万人和1 500万人受益。\n\n"
            "另有3200多万儿童，总计1.52亿人；换一种写法是15 200万人。\n")
    found = {(f.check, f.line, f.message) for f in copy_queries(
        load_project(make_project(tmp_path, text)))}
    assert ("copy-digit-grouping", 8, "“3200” is written differently from “3 600” "
            "(01-test.md:6)") in found
    assert ("copy-same-quantity", 8, "“15 200万人” is the quantity written “1.52亿人” at "
            "01-test.md:8") in found


def test_all_figures_numbered_photos_included(tmp_path):
    chapter = CHAPTER + "\n```photo\nsrc: images/x.jpg\ncaption: 照片\n```\n"
    nodes = _load(tmp_path, chapter, "numbering: {figures: all}\n")
    html = "".join(getattr(n, "html", "") for n in nodes)
    assert 'href="#fig-one">图1</a>' in html
    root = tmp_path
    booklet = load_booklet(load_project(root))
    photo = next(n for n in booklet.chapters[0].nodes if type(n).__name__ == "Photo")
    assert booklet.labels.for_block(booklet.chapters[0].file, photo.line).number == "图2"


def test_unknown_label_in_a_callout_is_located(tmp_path):
    chapter = CHAPTER + "\n```callout\ntitle: 注\ntext: 见[@fig:gone]。\n```\n"
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, chapter)
    (problem,) = caught.value.problems
    assert "[@fig:gone]" in problem.message
    assert problem.line == chapter.splitlines().index("```callout") + 1
