"""The ``diplograph`` command line: parse arguments, call one library function, print.

Exit codes:

- 0  success; for ``validate``: the data conforms (warnings allowed)
- 1  the data does not conform to the shapes (at least one violation)
- 2  usage or input error: a missing, empty, unreadable or malformed file,
     or arguments that make no sense; one ``error: …`` line per problem
- 3  internal error: a bug in diplograph, not in your data. One
     ``internal error: …`` line; set ``DIPLOGRAPH_DEBUG=1`` to get the traceback.
- 130 interrupted (Ctrl-C): one ``interrupted`` line.

Library errors (:mod:`diplograph.errors`) carry their own exit code; this
module only prints them.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading

import typer
from rdflib import BNode, Literal, URIRef
from rich.console import Console
from rich.table import Table

from diplograph import __version__
from diplograph.cli.messages import problems
from diplograph.errors import DiplographError, display_path
from diplograph.namespaces import XSD
from diplograph.project import HOME_ENV
from diplograph.terms import shorten

__all__ = ["app", "main", "console", "count_table", "plural", "result_line", "results_table", "term", "one_line"]

INTERNAL_ERROR_EXIT = 3
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells report it
DEBUG_ENV = "DIPLOGRAPH_DEBUG"

app = typer.Typer(
    name="diplograph",
    help=(
        "Check and explore knowledge graphs of diplomatic relations between states.\n\n"
        "Run inside a diplograph project (a folder holding ontology/diplograph.ttl), "
        f"or point ${HOME_ENV} at one."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
    ),
) -> None:
    """Check and explore knowledge graphs of diplomatic relations between states."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``diplograph`` script: run the CLI and map errors to exit codes."""
    _route_library_warnings()
    _register_commands()
    interrupt = _Interrupt()
    with interrupt:
        code = _run(argv, interrupt)
    _exit(code)


def _run(argv: list[str] | None, interrupt: _Interrupt) -> int:
    try:
        app(args=argv, prog_name="diplograph")
    except SystemExit as done:  # typer ends every run with one (Ctrl-C: exit 130, no message)
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:  # before typer took over, or while it was wording an error
        code = INTERRUPTED_EXIT
    except DiplographError as err:
        for problem in problems(err):
            typer.echo(f"error: {problem}", err=True)
        return err.exit_code
    except Exception as err:  # a bug, not bad data: say so in one line
        if os.environ.get(DEBUG_ENV):
            raise
        typer.echo(
            f"internal error: {type(err).__name__}: {one_line(str(err))} (set {DEBUG_ENV}=1 for the traceback)",
            err=True,
        )
        return INTERNAL_ERROR_EXIT
    else:
        code = 0
    if interrupt.seen and code == INTERRUPTED_EXIT:
        typer.echo("interrupted (Ctrl-C): stopped", err=True)
    return code


class _Interrupt:
    """While active, Ctrl-C raises KeyboardInterrupt as usual and is remembered, so that the exit it
    leads to (typer turns it into exit 130 and says nothing) is worded in one line.

    A command that handles Ctrl-C itself (``serve`` stops and exits 0) is left to do so.
    """

    def __init__(self) -> None:
        self.seen = False
        self._previous = None

    def _handle(self, signum, frame) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _exit(code: int) -> None:
    """Exit with ``code``; at once when a query is still running (a timeout, Ctrl-C): no engine can stop one."""
    from diplograph.queries import unfinished_queries

    if unfinished_queries():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


# --- presentation helpers ------------------------------------------------------


def console() -> Console:
    # Wide enough that IRIs and messages rarely wrap when output goes to a file or CI log.
    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def results_table(results) -> Table:
    table = Table(show_lines=False)
    for column in ("severity", "focus node", "path", "value", "message", "file"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.severity,
            term(r.focus_node),
            term(r.path),
            term(r.value),
            r.message,
            display_path(r.source_file) if r.source_file else "",
        )
    return table


def count_table(title: str, key: str, rows, value: str = "triples") -> Table:
    """A two-column table of names and counts (triples per graph, instances per class)."""
    table = Table(title=title, title_justify="left")
    table.add_column(key)
    table.add_column(value, justify="right")
    for name, n in rows:
        table.add_row(name, str(n))
    return table


def result_line(r) -> str:
    """One validation result on one line: ``file: Severity: node path value: message``."""
    where = display_path(r.source_file) if r.source_file else "(no file)"
    parts = [term(r.focus_node), term(r.path) if r.path is not None else "", term(r.value)]
    return f"{where}: {r.severity}: {' '.join(p for p in parts if p)}: {one_line(r.message)}"


def term(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "[blank node]"
    if isinstance(node, Literal):
        text = f'"{node}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{text}^^{shorten(node.datatype)}"
        return text
    if isinstance(node, URIRef):
        return shorten(node)
    return str(node)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _OneLineWarnings(logging.Handler):
    """Print library log warnings (rdflib's "Failed to convert Literal…") as one line, no traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {one_line(record.getMessage())}", err=True)


def _route_library_warnings() -> None:
    logger = logging.getLogger("rdflib")
    if not any(isinstance(h, _OneLineWarnings) for h in logger.handlers):
        logger.addHandler(_OneLineWarnings(logging.WARNING))
    logger.propagate = False


def _register_commands() -> None:
    """Import every module of diplograph.cli.commands; each adds its commands to ``app``.

    One module per command keeps the CLI thin and lets commands be added without
    touching a shared file.
    """
    import importlib
    import pkgutil

    commands = importlib.import_module("diplograph.cli.commands")

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}")
