"""booklet: typeset print-ready Chinese PDF booklets from YAML + Markdown."""

__version__ = "0.1.0"
