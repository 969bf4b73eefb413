"""Import WeasyPrint's C declarations pre-parsed, instead of parsing them in every process.

`weasyprint.text.ffi` declares Pango, HarfBuzz, GObject and fontconfig with `ffi.cdef()`,
which parses ~500 lines of C with pycparser at every start (~0.06 s on an idle machine).
This finder parses them once, keeps cffi's parser state in the user's cache (keyed by a
digest of WeasyPrint's ffi.py and the cffi version), and imports WeasyPrint's own ffi.py
with its `ffi = cffi.FFI(); ffi.cdef(...)` lines replaced by an FFI holding that state;
everything after them (the `dlopen`s, the constants) runs unchanged. The declarations and
libraries are the same, so the PDFs are too. cffi's out-of-line ABI mode would also skip
importing pycparser, but its FFI type cannot be `include()`d by a `cffi.FFI`, which
`patches.attrs` does. Any surprise (another ffi.py layout, an unreadable cache) falls back
to parsing, or to WeasyPrint's own import.

Better still, when it can, the finder writes cffi's out-of-line ABI module for the same
declarations plus the five that booklet's `patches.attrs` and `patches.replay` add
(`EXTRA_DECLARATIONS`) into the cache once: a Python file holding the parsed types as bytes,
loaded without cffi's parser (pycparser's import alone is ~35-60 ms). `patches.attrs` then
uses WeasyPrint's FFI itself (`holds_extra()`) instead of including it in an FFI of its own.
`make setup` writes the module (by importing WeasyPrint once); a missing or broken one is
written again, and any failure falls back to the pickled parser state.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import json
import os
import pickle
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from booklet.content.resources import user_cache

TARGET = "weasyprint.text.ffi"
MODULE = "booklet_weasyprint_ffi"
_DLOPEN_FLAGS = "flags = ffi.RTLD_NOW  # default"
_DLOPEN_FLAGS_KEPT = "flags = ffi.RTLD_NOW | ffi.RTLD_NODELETE  # default"
# Declarations WeasyPrint's own cdef lacks, used by booklet.render.patches.attrs and .replay.
EXTRA_DECLARATIONS = """
    PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);
    PangoAttrList * pango_attr_list_copy (PangoAttrList *list);
    PangoAttrList * pango_attr_list_ref (PangoAttrList *list);
    void pango_glyph_string_get_logical_widths (PangoGlyphString *glyphs, const char *text,
                                                int length, int embedding_level,
                                                int *logical_widths);
    gpointer g_object_ref (gpointer object);
"""


def cache_dir() -> Path:
    """Return the folder of the precompiled declarations (per user, like the cmap cache)."""
    return user_cache("ffi")


def split_source(source: str) -> tuple[str, str] | None:
    """Return (C declarations, ffi.py with the FFI()/cdef() lines replaced), or None."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    create = cdef = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node) == "ffi = cffi.FFI()":
            create = node
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
              and ast.unparse(node.value.func) == "ffi.cdef" and create is not None
              and cdef is None):
            cdef = node
    if create is None or cdef is None or len(cdef.value.args) != 1:  # type: ignore[attr-defined]
        return None
    argument = cdef.value.args[0]  # type: ignore[attr-defined]
    if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
        return None
    first, last = create.lineno, cdef.end_lineno or cdef.lineno
    # Keep the line count so that tracebacks point at WeasyPrint's own lines.
    replacement = f"from {MODULE} import ffi" + "\n" * (last - first + 1)
    patched = "".join(lines[:first - 1]) + replacement + "".join(lines[last:])
    return argument.value, patched


def out_of_line(declarations: str, key: str) -> ModuleType | None:
    """Return a module whose `ffi` is cffi's out-of-line ABI FFI for *declarations* + extras.

    The generated module is written into the cache once (cffi parses the declarations then)
    and written again when it cannot be loaded; None when that fails too.
    """
    name = f"_booklet_wp_ffi_{key}"
    path = cache_dir() / f"{name}.py"
    for attempt in range(2):
        try:
            if attempt or not path.is_file():
                _write_out_of_line(declarations, name, path)
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                return None
            generated = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(generated)
            ffi = generated.ffi
            ffi.typeof("PangoAttribute *(*)(gboolean)")  # the extras are there: a sound file
            break
        except Exception:  # a broken or foreign file: written again, once
            with contextlib.suppress(OSError):
                path.unlink()
    else:
        return None
    module = ModuleType(MODULE)
    module.ffi = ffi  # type: ignore[attr-defined]
    module.extra = True  # type: ignore[attr-defined]
    return module


