"""Keep the line grid: a marked block's height is rounded up to whole body lines.

Photos, charts, QR blocks, quotes, callouts and card groups have heights that follow from
their pictures and their small type, not from the body line; the text after them would
start a fraction of a line off the grid, and facing pages would not back up. This wraps
WeasyPrint 70's `layout.block.block_level_layout`: when a block is laid out whole (not split
across pages) and its style declares `--grid: snap` (pages.css sets it on the children of a
chapter), its content box grows so that its border box is a whole number of `--line`. The
grown box is what the caller then fits on the page, so page breaks see the true height.
Children inherit `--grid`; only the element that declares it (its parent does not) snaps.
"""

from __future__ import annotations

import math
from typing import Any

from booklet.render.patches.guard import PatchReviewError, require

REVIEWED_SOURCE = "c1301dde9284e245"  # sha256[:16] of WeasyPrint 70.0's block_level_layout
_UNITS_PX = {"pt": 4 / 3, "px": 1.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


class GridPatchError(PatchReviewError):
    """WeasyPrint's block_level_layout is not the code this patch was reviewed against."""


def _token(style: Any, name: str) -> Any:
    """Return the single token of a custom property, or None."""
    tokens = [t for t in style[name] if getattr(t, "type", "") != "whitespace"]
    return tokens[0] if len(tokens) == 1 else None


def _snaps(box: Any) -> bool:
    """Return whether *box* declares `--grid: snap` itself (not by inheritance)."""
    token = _token(box.style, "__grid")
    if token is None or getattr(token, "value", None) != "snap":
        return False
    parent = box.style.parent_style
    inherited = _token(parent, "__grid") if parent is not None else None
    return inherited is None or getattr(inherited, "value", None) != "snap"


def line_px(style: Any) -> float | None:
    """Return the grid unit `--line` in CSS px, or None when it is not a plain length."""
    token = _token(style, "__line")
    if token is None or getattr(token, "type", "") != "dimension":
        return None
    factor = _UNITS_PX.get(token.unit)
    return token.value * factor if factor else None


def snap(box: Any, line: float) -> None:
    """Grow *box*'s content height so that its border box is whole lines of *line* px."""
    height = box.border_height()
    lines = math.ceil(height / line - 0.01)  # a hundredth of a line is rounding, not a line
    extra = lines * line - height
    if extra > 0.01:
        box.height += extra


def install() -> None:
    """Wrap block_level_layout with the grid snap (idempotent)."""
    from weasyprint.layout import block

    original = block.block_level_layout
    if getattr(original, "__booklet_grid__", False):
        return
    require(original, REVIEWED_SOURCE, "weasyprint.layout.block.block_level_layout",
            "grid.py", GridPatchError)

    def block_level_layout(*args: Any, **kwargs: Any) -> Any:
        """Lay out the block as WeasyPrint does, then round a marked block to whole lines."""
        result = original(*args, **kwargs)
        new_box, resume_at = result[0], result[1]
        if new_box is not None and resume_at is None and hasattr(new_box, "style") \
                and _snaps(new_box):
            line = line_px(new_box.style)
            if line:
                snap(new_box, line)
        return result

    block_level_layout.__booklet_grid__ = True  # type: ignore[attr-defined]
    block_level_layout.__wrapped__ = original  # type: ignore[attr-defined]
    block.block_level_layout = block_level_layout
