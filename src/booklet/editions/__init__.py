"""Stage 5, write editions: Rendered -> PDF files (screen, print, imposed) and the report.

`write` produces the editions, `publish` makes them and the report visible as one set (one
atomic switch; `atomic` writes single files), `pdfmeta` sets metadata and
fixed identifiers, `printready` makes the print edition PDF/X-4, `impose` pairs pages for
saddle stitching, `pdfinfo` reads fonts back, `report` writes dist/<slug>.report.json.
"""
