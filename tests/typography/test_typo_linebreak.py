"""The total-fit planner on its own: letter gaps of loose lines, box joins, halvable marks."""

from __future__ import annotations

from booklet.compose.typography import linebreak, rules

EM = 10.0


def _plan(text: str, width_ems: float, **options) -> list[linebreak.Line] | None:
    advances = [EM if ord(c) > 0x2000 else 0.5 * EM for c in text]
    candidates = [i for i in range(1, len(text)) if rules.breaks_allowed(text, [i])]
    return linebreak.plan_lines(text, advances, EM, candidates, width_ems * EM,
                                width_ems * EM, **options)


def test_letters_take_only_what_would_open_han_gaps_past_the_read_gap():
    assert linebreak.letter_share(0.5 * EM, 10, 12, EM) == 0.0  # 0.05 em a gap: fine as is
    assert linebreak.letter_share(1.5 * EM, 10, 12, EM) == 0.03 * EM  # capped
    small = linebreak.letter_share(1.0 * EM, 10, 12, EM)
    assert 0 < small < 0.03 * EM and abs(1.0 * EM - 12 * small - 0.095 * EM * 10) < 1e-9
    assert linebreak.letter_share(1.5 * EM, 0, 12, EM) == 0.0  # English-only: other rule


def test_letters_of_a_very_loose_line_spread_further_rather_than_open_han_gaps_past_019():
    # 2.5 em over 10 Han gaps and 12 letter gaps: 0.03 em letters would leave 0.214 em gaps
    rescue = linebreak.letter_share(2.5 * EM, 10, 12, EM)
    assert abs(rescue - 0.05 * EM) < 1e-9  # Han gaps at exactly RESCUE_GAP
    assert abs((2.5 * EM - 12 * rescue) / 10 - linebreak.RESCUE_GAP * EM) < 1e-9
    # never past LETTER_RESCUE (under the 0.1 em that extractors read as a space)
    assert linebreak.letter_share(6.0 * EM, 10, 12, EM) == linebreak.LETTER_RESCUE * EM < EM / 10


def test_a_closing_mark_at_a_box_join_keeps_its_full_width():
    text = "这是一个测试句子，" + "后面还有很多很多文字内容需要排版"
    inside = _plan(text, 9.5)
    assert inside is not None and inside[0].end == 9
    assert 8 in inside[0].squeeze  # halved at the line end: the line fits in 9.5 em
    joined = _plan(text, 9.5, joins=frozenset({9}))
    assert joined is not None
    assert joined[0].end != 9 or 8 not in joined[0].squeeze


def test_marks_a_face_cannot_halve_are_never_squeezed():
    text = "甲乙丙丁，戊己庚辛，壬癸子丑，寅卯辰巳午未申酉戌亥"
    halvable = [False] * len(text)
    for line in _plan(text, 11, halvable=halvable) or []:
        assert line.squeeze == ()
