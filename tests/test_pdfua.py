"""The screen edition's PDF/UA structure, read back from the PDF (pikepdf + pdfium).

Two booklets: the seed, and a small project with a table, a list, an English paragraph,
a footnote, a pull quote and two real photos. `booklet.check.structure` reads the tree and
the content streams from the file alone and runs the machine-checkable Matterhorn
checkpoints (every painted item tagged or an artifact, role map, nesting, heading order,
Figure alt text, Note IDs, link annotations).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from tests.conftest import ROOT, make_project

from booklet.check.structure import (
    Elem,
    Finding,
    mcid_texts,
    pdfua_findings,
    read_tree,
    reading_order,
)

CHAPTER = """---
title: 测试章
id: test
---

## 第一节

这是第一段，[^1]带一个脚注。

[^1]: 脚注的文字。

### 小节

| 地区 | 人数 |
| --- | --- |
| 亚洲 | 120 |
| 非洲 | 80 |

- 第一项
- 第二项
- 第三项

The Summit of the Future adopted the Pact for the Future in September 2024.

```photo
src: images/a.png
alt: 一个蓝色方块
caption: 方块。
```

```photo
src: images/b.jpg
caption: 一张红色照片。
```

```quote
text: "“一步一步。”"
role: 秘书长
name: 安东尼奥·古特雷斯
```
"""


@pytest.fixture(scope="module")
def fixture_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the screen edition of the fixture project."""
    from PIL import Image

    from booklet.build import build

    root = make_project(tmp_path_factory.mktemp("pdfua"), CHAPTER)
    (root / "seeds" / "images").mkdir()
    Image.new("RGB", (600, 400), (0, 158, 219)).save(root / "seeds" / "images" / "a.png")
    Image.new("RGB", (600, 400), (200, 50, 50)).save(root / "seeds" / "images" / "b.jpg")
    return next(f.path for f in build(root, out=root / "dist").files if f.edition == "screen")


def _tree(path: Path) -> Elem:
    with pikepdf.open(path) as pdf:
        tree = read_tree(pdf)
    assert tree is not None
    return tree


def _roles(tree: Elem) -> list[str]:
    return [e.role for e in tree.walk()]


def _text(elem: Elem, texts: dict[tuple[int, int], str]) -> str:
    return "".join(texts.get(k, "") if isinstance(k, tuple) else _text(k, texts)
                   for k in elem.kids if not isinstance(k, str))


@pytest.mark.parametrize("which", ["seed", "fixture"])
def test_machine_checkable_matterhorn_checkpoints_pass(which, screen_pdf, fixture_pdf):
    path = screen_pdf if which == "seed" else fixture_pdf
    assert pdfua_findings(path) == []


def test_checker_finds_weasyprint_s_own_tags_wrong(tmp_path):
    """The checks can fail: WeasyPrint 70's own tags break checkpoints that ours pass."""
    import weasyprint
    import weasyprint.document
    from weasyprint.pdf.stream import Stream

    from booklet.render.patches import tagging

    tagging.install()
    html = ("<html lang='zh-CN'><title>测试</title><style>@page { @bottom-center "
            "{ content: counter(page) } }</style><body><h2>目录</h2><p>正文</p></body></html>")
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(weasyprint.HTML(string=html).render().write_pdf(pdf_variant="pdf/ua-1"))
    assert pdfua_findings(ours) == [Finding("14-002", "the first heading is H2, not H1")]
    patched = (weasyprint.pdf.add_tags, Stream.marked, weasyprint.document.draw_page)
    weasyprint.pdf.add_tags = patched[0].__wrapped__  # WeasyPrint's own, for this build
    Stream.marked = patched[1].__wrapped__
    weasyprint.document.draw_page = patched[2].__wrapped__
    try:
        theirs = tmp_path / "theirs.pdf"
        theirs.write_bytes(weasyprint.HTML(string=html).render().write_pdf(
            pdf_variant="pdf/ua-1"))
    finally:
        weasyprint.pdf.add_tags, Stream.marked, weasyprint.document.draw_page = patched
    found = {f.checkpoint for f in pdfua_findings(theirs)}
    assert {"01-007", "14-002"} <= found  # the folio's MCID hangs outside the tree


