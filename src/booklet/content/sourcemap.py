"""Source positions in the HTML: `data-src="chapters/01-intro.md:12"` on blocks and links.

`booklet check` finds problems in WeasyPrint's boxes; the attribute on the element (or the
nearest ancestor that has one) says which file and line the text came from, so a finding is
located without guessing from the printed text (which may occur in several places).
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt

ATTRIBUTE = "data-src"
_BLOCKS = {"paragraph_open", "bullet_list_open", "ordered_list_open", "list_item_open",
           "blockquote_open", "tr_open"}


def sourcemap_plugin(md: MarkdownIt) -> None:
    """Add data-src to block elements and links (needs env["source"], env["line_offset"])."""
    md.core.ruler.push("source_positions", _positions)


def _positions(state: Any) -> None:
    """Set data-src from each token's line (block map, or the line labels_plugin noted)."""
    source = state.env.get("source")
    if not source:
        return
    offset = state.env.get("line_offset", 0)
    for token in state.tokens:
        if token.type in _BLOCKS and token.map:
            token.attrSet(ATTRIBUTE, f"{source}:{offset + token.map[0] + 1}")
        if token.type == "table_open" and token.map:
            token.meta = {**(token.meta or {}), "src": f"{source}:{offset + token.map[0] + 1}"}
        for child in token.children or []:
            if child.type == "link_open" and (child.meta or {}).get("line"):
                child.attrSet(ATTRIBUTE, f"{source}:{offset + child.meta['line']}")


def parse(value: str | None) -> tuple[str, int] | None:
    """Return (path under seeds/, line) from a data-src value."""
    if not value or ":" not in value:
        return None
    path, _, line = value.rpartition(":")
    return (path, int(line)) if line.isdigit() else None
