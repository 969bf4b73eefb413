"""Find templates and stylesheets: the project's own files first, then the shipped defaults."""

from __future__ import annotations

import functools
import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # src/booklet


@functools.cache  # the package's files do not move while it runs (a watch composes 73 parts)
def defaults_dir(kind: str) -> Path:
    """Return the shipped default folder for *kind* ("layout", "styles" or "figures")."""
    installed = _PACKAGE / "defaults" / kind
    if installed.is_dir():
        return installed
    # In a source checkout (editable install) the defaults are the repo's top-level folders.
    return _PACKAGE.parents[1] / kind


def user_cache(*parts: str) -> Path:
    """Return booklet's per-user cache path for *parts* (under $XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "booklet", *parts)


def search_path(project_root: Path, kind: str) -> list[Path]:
    """Return the folders searched for *kind*, the project's first."""
    own = project_root / kind
    default = defaults_dir(kind)
    folders = [own] if own.is_dir() else []
    if _resolved(default) not in (f.resolve() for f in folders):
        folders.append(default)
    return folders


@functools.cache
def _resolved(folder: Path) -> Path:
    """Return a shipped folder resolved (once per process)."""
    return folder.resolve()


def find(project_root: Path, kind: str, name: str) -> Path:
    """Return the file *name* of *kind*, preferring the project's own copy."""
    for folder in search_path(project_root, kind):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{kind}/{name}")
