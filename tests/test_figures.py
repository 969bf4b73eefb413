"""The figures stage: themed vector SVG with real Chinese text, cached, sourced, accessible."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from tests.conftest import SOURCE

from booklet.content.blocks import QR, Chart
from booklet.content.config import Color, Config, Project
from booklet.errors import ContentError, FigureError
from booklet.figures.draw import FigureSet, draw_figures, theme_from
from booklet.figures.svg import paint_colours

MAIN = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "figures"
URL = "https://www.un.org/zh/common-agenda/policy-briefs"
FIGURES = ["spending-by-priority", "summit-timeline", "humanitarian-funding", "sdg-progress",
           "priority-areas"]
SVG = "{http://www.w3.org/2000/svg}"


def make_project(root: Path, **config: object) -> Project:
    """Copy the real figure modules and data into *root* and return a project there."""
    shutil.copytree(MAIN / "figures", root / "figures",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(MAIN / "seeds" / "data", root / "seeds" / "data")
    (root / "seeds" / "chapters").mkdir()
    base = {"title": "测试", "slug": "test", "date": dt.date(2024, 9, 1)}
    return Project(root=root, config=Config(**{**base, **config}))


def chart(name: str, line: int = 10, **fields: object) -> Chart:
    """Return a chart block for figure *name* with its usual data file."""
    return Chart(figure=name, data=f"data/{name}.yaml", caption="图", **fields).at_line(line)


def blocks(project: Project) -> tuple[list[tuple[Path, Chart]], list[tuple[Path, QR]]]:
    chapter = project.seeds / "chapters" / "01.md"
    return ([(chapter, chart(n)) for n in FIGURES],
            [(chapter, QR(url=URL, caption="扫码").at_line(30))])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, FigureSet, FigureSet]:
    """Draw everything once, then build again with nothing changed."""
    project = make_project(tmp_path_factory.mktemp("booklet"))
    charts, qrs = blocks(project)
    first = draw_figures(charts, qrs, project)
    second = draw_figures(charts, qrs, project)
    return project, first, second


@pytest.fixture(scope="module")
def pdf(built: tuple[Project, FigureSet, FigureSet], tmp_path_factory: pytest.TempPathFactory
        ) -> Path:
    """Render every figure with WeasyPrint: page 1 screen (RGB) files, page 2 print (CMYK)."""
    import weasyprint

    _, figures, _ = built
    pages = []
    for edition in ("screen", "print"):
        imgs = "".join(f'<img src="{f.src_for(edition)}" style="width:{f.width_mm}mm">'
                       for f in figures.files.values())
        pages.append(f'<section style="break-after: page">{imgs}</section>')
    html = ("<html><style>@page { size: 170mm 900mm; margin: 10mm 24.06mm 10mm 20mm }"
            "img { display: block; margin-bottom: 4mm }</style><body>"
            + "".join(pages) + "</body></html>")
    out = tmp_path_factory.mktemp("pdf") / "figures.pdf"
    weasyprint.HTML(string=html).write_pdf(out)
    return out


def test_first_build_draws_everything_and_the_second_nothing(built):
    _, first, second = built
    assert (first.drawn, first.cached) == (6, 0)
    assert (second.drawn, second.cached) == (0, 6)
    assert all(f.drawn for f in first.files.values())
    assert not any(f.drawn for f in second.files.values())
    assert second.seconds < first.seconds / 5
    assert first.warnings == ()
    assert list(first.files) == [f"chart:{n}:data/{n}.yaml" for n in FIGURES] + [f"qr:{URL}"]


def test_figures_are_printed_at_column_width_with_a_text_alternative(built):
    project, figures, _ = built
    theme = theme_from(project.config)
    assert theme.column_mm == pytest.approx(170 - 20 - 24.06)
    for key, figure in figures.files.items():
        if key.startswith("chart:"):
            assert figure.width_mm == pytest.approx(theme.column_mm, abs=0.01)
            assert figure.source, key
        assert figure.svg.is_file() and figure.cmyk_svg and figure.cmyk_svg.is_file()
        root = ET.parse(figure.svg).getroot()
        assert root.find(f"{SVG}title").text == figure.alt
    spending = figures.files["chart:spending-by-priority:data/spending-by-priority.yaml"]
    assert "和平与安全73.2（维持和平和国际法庭摊款60.2" in spending.alt
    assert "227亿美元" in figures.files[
        "chart:humanitarian-funding:data/humanitarian-funding.yaml"].alt


def test_a_blocks_own_alt_overrides_the_description(built):
    _, figures, _ = built
    assert figures.for_chart(chart("sdg-progress", alt="自定义说明")).alt == "自定义说明"
    assert figures.for_chart(chart("sdg-progress")).alt.startswith("百格图：")
    assert figures.lookup(QR(url=URL, caption="x")).key == f"qr:{URL}"


def test_identical_inputs_give_identical_bytes(built, tmp_path):
    _, first, _ = built
    again = make_project(tmp_path)
    charts, qrs = blocks(again)
    redrawn = draw_figures(charts, qrs, again)
    assert redrawn.drawn == 6
    for key, figure in first.files.items():
        assert redrawn.files[key].svg.read_bytes() == figure.svg.read_bytes(), key
        text = figure.svg.read_text("utf-8")
        assert "<metadata>" not in text and "dc:date" not in text


def test_text_stays_text_in_the_font_with_every_glyph_and_at_least_7pt(built):
    from fontTools.ttLib import TTFont

    _, figures, _ = built
    cmaps = {}
    for style in ("", ":bold"):
        spec = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC" + style],
                              capture_output=True, text=True, check=True).stdout
        path, index = spec.rsplit(":", 1)
        with TTFont(path, fontNumber=int(index), lazy=True) as font:
            cmaps[bool(style)] = set(font.getBestCmap())
    seen = 0
    for figure in figures.files.values():
        for node in ET.parse(figure.svg).getroot().iter(f"{SVG}text"):
            style = dict(p.split(":", 1) for p in node.get("style", "").split(";") if ":" in p)
            style = {k.strip(): v.strip() for k, v in style.items()}
            assert style["font-family"].strip("'\"") == "Noto Sans CJK SC"
            assert float(style["font-size"].removesuffix("px")) >= 7.0, node.text
            bold = style.get("font-weight") == "700"
            missing = [c for c in node.text if ord(c) not in cmaps[bold]]
            assert not missing, f"tofu in {node.text!r}: {missing}"
            seen += 1
    assert seen > 60


def test_weasyprint_sets_the_labels_as_selectable_cjk_text(pdf):
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            text = page.extract_text()
            for label in ("维持和平和国际法庭摊款", "自愿捐款", "经常预算摊款", "未来峰会",
                          "227亿美元", "15%", "毒品、犯罪", "司法和", "000+"):
                assert label in text, label
            assert {c["fontname"].split("+")[-1] for c in page.chars} <= {
                "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}
        screen, print_ = (page.chars for page in doc.pages)
        assert all(len(c["non_stroking_color"]) == 3 for c in screen)
        assert all(len(c["non_stroking_color"]) == 4 for c in print_)
        shapes = doc.pages[1].rects + doc.pages[1].curves + doc.pages[1].lines
        assert all(len(s["non_stroking_color"]) == 4 for s in shapes if s["fill"])
        assert all(len(s["stroking_color"]) == 4 for s in shapes if s["stroke"])


def test_the_qr_code_scans_from_the_rendered_pdf(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == URL


def test_print_twins_use_device_cmyk_for_every_token(built):
    project, figures, _ = built
    tokens = {c.on_screen for c in project.config.colors.values()}
    for figure in figures.files.values():
        assert paint_colours(figure.svg.read_text("utf-8")) <= tokens, figure.key
        twin = figure.cmyk_svg.read_text("utf-8")
        assert "device-cmyk(" in twin and not paint_colours(twin), figure.key
    assert "device-cmyk(0 0 0 1)" in figures.files[f"qr:{URL}"].cmyk_svg.read_text("utf-8")


def test_a_damaged_cache_entry_is_redrawn_never_fatal(tmp_path):
    project = make_project(tmp_path)
    charts, qrs = blocks(project)
    first = draw_figures(charts[2:4], qrs, project)
    funding, sdg, _qr = first.files.values()
    funding.svg.write_bytes(funding.svg.read_bytes()[:200])  # truncated
    sdg.cmyk_svg.write_bytes(b"\x00garbage")
    record = next(project.root.glob(".cache/figures/qr-*.json"))
    record.write_text("{not json")
    again = draw_figures(charts[2:4], qrs, project)
    assert (again.drawn, again.cached) == (3, 0)
    assert ET.parse(again.files[funding.key].svg).getroot().tag == f"{SVG}svg"
    assert not list(project.root.glob(".cache/figures/*.tmp"))
    assert draw_figures(charts[2:4], qrs, project).drawn == 0


def test_a_cached_build_does_not_import_matplotlib_and_drawing_avoids_pyplot(built, tmp_path):
    project, _, _ = built
    script = textwrap.dedent(f"""
        import sys, datetime as dt
        from pathlib import Path
        sys.path.insert(0, {str(MAIN / "tests")!r})
        from test_figures import blocks, make_project
        from booklet.content.config import Config, Project
        from booklet.figures.draw import draw_figures
        project = Project(root=Path({str(project.root)!r}), config=Config(
            title="测试", slug="test", date=dt.date(2024, 9, 1)))
        assert draw_figures(*blocks(project), project).drawn == 0
        print("matplotlib" in sys.modules)
        fresh = make_project(Path({str(tmp_path)!r}))
        assert draw_figures(*blocks(fresh), fresh).drawn == 6
        print("matplotlib.pyplot" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(MAIN / "src")})
    assert out.stdout.split() == ["False", "False"]


