"""The typesetting rules as text functions: glue, compression, justification opportunities."""

from __future__ import annotations

import pytest

from booklet.compose.typography import rules


def glued(text: str) -> list[str]:
    return [text[s:e] for s, e in rules.glue_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("安东尼奥·古特雷斯", ["安东尼奥·", "古特雷斯"]),  # name parts whole, · never starts a line
    ("努力——无论", ["力——"]),  # "——" never split, never at a line start
    ("艰难……”", []),  # "……" is UAX #14 class IN: Pango keeps it whole and off a line start
    ("温度为5%～95%", ["%～"]),
    ("第75/1号", ["5/1"]),  # a solidus neither starts nor ends a line
    ("2023年9月21日", ["3年", "9月", "1日"]),
    ("3\u00a0600万", ["0万"]),
    ("摄影师Patrick MacLeod和", ["Patrick MacLeod"]),
    ("冠状病毒病(COVID-19)大流行", []),  # Pango: no break between a hyphen and digits
    ("Secretary-General Guterres said", []),  # may break after the hyphen; name > NAME_MAX
])
def test_glue_spans(text, expected):
    assert glued(text) == expected


def test_english_runs_break_at_spaces():
    """Only names and hyphenated words are glued; running English keeps its spaces."""
    assert glued("the Organization must act now and the Deputy agreed") == []


def test_overlapping_glue_merges_but_touching_glue_does_not():
    assert rules._merge([(0, 3), (2, 5), (5, 7)]) == [(0, 5), (5, 7)]


def test_breaks_allowed_drops_breaks_inside_glue():
    text = "一二2023年三"
    assert rules.breaks_allowed(text, [1, 2, 6, 7]) == [1, 2, 7]


@pytest.mark.parametrize(("text", "halted"), [
    ("甲。”乙", "。"),  # closing + closing: the first loses its trailing half
    ("甲，“乙", "，"),  # closing + opening
    ("“《乙》”", "《》"),  # opening + opening: the second loses its leading half
    ("乙）、丙”（丁", "）”"),
    ("甲乙。", ""),  # a lone mark keeps its width
])
def test_halt_positions(text, halted):
    assert "".join(text[i] for i in rules.halt_positions(text)) == halted


def test_halt_at_line_end():
    assert rules.halt_positions("甲乙，", line_end=True) == [2]
    assert rules.halt_positions("甲。”", line_end=True) == [1, 2]
    assert rules.halt_positions("甲乙（", line_end=True) == []


@pytest.mark.parametrize(("a", "b", "gap"), [
    ("中", "文", True),
    ("年", "2", True), ("3", "年", True),  # Han/digit boundaries
    ("a", "b", False), ("2", "0", False), ("3", "\u00a0", False),  # inside words/numbers
    ("—", "—", False), ("…", "…", False),  # inside "——" and "……"
    ("字", "，", False), ("“", "字", False),  # marks stay tight to their text
    ("，", "“", False), ("。", "”", False),  # a (compressed) pair of marks
    ("，", "字", True), ("”", "的", True),
    ("5", "%", False), ("%", "的", True),
])
def test_gap_after(a, b, gap):
    assert rules.gap_after(a, b) is gap


def test_opportunities():
    text = "在2023年，“act now”的Patrick MacLeod——3\u00a0600万……好"
    found = "".join(text[i] for i in rules.opportunities(text))
    # Never inside digits, words, "——" or "……", never next to a mark's inner side; the
    # word spaces stretch themselves, the digit-group space does not.
    assert found == "在3 ”的 d—0万…"
    assert rules.opportunities("中文")[-1] == 0  # never after the last character


def test_char_classes_do_not_confuse_letters_with_classes():
    assert rules.char_classes("CODE中，（") == "WWWWHCO"


@pytest.mark.parametrize(("text", "expected"), [
    ("3 600万", "3\u00a0600万"),
    ("35 000+名", "35\u00a0000+名"),
    ("12 345 678人", "12\u00a0345\u00a0678人"),
    ("1 234 567.89美元", "1\u00a0234\u00a0567.89美元"),
    ("2023年", "2023年"),  # years are never grouped
    ("2023 2024", "2023 2024"),
    ("第75/1号", "第75/1号"),
    ("Mark Garten 2023", "Mark Garten 2023"),
])
def test_group_numbers(text, expected):
    assert rules.group_numbers(text) == expected
    assert rules.group_numbers(expected) == expected  # idempotent


def test_names_with_the_interpunct_stay_whole():
    """Each part of a name stays whole; only the break after "·" remains (a last resort)."""
    text = "联合国秘书长安东尼奥·古特雷斯和丹尼斯·弗朗西斯会面。"
    candidates = list(range(1, len(text)))
    allowed = rules.breaks_allowed(text, candidates)
    for name in ("安东尼奥·古特雷斯", "丹尼斯·弗朗西斯"):
        start, end = text.index(name), text.index(name) + len(name)
        inside = [b for b in allowed if start < b < end]
        assert inside == [text.index("·", start) + 1], name
    assert text.index("长") + 1 in allowed
