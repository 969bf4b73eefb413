"""booklet.yaml's cover and publication data: what the covers and the colophon print."""

from __future__ import annotations

from pydantic import Field

from booklet.content.configbase import Strict


class Cover(Strict):
    """What the cover and back cover show besides the title."""

    image: str | None = Field(None, description="Full-bleed cover photo (path under seeds/).")
    image_credit: str = Field("", description="Credit of the cover photo, printed on the cover.")
    image_alt: str = Field("封面照片", description="Text alternative of the cover photo.")
    logo: str | None = Field(None, description="Logo or emblem file (SVG/PNG, under seeds/).")
    back_text: str | None = Field(
        None, description="Back-cover copy; default: the description.")


class Publication(Strict):
    """Publication data for the cover and the colophon (the UN colophon pattern)."""

    symbol: str = Field("", description="Document symbol, e.g. A/79/1.")
    copyright: str = Field("", description="© line; default: `© <year> <publisher>`.")
    sales_number: str = Field("", description="Sales number, e.g. C.24.I.5.")
    isbn: str = Field("", description="ISBN of the print edition.")
    eisbn: str = Field("", description="ISBN of the electronic edition.")
    printer: str = Field("", description="Who printed it and where.")
    print_run: int | None = Field(None, ge=1, description="Number of copies printed.")
    job_number: str = Field("", description="The printer's job number.")
    photo_credits: list[str] = Field(
        default_factory=list, description="Credits added to those of the photos in the text.")