def test_screen_files_use_screen_colours_and_print_twins_the_tokens_cmyk(tmp_path):
    colors = {"brand": Color(rgb="#009EDB", cmyk=(100, 10, 0, 0), screen="#006DB0"),
              "brand-fine": Color(rgb="#009EDB", cmyk=(100, 0, 0, 0))}
    project = make_project(tmp_path, colors=colors)
    charts, _ = blocks(project)
    (funding,) = draw_figures(charts[2:3], [], project).files.values()
    screen = paint_colours(funding.svg.read_text("utf-8"))
    assert "#006DB0" in screen and "#009EDB" not in screen  # white labels on 5.51:1, not 3.04:1
    twin = funding.cmyk_svg.read_text("utf-8")
    assert "device-cmyk(1 0.1 0 0)" in twin and "device-cmyk(1 0 0 0)" not in twin
    # Only the screen value changes: the figure is redrawn, its print twin stays the same.
    colors = {**project.config.colors,
              "brand": Color(rgb="#009EDB", cmyk=(100, 10, 0, 0), screen="#005F99")}
    again = draw_figures(charts[2:3], [], Project(root=project.root, config=project.config
                                                   .model_copy(update={"colors": colors})))
    (redrawn,) = again.files.values()
    assert again.drawn == 1 and "#005F99" in paint_colours(redrawn.svg.read_text("utf-8"))
    assert redrawn.cmyk_svg.read_bytes() == funding.cmyk_svg.read_bytes()


