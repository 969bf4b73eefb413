"""Load figure modules by path and validate their data files, locating every problem."""

from __future__ import annotations

import importlib.util
import sys
import traceback
import types
from pathlib import Path
from typing import Any

from booklet.errors import BookletError, Problem
from booklet.figures.cache import digest


def line_in(exc: BaseException, path: Path) -> int | None:
    """Return the last traceback line that lies in *path*."""
    if isinstance(exc, SyntaxError) and exc.filename == str(path):
        return exc.lineno
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    return lines[-1] if lines else None


def package_for(folder: Path) -> str:
    """Register ``folder`` as a private package so modules can ``from ._style import …``.

    The package searches the project's figures/ first, then the shipped figures, so a figure
    copied from the shipped ones finds their helpers (`_style`) without copying them too.
    """
    from booklet.content.resources import defaults_dir

    name = "booklet_figures_" + digest(str(folder.resolve()))[:12]
    if name not in sys.modules:
        package = types.ModuleType(name)
        shipped = defaults_dir("figures")
        package.__path__ = [str(folder)] + (
            [str(shipped)] if shipped.is_dir() and shipped.resolve() != folder.resolve() else [])
        sys.modules[name] = package
    # Forget modules from an earlier build in this process, so edits take effect.
    for loaded in [m for m in sys.modules if m.startswith(name + ".")]:
        del sys.modules[loaded]
    return name


def helper_code(folder: Path) -> bytes:
    """Return the code of the helper modules (`_*.py`) figures in *folder* can import.

    The project's own helpers first, then the shipped ones it does not shadow; the figure
    cache key includes them, so editing a helper redraws the figures.
    """
    from booklet.content.resources import defaults_dir

    found: dict[str, Path] = {}
    for where in (folder, defaults_dir("figures")):
        for path in sorted(where.glob("_*.py")) if where.is_dir() else []:
            found.setdefault(path.name, path)
    return b"".join(found[name].read_bytes() for name in sorted(found))


def load_module(path: Path, package: str, problems: list[Problem]) -> types.ModuleType | None:
    """Import a figure module by path; check it has Data, draw and describe."""
    name = f"{package}.{path.stem.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves annotations through sys.modules
    try:
        spec.loader.exec_module(module)
    except BookletError:  # stopped by the import time limit: already located
        raise
    except (Exception, SystemExit) as exc:  # sys.exit() at import must not end the build
        hint, line = "fix the module's code", line_in(exc, path)
        if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith(package + "."):
            helper = exc.name.rsplit(".", 1)[1]  # type: ignore[union-attr]
            exc = ModuleNotFoundError(f"no helper module {helper}.py")
            hint = (f"put {helper}.py next to the figure in figures/ and import it as "
                    f"`from .{helper} import …`")
        problems.append(Problem(f"cannot import: {type(exc).__name__}: {exc}", path, line,
                                hint=hint))
        return None
    missing = [n for n in ("Data", "draw", "describe") if not hasattr(module, n)]
    if missing:
        problems.append(Problem(f"the module lacks {', '.join(missing)}", path,
                                hint="define Data (pydantic model), draw(data, theme) and "
                                     "describe(data)"))
        return None
    return module


def load_data(module: types.ModuleType, path: Path, problems: list[Problem]) -> Any:
    """Read and validate a data file against the module's Data model, locating problems."""
    from booklet.content.yamlsource import validate_file

    # Strict: a number written as text ("227") is an error, never silently converted.
    data, found = validate_file(module.Data, path, strict=True)
    problems += found
    return data if not found else None


def chart_file_problems(chapter: Path, chart: Any, module: Path, data: Path,
                        root: Path) -> list[Problem]:
    """Return the problems of a chart's module and data file (through the project's gate)."""
    from booklet.content.gate import refusal

    problems = []
    why = refusal(module, [root], "module")
    if why and "does not exist" in why:
        known = sorted(p.stem for p in module.parent.glob("*.py") if not p.stem.startswith("_"))
        problems.append(Problem(
            f"no figure module figures/{chart.figure}.py", chapter, chart.line,
            field="figure", hint="fix the name or add the module; available: "
            + (", ".join(known) or "none")))
    elif why:
        problems.append(Problem(f"cannot use figures/{chart.figure}.py: {why}", chapter,
                                chart.line, field="figure",
                                hint="keep figure modules as files inside figures/"))
    why = refusal(data, [root], "data file")
    if why:
        what = (f"no data file seeds/{chart.data}" if "does not exist" in why
                else f"cannot use seeds/{chart.data}: {why}")
        from booklet.content.nearfiles import DATA_SUFFIXES, nearest, project_files

        seeds = root / "seeds"
        near = nearest(seeds, chart.data, DATA_SUFFIXES)
        example = near or next(iter(project_files(seeds, DATA_SUFFIXES)), "data/NAME.yaml")
        hint = (f"did you mean `data: {near}`? That file exists" if near else
                f"give the path relative to seeds/, e.g. {example}")
        problems.append(Problem(what, chapter, chart.line, field="data", hint=hint))
    return problems
