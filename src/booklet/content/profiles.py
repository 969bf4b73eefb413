"""Where the print edition's output-intent ICC profile comes from."""

from __future__ import annotations

from pathlib import Path

from booklet.content.config import Project


def output_profile(project: Project) -> Path:
    """Return the CMYK output-intent profile of the print edition.

    The one place that maps booklet.yaml to a profile file: image conversion, the PDF/X
    output intent and the CMYK colours all ask here.
    """
    return project.resolve(project.config.editions.icc_profile)
