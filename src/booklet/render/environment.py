"""Check that the machine has the fonts and libraries a build needs."""

from __future__ import annotations

import ctypes.util
from pathlib import Path

from booklet.content.config import Config
from booklet.errors import EnvironmentProblem, Problem

INSTALL = ("sudo apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai "
           "libharfbuzz-subset0   (or: make setup)")


def font_installed(family: str) -> bool:
    """Return whether fontconfig has *family* (the same answer the glyph check uses)."""
    from booklet.content.glyphs import resolve_font

    return resolve_font(family) is not None


def harfbuzz_subset_available() -> bool:
    """Return whether libharfbuzz-subset can be loaded (else WeasyPrint subsets ~35x slower)."""
    from booklet.render.fastffi import remembered_find_library

    with remembered_find_library():  # ldconfig's answer, kept until its cache changes
        return ctypes.util.find_library("harfbuzz-subset") is not None


def check_environment(config: Config, config_file: Path | None = None) -> None:
    """Stop with the exact install command when a font or HarfBuzz subsetting is missing."""
    from booklet.render.fontadvice import missing_font

    problems = []
    for role, family in (("body", config.fonts.body), ("heading", config.fonts.heading),
                         ("quote", config.fonts.quote)):
        if not font_installed(family):
            problems.append(missing_font(role, family, config_file))
    if not harfbuzz_subset_available():
        problems.append(Problem(
            "libharfbuzz-subset is missing: WeasyPrint would fall back to fontTools subsetting, "
            "which makes every build about 35 times slower", hint=INSTALL))
    if problems:
        raise EnvironmentProblem("this machine is not ready to build booklets", problems)
