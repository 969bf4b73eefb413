"""Run booklet: the `booklet` command and ``python -m booklet``."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run a plain build through a running build server, anything else through the CLI."""
    from booklet.tools.client import try_server

    code = try_server(argv)
    if code is not None:
        return code
    from booklet.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
