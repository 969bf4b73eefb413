"""Markdown for Chinese prose: CommonMark, no raw HTML, footnotes, no spaces at CJK line joins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from booklet.content.labels import labels_plugin
from booklet.content.sourcemap import sourcemap_plugin
from booklet.content.tables import tables_plugin
from booklet.content.urls import urls_plugin

# A line break inside a Chinese paragraph is not a word space: join the lines directly
# when either side is CJK (Han, kana, full-width punctuation).
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019]")


MAX_NESTING = 90  # token levels; each list level uses two or three


def make_parser() -> MarkdownIt:
    """Return the Markdown parser used for all prose."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False})
    md.enable("table")
    md.disable("code")  # editors indent Chinese paragraphs; indentation is never a code block
    md.use(footnote_plugin)
    md.use(labels_plugin).use(tables_plugin).use(urls_plugin)  # [@fig:x], captions, URLs
    md.use(sourcemap_plugin)  # data-src="file:line" for `booklet check`
    # markdown-it silently drops everything below its nesting limit; raise the limit and let
    # the loader report content that comes near it (see MAX_NESTING) instead of losing text.
    md.options["maxNesting"] = MAX_NESTING + 10
    md.add_render_rule("softbreak", _softbreak)
    md.add_render_rule("image", _image)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_block_open", lambda *a: "")
    md.add_render_rule("footnote_block_close", lambda *a: "")
    md.add_render_rule("footnote_open", lambda *a: "")
    md.add_render_rule("footnote_close", lambda *a: "")
    md.add_render_rule("footnote_anchor", lambda *a: "")
    return md


def _softbreak(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Render a soft line break: nothing between CJK text, a space between Latin words."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    if _CJK.match(before) or _CJK.match(after):
        return ""
    return " "


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Render a Markdown image fitted to the measure and the page (styles: .md-image)."""
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    # A local image (content/mdimages.py) is marked for compose, which puts the file prepared
    # for the edition, or a placeholder, in its place.
    mark = f' data-image="{src}"' if (token.meta or {}).get("figure") else ""
    return f'<img class="md-image" src="{src}"{mark} alt="{alt}">'


# The paragraph may carry its source position (data-src, content/sourcemap.py): keep it.
_ALONE = re.compile(r'<p((?: data-src="[^"]*")?)><img class="md-image" src="([^"]*)"'
                    r'((?: data-image="[^"]*")?) alt="([^"]*)"></p>')


def image_figures(html: str) -> str:
    """Turn a paragraph holding only an image into a figure captioned with its alt text."""
    return _ALONE.sub(lambda m: f'<figure class="md-figure"{m.group(1)}><img class="md-image" '
                                f'src="{m.group(2)}"{m.group(3)} alt="{m.group(4)}">'
                                + (f"<figcaption>{m.group(4)}</figcaption>" if m.group(4) else "")
                                + "</figure>", html)


def _footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Render a footnote call as the footnote body itself, which CSS floats to the page foot."""
    number = tokens[idx].meta["id"]
    if env.get("in_footnote"):
        # A note citing another note: notes print at their calls, so a call inside a note
        # would print an empty extra note and skip a number. The loader warns about it.
        env.setdefault("nested_footnotes", []).append(env.get("footnote_line", 0))
        return ""
    html = env.get("footnote_html", {}).get(number, "")
    anchor = env.get("footnote_prefix", "fn")
    return f'<span class="footnote" id="{anchor}-{number + 1}">{html}</span>'


def footnote_bodies(md: MarkdownIt, tokens: list[Token], env: dict[str, Any]) -> dict[int, str]:
    """Render each footnote definition to inline HTML keyed by its number."""
    bodies: dict[int, str] = {}
    current: int | None = None
    parts: list[str] = []
    env["in_footnote"] = True
    for token in tokens:
        if token.type == "footnote_open":
            current, parts = token.meta["id"], []
        elif token.type == "footnote_close" and current is not None:
            bodies[current] = " ".join(parts)
            current = None
        elif current is not None and token.type == "inline":
            env["footnote_line"] = token.map[0] + 1 if token.map else 0
            parts.append(md.renderer.renderInline(token.children or [], md.options, env))
    env["in_footnote"] = False
    return bodies


def render_inline(md: MarkdownIt, text: str) -> str:
    """Render one line of Markdown (e.g. a callout text) without a surrounding <p>."""
    html = md.render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
