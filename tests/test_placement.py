"""Placement checks (check/placement.py) and floats (compose/floats.py, render/pagination.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_project
from tests.test_check import check, line_of, only, project

from booklet.compose.floats import Move, apply_moves, mark_node, top_level_chunks
from booklet.content.chapters import Prose
from booklet.render.pagination import Item, plan_chapter


def test_planted_placement_faults_are_found_with_page_and_line(tmp_path, capsys):
    """Text over text, text over a picture, a picture outside the block, one off the page."""
    path = project("placement", tmp_path)
    source = path / "seeds/chapters/01-faults.md"
    code, report = check(capsys, path, "--edition", "screen")
    assert code == 1
    (overlap,) = only(report, "text-overlap")
    assert overlap["line"] == line_of(source, "第二段") and overlap["page"] == 4
    (over_image,) = only(report, "text-over-image")
    assert over_image["line"] == line_of(source, "第三段")
    outside = {f["line"] for f in only(report, "outside-block")}
    assert line_of(source, "伸出版心") in outside
    (off,) = only(report, "off-page")
    assert off["line"] == line_of(source, "跑出页面") and off["page"] >= 4
    assert only(report, "off-grid")  # the pulled paragraph is off the grid too


def test_a_clean_project_has_no_placement_fault(tmp_path, capsys):
    """The seed at six sizes is checked in tests/test_sizes.py."""
    path = project("clean", tmp_path)
    _, report = check(capsys, path, "--edition", "screen")
    assert not [f for f in report["findings"] if f["check"] in (
        "text-overlap", "text-over-image", "outside-block", "off-page", "off-grid")]


def test_markdown_images_fit_the_measure_and_the_page(tmp_path, capsys):
    from PIL import Image

    root = make_project(tmp_path / "p", "---\ntitle: 图片\nid: pics\n---\n\n正文。\n\n"
                        "![很宽的图片](images/wide.png)\n\n![很高的图片](images/tall.png)\n\n文字。\n",
                        config_extra="page: {size: A5}\n")
    (root / "seeds/images").mkdir()
    Image.new("RGB", (6000, 600), "red").save(root / "seeds/images/wide.png")
    Image.new("RGB", (300, 6000), "blue").save(root / "seeds/images/tall.png")
    _, report = check(capsys, root, "--edition", "screen")
    assert not only(report, "off-page") and not only(report, "outside-block")
    assert not only(report, "text-overflow")


def test_top_level_chunks_keep_lists_whole():
    html = "<p>一</p>\n<ul>\n<li>\n<p>甲</p>\n</li>\n</ul>\n<p>二</p>\n"
    assert top_level_chunks(html) == ["<p>一</p>\n", "<ul>\n<li>\n<p>甲</p>\n</li>\n</ul>\n",
                                      "<p>二</p>\n"]


def test_mark_node_tags_the_outer_element():
    assert mark_node('\n  <figure class="chart">x</figure>', "intro:3").startswith(
        '\n  <figure data-node="intro:3" class="chart">')


def test_apply_moves_sets_the_figure_after_the_paragraphs(built):
    from booklet.content.chapters import load_booklet

    booklet = load_booklet(built.project)
    chapter = booklet.chapters[0]
    index = next(i for i, n in enumerate(chapter.nodes)
                 if getattr(n, "kind", "") == "chart" and isinstance(chapter.nodes[i + 1], Prose))
    figure = chapter.nodes[index]
    moved = apply_moves(booklet, [Move(chapter.meta.id, index, 1)]).chapters[0].nodes
    at = moved.index(figure)
    assert at == index + 1 and isinstance(moved[at - 1], Prose)
    assert moved[at - 1].html.count("<p") == 1  # exactly one paragraph passed
    flat = "".join(n.html for n in moved if isinstance(n, Prose))
    assert flat == "".join(n.html for n in chapter.nodes if isinstance(n, Prose))


def _item(kind: str, lines: float, top: float = 0, bottom: float = 0, node: str = "") -> Item:
    from xml.etree import ElementTree

    element = ElementTree.Element("p" if kind == "text" else "figure")
    return Item(element, kind, lines, top, bottom, node or None)


def test_a_figure_that_would_leave_a_gap_floats_past_paragraphs():
    items = [_item("block", 6, 0, 2), _item("text", 10), _item("figure", 15, 1, 1, "c:2"),
             _item("text", 8), _item("text", 8), _item("text", 8)]
    # 6 + 2 + 10 = 18 lines used of 30: the figure needs 16, 12 lines would stay empty.
    assert plan_chapter(items, 30) == [("c:2", 2, 0)]


def test_a_figure_that_fits_or_leaves_little_stays():
    fits = [_item("block", 6, 0, 2), _item("text", 5), _item("figure", 15, 1, 1, "c:2"),
            _item("text", 8)]
    assert plan_chapter(fits, 30) == []
    small_gap = [_item("block", 6, 0, 2), _item("text", 19), _item("figure", 10, 1, 1, "c:2"),
                 _item("text", 8)]
    assert plan_chapter(small_gap, 30) == []  # 3 lines empty: 10 %, not more


def test_floats_fill_the_page_in_a_real_build(tmp_path: Path):
    """A photo that would leave a third of a page empty moves past the next paragraph."""
    from tests.sizes import empty_share

    from booklet.build import build
    from booklet.content.config import load_project, to_pt

    para = "联合国的工作人员在世界各地开展工作，执行各项任务，帮助各国实现可持续发展目标。" * 12
    text = (f"---\ntitle: 浮动\nid: floats\n---\n\n{para}\n\n```photo\nsrc: images/none.jpg\n"
            f"caption: 一张照片\n```\n\n{para}\n\n{para}\n\n{para}\n")
    root = make_project(tmp_path / "p", text)
    result = build(root, out=root / "dist", edition="screen")
    pdf = next(f.path for f in result.files if f.edition == "screen")
    config = load_project(root).config
    m = config.page.margin
    shares = empty_share(pdf, to_pt(m.top), to_pt(config.page.height) - to_pt(m.bottom))
    opener = min(n for n in shares if n > 3)
    assert shares[opener] <= 0.1, shares


def test_a_figure_is_drawn_smaller_in_whole_lines_when_no_paragraph_can_fill():
    """A heading with a chart that misses the page by a line: the chart gives up a line."""
    items = [_item("block", 6, 0, 2), _item("text", 9), _item("heading", 2, 1, 0),
             _item("figure", 10, 1, 1, "c:3")]
    items[3].fit = 2
    assert plan_chapter(items, 30) == [("c:3", 0, 1)]
    items = [_item("block", 6, 0, 2), _item("text", 9), _item("heading", 2, 1, 0),
             _item("figure", 10, 1, 1, "c:3")]
    items[3].fit = 0  # a figure without room to give: nothing to do (vertical fill is next)
    assert plan_chapter(items, 30) == []


def test_two_figures_share_the_lines_neither_can_give_alone():
    """A photo, a heading, a paragraph, then a photo 2 lines too tall for the page's foot:
    each photo may give up 1 line (MAX_FIT); together they fit and the page ends full."""
    items = [_item("block", 25, 0, 0), _item("figure", 9, 1, 1, "c:1"),
             _item("heading", 2, 1, 0), _item("text", 5), _item("figure", 8, 1, 1, "c:4")]
    items[1].fit = items[4].fit = 1
    # Page 2: 1 + 9, 1 + 2, 5 = 18 of 25 lines; the last photo needs 1 + 8 = 9, 7 are left.
    assert plan_chapter(items, 25) == [("c:4", 0, 1), ("c:1", 0, 1)]
    items = [_item("block", 25, 0, 0), _item("figure", 9, 1, 1, "c:1"),
             _item("heading", 2, 1, 0), _item("text", 5), _item("figure", 8, 1, 1, "c:4")]
    items[4].fit = 1  # the first photo has nothing to give: 1 line is not enough
    assert plan_chapter(items, 25) == []


def test_vertical_fill_shares_whole_lines_by_weight():
    from booklet.render.fill import MAX_GAP, _share

    assert _share(5, [3, 0, 2]) == [3, 0, 2]
    assert _share(3, [0, 0]) == []  # only paragraphs: never spread
    assert _share(2 * MAX_GAP + 1, [3, 2]) == []  # more than the gaps may take


def test_a_figure_is_pulled_back_before_the_last_paragraphs_when_none_follow():
    """A figure followed by a block cannot float on: set before the page's last paragraphs,
    they run on after it and the page ends full."""
    items = [_item("block", 6, 0, 2), _item("text", 10), _item("text", 5),
             _item("figure", 12, 1, 1, "c:3"), _item("block", 10, 1, 1)]
    assert plan_chapter(items, 30) == [("c:3", -2, 0)]


def test_a_pulled_back_figure_is_applied_before_those_paragraphs(built):
    from booklet.content.chapters import load_booklet

    booklet = load_booklet(built.project)
    chapter, index = next((c, i) for c in booklet.chapters for i, n in enumerate(c.nodes)
                          if i and not isinstance(n, Prose) and getattr(n, "kind", "")
                          and isinstance(c.nodes[i - 1], Prose)
                          and c.nodes[i - 1].html.count("<p") >= 2)
    figure = chapter.nodes[index]
    nodes = apply_moves(booklet, [Move(chapter.meta.id, index, -1)])
    moved = next(c for c in nodes.chapters if c.meta.id == chapter.meta.id).nodes
    at = moved.index(figure)
    assert isinstance(moved[at + 1], Prose) and moved[at + 1].html.count("<p") == 1
    assert isinstance(moved[at - 1], Prose)  # the paragraphs before it stay before it
    flat = "".join(n.html for n in moved if isinstance(n, Prose))
    assert flat == "".join(n.html for n in chapter.nodes if isinstance(n, Prose))


def test_vertical_fill_moves_backgrounds_with_their_boxes(tmp_path):
    """WeasyPrint places backgrounds after layout: a block moved down by the vertical fill
    must take its background (a callout's tint, a bullet, a placeholder) along."""
    from tests.sizes import seed_at

    from booklet.content.chapters import load_booklet
    from booklet.content.config import load_project
    from booklet.figures.draw import draw_figures
    from booklet.render.floats import render_floating

    project = load_project(seed_at("16开", tmp_path))
    booklet = load_booklet(project)
    figures = draw_figures(booklet.charts, booklet.qrs, project)
    rendered, _ = render_floating(booklet, figures, "screen", project)
    checked = 0
    for page in rendered.document.pages:
        for box in page._page_box.descendants():
            background = getattr(box, "background", None)
            if background is None or box is page._page_box or not background.layers \
                    or box.style["background_clip"][0] != "border-box":
                continue
            checked += 1
            assert abs(background.layers[0].painting_area[1] - box.border_box_y()) < 0.5, box
    assert checked > 10
