"""Run the CLI as ``python -m booklet``."""

import sys

from booklet.cli import main

sys.exit(main())
