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


def _planned(text: str, width_ems: float) -> list[linebreak.Line] | None:
    """Plan with Pango's opportunities modelled: none inside a word or before a closing mark."""
    advances = [EM if ord(c) > 0x2000 else 0.5 * EM for c in text]
    candidates = [i for i in range(1, len(text))
                  if not (text[i - 1].isascii() and text[i].isascii())
                  and text[i] not in rules.CLOSING and rules.breaks_allowed(text, [i])]
    return linebreak.plan_lines(text, advances, EM, candidates, width_ems * EM,
                                width_ems * EM)


def _natural(text: str, line: linebreak.Line) -> float:
    return sum(EM if ord(c) > 0x2000 else 0.5 * EM for c in text[line.start:line.end])


def test_a_line_is_set_a_little_tighter_rather_than_loose():
    # 20 Han characters and a 2 em word: 22 em in 21.95 em. Without the word the line opens
    # its gaps to 0.10 em (read as spaces); closing 21 gaps by 0.003 em each fits it.
    text = "汉" * 20 + "ABCD" + "字" * 40
    lines = _planned(text, 21.95)
    assert lines is not None
    first = lines[0]
    assert first.end == 24 and first.gap < 0 and first.spacing < 0
    assert -first.gap <= linebreak.HAN_SHRINK
    # the letter-spacing of its characters (the last's dropped) closes it to the measure
    closed = _natural(text, first) + first.spacing * EM * (first.end - first.start - 1)
    assert closed <= 21.95 * EM - linebreak.FIT + 1e-9
    assert first.squeeze == ()  # shrunk instead of squeezed


def test_a_line_is_never_shrunk_past_han_shrink():
    # 22 em in 21.4 em: 0.6 em over 20 gaps is 0.03 em a gap, over the 0.025 em limit
    text = "汉" * 20 + "ABCD" + "字" * 40
    lines = _planned(text, 21.4)
    assert lines is not None
    for line in lines:
        assert line.gap >= -linebreak.HAN_SHRINK - 1e-9
        if line.spacing:
            gaps = line.end - line.start - 1
            assert -line.spacing * gaps <= linebreak.HAN_SHRINK * EM * gaps
    assert lines[0].end != 24


def test_a_shrunk_line_keeps_the_line_break_rules():
    # The line could close up to end before "，" (a banned line start): it may not.
    text = "汉" * 21 + "，" + "字" * 40
    lines = _planned(text, 21.0)
    assert lines is not None
    assert all(text[line.start] != "，" for line in lines)
    assert lines[0].end != 21  # 21 em in 21 em: the comma may not start the next line


def test_a_shrink_costs_more_than_a_squeezed_mark():
    # 0.1 em too long with a comma inside (or 0.1 em gaps without the word): the comma is
    # set half-width, the gaps stay.
    text = "汉" * 10 + "，" + "汉" * 9 + "ABCD" + "字" * 40
    lines = _planned(text, 21.9)
    assert lines is not None
    assert lines[0].end == 24 and lines[0].spacing == 0 and 10 in lines[0].squeeze
