"""The page design, checked on the built seed booklet (read back from the PDF).

Page masters (cover, colophon, contents, openers, running heads, folios, back cover), the
components' text, the flow rules (headings, widows/orphans, unbreakable blocks, footnotes)
and the type sizes. Geometry comes from booklet.yaml, so the tests follow the tokens.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf
import pytest
from tests.conftest import ROOT
from tests.pdfpages import Booklet, Page, norm

from booklet.content.blocks import QR, Callout, Chart, Photo, Priorities, Quote, Stats
from booklet.content.chapters import Heading, Prose, load_booklet
from booklet.content.config import load_project, to_pt


@pytest.fixture(scope="session")
def content():
    """The seed booklet's content tree (chapters, blocks)."""
    return load_booklet(load_project(ROOT))


@pytest.fixture(scope="session")
def screen(screen_pdf, built) -> Booklet:
    return Booklet(screen_pdf, built.project.config)


@pytest.fixture(scope="session")
def print_pdf(built) -> Path:
    return next(f.path for f in built.files if f.edition == "print")


def _line_pitch(screen: Booklet) -> float:
    t = screen.config.typography
    return to_pt(t.body_size) * t.line_height


def _openers(screen: Booklet) -> dict[int, str]:
    """Page number -> chapter title, for every chapter's first page."""
    return {page: title for level, title, page in screen.outline if level == 1}


def _body_pages(screen: Booklet) -> list[Page]:
    """Pages from the first chapter opener to the page before the back cover."""
    first = min(_openers(screen))
    return [p for p in screen.pages[first - 1:-1] if not p.blank]


# ---- Page masters ----------------------------------------------------------------------

def test_the_design_raises_no_layout_warnings(built):
    """Every rule in layout/ and styles/ is understood by WeasyPrint (nothing ignored)."""
    assert [w.message for w in built.warnings if w.message.startswith("WeasyPrint")] == []


def test_cover_is_page_one_with_title_subtitle_and_year(screen):
    cover = screen.pages[0]
    config = screen.config
    for text in (config.title, config.subtitle, str(config.date.year)):
        assert norm(text) in cover.text
    assert not cover.folio.isdigit(), "the cover carries no folio"


def test_cover_and_back_cover_are_blue_fields(screen_pdf, built):
    """Most of the cover and of the back cover is the brand colour (a full-bleed field)."""
    from booklet.tools.proof import page_images

    brand = built.project.config.colors["brand"].on_screen  # the screen edition's blue
    target = tuple(int(brand[i:i + 2], 16) for i in (1, 3, 5))
    count = len(Booklet(screen_pdf, built.project.config).pages)
    for image in page_images(screen_pdf, dpi=12, pages=[0, count - 1]):
        data = image.convert("RGB").tobytes()
        pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
        share = sum(all(abs(a - b) < 12 for a, b in zip(px, target, strict=True))
                    for px in pixels) / len(pixels)
        assert share > 0.8, f"only {share:.0%} of the page is the brand colour"


def test_back_cover_is_the_last_page_and_a_left_hand_page(screen, print_pdf):
    back = screen.pages[-1]
    assert norm(screen.config.description) in back.text
    # On screen there is no inside back cover (issue 16): the page before it has content.
    assert screen.pages[-2].text
    with pikepdf.open(print_pdf) as pdf:  # in print the back cover is a left-hand page
        assert len(pdf.pages) % 2 == 0


def test_colophon_on_page_two(screen, content):
    """Inside front cover: publisher, edition, date and the photo credits."""
    colophon = screen.pages[1]
    config = screen.config
    for text in (config.publisher, config.edition, f"{config.date.year}年{config.date.month}月"):
        assert norm(text) in colophon.text
    credits = {p.credit for _, p in content.blocks_of(Photo) if p.credit}
    assert credits and all(norm(c) in colophon.text for c in credits)
    # A proof says so outside the trim (editions/proof.py), never on the page (issue 16).
    assert "校样" not in colophon.text and "图片待补" not in colophon.text


