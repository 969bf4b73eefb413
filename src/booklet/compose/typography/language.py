"""Mark English runs in Chinese text with their language, for screen readers and line breaking."""

from __future__ import annotations

import re

LANG_CLASS = "booklet-lang"
# Two or more Latin words ("Patrick MacLeod", "Summit of the Future"); not after "&" or "#",
# so a character reference is never cut.
_ENGLISH = re.compile(
    r"(?<![&#\w])[A-Za-z][A-Za-z'’.\-]*[A-Za-z.](?:[ \u00a0]+[A-Za-z][A-Za-z'’.\-]*[A-Za-z.])+"
    r"(?![\w;])")
_TAG = re.compile(r"(<[^>]*>)")
_HAN = re.compile(r"[\u3000-\u9fff\uf900-\uffef\U00020000-\U0003ffff]")


def mark_english(text: str) -> str:
    """Wrap each English run of a prepared text node (which may hold spans) in a lang span."""
    parts = _TAG.split(text)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        part = parts[index]
        if _ENGLISH.search(part) and not _HAN.search(part) and part.strip():
            parts[index] = f'<span class="{LANG_CLASS}" lang="en">{part}</span>'  # all English
            continue
        parts[index] = _ENGLISH.sub(
            lambda m: f'<span class="{LANG_CLASS}" lang="en">{m.group()}</span>', parts[index])
    return "".join(parts)
