"""Keep each footnote on the page of its call: a guarded source patch of WeasyPrint 70.

When a paragraph at the foot of a page cannot leave its `orphans` lines there, WeasyPrint
moves the page's footnotes to the next page to make room, instead of moving the paragraph
(the `report` branch of `layout.block._linebox_layout`; `footnote-policy` does not govern
it). A reader then finds note 1 a page after its call. This patch turns that branch off, so
the paragraph moves and the footnote stays with its call, as in print typography.

A second edit makes the same function linear in the number of footnotes: for every line it
asks, for each box on the line, ``descendant.footnote in context.footnotes``, a scan of the
list of all footnotes not yet laid out, even for the boxes that carry no footnote (None).
Testing ``is not None`` first skips that scan for all but the footnote calls
(``bench/footnotes.py``, CPU time: 250 / 1000 footnotes 2.62 / 10.68 s before, 2.48 / 9.89 s
after; the scan's share grows with the square of the count).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import textwrap

from booklet.render.patches import digestcache

MODULE = "weasyprint.layout.block"
FUNCTION = "_linebox_layout"
REVIEWED_SOURCE = "e07bbe000974787e"  # sha256[:16] of WeasyPrint 70.0's function source
BRANCH = "report = not context.in_column and can_break_now and not could_break_before"
PATCHED = "report = False  # booklet: footnotes stay on the page of their call"
SCAN = "if descendant.footnote in context.footnotes)"
SCAN_PATCHED = ("if descendant.footnote is not None "
                "and descendant.footnote in context.footnotes)  # booklet: linear")


class FootnotePatchError(RuntimeError):
    """WeasyPrint's footnote code is not the code this patch was reviewed against."""


def install() -> None:
    """Replace the footnote-reporting branch (idempotent)."""
    module = importlib.import_module(MODULE)
    function = getattr(module, FUNCTION)
    if getattr(function, "__booklet_patched__", False):
        return
    source = textwrap.dedent(digestcache.source(function))  # inspect.getsource, kept
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    if digest != REVIEWED_SOURCE or source.count(BRANCH) != 1 or source.count(SCAN) != 1:
        raise FootnotePatchError(
            f"{MODULE}.{FUNCTION} changed (source digest {digest}, expected "
            f"{REVIEWED_SOURCE}): review booklet/render/patches/footnotes.py against this "
            "WeasyPrint")
    # Compile against the original file name and line numbers so tracebacks stay readable.
    first_line = function.__code__.co_firstlineno  # as inspect.getsourcelines says
    patched = source.replace(BRANCH, PATCHED).replace(SCAN, SCAN_PATCHED)
    code = compile("\n" * (first_line - 1) + patched,
                   inspect.getsourcefile(function) or MODULE, "exec")
    exec(code, module.__dict__)  # redefines the function in WeasyPrint's own module
    getattr(module, FUNCTION).__booklet_patched__ = True