def test_toc_numbers_are_the_printed_folios_of_the_headings(screen):
    """Every contents entry's number is the folio printed on the page of its heading."""
    toc = next(p for p in screen.pages[:5] if "目录" in p.text)
    entries = []
    for line in toc.block:
        m = re.match(r"^(.*?)[.\s]*(\d+)$", line.text.strip())
        if m and m.group(1):
            entries.append((m.group(1).strip(), int(m.group(2))))
    expected = [(title, page) for level, title, page in screen.outline if level <= 2]
    assert [t for t, _ in entries] == [t for t, _ in expected]
    for (title, number), (_, page) in zip(entries, expected, strict=True):
        assert number == page, (title, number, page)
        heading_page = screen.pages[page - 1]
        assert norm(title) in heading_page.text
        assert heading_page.folio == str(number), (title, heading_page.folio)


def test_toc_has_dot_leaders(screen):
    toc = next(p for p in screen.pages[:5] if "目录" in p.text)
    assert sum(". . ." in ln.text for ln in toc.block) >= 10


def test_running_heads_show_the_current_chapter(screen):
    """Body pages: the chapter title in the head; opening pages: no head."""
    openers = _openers(screen)
    current = ""
    checked = 0
    for page in screen.pages[min(openers) - 1:-1]:
        if page.number in openers:
            current = openers[page.number]
            assert page.head == "", f"page {page.number} opens a chapter: no running head"
            continue
        if page.blank:
            continue
        assert page.head == current, (page.number, page.head, current)
        checked += 1
    assert checked >= 10


def test_folios_on_the_outer_corners(screen):
    """The folio is the page number, at the outer edge of the text block."""
    m = screen.config.page.margin
    width = to_pt(screen.config.page.width)
    for page in _body_pages(screen):
        folio = [ln for ln in page.lines if ln.baseline > page.bottom + 4]
        assert folio and folio[0].text.strip() == str(page.number)
        if page.is_right:  # right-hand page: flush with the right edge of the text block
            assert folio[0].x1 == pytest.approx(width - to_pt(m.outer), abs=1.0)
        else:
            assert folio[0].x0 == pytest.approx(to_pt(m.outer), abs=1.0)


def test_blank_pages_carry_no_head_or_folio(print_pdf, built):
    """Blank pages (padding, left before openers) are entirely empty."""
    booklet = Booklet(print_pdf, built.project.config)
    for page in booklet.pages[1:-1]:
        if not page.block:
            assert page.blank, f"page {page.number} has only {page.head!r} {page.folio!r}"


def test_bands_and_covers_run_into_the_bleed(print_pdf, built):
    """Print edition: the blue fields reach the bleed edge on every side they touch."""
    from booklet.tools.proof import page_images

    config = built.project.config
    bleed = to_pt(config.page.bleed)
    with pikepdf.open(print_pdf) as pdf:
        boxes = [(pg.mediabox, pg.obj.get("/BleedBox"), pg.obj.get("/TrimBox")) for pg in pdf.pages]
    openers = [page for level, _, page in Booklet(print_pdf, config).outline if level == 1]
    dpi = 36
    images = page_images(print_pdf, dpi=dpi, pages=[0, *[p - 1 for p in openers]])
    for image, index in zip(images, [0, *[p - 1 for p in openers]], strict=True):
        media, bleed_box, trim = boxes[index]
        assert bleed_box is not None and trim is not None
        scale = dpi / 72
        top = float(media[3]) - float(bleed_box[3])
        left = float(bleed_box[0]) - float(media[0])
        right = float(bleed_box[2]) - float(media[0])
        # 1pt inside the bleed edge, at the top-left and top-right corners: not paper.
        y = round((top + 1) * scale)
        for x in (round((left + 1) * scale), round((right - 1) * scale)):
            assert sum(image.getpixel((x, y))) < 600, f"page {index + 1} is white at the bleed"
    assert bleed > 0


# ---- Text and type ---------------------------------------------------------------------

def test_every_component_text_is_printed(screen, content):
    text = norm("".join(p.text for p in screen.pages))
    expected: list[str] = []
    for _, b in content.blocks_of(Stats):
        expected += [s for i in b.items for s in (i.label, i.value, i.text)]
    for _, b in content.blocks_of(Priorities):
        expected += [b.headline, b.lead, *[s for a in b.areas for s in (a.area, a.text)]]
    for _, b in content.blocks_of(Quote):
        expected += [b.text, b.role, b.name]
    for _, b in content.blocks_of(Photo):
        expected += [b.caption, b.dateline, b.credit]
    for _, b in content.blocks_of(Chart):
        expected += [b.caption]
    for _, b in content.blocks_of(QR):
        expected += [b.caption, b.url]
    for _, b in content.blocks_of(Callout):
        expected += [b.title, b.text, *b.items]
    missing = [s for s in expected if s and norm(s) not in text]
    assert missing == []


