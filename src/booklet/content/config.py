"""The project: booklet.yaml as a validated schema with defaults."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from booklet.content.configbase import Strict
from booklet.content.options import ChapterOptions, Checks, Images, Numbering
from booklet.content.pagesize import derive_grid, mm, oriented, parse_size
from booklet.content.projectdir import require_project
from booklet.content.publication import Cover, Publication
from booklet.content.yamlsource import validate_file
from booklet.errors import ConfigError

CONFIG_NAME = "booklet.yaml"
T = TypeVar("T")
_UNITS_PT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$")


def _number_needs_unit(value: object) -> object:
    """Say "add a unit: 170mm" for `width: 170` instead of "this must be text"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"add a unit: {value:g}mm (or pt, cm, in, px)")
    return value


def _check_length(value: str) -> str:
    if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        raise ValueError(f"add a unit: {value.strip()}mm (or pt, cm, in, px)")
    if not _LENGTH.match(value):
        raise ValueError("must be a length such as 170mm, 10.5pt or 0.5in")
    return value.strip()


Length = Annotated[str, BeforeValidator(_number_needs_unit), AfterValidator(_check_length)]


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


class Margins(Strict):
    """Page margins; inner/outer mirror on left and right pages."""

    top: Length = Field("22mm", description="Space above the text block.")
    bottom: Length = Field("24mm", description="Space below the text block (folio sits in it).")
    inner: Length = Field("20mm", description="Margin at the spine.")
    outer: Length = Field("24.06mm", description="Margin at the fore-edge.")


class Page(Strict):
    """Trim size, margins and bleed; size and margins are filled in by Config (pagesize)."""

    size: str | None = Field(
        None, description="A4, A5, B5, JIS-B5, 16开, 大16开, 32开, 大32开 or e.g. 170x240mm.")
    orientation: Literal["portrait", "landscape"] = "portrait"
    width: Length | None = Field(None, description="Trim width (default from size, or 170mm).")
    height: Length | None = Field(None, description="Trim height (default from size, or 240mm).")
    margin: Margins | None = Field(None, description="Default: derived from the grid rule.")
    bleed: Length = Field("3mm", description="Bleed added around the trim in the print edition.")

    @field_validator("size")
    @classmethod
    def _size(cls, value: str | None) -> str | None:
        if value is not None:
            parse_size(value)
        return value

    @field_validator("width", "height")
    @classmethod
    def _trim_range(cls, value: str | None) -> str | None:
        # None: the size comes from `size:` (checked there, and again below).
        return None if value is None else _in_range(value, "50mm", "1000mm", "trim size")

    @field_validator("bleed")
    @classmethod
    def _bleed_range(cls, value: str) -> str:
        return _in_range(value, "0mm", "20mm", "bleed")

    @model_validator(mode="after")
    def _text_block(self) -> Page:
        # The trim as resolve_page() will fill it in: given, or from `size:`.
        named = oriented(parse_size(self.size) if self.size else (170, 240), self.orientation)
        trim_w = _in_range(self.width or f"{named[0]:g}mm", "50mm", "1000mm", "trim size")
        trim_h = _in_range(self.height or f"{named[1]:g}mm", "50mm", "1000mm", "trim size")
        m = self.margin
        if m is None:  # derived from the grid rule, which always leaves a text block
            return self
        width = to_pt(trim_w) - to_pt(m.inner) - to_pt(m.outer)
        height = to_pt(trim_h) - to_pt(m.top) - to_pt(m.bottom)
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
    han_shrink: bool = Field(
        True, description="Let a justified line close its Han gaps by up to 0.025 em each "
                           "rather than open them loose; false: never tighter than natural.")

    @field_validator("body_size")
    @classmethod
    def _body_range(cls, value: str) -> str:
        return _in_range(value, "5pt", "30pt", "body size")


class Color(Strict):
    """A colour token: RGB for the screen, CMYK (percent) for the print edition."""

    @model_validator(mode="before")
    @classmethod
    def _both(cls, value: object) -> object:
        if isinstance(value, str):
            raise ValueError(f"a colour needs RGB for the screen and CMYK for print, not only "
                             f"{value!r}: write {{rgb: \"{value}\", cmyk: [C, M, Y, K]}}")
        return value

    rgb: str = Field(description="Hex colour such as #009EDB.")
    cmyk: tuple[float, float, float, float] = Field(description="C, M, Y, K in percent.")
    screen: str | None = Field(
        None, description="The screen edition's colour where `rgb` would fail WCAG contrast.")

    @property
    def on_screen(self) -> str:
        """Return the colour the screen edition uses."""
        return self.screen or self.rgb

    @field_validator("rgb", "screen")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is None:
            return None
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
        "brand": Color(rgb="#009EDB", cmyk=(100, 10, 0, 0), screen="#006DB0"),
        "brand-dark": Color(rgb="#005A8C", cmyk=(100, 45, 0, 30)),
        "brand-tint": Color(rgb="#7FCEED", cmyk=(45, 0, 0, 0), screen="#D6EEF9"),
        "brand-light": Color(rgb="#E3F3FB", cmyk=(10, 0, 0, 0)),
        "brand-fine": Color(rgb="#009EDB", cmyk=(100, 0, 0, 0)),  # small type: one plate
        # Text and hairlines print on the black plate alone (no misregistration); the
        # screen keeps its dark and blue-greys.
        "ink": Color(rgb="#1A1A1A", cmyk=(0, 0, 0, 100)),
        "muted": Color(rgb="#5F6B73", cmyk=(0, 0, 0, 70)),
        "rule": Color(rgb="#B8C4CC", cmyk=(0, 0, 0, 30)),
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


