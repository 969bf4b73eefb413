"""Stage 5, write editions: Rendered -> PDF files (screen, print, imposed) and the report.

`write` produces and writes the editions atomically (`atomic`), `pdfmeta` sets metadata and
fixed identifiers, `printready` makes the print edition PDF/X-4, `impose` pairs pages for
saddle stitching, `pdfinfo` reads fonts back, `report` writes dist/<slug>.report.json.
"""
