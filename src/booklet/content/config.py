"""The project: booklet.yaml as a validated schema with defaults."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from booklet.content.yamlsource import validate_file
from booklet.errors import ConfigError, Problem

CONFIG_NAME = "booklet.yaml"
T = TypeVar("T")
_UNITS_PT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$")


def _check_length(value: str) -> str:
    if not _LENGTH.match(value):
        raise ValueError("must be a length such as 170mm, 10.5pt or 0.5in")
    return value.strip()


Length = Annotated[str, AfterValidator(_check_length)]


def _in_range(value: str, low: str, high: str, what: str) -> str:
    """Refuse a length outside [low, high]: a typo (1mm, 10m, 0pt) would give a broken book."""
    if not to_pt(low) - 1e-9 <= to_pt(value) <= to_pt(high) + 1e-9:
        raise ValueError(f"{value} is not a sensible {what}: use {low} to {high}")
    return value


def to_pt(length: str) -> float:
    """Convert a validated length such as ``170mm`` to points."""
    match = _LENGTH.match(length)
    if not match:
        raise ValueError(f"not a length: {length!r}")
    return float(match.group(1)) * _UNITS_PT[match.group(2)]


class Strict(BaseModel):
    """A schema section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Strict):
    """Page margins; inner/outer mirror on left and right pages."""

    top: Length = Field("22mm", description="Space above the text block.")
    bottom: Length = Field("24mm", description="Space below the text block (folio sits in it).")
    inner: Length = Field("20mm", description="Margin at the spine.")
    outer: Length = Field("24.06mm", description="Margin at the fore-edge.")


class Page(Strict):
    """Trim size, margins and bleed."""

    width: Length = Field("170mm", description="Trim width.")
    height: Length = Field("240mm", description="Trim height.")
    margin: Margins = Field(default_factory=Margins)
    bleed: Length = Field("3mm", description="Bleed added around the trim in the print edition.")

    @field_validator("width", "height")
    @classmethod
    def _trim_range(cls, value: str) -> str:
        return _in_range(value, "50mm", "1000mm", "trim size")

    @field_validator("bleed")
    @classmethod
    def _bleed_range(cls, value: str) -> str:
        return _in_range(value, "0mm", "20mm", "bleed")

    @model_validator(mode="after")
    def _text_block(self) -> Page:
        m = self.margin
        width = to_pt(self.width) - to_pt(m.inner) - to_pt(m.outer)
        height = to_pt(self.height) - to_pt(m.top) - to_pt(m.bottom)
        if min(width, height) < to_pt("20mm"):
            raise ValueError(f"the margins leave a text block of {width / 72 * 25.4:.0f} × "
                             f"{height / 72 * 25.4:.0f} mm; make them smaller (at least 20 mm "
                             "of text block each way)")
        return self


class Typography(Strict):
    """Body type and the Chinese typography options."""

    body_size: Length = Field("10.5pt", description="Body text size (五号 = 10.5pt).")
    line_height: float = Field(1.75, ge=1.3, le=2.2, description="Body line height, in ems.")
    cjk_latin_spacing: bool = Field(
        False, description="Insert a ¼ em gap between Han characters and Latin letters/digits.")
    punctuation: Literal["compressed", "full-width"] = Field(
        "compressed", description="Adjacent full-width punctuation is compressed by default.")

    @field_validator("body_size")
    @classmethod
    def _body_range(cls, value: str) -> str:
        return _in_range(value, "5pt", "30pt", "body size")


class Color(Strict):
    """A colour token: RGB for the screen, CMYK (percent) for the print edition."""

    rgb: str = Field(description="Hex colour such as #009EDB.")
    cmyk: tuple[float, float, float, float] = Field(description="C, M, Y, K in percent.")

    @field_validator("rgb")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            raise ValueError("must be a hex colour like #009EDB")
        return value.upper()

    @field_validator("cmyk")
    @classmethod
    def _percent(cls, value: tuple[float, float, float, float]) -> tuple[float, ...]:
        if any(not 0 <= v <= 100 for v in value):
            raise ValueError("each CMYK component is a percentage from 0 to 100")
        return value


def _default_colors() -> dict[str, Color]:
    return {
        "brand": Color(rgb="#009EDB", cmyk=(100, 10, 0, 0)),
        "brand-dark": Color(rgb="#005A8C", cmyk=(100, 45, 0, 30)),
        "brand-tint": Color(rgb="#7FCEED", cmyk=(45, 0, 0, 0)),
        "brand-light": Color(rgb="#E3F3FB", cmyk=(10, 0, 0, 0)),
        "ink": Color(rgb="#1A1A1A", cmyk=(0, 0, 0, 90)),
        "muted": Color(rgb="#5F6B73", cmyk=(20, 5, 0, 60)),
        "rule": Color(rgb="#B8C4CC", cmyk=(10, 2, 0, 25)),
        "paper": Color(rgb="#FFFFFF", cmyk=(0, 0, 0, 0)),
        "accent": Color(rgb="#F5A623", cmyk=(0, 35, 90, 0)),
        "accent-2": Color(rgb="#4C9F38", cmyk=(70, 5, 100, 10)),
    }


def _default_sizes() -> dict[str, str]:
    # The type scale, named by role; the values follow the Chinese 号数 sizes (clreq).
    return {
        "display": "28pt",     # cover title (一号)
        "title": "21pt",       # chapter title (二号)
        "section": "14pt",     # ## heading (四号)
        "subsection": "12pt",  # ### heading (小四)
        "quote": "13pt",       # pull quote, Kai
        "number": "24pt",      # highlight figure (小一)
        "headline": "48pt",    # the one big number of a page, e.g. 35 000+
        "lead": "12pt",        # text set beside a big number
        "aside": "9.5pt",      # callout text: 34 characters across the boxed measure
        "caption": "9pt",      # captions, card text (小五)
        "small": "8pt",        # running heads, folios, credits, footnotes (六号)
    }


