"""Import WeasyPrint modules with the imports a build rarely runs deferred to first use.

Three of WeasyPrint's modules do work at import that a booklet build seldom needs:

- `weasyprint.pdf.fonts` and `weasyprint.text.fonts` import fontTools' `ttLib` and its
  variable-font instancer (102 fontTools modules, ~0.1 s of every start measured
  interleaved). WeasyPrint calls them only for variable, colour-bitmap and WOFF fonts or
  when HarfBuzz cannot subset (which render.environment rules out);
- `weasyprint.html` parses the presentational-hints stylesheet (~15 ms), used only with
  `presentational_hints=True`, which booklet never passes.

`render.lazymodules` cannot help here: `from fontTools.ttLib import TTFont` reads the name
at once, which loads a lazy module. So this finder imports those three modules from their
own source with each such line replaced by ONE line binding stand-ins: a stand-in imports
the real module on first use and puts the real objects in the module's globals, where
WeasyPrint's functions look them up from then on. An exception name gets a class nothing
raises (no fontTools code can have run before a stand-in was used). Lines keep their
numbers, so tracebacks, `inspect.getsource` and the patches' source digests still see
WeasyPrint's own file. A module whose line is not there exactly once is imported unchanged.
The compiled code is kept in the user cache under a digest of the rewritten source.
`BOOKLET_NO_LAZY_MODULES=1` turns this off, as it does render.lazymodules.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

# module -> ((WeasyPrint's line, its replacement), ...); a name's kind: call, module, error.
REWRITES: dict[str, tuple[tuple[str, str], ...]] = {
    "weasyprint.text.fonts": (
        ("from fontTools.ttLib import TTFont, woff2",
         "TTFont, woff2 = _booklet_defer(globals(), 'fontTools.ttLib', "
         "TTFont='call', woff2='module')"),
    ),
    "weasyprint.pdf.fonts": (
        ("from fontTools.ttLib import TTFont, TTLibError, ttFont",
         "TTFont, TTLibError, ttFont = _booklet_defer(globals(), 'fontTools.ttLib', "
         "TTFont='call', TTLibError='error', ttFont='module')"),
        ("from fontTools.varLib.instancer import instantiateVariableFont",
         "instantiateVariableFont, = _booklet_defer(globals(), "
         "'fontTools.varLib.instancer', instantiateVariableFont='call')"),
    ),
    "weasyprint.html": (
        ("PH_STYLESHEET = CSS(string=PH)",
         "PH_STYLESHEET = _booklet_defer_sheet(lambda: CSS(string=PH))"),
    ),
}


class _StandIn:
    """A name of a module not imported yet; the first call or attribute read imports it."""

    def __init__(self, group: _Group, name: str) -> None:
        self._group, self._name = group, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._group.resolve(self._name)(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._group.resolve(self._name), attr)


class _Group:
    """The names one rewritten `from MODULE import ...` line binds in one namespace."""

    def __init__(self, namespace: dict[str, Any], module: str, kinds: dict[str, str]) -> None:
        self.namespace, self.module, self.kinds = namespace, module, kinds

    def stand_ins(self) -> tuple[Any, ...]:
        """Return a stand-in for every name, in order."""
        return tuple(type(name, (Exception,), {"__module__": __name__}) if kind == "error"
                     else _StandIn(self, name) for name, kind in self.kinds.items())

    def resolve(self, name: str) -> Any:
        """Import the module, bind every real name in the namespace, return *name*'s."""
        module = importlib.import_module(self.module)
        for each in self.kinds:
            try:
                value = getattr(module, each)
            except AttributeError:  # a submodule: `from package import submodule`
                value = importlib.import_module(f"{self.module}.{each}")
            self.namespace[each] = value
        return self.namespace[name]


def _defer(namespace: dict[str, Any], module: str, **kinds: str) -> tuple[Any, ...]:
    """Return stand-ins for `from *module* import <kinds>` (bound by a rewritten line)."""
    return _Group(namespace, module, kinds).stand_ins()


class _DeferredSheet:
    """A stylesheet parsed the first time one of its attributes is read."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._sheet: Any = None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or attr in ("_make", "_sheet"):
            raise AttributeError(attr)
        if self._make is not None:
            self._sheet, self._make = self._make(), None
        return getattr(self._sheet, attr)


def rewrite(module: str, source: str) -> str | None:
    """Return *source* with *module*'s lines replaced, None unless each is there once."""
    lines = source.split("\n")
    for old, new in REWRITES[module]:
        found = [i for i, line in enumerate(lines) if line == old]
        if len(found) != 1:
            return None
        lines[found[0]] = new
    return "\n".join(lines)


def cache_dir() -> Path:
    """Return the folder of the compiled rewritten modules (beside fastffi's)."""
    from booklet.render.fastffi import cache_dir as ffi_cache

    return ffi_cache().parent / "deferred"


def compiled(source: str, origin: str) -> CodeType:
    """Return *source* compiled, from the user cache when this exact source was compiled."""
    key = hashlib.sha256(f"{sys.version}\0{origin}\0{source}".encode()).hexdigest()[:24]
    path = cache_dir() / f"{key}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        code = marshal.loads(path.read_bytes())
        if isinstance(code, CodeType):
            return code
    code = compile(source, origin, "exec", dont_inherit=True)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(code))
        os.replace(tmp, path)
    return code


class _Loader(importlib.abc.Loader):
    """Run a WeasyPrint module's rewritten source."""

    def __init__(self, code: CodeType) -> None:
        self.code = code

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__["_booklet_defer"] = _defer
        module.__dict__["_booklet_defer_sheet"] = _DeferredSheet
        exec(self.code, module.__dict__)


class DeferringFinder(importlib.abc.MetaPathFinder):
    """Find the modules of REWRITES and give them the rewritten source."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in REWRITES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        try:
            source = Path(spec.origin).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        rewritten = rewrite(fullname, source)
        if rewritten is None:
            return None  # not the lines this was written for: WeasyPrint's own import
        spec.loader = _Loader(compiled(rewritten, spec.origin))
        return spec


def install() -> None:
    """Put the finder first on sys.meta_path (idempotent; before WeasyPrint is imported)."""
    if os.environ.get("BOOKLET_NO_LAZY_MODULES") or set(REWRITES) & set(sys.modules):
        return
    if not any(isinstance(f, DeferringFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, DeferringFinder())
