"""Remember which file fontconfig gives a font family, between processes.

`glyphs.resolve_font` asks `fc-match` (a new process that loads every fontconfig cache)
for each family a build uses: three runs, 15-50 ms of every build on a shared machine. The
answer changes only when fontconfig's setup or the installed fonts change, so a found
font is remembered under a key of that state:

- the fc-match program, and the variables fontconfig reads (its own, the locale, the
  home and XDG folders);
- the modification times of fontconfig's configuration files and folders, of its cache
  folders, and of every folder under the standard font folders (adding or removing a
  font file changes its folder's time).

Only fonts that were found are remembered, and only while their file still exists: a
family fontconfig did not have is asked again in every build, so installing it is seen
at once. Fonts in folders a configuration adds elsewhere are seen when `fc-cache` runs
(it updates the cache folders).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path

_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_LANG", "LANG",
              "LANGUAGE", "LC_ALL", "LC_CTYPE", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
              "XDG_CACHE_HOME")
_CONFIG = ("/etc/fonts", "/etc/fonts/fonts.conf", "/etc/fonts/conf.d", "~/.fonts.conf",
           "~/.fonts.conf.d", "$XDG_CONFIG_HOME/fontconfig", "$XDG_CONFIG_HOME/fontconfig/conf.d",
           "$XDG_CONFIG_HOME/fontconfig/fonts.conf", "/var/cache/fontconfig",
           "$XDG_CACHE_HOME/fontconfig", "~/.fontconfig")
_FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts",
                 "$XDG_DATA_HOME/fonts")
_MAX_FOLDERS = 5000  # a walk this long costs more than it saves: ask fc-match instead

_STATE: str | None = None


def _expand(path: str) -> str:
    home = os.path.expanduser("~")
    defaults = {"XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
                "XDG_CACHE_HOME": os.path.join(home, ".cache")}
    for name, default in defaults.items():
        path = path.replace(f"${name}", os.environ.get(name) or default)
    return os.path.expanduser(path)


def _mtime(path: str) -> str:
    try:
        return str(os.stat(path).st_mtime_ns)
    except OSError:
        return "-"


def state() -> str | None:
    """Return the key of fontconfig's setup and installed fonts now (None: do not cache)."""
    global _STATE
    if _STATE is not None:
        return _STATE
    program = shutil.which("fc-match")
    if program is None:
        return None
    parts = [program, _mtime(program)]
    parts += [f"{name}={os.environ.get(name, '')}" for name in _VARIABLES]
    parts += [f"{path}:{_mtime(_expand(path))}" for path in _CONFIG]
    count = 0
    for top in _FONT_FOLDERS:
        for folder, subfolders, _ in os.walk(_expand(top)):
            subfolders.sort()
            parts.append(f"{folder}:{_mtime(folder)}")
            count += 1
            if count > _MAX_FOLDERS:
                return None
    _STATE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _STATE


def _file() -> Path:
    return Path(_expand("$XDG_CACHE_HOME")) / "booklet" / "fontmatch.json"


def _load(key: str) -> dict[str, list]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(_file().read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("state") == key \
                and isinstance(data.get("fonts"), dict):
            return data["fonts"]
    return {}


def recall(family: str) -> tuple[Path, int] | None:
    """Return the remembered (file, face index) of *family*, None if not known now."""
    key = state()
    if key is None:
        return None
    found = _load(key).get(family)
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[1], int)):
        return None
    path = Path(str(found[0]))
    return (path, found[1]) if path.is_file() else None


def remember(family: str, path: Path, index: int) -> None:
    """Remember that fontconfig gives *family* as face *index* of *path*."""
    key = state()
    if key is None:
        return
    fonts = _load(key)
    fonts[family] = [str(path), index]
    with contextlib.suppress(OSError):
        target = _file()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"state": key, "fonts": fonts}, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, target)