def test_a_theme_change_redraws(built, tmp_path):
    project = make_project(tmp_path)
    charts, _ = blocks(project)
    draw_figures(charts[:1], [], project)
    colors = {**project.config.colors, "brand": Color(rgb="#0077C8", cmyk=(100, 40, 0, 0))}
    recoloured = Project(root=project.root, config=project.config.model_copy(
        update={"colors": colors}))
    assert draw_figures(charts[:1], [], recoloured).drawn == 1
    assert draw_figures(charts[:1], [], project).drawn == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("received", '"227"', "must be a number, not “227”"),
    ("percent", "[40]", "must be a number, not [40]"),
    ("required", None, "required key is missing"),
])
def test_bad_data_is_reported_with_file_and_line(tmp_path, field, value, message):
    project = make_project(tmp_path)
    data = project.seeds / "data" / "humanitarian-funding.yaml"
    lines = data.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    if value is None:
        del lines[index]
    else:
        lines[index] = f"{field}: {value}"
    data.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        draw_figures([(project.seeds / "chapters/01.md", chart("humanitarian-funding"))], [],
                     project)
    (problem,) = caught.value.problems
    assert problem.file == data and message in problem.message
    if value is not None:
        assert problem.line == index + 1 and problem.field == field
        assert "227" in (problem.hint or "")


def test_missing_module_and_data_are_named_at_the_chart_block(tmp_path):
    project = make_project(tmp_path)
    chapter = project.seeds / "chapters" / "03-priorities.md"
    bad = [(chapter, Chart(figure="no-such-chart", data="data/sdg-progress.yaml",
                           caption="x").at_line(28)),
           (chapter, Chart(figure="sdg-progress", data="data/missing.yaml",
                           caption="x").at_line(34))]
    with pytest.raises(ContentError) as caught:
        draw_figures(bad, [], project)
    first, second = caught.value.problems
    assert (first.file, first.line, first.field) == (chapter, 28, "figure")
    assert "figures/no-such-chart.py" in first.message and "sdg-progress" in first.hint
    assert (second.file, second.line, second.field) == (chapter, 34, "data")


