"""Chinese (Simplified) typography for WeasyPrint: justification, line breaking, punctuation.

- `prepare_html(html, options)`: text preparation of the composed HTML (digit groups,
  optional Han/Latin spacing spans);
- `stylesheet(options)`: the CSS those need, added after the booklet's stylesheets;
- `install()`: patches WeasyPrint 70 (inter-character justification, line-break glue,
  punctuation compression); call once per process before `HTML(...).render()`.
"""

from .guard import TypographyInstallError
from .prepare import TypographyOptions, prepare_html, stylesheet


def install() -> None:
    """Patch WeasyPrint for Chinese typography (idempotent); see justify.install()."""
    # Imported here: the compose stage uses prepare_html() without loading WeasyPrint.
    from .justify import install as install_patches

    install_patches()


__all__ = ["TypographyInstallError", "TypographyOptions", "install", "prepare_html",
           "stylesheet"]
