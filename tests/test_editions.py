"""The editions read back from the PDFs: PDF/X-4 print, PDF/UA-1 screen, metadata, rebuilds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from tests.conftest import make_project

from booklet.check.pdfread import CHECKS
from booklet.content.config import Config
from booklet.editions.pdfmeta import build_time

COLOUR_OPS = {"rg", "RG", "k", "K", "g", "G", "cs", "CS"}


def _files(built) -> dict[str, Path]:
    return {f.edition: f.path for f in built.files}


def _pdfcheck(check: str, path: Path) -> str:
    """Run one of booklet.check.pdfread's checks, assert that it holds, return its summary."""
    result = CHECKS[check](path)
    assert result.ok, "\n".join((*result.details, result.summary))
    return result.summary


def _colour_operators(path: Path) -> set[str]:
    """Return the colour operators and colour space names used on every page and form."""
    found: set[str] = set()
    with pikepdf.open(path) as pdf:
        seen: set[tuple[int, int]] = set()
        stack = list(pdf.pages)
        while stack:
            item = stack.pop()
            obj = item.obj if isinstance(item, pikepdf.Page) else item
            if obj.is_indirect and obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            for operands, op in pikepdf.parse_content_stream(item):
                if str(op) in COLOUR_OPS:
                    found.add(str(op) + (f" {operands[0]}" if str(op) in ("cs", "CS") else ""))
            resources = obj.get("/Resources") or {}
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == "/Form":
                    stack.append(xobject)
    return found


def test_print_and_imposed_pass_pdfx(built):
    files = _files(built)
    assert "0 problems" in _pdfcheck("pdfx", files["print"])
    assert "0 problems" in _pdfcheck("pdfx", files["imposed"])


def test_screen_is_tagged_with_bookmarks(built):
    files = _files(built)
    assert "0 problems" in _pdfcheck("tagged", files["screen"])
    count = int(_pdfcheck("outline", files["screen"]).split()[1])
    assert count >= 8


@pytest.mark.parametrize("edition", ["screen", "print", "imposed"])
def test_fonts_embedded_in_every_edition(built, edition):
    path = _files(built)[edition]
    assert "0 not embedded" in _pdfcheck("fonts", path)
    # pdffonts, which the fonts check used to read, also wanted a ToUnicode map on each font
    with pikepdf.open(path) as pdf:
        fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                 and o.get("/Type") == "/Font" and not str(o.get("/Subtype")).startswith("/CID")]
        assert fonts and all("/ToUnicode" in f for f in fonts)


def test_print_colours_are_cmyk_and_screen_colours_rgb(built):
    files = _files(built)
    printed = _colour_operators(files["print"])
    assert not printed & {"rg", "RG", "g", "G"}, printed
    assert not {op for op in printed if "RGB" in op}, printed
    assert "cs /DeviceCMYK" in printed
    with pikepdf.open(files["print"]) as pdf:  # shadings, groups, images: no RGB either
        rgb = [o for o in pdf.objects if "/DeviceRGB" in repr(
            o.stream_dict if isinstance(o, pikepdf.Stream) else o)]
        assert rgb == []
    screen = _colour_operators(files["screen"])
    assert not screen & {"k", "K"} and not {op for op in screen if "CMYK" in op}, screen