def test_broken_or_careless_modules_are_located(tmp_path):
    project = make_project(tmp_path)
    folder = project.root / "figures"
    (folder / "broken.py").write_text("from ._style import Sourced\n\nclass Data(Sourced:\n")
    (folder / "wide.py").write_text(textwrap.dedent("""
        from ._style import Sourced

        class Data(Sourced):
            pass

        def draw(data, theme):
            from matplotlib.figure import Figure
            return Figure(figsize=(7, 2))

        def describe(data):
            return "宽"
    """))
    (project.seeds / "data" / "plain.yaml").write_text("source: s\ncredit: c\n", "utf-8")
    chapter = project.seeds / "chapters" / "01.md"
    with pytest.raises(FigureError) as caught:
        draw_figures([(chapter, Chart(figure="broken", data="data/plain.yaml", caption="x"))],
                     [], project)
    (problem,) = caught.value.problems
    assert problem.file == folder / "broken.py" and problem.line == 3
    with pytest.raises(FigureError, match="wrong width"):
        draw_figures([(chapter, Chart(figure="wide", data="data/plain.yaml", caption="x"))],
                     [], project)


def test_text_under_the_minimum_stops_the_figure(tmp_path):
    project = make_project(tmp_path)
    (project.root / "figures" / "tiny.py").write_text(textwrap.dedent("""
        from ._style import Sourced, canvas

        class Data(Sourced):
            pass

        def draw(data, theme):
            fig, ax = canvas(theme, 20)
            ax.text(1, 10, "小字", fontsize=5)
            return fig

        def describe(data):
            return "小字"
    """))
    (project.seeds / "data" / "plain.yaml").write_text("source: s\ncredit: c\n", "utf-8")
    block = [(project.seeds / "chapters/01.md", Chart(figure="tiny", data="data/plain.yaml",
                                                      caption="x"))]
    # print.ink.min_text (8 pt): the theme refuses smaller type, naming the figure and text.
    with pytest.raises(FigureError) as caught:
        draw_figures(block, [], project)
    (problem,) = caught.value.problems
    assert "小字" in problem.message and problem.file.name == "tiny.py"
    assert "8 pt" in problem.message


def test_matplotlib_state_is_restored(built, tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    project = make_project(tmp_path)
    draw_figures(blocks(project)[0][:2], [], project)
    assert dict(matplotlib.rcParams) == before


def test_spending_data_is_the_sum_of_the_transcribed_source_rows():
    names = {"P": "Maintenance of international peace and security",
             "D": "Promotion of sustained economic growth and sustainable development",
             "A": "Development of Africa", "H": "Promotion and protection of human rights",
             "U": "Effective coordination of humanitarian assistance efforts",
             "J": "Promotion of international justice and law", "X": "Disarmament",
             "C": "Drug control, crime prevention and combating terrorism",
             "E": "Effective functioning of the organization"}
    keys = {"O": "other-assessed", "V": "voluntary", "R": "regular"}
    with open(FIXTURES / "open-un-secretariat-expenses-2023.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys.values(), 0))
    for row in rows:
        sums[names[row["area"]]][keys[row["source"]]] += int(row["amount"])
    data = yaml.safe_load((MAIN / "seeds/data/spending-by-priority.yaml").read_text("utf-8"))
    assert {a["name"]: a["amounts"] for a in data["areas"]} == sums
    assert sum(sum(v.values()) for v in sums.values()) == 14_791_811_849
    # The source spreads US$305.37 million staff assessment across the areas.
    staff = sum(int(r["amount"]) for r in rows if r["entity"] == "STA")
    assert round(staff / 1e4) == 30537


def test_every_data_file_names_its_source():
    for path in sorted((MAIN / "seeds" / "data").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert data.get("source") and data.get("credit"), path.name
    timeline = yaml.safe_load((MAIN / "seeds/data/summit-timeline.yaml").read_text("utf-8"))
    assert all(e.get("source") for e in timeline["events"])


def test_the_seed_numbers_are_the_ones_drawn():
    text = SOURCE.read_text("utf-8")
    funding = yaml.safe_load((MAIN / "seeds/data/humanitarian-funding.yaml").read_text("utf-8"))
    assert (f"捐助方提供的{funding['received']}亿美元仅占我们拯救生命工作所需"
            f"{funding['required']}亿美元的{funding['percent']}%") in text
    sdg = yaml.safe_load((MAIN / "seeds/data/sdg-progress.yaml").read_text("utf-8"))
    assert f"只有{sdg['percent']}%符合计划进展" in text
    areas = yaml.safe_load((MAIN / "seeds/data/priority-areas.yaml").read_text("utf-8"))
    assert areas["headline"] in text
    assert all(f"## {a['label']}\n" in text for a in areas["areas"])
    assert re.search(r"联合国成立七十五周年", text)


def test_cache_records_are_readable_json(built):
    project, _, _ = built
    for record in project.root.glob(".cache/figures/*.json"):
        meta = json.loads(record.read_text("utf-8"))
        assert {"key", "svg_sha256", "alt", "width_mm", "height_mm"} <= set(meta)
