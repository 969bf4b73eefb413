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
import cffi
print(json.dumps({"asked": len(asked), "api_ffi": isinstance(wffi.ffi, cffi.FFI),
                  "decls": sorted(wffi.ffi._parser._declarations),
                  "pango": wffi.pango.pango_version() > 0, "file": wffi.__file__}))
"""


def _probe(cache: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, env={**os.environ, "XDG_CACHE_HOME": str(cache), **env})
    return json.loads(out.stdout)


def test_second_process_parses_nothing_and_runs_no_library_search(tmp_path):
    first = _probe(tmp_path)
    files = sorted(p.name for p in (tmp_path / "booklet" / "ffi").iterdir())
    assert any(f.endswith(".pickle") for f in files) and any(f.endswith(".json") for f in files)
    second = _probe(tmp_path)
    plain = _probe(tmp_path, BOOKLET_NO_PRECOMPILED_FFI="1")
    assert first["asked"] > 0 and second["asked"] == 0  # answered from the cache
    assert second["decls"] == first["decls"] == plain["decls"]  # the same declarations
    assert second["api_ffi"] and second["pango"]  # a cffi.FFI that patches.attrs can include
    assert second["file"].endswith("weasyprint/text/ffi.py")  # tracebacks show WeasyPrint's


def test_a_broken_cache_is_parsed_again(tmp_path):
    _probe(tmp_path)
    for path in (tmp_path / "booklet" / "ffi").iterdir():
        path.write_bytes(b"not a cache")
    again = _probe(tmp_path)
    assert again["pango"] and again["api_ffi"]