def test_seed_structure_reads_as_the_booklet(screen_pdf):
    tree = _tree(screen_pdf)
    document = tree.kids[0]
    assert isinstance(document, Elem) and document.role == "Document"
    roles = _roles(tree)
    headings = [r for r in roles if r[:1] == "H" and r[1:].isdigit()]
    assert headings[0] == "H1"  # the cover title
    sections = [k for k in document.kids if isinstance(k, Elem) and k.role == "Sect"]
    chapters = [s for s in sections if isinstance(s.kids[0], Elem) and s.kids[0].role == "H1"]
    assert len(chapters) == 5  # one Sect per chapter, opening with its H1
    assert "NonStruct" not in roles and roles.count("TOC") == 1
    for elem in tree.walk():
        if elem.role == "TOCI":
            assert [k.role for k in elem.kids if isinstance(k, Elem)] == ["Link"]


def test_paragraph_over_a_page_break_is_one_element(screen_pdf):
    texts = mcid_texts(screen_pdf)
    spanning = [e for e in _tree(screen_pdf).walk()
                if e.role == "P" and len({k[0] for k in e.kids if isinstance(k, tuple)}) > 1]
    assert len(spanning) >= 2  # the seed has paragraphs running over a page break
    source = (ROOT / "seeds" / "chapters").glob("*.md")
    paragraphs = {"".join(line.split()) for f in source
                  for line in f.read_text(encoding="utf-8").splitlines()}
    for elem in spanning:  # each reads as one whole paragraph of the source, not two halves
        text = "".join(_text(elem, texts).split())
        whole = [p for p in paragraphs if text and text in p]
        assert whole and len(text) >= 0.9 * len(whole[0]), text[:40]


