"""prepare_html() and stylesheet(): text nodes only, idempotent, the options' CSS."""

from __future__ import annotations

import re
import time

import pytest
from tests.typography.typo_harness import SOURCE, TORTURE, document, paragraphs

from booklet.compose.typography import TypographyOptions, prepare_html, stylesheet

NBSP = "\u00a0"
DEFAULT = TypographyOptions()
AUTOSPACE = TypographyOptions(cjk_latin_spacing=True)


def test_options_are_frozen_and_validated():
    with pytest.raises(AttributeError):
        DEFAULT.punctuation = "full-width"  # type: ignore[misc]
    with pytest.raises(ValueError, match="punctuation"):
        TypographyOptions(punctuation="half")  # type: ignore[arg-type]


def test_digit_groups_get_a_no_break_space_in_text_only():
    html = ('<p title="3 600万">共有3 600万人，35 000+名工作人员（2023年）</p>'
            '<style>.x { margin: 1 000px }</style><script>var a = "1 000";</script>')
    out = prepare_html(html, DEFAULT)
    assert f"3{NBSP}600万人" in out and f"35{NBSP}000+名" in out
    assert 'title="3 600万"' in out  # attribute values are left alone
    assert "margin: 1 000px" in out and '"1 000"' in out
    assert "2023年" in out


def test_escape_hatch_and_raw_elements():
    html = ('<div class="box no-typo">1 000 <div>2 000</div> 3 000</div>4 000'
            "<pre>5 000</pre><code>6 000</code><title>7 000</title>")
    out = prepare_html(html, DEFAULT)
    for kept in ("1 000", "2 000", "3 000", "5 000", "6 000", "7 000"):
        assert kept in out
    assert f"4{NBSP}000" in out


def test_markup_is_unchanged_and_entities_survive():
    html = '<!DOCTYPE html><html lang="zh-CN"><!-- 1 000 --><p>AT&amp;T 有1 000名&lt;员工&gt;</p>'
    out = prepare_html(html, AUTOSPACE)
    unwrapped = re.sub(r'<span class="booklet-autospace[^"]*">|</span>', "", out)
    assert unwrapped.replace(NBSP, " ") == html
    assert "<!-- 1 000 -->" in out and "AT&amp;T" in out


def test_autospace_spans_touch_han_only():
    out = prepare_html("<p>在2023年，COVID-19（新冠）和Mark Garten拍摄</p>", AUTOSPACE)
    assert '在<span class="booklet-autospace booklet-autospace-start booklet-autospace-end">' \
           "2023</span>年" in out
    assert "，COVID-19（" in out  # next to punctuation: no gap (clreq)
    assert ('和<span class="booklet-autospace booklet-autospace-start booklet-autospace-end">'
            '<span class="booklet-lang" lang="en">Mark Garten</span></span>拍摄') in out
    assert "booklet-autospace" not in prepare_html("<p>在2023年</p>", DEFAULT)


@pytest.mark.parametrize("options", [DEFAULT, AUTOSPACE])
def test_idempotent(options):
    html = document(paragraphs(TORTURE))
    once = prepare_html(html, options)
    assert prepare_html(once, options) == once


def test_fast_on_a_booklet_sized_text():
    html = document(paragraphs(SOURCE)) * 3
    start = time.perf_counter()
    prepare_html(html, AUTOSPACE)
    assert time.perf_counter() - start < 0.05


def test_stylesheet_carries_the_options():
    assert "--booklet-punctuation: compressed" in stylesheet(DEFAULT)
    assert "--booklet-punctuation: full-width" in stylesheet(
        TypographyOptions(punctuation="full-width"))
    assert ".no-typo { --booklet-typography: off; }" in stylesheet(DEFAULT)
    assert "booklet-autospace" not in stylesheet(DEFAULT)
    css = stylesheet(AUTOSPACE)
    assert ".booklet-autospace-start { margin-left: 0.25em; }" in css
    assert "--booklet-autospace: on" in css


def test_han_shrink_is_on_by_default_and_can_be_switched_off():
    from booklet.content.config import Typography

    assert Typography().han_shrink is True
    assert Typography(han_shrink=False).han_shrink is False
    assert "--booklet-shrink: on" in stylesheet(DEFAULT)
    assert "--booklet-shrink: off" in stylesheet(TypographyOptions(han_shrink=False))
