"""booklet.yaml's option sections: numbering, check rules, chapter order, photo handling."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from booklet.content.configbase import Strict


class Numbering(Strict):
    """How figures (charts, photos) and tables are numbered: 图1, 表1 or 图2-1, 表2-1."""

    figures: Literal["labelled", "all", "none"] = Field(
        "labelled", description="labelled: those with an `id:`; all: every chart and photo.")
    tables: Literal["labelled", "all", "none"] = Field(
        "labelled", description="labelled: captions ending in {#tbl:id}; all: every caption.")
    per_chapter: bool = Field(False, description="Number per chapter: 图2-1 instead of 图4.")


class CopyRules(Strict):
    """The copy-editing queries of `booklet check` (category "copy"); false switches one off."""

    half_width_punctuation: bool = True
    english_quotes: bool = True
    digit_grouping: bool = True
    page_reference: bool = True
    missing_number: bool = True
    same_quantity: bool = True


class Checks(Strict):
    """Settings of `booklet check`."""

    copy_rules: CopyRules = Field(default_factory=CopyRules, alias="copy")


class ChapterOptions(Strict):
    """The chapters as a mapping: their files and the side their openers fall on."""

    files: list[str] | None = Field(None, description="Chapter files in order (under seeds/).")
    open_on: Literal["any", "recto"] = Field(
        "any", description="any: a chapter opens on the next page; recto: on a right-hand page.")


class Images(Strict):
    """How photos are prepared for each edition (booklet.images)."""

    intent: Literal["relative", "perceptual"] = Field(
        "relative", description="Rendering intent of the RGB -> CMYK conversion (print).")
    black_point_compensation: bool = Field(
        True, description="Map the source's black to the press's black (print).")
    print_quality: int = Field(95, ge=50, le=100, description="JPEG quality of print images.")
    print_warn_ppi: float = Field(
        300, gt=0, description="`check --edition print` warns below this effective resolution.")
    print_min_ppi: float = Field(
        200, gt=0, description="`check --edition print` fails below this effective resolution.")
    screen_ppi: float = Field(
        200, ge=72, le=600, description="Screen images are downsampled to this at placed size.")
    screen_quality: int = Field(80, ge=30, le=100, description="JPEG quality of screen images.")
    screen_budget_mb: float = Field(
        5.0, gt=0, description="`booklet check` fails when the screen PDF is larger (MB).")
    max_megapixels: float = Field(
        60.0, gt=0, le=170, description="Photos above this many megapixels are refused unread.")
