"""Advice for a font that is not installed: where it is named, what is installed, what to get."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from booklet.errors import Problem

# fontconfig family -> the Debian package that contains it (only packages checked to do so).
DEBIAN_PACKAGES = {
    "Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Serif CJK TC": "fonts-noto-cjk", "Noto Sans CJK TC": "fonts-noto-cjk",
    "Noto Sans Mono CJK SC": "fonts-noto-cjk", "LXGW WenKai": "fonts-lxgw-wenkai",
    "LXGW WenKai Mono": "fonts-lxgw-wenkai", "WenQuanYi Zen Hei": "fonts-wqy-zenhei",
    "WenQuanYi Micro Hei": "fonts-wqy-microhei", "AR PL UMing CN": "fonts-arphic-uming",
    "AR PL UKai CN": "fonts-arphic-ukai",
}


def installed_cjk_families(limit: int = 12) -> list[str]:
    """Return the Chinese font families fontconfig knows (first name of each), sorted."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    families = {line.split(",")[0].strip() for line in out.splitlines() if line.strip()}
    # Simplified Chinese faces are the ones a zh-CN booklet wants; list the others only when
    # there are none (fc-list :lang=zh also lists the HK/TC/JP/KR cuts of the same fonts).
    simplified = [f for f in families if any(t in f for t in ("SC", "CN", "GB", "WenKai"))]
    return sorted(simplified or families)[:limit]


def missing_font(role: str, family: str, config_file: Path | None) -> Problem:
    """Return the problem for a font that is not installed, located at its booklet.yaml line."""
    line = _line_of(config_file, role) if config_file else None
    where = "" if line else f" (the default; set fonts.{role} in booklet.yaml to change it)"
    package = DEBIAN_PACKAGES.get(family)
    installed = installed_cjk_families()
    parts = []
    if package:
        parts.append(f"install it: sudo apt-get install {package}")
    else:
        parts.append("install the font (no Debian package is known to booklet for it)")
    if installed:
        parts.append(f"or name an installed Chinese family in fonts.{role}: "
                     + ", ".join(installed))
    return Problem(f"the {role} font {family!r} is not installed{where}",
                   config_file if line else None, line, field=f"fonts.{role}",
                   hint="; ".join(parts))


def _line_of(config_file: Path, role: str) -> int | None:
    """Return the line of fonts.<role> in booklet.yaml, if it is set there."""
    from booklet.content.textfile import read_text
    from booklet.content.yamlsource import parse_yaml

    text, _problems = read_text(config_file)
    located, _ = parse_yaml(text, config_file) if text else (None, [])
    if located is None or not isinstance(located.data, dict):
        return None
    fonts = located.data.get("fonts")
    if not isinstance(fonts, dict) or role not in fonts:
        return None
    return located.line_of(("fonts", role))
