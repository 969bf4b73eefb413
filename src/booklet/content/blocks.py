"""Schemas of the structured components written as fenced YAML blocks in chapters."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator


def _whole_number_as_text(value: Any) -> Any:
    """Accept ``92`` for a text field, but not ``1.50`` (YAML would drop the zero)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"{value!r} is read as a number; quote it to keep it as written")
    return value


Text = Annotated[str, BeforeValidator(_whole_number_as_text), Field(min_length=1)]


class Block(BaseModel):
    """A component; subclasses declare the fence name in ``kind``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str]
    _line: int = PrivateAttr(0)  # source line of the fence, set by the loader

    @property
    def line(self) -> int:
        """Return the source line of the block's opening fence."""
        return self._line

    def at_line(self, line: int) -> Block:
        """Return a copy that remembers its source line."""
        copy = self.model_copy()
        copy._line = line
        return copy

    @property
    def template(self) -> str:
        """Return the Jinja2 template that renders this component."""
        return f"components/{self.kind}.html"


class StatItem(BaseModel):
    """One highlight figure: label, big number, one line of explanation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: Text
    value: Text
    text: Text


class Stats(Block):
    """A grid of highlight figures."""

    kind: ClassVar[str] = "stats"
    title: str = ""
    items: list[StatItem] = Field(min_length=1)


class Area(BaseModel):
    """A priority area with its one-line result."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    area: Text
    text: Text


class Priorities(Block):
    """The priority areas around a headline figure."""

    kind: ClassVar[str] = "priorities"
    headline: Text
    lead: Text
    areas: list[Area] = Field(min_length=1)


class Quote(Block):
    """A pull quote with the speaker's role and name."""

    kind: ClassVar[str] = "quote"
    text: Text
    role: str = ""
    name: Text


LabelId = Annotated[str, Field(pattern=r"^(fig:)?[A-Za-z][A-Za-z0-9_-]*$")]


class Photo(Block):
    """A photo with caption, place, date and credit; missing files render as placeholders."""

    kind: ClassVar[str] = "photo"
    id: LabelId = ""
    src: Text
    caption: Text
    alt: str = ""
    place: str = ""
    date: str = ""
    separator: str = "；"
    credit: str = ""
    size: Literal["column", "full", "half"] = "column"
    aspect: str | float = ""  # "3:2" (quoted) or 1.5: crop the picture to width:height
    focus: tuple[float, float] = (0.5, 0.5)  # the subject, as fractions of width and height

    @field_validator("aspect")
    @classmethod
    def _aspect(cls, value: str | float) -> str:
        if value != "" and aspect_ratio(str(value)) is None:
            raise ValueError('give the aspect as "width:height" in quotes, e.g. "3:2", or 1.5')
        return str(value)

    @field_validator("focus")
    @classmethod
    def _focus(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not all(0 <= v <= 1 for v in value):
            raise ValueError("focus is [x, y], each from 0 (left/top) to 1 (right/bottom)")
        return value

    @field_validator("src")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or ":" in value.split("/")[0]:
            raise ValueError("give the image path relative to seeds/, e.g. images/un-hq.jpg")
        if ".." in value.replace("\\", "/").split("/"):
            raise ValueError("the image path may not leave the project folder with '..'")
        return value

    @property
    def dateline(self) -> str:
        """Return "（place；date）" as printed, or an empty string.

        Chinese text takes full-width brackets (GB/T 15834), the copy check's own rule; a
        dateline without Han characters keeps ASCII ones.
        """
        inner = self.separator.join(p for p in (self.place, self.date) if p)
        if not inner:
            return ""
        return f"（{inner}）" if re.search(r"[\u3400-\u9fff]", inner) else f"({inner})"


def aspect_ratio(text: str) -> float | None:
    """Return the width/height ratio written as "3:2" or "1.5", or None when invalid."""
    try:
        parts = [float(p) for p in str(text).split(":")]
    except ValueError:
        return None
    if len(parts) == 1 and 0.1 <= parts[0] <= 10:
        return parts[0]
    if len(parts) == 2 and parts[1] > 0 and 0.1 <= parts[0] / parts[1] <= 10:
        return parts[0] / parts[1]
    return None


class Chart(Block):
    """A matplotlib figure drawn by ``figures/<figure>.py`` from ``seeds/<data>``."""

    kind: ClassVar[str] = "chart"
    id: LabelId = ""
    figure: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    data: Text
    caption: Text
    source: str = ""
    alt: str = ""
    legend: list[Text] = Field(default_factory=list)
    size: Literal["column", "full"] = "column"


QR_MAX_BYTES = 2331  # version 40 at error level M, byte mode (ISO/IEC 18004 table 7)


class QR(Block):
    """A QR code linking to a web page, drawn as vector."""

    kind: ClassVar[str] = "qr"
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    caption: Text

    @field_validator("url")
    @classmethod
    def _fits_a_code(cls, value: str) -> str:
        size = len(value.encode("utf-8"))
        if size > QR_MAX_BYTES:
            raise ValueError(f"the URL is {size} bytes long; a QR code holds at most "
                             f"{QR_MAX_BYTES}: use a shorter URL (e.g. a short link)")
        return value


class Callout(Block):
    """A boxed aside: a title with text and/or a list."""

    kind: ClassVar[str] = "callout"
    title: str = ""
    text: str = ""
    items: list[Text] = Field(default_factory=list)


BLOCK_TYPES: dict[str, type[Block]] = {
    cls.kind: cls for cls in (Stats, Priorities, Quote, Photo, Chart, QR, Callout)
}
