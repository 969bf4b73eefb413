"""Check that the machine has the fonts and libraries a build needs."""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess

from booklet.config import Config
from booklet.errors import EnvironmentProblem, Problem

INSTALL = ("sudo apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai "
           "libharfbuzz-subset0   (or: make setup)")


@functools.cache
def _families() -> frozenset[str]:
    """Return the font family names fontconfig knows."""
    if shutil.which("fc-list") is None:
        return frozenset()
    out = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True,
                         text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def harfbuzz_subset_available() -> bool:
    """Return whether libharfbuzz-subset can be loaded (else WeasyPrint subsets ~35x slower)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def check_environment(config: Config) -> None:
    """Stop with the exact install command when a font or HarfBuzz subsetting is missing."""
    problems = []
    families = _families()
    for role, family in (("body", config.fonts.body), ("heading", config.fonts.heading),
                         ("quote", config.fonts.quote)):
        if family not in families:
            problems.append(Problem(f"the {role} font {family!r} is not installed",
                                    hint=INSTALL))
    if not harfbuzz_subset_available():
        problems.append(Problem(
            "libharfbuzz-subset is missing: WeasyPrint would fall back to fontTools subsetting, "
            "which makes every build about 35 times slower", hint=INSTALL))
    if problems:
        raise EnvironmentProblem("this machine is not ready to build booklets", problems)
