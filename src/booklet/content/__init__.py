"""Stage 1, load and validate: booklet.yaml -> Project (config), chapters -> Booklet.

`config` (the booklet.yaml schema), `yamlsource` (YAML with source locations and located
schema errors), `textfile` (reading project text safely), `markdown` (markdown-it-py set-up),
`blocks` (the fenced component blocks), `chapters` (the Booklet content tree), `glyphs`
(characters no configured font can draw), `resources` (project files before shipped defaults).
"""