def test_print_output_intent_is_the_configured_cmyk_profile(built):
    with pikepdf.open(_files(built)["print"]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert int(intent.DestOutputProfile.N) == 4
        # A profile given by file is a "Custom" condition described by the profile's name.
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert "CMYK" in str(intent.Info)


def test_print_pages_whole_sheets_with_bleed_trim_and_marks(built):
    with pikepdf.open(_files(built)["print"]) as pdf:
        assert len(pdf.pages) % 4 == 0
        for page in pdf.pages:
            trim, bleed, media = ([float(v) for v in page[k]] for k in
                                  ("/TrimBox", "/BleedBox", "/MediaBox"))
            assert trim[0] - bleed[0] == pytest.approx(3 * 72 / 25.4, abs=0.01)
            assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the crop marks
            assert any(str(k).startswith("/BookletMarks") for k in page.Resources.XObject)
            assert "/Annots" not in page  # no links inside the BleedBox (PDF/X)


def test_cover_colour_reaches_the_bleed_box(built):
    path = _files(built)["print"]
    with pikepdf.open(path) as pdf:
        media = [float(v) for v in pdf.pages[0].MediaBox]
        bleed = [float(v) for v in pdf.pages[0].BleedBox]
    scale = 2
    image = pdfium.PdfDocument(path)[0].render(scale=scale).to_pil().convert("RGB")
    inset = 1.5  # pt inside the BleedBox
    for x in (bleed[0] + inset, bleed[2] - inset):
        for y in (bleed[1] + inset, bleed[3] - inset):
            px = ((x - media[0]) * scale, (media[3] - y) * scale)
            r, g, b = image.getpixel(px)
            assert b > 150 and r < 100, (x, y, (r, g, b))  # the brand blue, not paper


def test_metadata_from_config_in_info_and_xmp(built):
    config = built.project.config
    for path in _files(built).values():
        with pikepdf.open(path) as pdf:
            info = pdf.docinfo
            assert str(info["/Title"]).startswith(config.title)
            assert str(info["/Author"]) == config.author
            assert str(info["/Subject"]) == config.description
            assert str(info["/Keywords"]) == ", ".join(config.keywords)
            stamp = f"D:{config.date:%Y%m%d}000000Z"
            assert str(info["/CreationDate"]) == str(info["/ModDate"]) == stamp
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert config.title in xmp and f"{config.date.isoformat()}T00:00:00Z" in xmp


def test_screen_opens_with_title_language_and_working_links(built):
    with pikepdf.open(_files(built)["screen"]) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        names = pdf.Root.Names.Dests.Names
        anchors = {str(names[i]) for i in range(0, len(names), 2)}
        links = [a for page in pdf.pages for a in page.get("/Annots", [])
                 if a.get("/Subtype") == "/Link" and "/Dest" in a]
        assert len(links) >= 10
        assert {str(a.Dest) for a in links} <= anchors


def test_screen_is_small_enough_to_mail(built):
    assert _files(built)["screen"].stat().st_size <= 2 * 2**20


@pytest.fixture(scope="module")
def with_photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the screen and print editions of a project with a JPEG and a PNG photo."""
    from PIL import Image

    from booklet.build import build

    root = make_project(tmp_path_factory.mktemp("photos"), "---\ntitle: 图\nid: fig\n---\n\n"
                        "```photo\nsrc: images/a.png\nalt: 一个蓝色方块\ncaption: 方块。\n```\n\n"
                        "```photo\nsrc: images/b.jpg\nalt: 一张红色照片\ncaption: 照片。\n```\n")
    config = root / "seeds" / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("print: false", "print: true"),
                      encoding="utf-8")
    (root / "seeds" / "images").mkdir()
    Image.new("RGBA", (60, 40), (0, 158, 219, 200)).save(root / "seeds" / "images" / "a.png")
    Image.new("RGB", (60, 40), (200, 50, 50)).save(root / "seeds" / "images" / "b.jpg")
    return {f.edition: f.path for f in build(root, out=root / "dist").files}


def test_image_alt_text_reaches_figure_tags(with_photos):
    alts = []
    with pikepdf.open(with_photos["screen"]) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt")))
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            stack += [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    assert sorted(alts) == ["一个蓝色方块", "一张红色照片"]


def test_print_images_are_cmyk_and_not_interpolated(with_photos):
    assert "0 problems" in _pdfcheck("pdfx", with_photos["print"])
    with pikepdf.open(with_photos["print"]) as pdf:
        images = [o for o in pdf.objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        colour = [o for o in images if o.ColorSpace != pikepdf.Name.DeviceGray]  # not masks
        assert len(colour) == 2
        for image in images:
            assert "/Interpolate" not in image
        for image in colour:  # converted by the image stage; a.png keeps its alpha as SMask
            assert image.ColorSpace == pikepdf.Name.DeviceCMYK
        assert sum("/SMask" in image for image in colour) == 1


def test_rebuild_is_byte_identical(built, tmp_path):
    from booklet.build import build

    again = build(built.project.root, out=tmp_path)
    first = {f.edition: f.path.read_bytes() for f in built.files}
    second = {f.edition: f.path.read_bytes() for f in again.files}
    assert first.keys() == second.keys() == {"screen", "print", "imposed"}
    for edition, data in first.items():
        assert data == second[edition], edition


def test_source_date_epoch_overrides_the_config_date(monkeypatch):
    config = Config(title="t", slug="t", date=dt.date(2024, 9, 1))
    assert build_time(config) == dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time(config) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)


def test_report_lists_editions_fonts_figures_and_timings(built):
    report = json.loads(built.report.read_text(encoding="utf-8"))
    editions = {e["edition"]: e for e in report["editions"]}
    assert set(editions) == {"screen", "print", "imposed"}
    assert editions["imposed"]["pages"] * 2 == editions["print"]["pages"]
    for entry in editions.values():
        assert entry["bytes"] > 0 and entry["seconds"]["write"] > 0
        assert entry["fonts"] and all(f["embedded"] and f["subset"] for f in entry["fonts"])
    assert set(report["figures"]) >= {"drawn", "cached"}
    assert "write" in report["timings"] and isinstance(report["warnings"], list)


@pytest.mark.parametrize("edition", ["screen", "print", "imposed"])
def test_text_maps_stay_within_what_readers_accept(built, edition):
    """No ToUnicode entry maps one glyph to more than a few characters (a ligature's worth).

    WeasyPrint maps a CSS text-overflow ellipsis to all the text it hides; the proof slug once
    did that (one "…" standing for ~250 characters) and poppler reported an illegal entry on
    every page.
    """
    import re

    path = next(f.path for f in built.files if f.edition == edition)
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                for target in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]*)>", cmap):
                    assert len(target) // 4 <= 8, (obj.get("/BaseFont"), len(target) // 4)


def test_slug_is_cut_to_its_width():
    from booklet.editions.outlines import advances
    from booklet.editions.proof import _fit, slug_text

    text = slug_text([f"images/photo-{n:02d}-with-a-long-name.jpg" for n in range(8)])
    cut = _fit(text, 400, "Noto Sans CJK SC", 8)
    assert cut.endswith("…") and text.startswith(cut[:-1]) and len(cut) < len(text)
    assert 390 < sum(advances(cut, "Noto Sans CJK SC", 8)) <= 400
    assert _fit("校样", 400, "Noto Sans CJK SC", 8) == "校样"
