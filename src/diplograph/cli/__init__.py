"""The ``diplograph`` command line (typer + rich).

``app.py`` holds the typer app, the entry point :func:`main` and the printing helpers;
``commands/`` holds one module per command, each registering itself on ``app``.
"""

from diplograph.cli.app import app, main

__all__ = ["app", "main"]
