"""Errors raised by diplograph's library code.

Library functions never print or exit; they raise one of these, and the
command line turns each into a one-line message and an exit code. The
hierarchy::

    DiplographError            base class; ``exit_code`` says how the CLI exits
    ├── InputError             exit 2: a file or folder we were given is unusable
    │   ├── PathNotFoundError      the path does not exist
    │   ├── EmptyInputError        a file with no triples, a folder with no graph files
    │   ├── ParseError             syntax error; ``path``, ``line``, ``detail``
    │   ├── EncodingError          bytes that are not UTF-8; ``path``, ``line``, ``detail``
    │   ├── UnsupportedFormatError a file suffix we cannot read
    │   ├── ProjectNotFoundError   no folder holding ontology/diplograph.ttl
    │   ├── QueryError             a SPARQL query file or text that cannot be read or run;
    │   │                          ``path`` (None for ad-hoc text), ``line``, ``column``, ``detail``
    │   ├── InputErrors            several of the above at once (``errors``)
    │   ├── GraphNameClashError    two files would fill one named graph
    │   └── StoreLocationError     ``--db`` names something that is not an Oxigraph store
    ├── UsageError             exit 2: arguments that make no sense together
    └── EndpointError          exit 2: a SPARQL server is unreachable or refused a request; names the URL

Later stages add their own subclasses here (for example a ``QueryError`` for
SPARQL that does not parse, or a non-conformance error with exit code 1), so
callers can catch ``DiplographError`` and stay correct.

Every message names what went wrong where (file and line, or node) on a
single line, because that is what a person reads in a terminal or CI log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "DiplographError",
    "EmptyInputError",
    "EncodingError",
    "EndpointError",
    "GraphNameClashError",
    "InputError",
    "InputErrors",
    "ParseError",
    "PathNotFoundError",
    "ProjectNotFoundError",
    "QueryError",
    "StoreLocationError",
    "UnsupportedFormatError",
    "UsageError",
    "display_path",
]


def display_path(path: Path | str) -> str:
    """Return ``path`` relative to the current directory when it lies inside it.

    Messages then read ``graphs/x.ttl`` rather than a long absolute path.
    """
    path = Path(path)
    try:
        return os.fspath(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return os.fspath(path)


def _one_line(text: str) -> str:
    # Parser messages span lines; a terminal or CI log wants one per problem.
    return re.sub(r"\s+", " ", str(text)).strip()


class DiplographError(Exception):
    """Base class of every error diplograph raises on purpose."""

    #: Exit status of the command line for this error (0 ok, 1 data does not
    #: conform, 2 usage or input error).
    exit_code: int = 2

    @property
    def problems(self) -> tuple[str, ...]:
        """One message per problem; the CLI prints each on its own line."""
        return (_one_line(str(self)),)


class InputError(DiplographError):
    """A file or folder given to diplograph cannot be used."""

    exit_code = 2


class _PathError(InputError):
    """An input problem about one path, shown as ``path: detail``."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = _one_line(detail)
        super().__init__(self.path, self.detail)

    def __str__(self) -> str:
        return f"{display_path(self.path)}: {self.detail}"


class PathNotFoundError(_PathError):
    """A path we were given does not exist."""

    def __init__(self, path: Path | str, detail: str = "no such file or folder") -> None:
        super().__init__(path, detail)


class EmptyInputError(_PathError):
    """A file holds no triples, or a folder holds no graph files.

    Raised rather than silently checking nothing: a validator that passes on
    zero inputs hides a typo'd path.
    """


class UnsupportedFormatError(_PathError):
    """A file whose suffix names no RDF format we read."""


class ProjectNotFoundError(_PathError):
    """No diplograph project folder (one holding ontology/diplograph.ttl) was found."""


class _LocatedError(_PathError):
    """An input problem at a line of a file, shown as ``path:line: detail``."""

    def __init__(self, path: Path | str, line: int | None, detail: str) -> None:
        self.line = line
        super().__init__(path, detail)

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.detail}"


class ParseError(_LocatedError):
    """A file is not valid in its RDF syntax.

    Attributes: ``path``, ``line`` (1-based, or ``None`` when the parser did
    not say) and ``detail`` (the parser's reason, on one line).
    """


class EncodingError(_LocatedError):
    """A file holds bytes that are not UTF-8; ``line`` is where the first bad byte is."""


class InputErrors(InputError):
    """Several input problems found together, so a person can fix them all in one go."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors: tuple[InputError, ...] = tuple(errors)
        super().__init__(*self.errors)

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(p for e in self.errors for p in e.problems)


class UsageError(DiplographError):
    """Arguments or options that make no sense (an unknown store, clashing file names)."""

    exit_code = 2


class QueryError(InputError):
    """A SPARQL query (a ``.rq`` file or ad-hoc text) that cannot be read, parsed or run.

    Attributes: ``path`` (``None`` for query text not read from a file),
    ``line`` and ``column`` (1-based, ``None`` when unknown) and ``detail``.
    Shown as ``path:line:column: detail``, or ``query:line:column: detail``
    for ad-hoc text.
    """

    def __init__(
        self,
        detail: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.detail = _one_line(detail)
        super().__init__(self.detail)

    def __str__(self) -> str:
        where = display_path(self.path) if self.path is not None else ("query" if self.line else "")
        if self.line is not None:
            where = f"{where}:{self.line}"
            if self.column is not None:
                where = f"{where}:{self.column}"
        return f"{where}: {self.detail}" if where else self.detail


class GraphNameClashError(InputError):
    """Two input files would fill the same named graph (graph names come from file stems).

    Attributes: ``path`` (the file read second), ``graph`` (the graph IRI), ``other`` (the file
    that already gave it).
    """

    def __init__(self, path: Path | str, graph: object, other: Path | str) -> None:
        self.path, self.graph, self.other = Path(path), graph, Path(other)
        super().__init__(self.path, self.graph, self.other)

    def __str__(self) -> str:
        return (
            f"{display_path(self.path)}: would share the named graph <{self.graph}> with "
            f"{display_path(self.other)}; graph names come from file stems, rename one"
        )


class StoreLocationError(_PathError):
    """``--db PATH`` is not usable as an Oxigraph store (a file, a folder of other things, locked)."""


class EndpointError(DiplographError):
    """A SPARQL server did not answer, or refused a request; ``url`` is the address tried."""

    exit_code = 2

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = _one_line(detail)
        super().__init__(url, self.detail)

    def __str__(self) -> str:
        return f"{self.url}: {self.detail}"
