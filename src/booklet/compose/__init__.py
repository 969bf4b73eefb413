"""Stage 3, compose: Booklet + FigureSet -> ComposedDocument (HTML, stylesheets, base URL).

`html` renders the Jinja2 templates and gathers the stylesheets; `typography` prepares the
Chinese text (digit groups, Han/Latin spacing) and writes the CSS the render patches read.
"""
