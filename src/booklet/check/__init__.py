"""Stage 6, check: preflight for editors and the print shop (`booklet check`), and PDF reading.

`preflight` renders the editions in memory and gathers findings from `content`, `layout`
and `output`; `common` holds the Finding model; `pdfread` reads a finished PDF back (lines,
justification, line-break rules, text fidelity, fonts, PDF/X, tagging, outline).
"""
