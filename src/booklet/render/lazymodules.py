"""Load the fontTools modules WeasyPrint imports but a build rarely runs only when used.

`weasyprint.pdf.fonts` and `weasyprint.text.fonts` import `fontTools.subset` and
`fontTools.ttLib.woff2` at the top (~90 ms of every start on a busy machine), for the
fontTools subsetting fallback and for WOFF2 web fonts. booklet subsets with HarfBuzz
(checked by render.environment) and ships no WOFF2 fonts, so most builds never touch them.
They are imported with `importlib.util.LazyLoader`: the module object exists at once and
its code runs on the first attribute read, so anything that does use them gets the real
module.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from typing import Any

LAZY = frozenset({"fontTools.subset", "fontTools.ttLib.woff2"})


class LazyFinder(importlib.abc.MetaPathFinder):
    """Find the modules of LAZY and give them a lazy loader."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in LAZY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Put the finder first on sys.meta_path (idempotent; before WeasyPrint is imported)."""
    if os.environ.get("BOOKLET_NO_LAZY_MODULES") or LAZY & set(sys.modules):
        return
    if not any(isinstance(f, LazyFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, LazyFinder())