class Fonts(Strict):
    """Font families (fontconfig names)."""

    body: str = Field("Noto Serif CJK SC", description="Song/Ming serif for body text.")
    heading: str = Field("Noto Sans CJK SC", description="Hei sans for headings and figures.")
    quote: str = Field("LXGW WenKai", description="Kai face for pull quotes and captions.")


class Editions(Strict):
    """Which editions a build writes and how the print edition is made."""

    screen: bool = Field(True, description="Tagged RGB PDF for reading on screen.")
    print: bool = Field(True, description="PDF/X-4 CMYK PDF with bleed and crop marks.")
    imposed: bool = Field(True, description="Saddle-stitch 2-up sheets in folding order.")
    icc_profile: str = Field(
        "/usr/share/color/icc/ghostscript/default_cmyk.icc",
        description="CMYK output-intent ICC profile (absolute, or relative to the project).")
    creep: Length = Field(
        "0mm", description="Creep compensation (imposed edition): pages move toward the spine "
                           "by this much per sheet they lie inside the outermost sheet.")

    @field_validator("creep")
    @classmethod
    def _creep_range(cls, value: str) -> str:
        return _in_range(value, "0mm", "2mm", "creep per sheet")


class Config(Strict):
    """booklet.yaml: everything about a booklet that is not its text."""

    title: str = Field(description="Title on the cover and in the PDF metadata.")
    subtitle: str = ""
    slug: str = Field(description="File name stem of the outputs, e.g. sg-report-2023.")
    language: str = Field("zh-CN", description="BCP 47 language tag of the text.")
    author: str = ""
    publisher: str = ""
    date: dt.date = Field(description="Publication date (YYYY-MM-DD); also the PDF dates.")
    edition: str = ""
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    rights: str = ""
    chapters: list[str] | None = Field(
        None, description="Chapter files in order (relative to seeds/); default: chapters/*.md.")
    page: Page = Field(default_factory=Page)
    typography: Typography = Field(default_factory=Typography)
    colors: dict[str, Color] = Field(default_factory=_default_colors)
    sizes: dict[str, Length] = Field(
        default_factory=_default_sizes,
        description="Type scale tokens, e.g. `title: 21pt`; CSS reads them as var(--size-title).")
    fonts: Fonts = Field(default_factory=Fonts)
    editions: Editions = Field(default_factory=Editions)
    allow_remote: bool = Field(False, description="Let the renderer fetch http(s) resources.")
    attachments: list[str] = Field(
        default_factory=list, description="Project files to attach to the screen PDF.")
    figure_timeout: float = Field(
        60, gt=0, le=3600, description="Seconds one figure may take to draw before the build "
                                       "stops with an error.")

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError("use lowercase letters, digits and hyphens, e.g. sg-report-2023")
        if len(value) > 80:  # file names (slug + "-imposed.pdf", temporaries) stay < 255 bytes
            raise ValueError(f"the slug has {len(value)} characters; use at most 80")
        return value

    @field_validator("sizes")
    @classmethod
    def _sizes(cls, value: dict[str, str]) -> dict[str, str]:
        for name, size in value.items():
            _in_range(size, "4pt", "200pt", f"type size ({name})")
        return _tokens(_default_sizes(), value, "size")

    @field_validator("colors")
    @classmethod
    def _colors(cls, value: dict[str, Color]) -> dict[str, Color]:
        return _tokens(_default_colors(), value, "colour")


def _tokens(defaults: dict[str, T], given: dict[str, T], what: str) -> dict[str, T]:
    """Return design tokens: the defaults overridden by booklet.yaml, with CSS-safe names."""
    merged = {**defaults, **given}
    for name in merged:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise ValueError(f"{what} name {name!r}: use lowercase letters, digits, hyphens")
    return merged


class Project(BaseModel):
    """A booklet project folder and its validated configuration."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: Path
    config: Config

    @property
    def seeds(self) -> Path:
        """Return the folder holding content and data."""
        return self.root / "seeds"

    def chapter_files(self) -> list[Path]:
        """Return the chapter files in reading order."""
        if self.config.chapters is not None:
            return [self.seeds / name for name in self.config.chapters]
        return sorted((self.seeds / "chapters").glob("*.md"))

    def resolve(self, name: str) -> Path:
        """Resolve a path from the config relative to the project root."""
        path = Path(name)
        return path if path.is_absolute() else self.root / path


def load_project(root: Path) -> Project:
    """Read and validate ``seeds/booklet.yaml`` under *root*."""
    root = root.resolve()
    file = root / "seeds" / CONFIG_NAME
    if not file.is_file() and not file.is_symlink() and not file.exists():  # else: the gate says
        raise ConfigError(
            f"no booklet project at {root}",
            [Problem(f"{file.relative_to(root)} does not exist", file,
                     hint="run the command from a booklet project folder, name one as "
                          "PROJECT_DIR, or create one with `booklet new DIR`")])
    config, problems = validate_file(Config, file, [root])
    if problems or config is None:
        raise ConfigError(f"{CONFIG_NAME} is not valid", problems)
    from booklet.content.trust import config_problems

    problems = config_problems(root, config, file)
    if problems:
        raise ConfigError(f"{CONFIG_NAME} names files booklet cannot use", problems)
    return Project(root=root, config=config)
