"""WeasyPrint's rarely used fontTools imports and PH stylesheet load on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from booklet.render import deferred

PROBE = """
import inspect, io, json, sys
import booklet.render
import weasyprint.html, weasyprint.pdf.fonts as P, weasyprint.text.fonts as T
from booklet.render.patches import fontblob
got = {"loaded": sorted(m for m in ("fontTools.ttLib", "fontTools.varLib",
                                    "fontTools.varLib.instancer") if m in sys.modules),
       "kinds": [type(x).__name__ for x in (P.TTFont, P.ttFont, T.TTFont, T.woff2,
                                            P.instantiateVariableFont,
                                            weasyprint.html.PH_STYLESHEET)],
       "digests": fontblob.digests() == fontblob.REVIEWED_SOURCES,
       "first_line": inspect.getsourcelines(P.Font.__init__)[0][0].strip()}
try:  # WeasyPrint's pattern: the call first, then `except TTLibError`
    P.TTFont(io.BytesIO(b"not a font at all"))
except P.TTLibError as exc:
    got["caught"] = type(exc).__module__ + "." + type(exc).__name__
import fontTools.ttLib, fontTools.varLib.instancer as inst
got["bound"] = [P.TTFont is fontTools.ttLib.TTFont, P.ttFont is fontTools.ttLib.ttFont,
                P.TTLibError is fontTools.ttLib.TTLibError]
got["text_fonts_apart"] = type(T.TTFont).__name__  # its own line: bound on its own first use
try:  # not a font: the real instancer says so
    P.instantiateVariableFont(None, {})
except Exception as exc:
    got["instancer"] = type(exc).__name__
got["instancer_bound"] = P.instantiateVariableFont is inst.instantiateVariableFont
got["woff2"] = T.woff2.decompress.__name__
got["text_fonts_bound"] = T.TTFont is fontTools.ttLib.TTFont
got["ph_rules"] = len(weasyprint.html.PH_STYLESHEET.page_rules) >= 0
doc = weasyprint.HTML(string='<p align="center">x</p>').render(presentational_hints=True)
got["ph_pages"] = len(doc.pages)
print(json.dumps(got))
"""


def _probe(cache: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, env={**os.environ, "XDG_CACHE_HOME": str(cache), **env})
    return json.loads(out.stdout)


def test_fonttools_and_the_ph_sheet_wait_for_first_use(tmp_path):
    got = _probe(tmp_path)
    assert got["loaded"] == []
    assert got["kinds"] == ["_StandIn"] * 5 + ["_DeferredSheet"]
    # Same line numbers: inspect and the patches' pinned digests see WeasyPrint's file.
    assert got["digests"] and got["first_line"].startswith("def __init__(")
    assert got["caught"] == "fontTools.ttLib.TTLibError"
    assert got["bound"] == [True] * 3 and got["instancer_bound"]
    assert got["text_fonts_apart"] == "_StandIn" and got["text_fonts_bound"]
    assert got["instancer"] == "TypeError" and got["woff2"] == "decompress"
    assert got["ph_rules"] and got["ph_pages"] == 1
    assert list((tmp_path / "booklet" / "deferred").glob("*.marshal"))  # compiled once
    again = _probe(tmp_path)  # from the compiled cache
    assert again["kinds"] == got["kinds"] and again["caught"] == got["caught"]


def test_switched_off_imports_weasyprint_unchanged(tmp_path):
    got = _probe(tmp_path, BOOKLET_NO_LAZY_MODULES="1")
    assert got["loaded"] == ["fontTools.ttLib", "fontTools.varLib",
                             "fontTools.varLib.instancer"]
    assert got["kinds"] == ["type", "module", "type", "module", "function", "CSS"]


def test_a_module_without_the_line_is_not_rewritten():
    source = "import os\nfrom fontTools.ttLib import TTFont, woff2 as w\n"
    assert deferred.rewrite("weasyprint.text.fonts", source) is None
    twice = "from fontTools.ttLib import TTFont, woff2\n" * 2
    assert deferred.rewrite("weasyprint.text.fonts", twice) is None
    once = "x = 1\nfrom fontTools.ttLib import TTFont, woff2\ny = 2\n"
    new = deferred.rewrite("weasyprint.text.fonts", once)
    assert new is not None and new.count("\n") == once.count("\n")
    assert "_booklet_defer(" in new.split("\n")[1]


def test_a_broken_compiled_module_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code = deferred.compiled("x = 6 * 7\n", "<probe>")
    [cached] = (tmp_path / "booklet" / "deferred").glob("*.marshal")
    cached.write_bytes(b"\x00garbage")
    again = deferred.compiled("x = 6 * 7\n", "<probe>")
    namespace: dict = {}
    exec(again, namespace)
    assert namespace["x"] == 42 and again.co_filename == code.co_filename
