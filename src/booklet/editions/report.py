"""The build's result and its report, dist/<slug>.report.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from booklet import __version__
from booklet.content.config import Project
from booklet.editions.write import EditionFile
from booklet.errors import Problem


@dataclass
class BuildResult:
    """What a build produced: files, pages, timings and warnings."""

    project: Project
    files: list[EditionFile]
    timings: dict[str, float]
    warnings: list[Problem] = field(default_factory=list)
    figures_drawn: int = 0
    figures_cached: int = 0
    images_converted: int = 0
    images_cached: int = 0
    report: Path | None = None

    @property
    def pages(self) -> int:
        """Return the page count of the first edition written."""
        return self.files[0].pages if self.files else 0

    @property
    def seconds(self) -> float:
        """Return the total build time (work done in parallel overlaps the rest: not added)."""
        return sum(v for k, v in self.timings.items() if not k.startswith("parallel-"))


def report_data(result: BuildResult) -> dict[str, Any]:
    """Return the report as plain data."""
    root = result.project.root
    return {
        "booklet": __version__,
        "title": result.project.config.title,
        "slug": result.project.config.slug,
        "editions": [edition_data(f, result.timings, root) for f in result.files],
        "figures": {"drawn": result.figures_drawn, "cached": result.figures_cached},
        "images": {"converted": result.images_converted, "cached": result.images_cached},
        "timings": {k: round(v, 3) for k, v in result.timings.items()},
        "warnings": [
            {"message": w.message, "file": _rel(w.file, root) if w.file else None,
             "line": w.line, "hint": w.hint}
            for w in result.warnings if not w.message.startswith("note: ")
        ],
        # News rather than faults, e.g. notes pages added to the print edition (render/padding).
        "notes": [w.message.removeprefix("note: ") for w in result.warnings
                  if w.message.startswith("note: ")],
    }


def edition_data(f: EditionFile, timings: dict[str, float], root: Path) -> dict[str, Any]:
    """Return one edition's entry: file, pages, size, fonts and its share of the build time."""
    layout = "print" if f.edition == "imposed" else f.edition
    layout_seconds = timings.get(f"compose-{layout}", 0.0) + timings.get(
        f"render-{layout}", timings.get(f"parallel-render-{layout}", 0.0))
    return {
        "edition": f.edition, "file": _rel(f.path, root), "pages": f.pages, "bytes": f.bytes,
        "blank_pages_added": f.blank_pages,
        "seconds": {"layout": round(layout_seconds, 3), "write": round(f.seconds, 3)},
        "fonts": [{"name": font.name, "type": font.type, "embedded": font.embedded,
                   "subset": font.subset} for font in f.fonts],
    }


def report_file(result: BuildResult, out: Path) -> tuple[Path, bytes]:
    """Return the report's path beside the PDFs and its bytes."""
    path = out / f"{result.project.config.slug}.report.json"
    text = json.dumps(report_data(result), ensure_ascii=False, indent=2) + "\n"
    return path, text.encode("utf-8")


def write_report(result: BuildResult, out: Path) -> Path:
    """Write the JSON report beside the PDFs and return its path."""
    from booklet.editions.publish import publish

    path, data = report_file(result, out)
    publish(out, {path.name: data})
    return path


def _rel(path: Path, root: Path) -> str:
    """Return *path* relative to the project when inside it."""
    try:
        # Not the file itself resolved: a published PDF is a link into dist/.editions/.
        return str((path.parent.resolve() / path.name).relative_to(root))
    except ValueError:
        return str(path)
