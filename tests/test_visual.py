"""Visual regression of the seed booklet against tests/goldens/ (see tests/visual.py)."""

from __future__ import annotations

from tests.visual import GOLDENS, compare_with_goldens


def test_pages_match_the_goldens(screen_pdf, tmp_path_factory):
    """Every page within TOLERANCE grey levels of its golden; regenerate with `make goldens`."""
    compare_with_goldens(screen_pdf, GOLDENS, tmp_path_factory)