def test_missing_photos_are_marked_placeholders(screen, content):
    """Each missing photo prints a flagged placeholder naming the file, beside its caption."""
    for _, photo in content.blocks_of(Photo):
        pages = [p for p in screen.pages if norm(photo.caption) in p.text]
        assert len(pages) == 1, f"caption of {photo.src} split or missing"
        assert norm(photo.src) in pages[0].text, "the placeholder names the missing file"
        assert "图片待补" in pages[0].text


def test_unbreakable_blocks_stay_on_one_page(screen, content):
    """Quotes, photo + caption, callouts and the card grids are never split."""
    def one_page(*parts: str) -> bool:
        return any(all(norm(s) in p.text for s in parts if s) for p in screen.pages)

    for _, q in content.blocks_of(Quote):
        assert one_page(q.text, q.role, q.name), q.name
    for _, ph in content.blocks_of(Photo):
        assert one_page(ph.caption, ph.dateline, ph.credit, ph.src), ph.src
    for _, c in content.blocks_of(Callout):
        assert one_page(c.title, c.text, *c.items), c.title
    for _, s in content.blocks_of(Stats):
        assert one_page(*[x for i in s.items for x in (i.label, i.value, i.text)])
    for _, pr in content.blocks_of(Priorities):
        assert one_page(pr.headline, *[a.text for a in pr.areas])


def test_faces_and_sizes(screen, content):
    """Song body 10.5pt, Hei bold headings, Kai quotes and captions."""
    body = to_pt(screen.config.typography.body_size)
    lines = [ln for p in screen.pages for ln in p.block]
    body_lines = [ln for ln in lines if ln.is_body(screen.config)]
    assert len(body_lines) > 100
    assert all("Serif" in ln.font for ln in body_lines)
    headings = {h.text for ch in content.chapters for h in ch.headings}
    for ln in lines:
        if ln.text.strip() in headings:
            assert "Sans" in ln.font and "Bold" in ln.font and ln.size > body, ln.text
    quotes = [norm(q.text)[:8] for _, q in content.blocks_of(Quote)]
    kai = [ln for ln in lines if any(norm(ln.text).startswith(q) for q in quotes)]
    assert len(kai) == len(quotes) and all("WenKai" in ln.font for ln in kai)


def test_nothing_is_set_too_small(screen, content):
    """Nothing under 7pt; under 六号 (7.875pt) only the QR address and chart labels."""
    urls = [q.url for _, q in content.blocks_of(QR)]
    small = []
    with_charts = {p.number for p in screen.pages for _, c in content.blocks_of(Chart)
                   if norm(c.caption) in p.text}
    for page in screen.pages:
        for ln in page.lines:
            for c in ln.chars:
                if not c["text"].strip():
                    continue
                assert c["size"] >= 7.0 - 0.01, (page.number, ln.text, c["size"])
                if c["size"] < 7.875 - 0.01:
                    small.append((page.number, ln.text, "Sans" in c["fontname"]))
    for number, text, sans in small:
        in_url = any(norm(text) in norm(u) for u in urls)
        in_chart = number in with_charts and sans
        assert in_url or in_chart, (number, text)


def test_body_paragraphs_are_indented_two_characters(screen, content):
    """First-line indent 2em on body paragraphs; headings start at the text block's edge."""
    em = to_pt(screen.config.typography.body_size)
    starts = []
    for ch in content.chapters:
        for node in ch.nodes:
            if isinstance(node, Prose):
                starts += [norm(re.sub(r"<[^>]+>", "", p))[:10]
                           for p in re.findall(r"<p(?: [^>]*)?>(.*?)</p>", node.html, re.S)]
    found = 0
    for page in screen.pages:
        for ln in page.block:
            t = norm(ln.text)
            if ln.is_body(screen.config) and any(s and t.startswith(s) for s in starts):
                assert ln.x0 == pytest.approx(page.block_left + 2 * em, abs=0.6), t
                found += 1
            elif ln.text.strip() in {h.text for c in content.chapters for h in c.headings}:
                assert ln.x0 == pytest.approx(page.block_left, abs=0.6), t
    assert found >= 20


