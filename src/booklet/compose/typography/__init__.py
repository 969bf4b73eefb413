"""Chinese text preparation of the composed HTML: digit groups, Han/Latin spacing, the CSS.

- `prepare_html(html, options)`: text preparation (digit groups, optional Han/Latin spans);
- `stylesheet(options)`: the CSS those need, added after the booklet's stylesheets;
- `rules`: the character classes and line-break rules shared with the WeasyPrint patches
  (`booklet.render.patches`), which apply them at layout time.
"""

from .prepare import TypographyOptions, prepare_html, stylesheet

__all__ = ["TypographyOptions", "prepare_html", "stylesheet"]
