"""fontTools modules WeasyPrint imports but a build rarely uses load on first use."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
import booklet.render
import weasyprint.pdf.fonts, weasyprint.text.fonts
subset = sys.modules["fontTools.subset"]
before = type(subset).__name__
# render.deferred keeps fontTools.ttLib (and so woff2) out until first use; imported now,
# woff2 comes through lazymodules.
from fontTools.ttLib import woff2 as _  # what WeasyPrint does on first use
woff2 = type(sys.modules["fontTools.ttLib.woff2"]).__name__
options = subset.Options  # first use: the real module runs
print(json.dumps({"before": before, "after": type(subset).__name__,
                  "options": options.__name__, "woff2": woff2}))
"""


def test_subset_and_woff2_load_on_first_use():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True)
    got = json.loads(out.stdout)
    assert got["before"] == "_LazyModule" and got["woff2"] == "_LazyModule"
    assert got["after"] == "module" and got["options"] == "Options"