def test_footnote_is_a_note_after_its_paragraph_linked_to_its_call(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        notes = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Note":
                notes.append(obj)
        assert len(notes) == 1
        note = notes[0]
        assert str(note.ID) == "fn-introduction-1"
        reference = note.Ref[0]
        assert reference.S == "/Reference" and reference.Ref[0].objgen == note.objgen
        paragraph = reference.P
        siblings = list(paragraph.P.K)
        index = next(i for i, k in enumerate(siblings) if k.objgen == paragraph.objgen)
        assert siblings[index + 1].objgen == note.objgen  # read right after its paragraph
        names = pdf.Root.StructTreeRoot.IDTree.Names
        assert str(names[0]) == "fn-introduction-1" and names[1].objgen == note.objgen


def test_running_heads_folios_and_leaders_are_artifacts(screen_pdf):
    texts = mcid_texts(screen_pdf)
    artifacts = {page: text for (page, mcid), text in texts.items() if mcid == -1}
    assert "5" in artifacts[4] and "导言" in artifacts[4]  # folio and running head of p. 5
    tagged = "".join(text for (page, mcid), text in texts.items() if mcid >= 0 and page == 2)
    assert ". ." not in tagged and "..." not in tagged  # the contents' dot leaders


def test_links_say_where_they_go_in_words(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        contents = [str(a.Contents) for page in pdf.pages for a in page.get("/Annots", [])
                    if a.get("/Subtype") == "/Link"]
    assert contents and all(c and not c.startswith("#") for c in contents)
    assert "导言" in contents and "未来峰会" in contents


def test_screen_catalog_fast_web_view_layout_title(built, screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        assert pdf.is_linearized
        assert pdf.Root.PageLayout == "/TwoPageRight"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title) == built.project.config.title
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == built.project.config.title


def test_fixture_table_list_language_photos(fixture_pdf):
    tree = _tree(fixture_pdf)
    roles = _roles(tree)
    for role in ("Table", "THead", "TBody", "TR", "TH", "TD", "L", "LI", "LBody", "Note",
                 "BlockQuote", "H1", "H2", "H3", "Caption"):
        assert role in roles, role
    headers = [e for e in tree.walk() if e.role == "TH"]
    assert len(headers) == 2 and all(h.entries["/A"].Scope == "/Column" for h in headers)
    assert roles.count("TD") == 4
    lists = [[k.role for k in e.kids] for e in tree.walk() if e.role == "L"]
    assert ["LI", "LI", "LI"] in lists  # the Markdown list; the other is the colophon
    english = [e for e in tree.walk() if e.role == "P" and "/Lang" in e.entries]
    assert [str(e.entries["/Lang"]) for e in english] == ["en"]
    alts = sorted(str(e.entries["/Alt"]) for e in tree.walk() if e.role == "Figure")
    assert alts == sorted(["一张红色照片。", "一个蓝色方块"])


def test_fixture_reading_order_follows_the_source(fixture_pdf):
    lines = [line.strip() for line in reading_order(fixture_pdf)]
    expected = ["H1: 测试章", "H2: 第一节", "P: 这是第一段，[1]带一个脚注。",
                "Note ID='fn-test-1': 1脚注的文字。", "H3: 小节", "Table", "TH: 地区",
                "TD: 非洲", "L", "LBody: 第三项",
                "P Lang='en': The Summit of the Future adopted the Pact for the Future in "
                "September 2024.", "Figure: 一个蓝色方块", "Caption: 方块。",
                "Figure: 一张红色照片。", "BlockQuote", "P: “一步一步。”"]
    start = lines.index("H1: 测试章")
    assert [line for line in lines[start:] if line in expected] == expected


def test_docs_reading_order_is_current(screen_pdf):
    """docs/reading-order.txt is the seed booklet's order; `make reading-order` renews it."""
    current = "\n".join(reading_order(screen_pdf)) + "\n"
    saved = (ROOT / "docs" / "reading-order.txt").read_text(encoding="utf-8")
    assert saved == current, "docs/reading-order.txt is stale: run `make reading-order`"


def test_tagging_patch_is_pinned_to_the_reviewed_weasyprint():
    from booklet.render.patches import tagging

    assert tagging.changed_sources() == []


@pytest.mark.parametrize("which", ["seed", "fixture"])
def test_independent_checker_outloud_finds_no_error(which, screen_pdf, fixture_pdf):
    """outloud (PyPI; `make a11y` installs it): PDF/UA-1 Matterhorn + WCAG 2.2 rules."""
    import json
    import shutil
    import subprocess
    import sys

    tool = shutil.which("outloud") or shutil.which("outloud", path=str(Path(sys.executable).parent))
    if tool is None:
        pytest.skip("outloud is not installed (make a11y)")
    path = screen_pdf if which == "seed" else fixture_pdf
    run = subprocess.run([tool, "--json", "-", "-q", "--fail-on", "error", str(path)],
                         capture_output=True, text=True, timeout=300, check=False)
    result = json.loads(run.stdout)["results"][0]
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert errors == [] and run.returncode == 0
    assert result["stats"]["tagged"] and result["stats"]["features"]["notes" if which == "seed"
                                                                      else "lists"]


def test_titled_card_list_keeps_only_items_in_its_list(tmp_path):
    from booklet.build import build

    root = make_project(tmp_path, "---\ntitle: 卡片\nid: cards\n---\n\n```stats\n"
                        "title: 主要数字\nitems:\n  - label: 粮食安全\n    value: 1.52亿\n"
                        "    text: 人获得粮食援助\n```\n")
    pdf = next(f.path for f in build(root, out=root / "dist").files if f.edition == "screen")
    assert pdfua_findings(pdf) == []
    lists = [e for e in _tree(pdf).walk() if e.role == "L" and any(
        isinstance(k, Elem) and k.role == "Caption" for k in e.kids)]
    assert len(lists) == 1
    assert {k.role for k in lists[0].kids if isinstance(k, Elem)} == {"Caption", "LI"}


def test_watch_layout_parts_merge_into_the_same_structure(tmp_path):
    """`booklet watch` lays out parts separately; the merged PDF reads the same."""
    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.editions.write import screen_pdf
    from booklet.figures.draw import draw_figures
    from booklet.render.segments import Segmenter

    project = load_project(ROOT)
    booklet = load_booklet(project)
    figures = draw_figures(booklet.charts, booklet.qrs, project)
    merged = tmp_path / "merged.pdf"
    merged.write_bytes(screen_pdf(Segmenter().render(booklet, figures, project), project))
    assert pdfua_findings(merged) == []
    saved = (ROOT / "docs" / "reading-order.txt").read_text(encoding="utf-8")
    assert "\n".join(reading_order(merged)) + "\n" == saved