def _write_out_of_line(declarations: str, name: str, path: Path) -> None:
    """Write cffi's out-of-line ABI module for *declarations* + extras at *path*."""
    import cffi

    builder = cffi.FFI()
    builder.cdef(declarations + EXTRA_DECLARATIONS)
    builder.set_source(name, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
        builder.emit_python_code(str(tmp))
    os.replace(tmp, path)


def holds_extra(ffi: Any) -> bool:
    """Return whether *ffi* is the out-of-line FFI that also declares EXTRA_DECLARATIONS."""
    module = sys.modules.get(MODULE)
    return module is not None and getattr(module, "ffi", None) is ffi \
        and getattr(module, "extra", False)


def precompiled(declarations: str, key: str) -> ModuleType:
    """Return a module whose `ffi` holds *declarations* already parsed, parsing them once.

    The `ffi` stays a `cffi.FFI` (booklet's `patches.attrs` includes it in its own FFI), so
    what is kept is cffi's parser state after `cdef()`: its declarations, pickled.
    """
    import cffi

    path = cache_dir() / f"wp_ffi_{key}.pickle"
    parser = None
    with contextlib.suppress(OSError, ValueError, pickle.UnpicklingError, EOFError,
                             AttributeError, TypeError):
        parser = pickle.loads(path.read_bytes())
    ffi = cffi.FFI()
    if parser is None or not isinstance(parser, type(ffi._parser)):
        ffi.cdef(declarations)
        parser = ffi._parser
        state = copy.copy(parser)
        state._structnode2type = None  # weak references to pycparser nodes: parsing only
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
    else:
        parser._structnode2type = weakref.WeakKeyDictionary()
        with ffi._lock:  # what FFI._cdef() does after parsing (nothing is left to complete)
            ffi._cdef_version = object()
            ffi._parser = parser
            ffi._cdefsources.append(declarations)
    module = ModuleType(MODULE)
    module.ffi = ffi  # type: ignore[attr-defined]
    return module


class _Loader(importlib.abc.Loader):
    """Run WeasyPrint's ffi.py with the precompiled declarations."""

    def __init__(self, origin: str, source: str) -> None:
        self.origin = origin
        self.source = source

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        with remembered_find_library():
            exec(compile(self.source, self.origin, "exec"), module.__dict__)


@contextlib.contextmanager
def remembered_find_library() -> Iterator[None]:
    """Answer `ctypes.util.find_library` from a disk cache while WeasyPrint opens its libraries.

    WeasyPrint tries several names per library (Windows and macOS ones first), and cffi
    asks `find_library` about every name it cannot open directly; on Linux each such miss
    runs ldconfig, gcc and ld in subprocesses: 22 calls, ~0.2 s (0.58 s on a busy machine)
    at every start. The answers only change when the dynamic linker's cache or the library
    paths do, so they are kept under a key of the mtime of /etc/ld.so.cache and the
    LD_LIBRARY_PATH and LIBRARY_PATH variables.
    """
    import ctypes.util

    try:
        linker_cache = os.stat("/etc/ld.so.cache").st_mtime_ns
    except OSError:  # not glibc Linux: ask as usual
        yield
        return
    key = "|".join([str(linker_cache), os.environ.get("LD_LIBRARY_PATH", ""),
                    os.environ.get("LIBRARY_PATH", ""), sys.platform])
    path = cache_dir() / f"find_library_{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    known: dict[str, str | None] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            known = loaded
    original = ctypes.util.find_library
    before = dict(known)

    def find_library(name: str) -> str | None:
        if name not in known:
            known[name] = original(name)
        return known[name]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
        if known != before:
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
                os.replace(tmp, path)


class PrecompiledFFIFinder(importlib.abc.MetaPathFinder):
    """Find `weasyprint.text.ffi` and load it with precompiled C declarations."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != TARGET:
            return None
        original = importlib.machinery.PathFinder.find_spec(fullname, path)
        if original is None or not original.origin:
            return None
        try:
            import cffi

            source = Path(original.origin).read_text(encoding="utf-8")
            parts = split_source(source)
            if parts is None:
                return None
            key = hashlib.sha256(f"{cffi.__version__}\n{source}".encode()).hexdigest()[:16]
            extra = hashlib.sha256(f"{key}\n{EXTRA_DECLARATIONS}".encode()).hexdigest()[:16]
            code = parts[1]
            module = None
            if not os.environ.get("BOOKLET_NO_OUT_OF_LINE_FFI") and _DLOPEN_FLAGS in code:
                module = out_of_line(parts[0], extra)
            if module is not None:
                # The out-of-line FFI's libraries are closed when their objects go; at exit,
                # objects freed later (a font map) would call into unloaded code: keep them.
                code = code.replace(_DLOPEN_FLAGS, _DLOPEN_FLAGS_KEPT)
            sys.modules[MODULE] = module or precompiled(parts[0], key)
        except Exception:  # any surprise: WeasyPrint parses its declarations itself
            return None
        spec = importlib.util.spec_from_loader(fullname, _Loader(original.origin, code),
                                               origin=original.origin)
        if spec is not None:
            spec.has_location = True
        return spec


def install() -> None:
    """Put the finder first on sys.meta_path (idempotent; before WeasyPrint is imported)."""
    if TARGET in sys.modules or os.environ.get("BOOKLET_NO_PRECOMPILED_FFI"):
        return
    if not any(isinstance(f, PrecompiledFFIFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, PrecompiledFFIFinder())
