"""Name the booklet.yaml colour token behind a contrast failure and the exact `screen:` to add."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from booklet.content.config import Config, _default_colors

RGB = tuple[int, int, int]
Ratio = Callable[[RGB, RGB], float]  # check.contrast.ratio, passed in (no import cycle)


def _hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _rgb(value: str) -> RGB:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def passing_colour(colour: RGB, other: RGB, needed: float, ratio: Ratio) -> RGB | None:
    """Return *colour* darkened (or lightened) just enough to reach *needed* against *other*."""
    # Darken against a light partner (against white, the usual case), lighten against a dark.
    darker = sum(other) > sum(colour) or sum(other) > 3 * 118
    for step in range(1, 101):
        t = step / 100
        if darker:
            candidate = tuple(round(c * (1 - t)) for c in colour)
        else:
            candidate = tuple(round(c + (255 - c) * t) for c in colour)
        if ratio(candidate, other) >= needed:  # type: ignore[arg-type]
            return candidate  # type: ignore[return-value]
    return None


def token_line(config_file: Path, name: str) -> int | None:
    """Return the line of `colors.NAME` in booklet.yaml, or None when the file does not set it."""
    from booklet.content.yamlsource import parse_yaml

    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    located, _ = parse_yaml(text, config_file)
    if located is None or not isinstance(located.data, dict):
        return None
    colors = located.data.get("colors")
    if not isinstance(colors, dict) or name not in colors:
        return None
    return located.line_of(("colors", name))


def token_fix(config: Config, config_file: Path, colour: RGB, background: RGB,
              needed: float, ratio: Ratio) -> tuple[int, str] | None:
    """Return (line in booklet.yaml, fix) for the colour token set there that fails contrast.

    The token is the text's or the background's colour, whichever booklet.yaml sets without a
    `screen:` value; the fix names the exact key and a value that passes.
    """
    for mine, other in ((colour, background), (background, colour)):
        value = _hex(mine)
        for name, token in config.colors.items():
            if token.on_screen.upper() != value or token.screen is not None:
                continue
            line = token_line(config_file, name)
            if line is None:
                continue
            default = _default_colors().get(name)
            if default is not None and default.screen and default.rgb == token.rgb and \
                    ratio(_rgb(default.screen), other) >= needed:
                suggestion = default.screen
            else:
                better = passing_colour(mine, other, needed, ratio)
                suggestion = _hex(better) if better else "#……"
            return line, (f"add `screen: \"{suggestion}\"` to colors.{name} in booklet.yaml "
                          f"(line {line}): the screen edition uses it; print keeps rgb and cmyk")
    return None
