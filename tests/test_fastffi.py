"""WeasyPrint's C declarations pre-parsed and its library look-ups remembered (render.fastffi)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import ctypes.util, json, sys
asked = []
original = ctypes.util.find_library
ctypes.util.find_library = lambda name: (asked.append(name), original(name))[1]
import booklet.render  # puts the finder in place
from weasyprint.text import ffi as wffi
from booklet.render import fastffi
from booklet.render.patches import attrs
import cffi
print(json.dumps({"asked": len(asked), "api_ffi": isinstance(wffi.ffi, cffi.FFI),
                  "names": sorted(set(dir(wffi.pango)) | set(dir(wffi.harfbuzz))),
                  "pango": wffi.pango.pango_version() > 0, "file": wffi.__file__,
                  "parser": "pycparser" in sys.modules, "extra": fastffi.holds_extra(wffi.ffi),
                  "attrs_own_ffi": attrs._ffi is not wffi.ffi,
                  "breaks": str(attrs._lib().pango_attr_allow_breaks_new(0) != wffi.ffi.NULL)}))
"""
EXTRA = {"pango_attr_allow_breaks_new", "pango_attr_list_copy", "pango_attr_list_ref",
         "pango_glyph_string_get_logical_widths", "g_object_ref"}


def _probe(cache: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, env={**os.environ, "XDG_CACHE_HOME": str(cache), **env})
    return json.loads(out.stdout)


def test_second_process_parses_nothing_and_runs_no_library_search(tmp_path):
    first = _probe(tmp_path)
    files = sorted(p.name for p in (tmp_path / "booklet" / "ffi").iterdir())
    assert any(f.endswith(".py") for f in files)
    second = _probe(tmp_path)
    plain = _probe(tmp_path, BOOKLET_NO_PRECOMPILED_FFI="1")
    # The out-of-line FFI opens libraries by their file names without asking ctypes.
    assert plain["asked"] > 0 and first["asked"] == second["asked"] == 0
    # The out-of-line FFI: WeasyPrint's declarations plus the five booklet's patches need,
    # loaded without cffi's C parser; attrs uses it instead of an FFI of its own.
    assert set(second["names"]) == set(first["names"]) == set(plain["names"]) | EXTRA
    assert not second["api_ffi"] and second["extra"] and not second["attrs_own_ffi"]
    assert not second["parser"] and plain["parser"]
    assert second["pango"] and second["breaks"] == "True"
    assert plain["api_ffi"] and plain["attrs_own_ffi"] and plain["breaks"] == "True"
    assert second["file"].endswith("weasyprint/text/ffi.py")  # tracebacks show WeasyPrint's


def test_pickled_parser_state_when_out_of_line_is_off(tmp_path):
    first = _probe(tmp_path, BOOKLET_NO_OUT_OF_LINE_FFI="1")
    files = sorted(p.name for p in (tmp_path / "booklet" / "ffi").iterdir())
    assert any(f.endswith(".pickle") for f in files) and any(f.endswith(".json") for f in files)
    again = _probe(tmp_path, BOOKLET_NO_OUT_OF_LINE_FFI="1")
    assert first["asked"] > 0 and again["asked"] == 0  # library look-ups answered from disk
    assert again["api_ffi"] and again["attrs_own_ffi"] and again["breaks"] == "True"
    assert set(again["names"]) | EXTRA == set(_probe(tmp_path)["names"])


def test_a_broken_cache_is_parsed_again(tmp_path):
    _probe(tmp_path)
    for path in (tmp_path / "booklet" / "ffi").iterdir():
        path.write_bytes(b"not a cache")
    again = _probe(tmp_path)
    assert again["pango"] and again["extra"] and again["breaks"] == "True"