def test_heading_space_is_a_whole_number_of_lines(screen, content):
    """Between body text above and below: ## takes 3 lines, ### takes 2 (plus the line)."""
    pitch = _line_pitch(screen)
    levels = {h.text: h.level for ch in content.chapters for h in ch.headings}
    seen = set()
    for page in screen.pages:
        block = page.block
        for i in range(1, len(block) - 1):
            level = levels.get(block[i].text.strip())
            before, after = block[i - 1], block[i + 1]
            if level and before.is_body(screen.config) and after.is_body(screen.config):
                lines = (after.baseline - before.baseline) / pitch
                assert lines == pytest.approx({2: 4, 3: 3}[level], abs=0.03), block[i].text
                seen.add(level)
    assert seen == {2, 3}


# ---- Flow rules ------------------------------------------------------------------------

def test_no_heading_alone_at_a_page_foot(screen, content):
    """After every heading, at least two lines of its section on the same page."""
    headings = {h.text for ch in content.chapters for h in ch.headings}
    for page in screen.pages:
        block = page.block
        for i, ln in enumerate(block):
            if ln.text.strip() in headings:
                after = [x for x in block[i + 1:] if x.text.strip() not in headings]
                assert len(after) >= 2, f"heading {ln.text!r} alone at the foot of {page.number}"


def test_no_widows_or_orphans(screen):
    """No page ends with a paragraph's first line nor starts with its last line alone."""
    pages = _body_pages(screen)
    em = to_pt(screen.config.typography.body_size)
    for page, following in itertools.pairwise(pages):
        body = [ln for ln in page.block if ln.is_body(screen.config)]
        nxt = [ln for ln in following.block if ln.is_body(screen.config)]
        if not body or not nxt:
            continue
        indented = lambda ln, p: ln.x0 > p.block_left + 1.5 * em  # noqa: E731
        last, first = body[-1], nxt[0]
        gap_after_last = page.bottom - last.baseline
        continued = not indented(first, following) and first.baseline - following.top < 30
        if continued and gap_after_last < 2 * _line_pitch(screen):
            # The paragraph runs over: at least two of its lines on each side.
            assert not indented(last, page), f"orphan at the foot of page {page.number}"
            second = nxt[1] if len(nxt) > 1 else None
            ends_here = second is None or indented(second, following) or \
                second.baseline - first.baseline > 1.5 * _line_pitch(screen)
            assert not ends_here, f"widow at the head of page {following.number}"


def test_footnote_is_on_the_page_of_its_call(screen, content):
    """The footnote text sits at the foot of the page that carries its call (the number)."""
    fn = re.compile(r'<span class="footnote"[^>]*>(.*?)</span>', re.S)
    notes = []
    for ch in content.chapters:
        for node in ch.nodes:
            if isinstance(node, Prose):
                for m in fn.finditer(node.html):
                    after = re.sub(r"<[^>]+>", "", fn.sub("", node.html[m.end():]))
                    notes.append((norm(after)[:8], norm(re.sub(r"<[^>]+>", "", m.group(1)))))
    assert notes
    body_size = to_pt(screen.config.typography.body_size)
    for number, (after_call, body) in enumerate(notes, start=1):
        note_pages = [p for p in screen.pages if body[:20] in p.text]
        assert len(note_pages) == 1
        page = note_pages[0]
        body_lines = [ln for ln in page.block if ln.is_body(screen.config)]
        calls = [ln for ln in page.block if ln.text.strip() == str(number)
                 and ln.size < body_size and body_lines
                 and ln.baseline < body_lines[-1].baseline]
        assert calls, f"footnote {number} is on page {page.number}, its call is not"
        assert after_call in page.text
        note_lines = [ln for ln in page.block if norm(ln.text).startswith(str(number) + body[:6])]
        assert note_lines and note_lines[0].baseline > body_lines[-1].baseline


def test_chapters_open_on_a_new_page_under_the_band(screen, content):
    """Each chapter title is the first thing on its page, set in the band (white on blue)."""
    openers = _openers(screen)
    assert list(openers.values()) == [ch.meta.title for ch in content.chapters]
    for number, title in openers.items():
        first = screen.pages[number - 1].block[0]
        assert first.text.strip() == title
        assert first.size == pytest.approx(to_pt(screen.config.sizes["title"]), abs=0.1)


def test_headings_in_content_are_bookmarked(screen, content):
    titles = [t for _, t, _ in screen.outline]
    for ch in content.chapters:
        assert ch.meta.title in titles
        for node in ch.nodes:
            if isinstance(node, Heading) and node.level <= 3:
                assert node.text in titles
