"""The names `booklet watch` reports as changed: the writer's files, not her editor's.

Editors and tools save through temporary files (vim's .swp, emacs's #name# and name~, sed -i's
sedXXXXXX, dot-files); they are left out of the `changed:` list, so it names what she edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# Suffixes of the files a project is made of (seeds/, layout/, styles/, figures/).
KNOWN_SUFFIXES = frozenset({
    ".md", ".yaml", ".yml", ".csv", ".json", ".html", ".css", ".py", ".txt", ".svg",
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif", ".pdf", ".icc", ".icm",
    ".otf", ".ttf", ".woff", ".woff2", ".bib",
})
_SED_TEMP = re.compile(r"^sed[A-Za-z0-9]{6}$")


def is_editor_temp(name: str) -> bool:
    """Return whether *name* is an editor's or tool's temporary file, not a project file."""
    if name.startswith((".", "#")) or name.endswith(("~", "#")) or _SED_TEMP.match(name):
        return True
    return Path(name).suffix.lower() not in KNOWN_SUFFIXES


def changed_names(paths: Iterable[Path]) -> list[str]:
    """Return the sorted names of the changed project files among *paths*."""
    return sorted({p.name for p in paths if not is_editor_temp(p.name)})
