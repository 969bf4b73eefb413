"""Stage 4, render: ComposedDocument -> Rendered (a laid-out WeasyPrint Document).

`layout` runs WeasyPrint, `fetcher` is the project-only URL fetcher, `segments` lays out a
booklet part by part for fast rebuilds, `environment` checks fonts and HarfBuzz subsetting,
and `patches` holds every WeasyPrint patch with its guard. Importing this package puts
`fastffi`'s finder in place, so that WeasyPrint, imported later, loads its C declarations
precompiled, and `lazymodules`' and `deferred`'s finders, so that fontTools modules (and a
stylesheet) WeasyPrint imports but rarely uses load on first use.
"""

from booklet.render import deferred, fastffi, lazymodules

fastffi.install()
lazymodules.install()
deferred.install()
