"""GFM tables with a caption line, an id and right-aligned number columns.

A caption is a paragraph of its own right before (or right after) the table:

    Table: 2023年支出（亿美元） {#tbl:spending}

(`表：` works as well as `Table:`). The table gets a real <caption> and the number 表N;
a column whose body cells are all numbers is set right-aligned (class "numeric").
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from booklet.content.labels import ID, table_marker

_CAPTION = re.compile(rf"^(?:Table|表)\s*[:：]\s*(.*?)(?:\s*\{{#(?:tbl:)?({ID})\}})?\s*$", re.S)
# A cell that holds one number: digits with group spaces or commas, a decimal part, a sign,
# a percent or a 万/亿 magnitude; a dash or an empty cell stands for "no value".
_NUMBER = re.compile(r"^[+\-−]?[\d.,\u00a0\u202f ]*\d[\d.,\u00a0\u202f ]*(?:%|‰|[万亿]\S{0,3})?$")
_EMPTY = {"", "—", "–", "-", "…", "——"}


def tables_plugin(md: MarkdownIt) -> None:
    """Attach caption paragraphs to tables and mark number columns."""
    md.core.ruler.after("inline", "table_captions", _captions)
    md.add_render_rule("table_open", _render_table_open)


def _caption_at(tokens: list[Token], i: int) -> re.Match[str] | None:
    """Return the caption match if tokens[i:i+3] is a paragraph holding a caption line."""
    if i < 0 or i + 2 >= len(tokens) or tokens[i].type != "paragraph_open":
        return None
    if tokens[i + 1].type != "inline" or tokens[i + 2].type != "paragraph_close":
        return None
    return _CAPTION.match(tokens[i + 1].content)


def _captions(state: Any) -> None:
    """Move caption paragraphs into the table_open token; find the number columns."""
    tokens: list[Token] = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != "table_open":
            i += 1
            continue
        close = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
        before, after = _caption_at(tokens, i - 3), _caption_at(tokens, close + 1)
        caption = None
        if before is not None and tokens[i - 3].level == token.level:
            caption, inline = before, tokens[i - 2]
            del tokens[i - 3:i]
            i, close = i - 3, close - 3
        elif after is not None and tokens[close + 1].level == token.level:
            caption, inline = after, tokens[close + 2]
            del tokens[close + 1:close + 4]
        if caption is not None:
            _strip_label(inline, caption)
            token.meta = {"caption": inline, "id": caption.group(2) or ""}
        _number_columns(tokens[i:close + 1])
        i = close + 1


def _strip_label(inline: Token, caption: re.Match[str]) -> None:
    """Drop "Table:" and "{#id}" from the caption's inline children."""
    children = inline.children or []
    if children and children[0].type == "text":
        children[0].content = re.sub(r"^(?:Table|表)\s*[:：]\s*", "", children[0].content)
    if caption.group(2) and children and children[-1].type == "text":
        children[-1].content = re.sub(r"\s*\{#[^}]*\}\s*$", "", children[-1].content)


def _number_columns(table: list[Token]) -> None:
    """Add class "numeric" to every cell of a column whose body cells are all numbers."""
    rows: list[list[Token]] = []
    inline_of: dict[int, Token] = {}
    for k, token in enumerate(table):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open") and rows:
            rows[-1].append(token)
            inline_of[id(token)] = table[k + 1]
    body = [row for row in rows if row and row[0].type == "td_open"]
    if not body:
        return
    width = max(len(row) for row in rows)
    for col in range(width):
        cells = [row[col] for row in body if col < len(row)]
        texts = [inline_of[id(c)].content.strip() for c in cells]
        if any(t not in _EMPTY for t in texts) and all(
                t in _EMPTY or _NUMBER.match(t) for t in texts):
            for row in rows:
                if col < len(row):
                    row[col].attrJoin("class", "numeric")


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any,
                       env: Any) -> str:
    """Open the table with its id and caption (number marker + caption text)."""
    token = tokens[idx]
    meta = token.meta or {}
    table_id = meta.get("id", "")
    attrs = ' class="table"' + (f' id="tbl-{table_id}"' if table_id else "")
    if meta.get("src"):
        attrs += f' data-src="{meta["src"]}"'  # set by sourcemap_plugin
    if "caption" not in meta:
        return f"<table{attrs}>\n"
    line = env.get("line_offset", 0) + (token.map[0] + 1 if token.map else 1)
    text = self.renderInline(meta["caption"].children or [], options, env)
    marker = table_marker(f"tbl:{table_id}" if table_id else "", line)
    return f"<table{attrs}>\n<caption>{marker}{text}</caption>\n"