class Ink(Strict):
    """Ink rules of the print edition: design tokens that `booklet check` enforces."""

    overprint: bool = Field(
        True, description="Text in 100 % K overprints (no knock-out of tinted fields).")
    single_plate_below: Length = Field(
        "10pt", description="Text smaller than this prints on one plate at most.")
    hairline: Length = Field(
        "0.5pt", description="Lines this thin or thinner print on one plate at most.")
    min_text: Length = Field("8pt", description="No text smaller, anywhere (figures included).")
    reversed_min: Length = Field(
        "8pt", description="No paper-white text smaller, reversed out of 2 or more plates.")


class PrintSettings(Strict):
    """How the print edition is produced: output intent and ink."""

    output_intent: str | None = Field(
        None, description="FOGRA39, FOGRA51, GRACoL2013, JapanColor2011 or a path to an ICC "
                          "profile; default: editions.icc_profile (generic, printer confirms).")
    ink: Ink = Field(default_factory=Ink)


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
    chapters: list[str] | ChapterOptions | None = Field(
        None, description="Chapter files in order (relative to seeds/); default: chapters/*.md. "
                          "Or a mapping: {files: [...], open_on: any | recto}.")
    page: Page = Field(default_factory=Page)
    typography: Typography = Field(default_factory=Typography)
    colors: dict[str, Color] = Field(default_factory=_default_colors)
    sizes: dict[str, Length] = Field(
        default_factory=_default_sizes,
        description="Type scale tokens, e.g. `title: 21pt`; CSS reads them as var(--size-title).")
    fonts: Fonts = Field(default_factory=Fonts)
    numbering: Numbering = Field(default_factory=Numbering)
    check: Checks = Field(default_factory=Checks)
    editions: Editions = Field(default_factory=Editions)
    print: PrintSettings = Field(default_factory=PrintSettings)
    cover: Cover = Field(default_factory=Cover)
    publication: Publication = Field(default_factory=Publication)
    images: Images = Field(default_factory=Images)
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

    @property
    def open_on(self) -> str:
        """Return the side chapter openers fall on: any or recto."""
        return self.chapters.open_on if isinstance(self.chapters, ChapterOptions) else "any"

    @model_validator(mode="after")
    def _page(self) -> Config:
        object.__setattr__(self, "page", resolve_page(self.page, self.typography))
        return self

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


def resolve_page(page: Page, typography: Typography) -> Page:
    """Return *page* with its trim size and margins filled in (booklet.content.pagesize)."""
    width, height = oriented(parse_size(page.size) if page.size else (170, 240),
                             page.orientation)
    width_s, height_s = page.width or f"{width:g}mm", page.height or f"{height:g}mm"
    margin = page.margin
    if margin is None:
        body = to_pt(typography.body_size)
        grid = derive_grid(to_pt(width_s), to_pt(height_s), body, body * typography.line_height)
        margin = Margins(top=mm(grid.top), bottom=mm(grid.bottom), inner=mm(grid.inner),
                         outer=mm(grid.outer))
    return page.model_copy(update={"width": width_s, "height": height_s, "margin": margin})


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
        files = self.config.chapters
        if isinstance(files, ChapterOptions):
            files = files.files
        if files is not None:
            return [self.seeds / name for name in files]
        return sorted((self.seeds / "chapters").glob("*.md"))

    def resolve(self, name: str) -> Path:
        """Resolve a path from the config relative to the project root."""
        path = Path(name)
        return path if path.is_absolute() else self.root / path


def load_project(root: Path) -> Project:
    """Read and validate ``seeds/booklet.yaml`` under *root*."""
    root = root.resolve()
    file = root / "seeds" / CONFIG_NAME
    require_project(root, file)
    config, problems = validate_file(Config, file, [root])
    if problems or config is None:
        raise ConfigError(f"{CONFIG_NAME} is not valid", problems)
    from booklet.content.trust import config_problems

    problems = config_problems(root, config, file)
    if problems:
        raise ConfigError(f"{CONFIG_NAME} names files booklet cannot use", problems)
    return Project(root=root, config=config)

