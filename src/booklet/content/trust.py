"""Check the files booklet.yaml names: chapters and attachments in the project, one ICC file.

Run right after booklet.yaml validates, so a path that leaves the project, a special file or a
profile that is not an ICC profile is reported at its line of booklet.yaml, before any work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from booklet.content import gate
from booklet.errors import Problem

ICC_MAX_BYTES = 50 * 2**20


def config_problems(root: Path, config: Any, file: Path) -> list[Problem]:
    """Return the problems of the paths given in booklet.yaml (*config* is validated)."""
    from booklet.content.textfile import read_text
    from booklet.content.yamlsource import parse_yaml

    text, _ = read_text(file, [root])
    located, _ = parse_yaml(text, file)

    def line(*loc: Any) -> int | None:
        return located.line_of(loc) if located is not None else None

    problems = []
    seeds = root / "seeds"
    # `chapters:` is a list of files, or a mapping {files: [...], open_on: ...}.
    listed = config.chapters if isinstance(config.chapters, list) else \
        (config.chapters.files if config.chapters is not None else None)
    at: tuple[str, ...] = ("chapters",) if isinstance(config.chapters, list) \
        else ("chapters", "files")
    for i, name in enumerate(listed or []):
        why = _relative_problem(name) or gate.refusal(seeds / name, [root], "chapter file")
        if why:
            problems.append(Problem(f"chapter {name!r}: {why}", file, line(*at, i),
                                    field=f"{'.'.join(at)}[{i}]",
                                    hint="list chapter files by their path under seeds/, "
                                         "e.g. chapters/01-intro.md"))
    for i, name in enumerate(config.attachments):
        why = _relative_problem(name) or gate.refusal(root / name, [root], "file")
        if why:
            problems.append(Problem(f"attachment {name!r}: {why}", file, line("attachments", i),
                                    field=f"attachments[{i}]",
                                    hint="attach files inside the project, by their path "
                                         "from the project folder, e.g. seeds/data/x.csv"))
    editions = config.editions
    if "icc_profile" in editions.model_fields_set or editions.print or editions.imposed:
        path = Path(editions.icc_profile)
        path = path if path.is_absolute() else root / path
        why = icc_problem(path)
        if why:
            problems.append(Problem(f"{editions.icc_profile}: {why}", file,
                                    line("editions", "icc_profile"), field="editions.icc_profile",
                                    hint="give the path of a CMYK .icc/.icm file (ask the print "
                                         "shop for theirs), e.g. profiles/ISOcoated_v2.icc"))
    return problems


def _relative_problem(name: str) -> str | None:
    """Say why a project path is not a plain relative path, if it is not."""
    path = Path(name)
    if path.is_absolute():
        return "an absolute path; booklet reads only files inside the project"
    if ".." in path.parts:
        return "a path that climbs out with '..'; booklet reads only files inside the project"
    return None


def icc_problem(path: Path) -> str | None:
    """Return why *path* is not a usable CMYK output profile (None when it is)."""
    why = gate.refusal(path, [Path("/")], "profile")
    if why:
        return why
    try:
        data = gate.read_bytes(path, [Path("/")], limit=ICC_MAX_BYTES)
    except OSError as exc:
        return f"it cannot be read: {exc.strerror}"
    if len(data) < 128 or data[36:40] != b"acsp":
        return "it is not an ICC profile (no 'acsp' signature in its header)"
    if data[16:20] != b"CMYK":
        space = data[16:20].decode("ascii", "replace").strip()
        return f"it is an ICC profile for {space or 'an unknown'} colour, not CMYK"
    return None
