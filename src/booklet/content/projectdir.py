"""PROJECT_DIR as given on the command line: a project folder, or a message saying what to give."""

from __future__ import annotations

from pathlib import Path

from booklet.errors import ConfigError, Problem


def require_project(root: Path, file: Path) -> None:
    """Raise a located ConfigError unless *root* is a folder holding *file* (booklet.yaml).

    A file given as PROJECT_DIR (a chapter, booklet.yaml itself) is named as such, with the
    project folder above it when there is one.
    """
    if root.is_file():
        hint = "give the folder that holds seeds/booklet.yaml"
        for folder in list(root.parents)[:12]:  # bounded: a deep path is not searched to /
            if (folder / file.relative_to(root)).is_file():
                hint = f"give the folder {folder}, e.g. `booklet build {folder}`"
                break
        raise ConfigError(f"PROJECT_DIR is a file: {root}", [Problem(
            "PROJECT_DIR is a file; give the project folder (the one holding seeds/)", root,
            hint=hint)])
    if not file.is_file() and not file.is_symlink() and not file.exists():  # else: the gate says
        raise ConfigError(
            f"no booklet project at {root}",
            [Problem(f"{file.relative_to(root)} does not exist", file,
                     hint="run the command from a booklet project folder, name one as "
                          "PROJECT_DIR, or create one with `booklet new DIR`")])
