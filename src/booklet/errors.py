"""User-facing errors: each carries what went wrong, where, and how to fix it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in the user's input."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None

    def where(self, root: Path | None = None) -> str:
        """Return ``file:line:column`` relative to *root* when possible."""
        if self.file is None:
            return ""
        path = self.file
        if root is not None:
            # The link's own name first (a symlink out of the project is named where it is);
            # a symlink loop makes resolve() raise: the message must still be printed.
            with contextlib.suppress(ValueError, RuntimeError, OSError):
                path = self.file.resolve().relative_to(root.resolve())
            with contextlib.suppress(ValueError, RuntimeError, OSError):
                path = self.file.relative_to(root.resolve())
        out = str(path)
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def format(self, root: Path | None = None) -> str:
        """Return the problem as one or two readable lines."""
        head = self.where(root)
        text = f"{head}: " if head else ""
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class BookletError(Exception):
    """Base class of every error the CLI prints as a message instead of a traceback."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def format(self, root: Path | None = None) -> str:
        """Return the message followed by every problem."""
        lines = [self.message]
        lines += ["  " + p.format(root).replace("\n", "\n  ") for p in self.problems]
        return "\n".join(lines)


class ConfigError(BookletError):
    """booklet.yaml is missing or invalid."""


class ContentError(BookletError):
    """A chapter, block or data file is invalid."""


class EnvironmentProblem(BookletError):
    """The machine lacks a font or library the build needs."""


class FetchRefused(BookletError):
    """A document referenced a resource outside the project."""


class RenderError(BookletError):
    """WeasyPrint could not lay out or write the document."""


class FigureError(BookletError):
    """A figure module failed to draw."""
