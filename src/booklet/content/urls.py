"""Web addresses in prose: breakable at / . - ? & and kept out of the typography rules.

A long address is one unbreakable "word" to the line breaker: it runs off the page, or moves
to the next line and leaves the line before it spread wide ("详 见"). Each address is set in
`<span class="url no-typo">` (no line-break glue, no digit groups; see compose/typography)
with a <wbr> break opportunity after "/" "&" and before "." "-" "?", so the line breaker
can fill the line and split the address where a reader expects it.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

URL = re.compile(r"https?://[^\s<>\"'（）【】「」《》“”‘’，。；！？、]+[^\s<>\"'（）【】「」《》“”‘’，。；！？、.,;:!?)]")
_AFTER = "/&"
_BEFORE = ".-?"


def urls_plugin(md: MarkdownIt) -> None:
    """Wrap addresses written in the text, and the text of autolinks, as breakable URLs."""
    md.core.ruler.after("inline_lines", "urls", _split_urls)  # after labels_plugin
    md.add_render_rule("url", _render_url)


def breakable(url: str) -> str:
    """Return the escaped address with <wbr> at its break points."""
    out: list[str] = []
    for k, ch in enumerate(url):
        if ch in _BEFORE and k > 0 and url[k - 1] not in "/":
            out.append("<wbr>")
        out.append(escape(ch))
        if ch in _AFTER and k + 1 < len(url) and url[k + 1] != "/":
            out.append("<wbr>")
    return "".join(out)


def _split_urls(state: Any) -> None:
    """Split text children at addresses into text and url tokens."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text" or "://" not in child.content:
                children.append(child)
                continue
            pos = 0
            for match in URL.finditer(child.content):
                if match.start() > pos:
                    children.append(_text(child, child.content[pos:match.start()]))
                url = Token("url", "", 0)
                url.content, url.meta = match.group(), dict(child.meta or {})
                children.append(url)
                pos = match.end()
            if pos < len(child.content):
                children.append(_text(child, child.content[pos:]))
        token.children = children


def _text(like: Token, content: str) -> Token:
    """Return a text token with *like*'s source line."""
    token = Token("text", "", 0)
    token.content, token.meta = content, dict(like.meta or {})
    return token


def _render_url(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """Render one address as a breakable span."""
    return f'<span class="url no-typo">{breakable(tokens[idx].content)}</span>'
