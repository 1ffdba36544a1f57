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
    │   ├── UnsafeInputError       a file that would make its parser fetch a URL or a file (a JSON-LD
    │   │                          ``@context``) or expand XML entities without limit; ``feature``, ``reference``
    │   ├── UnsupportedFormatError a file suffix we cannot read
    │   ├── ProjectNotFoundError   no folder holding ontology/diplograph.ttl
    │   ├── QueryError             a SPARQL query file or text that cannot be read or run;
    │   │                          ``path`` (None for ad-hoc text), ``line``, ``column``, ``detail``
    │   ├── InputErrors            several of the above at once (``errors``)
    │   ├── GraphNameClashError    two files would fill one named graph
    │   ├── StoreLocationError     a database folder that is not an Oxigraph store, or is in use
    │   └── ShapesError            a shapes graph SHACL says a processor must refuse; ``shape``, ``detail``
    │       └── ShapesNotSupportedError  shapes using a SHACL feature the engine does not implement
    ├── UsageError             exit 2: arguments that make no sense together
    │   ├── BadValueError          a value that is not what its parameter takes (``parameter``)
    │   ├── OutputExistsError      a file that would be overwritten without leave
    │   ├── StoreChoiceError       a store kind without its location, or with one it does not take
    │   ├── CredentialsError       a user name without a password, or a .netrc that cannot be read
    │   ├── MissingGraphsError     a SPARQL server lacks graphs of the project (push them)
    │   ├── RefusedSparqlError     a query with SERVICE, an update with LOAD, where not allowed
    │   ├── UnsupportedAxiomError  an engine that cannot reason with an axiom the ontology uses
    │   └── UnknownEngineError     an engine name no stage has
    ├── OutputPathError        exit 2: an output cannot be written (a folder in the way, no permission, a full disk)
    ├── QueryTimeoutError      exit 2: a query did not finish in the time it was given (``seconds``)
    └── EndpointError          exit 2: a SPARQL server is unreachable or refused a request; names the URL
        └── TruncatedResultError   the server cut an answer short (a result-row limit)

Other modules add their own subclasses (``NonConformingError`` and
``ChecksFailedError`` in :mod:`diplograph.build`, ``MergeConflictError`` in
:mod:`diplograph.merge`, all exit 1), so callers can catch ``DiplographError``
and stay correct. Errors carry the facts as attributes (a path, a line, a
parameter, a store kind); :mod:`diplograph.cli.messages` words the ones whose
advice names a command-line option, so no library message names one.

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
    "BadValueError",
    "CredentialsError",
    "EmptyInputError",
    "EncodingError",
    "EndpointError",
    "GraphNameClashError",
    "InputError",
    "InputErrors",
    "MissingGraphsError",
    "OutputExistsError",
    "OutputPathError",
    "ParseError",
    "PathNotFoundError",
    "ProjectNotFoundError",
    "QueryError",
    "QueryTimeoutError",
    "RefusedSparqlError",
    "ShapesError",
    "ShapesNotSupportedError",
    "StoreChoiceError",
    "StoreLocationError",
    "TruncatedResultError",
    "UnknownEngineError",
    "UnsafeInputError",
    "UnsupportedAxiomError",
    "UnsupportedFormatError",
    "UsageError",
    "display_path",
    "without_password",
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


def without_password(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` URL in it removed (the user stays).

    >>> without_password("http://dba:secret@127.0.0.1:8890/sparql")
    'http://dba@127.0.0.1:8890/sparql'
    """
    return _URL_PASSWORD.sub(r"\1@", str(text))


_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*):[^/@\s]*@")


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


class UnsafeInputError(_LocatedError):
    """A file asks its parser for what diplograph does not let a parser do, so it is not parsed.

    ``feature`` is ``"json-ld-context"`` (a JSON-LD ``@context`` or ``@import`` naming a document to
    fetch, ``reference``: rdflib would fetch a URL, or read a local file such as ``/etc/passwd``)
    or ``"xml-entity"`` (an RDF/XML document declaring the entity ``reference``: nested entities
    expand exponentially, a 700-byte file into gigabytes). ``line`` is where it is, when known.
    """

    _WHY = {
        "json-ld-context": "names the JSON-LD context {ref}, which would be fetched while parsing "
                           "(remote and file contexts are not read)",
        "xml-entity": "declares the XML entity {ref!r}; documents declaring entities are not read, because "
                      "nested entities expand without limit",
    }

    def __init__(self, path: Path | str, line: int | None, feature: str, reference: str) -> None:
        self.feature, self.reference = feature, reference
        why = self._WHY.get(feature, "{ref}").format(ref=f"<{reference}>" if feature == "json-ld-context" else reference)
        super().__init__(path, line, f"refused: the file {why}")


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


class BadValueError(UsageError):
    """A value given for ``parameter`` (the library's name: ``"until"``, ``"radius"``…) is not
    what it must be (``expected``)."""

    def __init__(self, parameter: str, value: object, expected: str) -> None:
        self.parameter, self.value, self.expected = parameter, value, expected
        super().__init__(parameter, value, expected)

    def __str__(self) -> str:
        return f"{self.parameter} {self.value!r}: {self.expected}"


class OutputExistsError(UsageError):
    """A file would be overwritten that the caller did not say may be (``path``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(self.path)

    def __str__(self) -> str:
        return f"{display_path(self.path)} already exists"


class StoreChoiceError(UsageError):
    """A choice of store whose parts do not fit together.

    ``problem`` is ``"unknown-kind"`` (``kind`` is no store; ``choices`` are), ``"needs-location"``
    (``kind`` needs a ``location``: ``"db"``, a database folder, or ``"endpoint"``, a server URL) or
    ``"location-not-used"`` (a ``location`` was given to a ``kind`` that takes none).
    """

    _WORDS = {"db": "a database folder", "endpoint": "a SPARQL endpoint URL"}

    def __init__(self, problem: str, kind: str, location: str | None = None, choices: tuple[str, ...] = ()) -> None:
        self.problem, self.kind, self.location, self.choices = problem, kind, location, tuple(choices)
        super().__init__(problem, kind, location)

    def __str__(self) -> str:
        if self.problem == "unknown-kind":
            return f"unknown store {self.kind!r}; choose one of: {', '.join(self.choices)}"
        what = self._WORDS.get(self.location or "", self.location)
        if self.problem == "needs-location":
            return f"the {self.kind} store needs {what}"
        return f"the {self.kind} store takes no {what}"


class UnsupportedAxiomError(UsageError):
    """An engine cannot give the reference engine's answer for these OWL axioms or SHACL constructs.

    ``engine`` is the engine's name (``"fast"``), ``axioms`` the terms it does not compile.
    """

    def __init__(self, engine: str, axioms: tuple[object, ...]) -> None:
        self.engine, self.axioms = engine, tuple(axioms)
        super().__init__(engine, self.axioms)

    def __str__(self) -> str:
        return f"the {self.engine} reasoner does not compile {', '.join(str(a) for a in self.axioms)}"


class UnknownEngineError(UsageError):
    """``engine`` is not one of ``choices`` for ``stage`` (``"validation"`` or ``"reasoning"``)."""

    def __init__(self, stage: str, engine: str, choices: tuple[str, ...]) -> None:
        self.stage, self.engine, self.choices = stage, engine, tuple(choices)
        super().__init__(stage, engine)

    def __str__(self) -> str:
        return f"unknown {self.stage} engine {self.engine!r}; choose one of: {', '.join(self.choices)}"


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


class MissingGraphsError(UsageError):
    """A SPARQL server lacks graphs of the project; ``url`` is the server, ``missing`` the
    ``(graph, file)`` pairs it lacks (``file`` None for graphs made by the merge)."""

    def __init__(self, url: str, missing: tuple[tuple[object, Path | None], ...]) -> None:
        self.url, self.missing = without_password(url), tuple(missing)
        super().__init__(url, self.missing)

    def __str__(self) -> str:
        shown = ", ".join(
            f"<{g}>" + (f" ({display_path(f)})" if f is not None else "") for g, f in self.missing[:3]
        ) + (f" and {len(self.missing) - 3} more" if len(self.missing) > 3 else "")
        return f"{self.url} does not hold {len(self.missing)} graph(s) of the project: {shown}"


class RefusedSparqlError(UsageError):
    """A query or update uses what the caller does not allow: ``feature`` is ``"SERVICE"`` (a
    federated query: the engine would fetch ``target`` itself), ``"LOAD"`` (it would fetch a URL),
    or ``"unchecked"`` (rdflib's SPARQL grammar, which the check is made with, does not read the text,
    so it cannot be checked for either; ``target`` is the grammar's reason). ``path`` is the query file,
    None for query text."""

    def __init__(self, feature: str, target: str, *, path: Path | str | None = None) -> None:
        self.feature, self.target = feature, target
        self.path = Path(path) if path is not None else None
        super().__init__(feature, target)

    def __str__(self) -> str:
        where = f"{display_path(self.path)}: " if self.path is not None else ""
        if self.feature == "unchecked":
            return f"{where}refused: the query cannot be checked for SERVICE ({_one_line(self.target)})"
        what = "a federated query" if self.feature == "SERVICE" else "an update that fetches a URL"
        return f"{where}refused: {self.feature} {self.target} makes {what}"


class StoreLocationError(_PathError):
    """A folder is not usable as an Oxigraph database (a file, a folder of other things, locked).

    ``in_use`` is True when another process holds the database open (a running server).
    """

    def __init__(self, path: Path | str, detail: str, *, in_use: bool = False) -> None:
        self.in_use = in_use
        super().__init__(path, detail)


class OutputPathError(DiplographError):
    """An output cannot be written at ``path`` (a folder in the way, no permission, a full disk); ``reason`` says why."""

    exit_code = 2

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path, self.reason = Path(path), _one_line(reason)
        super().__init__(self.path, self.reason)

    def __str__(self) -> str:
        return f"{display_path(self.path)}: cannot write: {self.reason}"


class QueryTimeoutError(DiplographError):
    """A query was stopped after ``seconds`` without an answer; ``path`` is its file, None for query text."""

    exit_code = 2

    def __init__(self, seconds: float, path: Path | str | None = None) -> None:
        self.seconds = seconds
        self.path = Path(path) if path is not None else None
        super().__init__(seconds, self.path)

    def __str__(self) -> str:
        what = f"{display_path(self.path)}: query" if self.path is not None else "query"
        return f"{what} stopped after {self.seconds:g} s without an answer"


class EndpointError(DiplographError):
    """A SPARQL server did not answer, or refused a request; ``url`` is the address tried.

    ``status`` is the HTTP status of a refusal (None when no answer came); ``challenge`` the
    authentication scheme a ``401`` asked for (``"Digest"``, ``"Basic"``), if any. No password
    given in a URL is kept: ``url`` and ``detail`` are stored without it.
    """

    exit_code = 2

    def __init__(self, url: str, detail: str, *, status: int | None = None, challenge: str | None = None) -> None:
        self.url = without_password(url)
        self.detail = without_password(_one_line(detail))
        self.status, self.challenge = status, challenge
        super().__init__(self.url, self.detail)

    def __str__(self) -> str:
        return f"{self.url}: {self.detail}"


class ShapesError(InputError):
    """A shapes graph that SHACL says a processor must refuse (an ill-formed shape, a SPARQL
    constraint that cannot be pre-bound): ``shape`` is the shape or constraint node (None when
    unknown), ``detail`` says what is wrong."""

    def __init__(self, shape: object | None, detail: str) -> None:
        self.shape, self.detail = shape, _one_line(detail)
        super().__init__(shape, self.detail)

    def __str__(self) -> str:
        where = "shapes graph" if self.shape is None else f"shape {self.shape}"
        return f"{where}: {self.detail}"


class ShapesNotSupportedError(ShapesError):
    """Shapes that are valid SHACL but use a feature the validation engine does not implement
    (pyshacl and ``$shapesGraph``): not the shapes' fault, but they cannot be checked."""


class TruncatedResultError(EndpointError):
    """A server answered fewer rows (or triples) than the query has: ``received`` of ``total``
    (None when the server only said it stopped at its limit). ``limit`` is the limit the server
    announced (Virtuoso's ``X-SPARQL-MaxRows`` header), if it did."""

    def __init__(self, url: str, received: int, total: int | None, limit: int | None = None, what: str = "rows") -> None:
        self.received, self.total, self.limit, self.what = received, total, limit, what
        of = f"{received:,} of the {total:,} {what}" if total is not None else f"{received:,} {what}, its limit"
        said = f" (X-SPARQL-MaxRows: {limit})" if limit is not None else ""
        super().__init__(url, f"the server cut the answer short: it sent {of}{said}; "
                              "raise its result limit (Virtuoso: ResultSetMaxRows) or page the query with LIMIT and OFFSET")


class CredentialsError(UsageError):
    """Credentials for ``url`` that cannot be used: ``problem`` is ``"no-password"`` (a ``user``
    without a password) or ``"netrc"`` (the ``.netrc`` file at ``path`` cannot be read:
    ``detail``). Never holds a password."""

    def __init__(self, problem: str, url: str, *, user: str | None = None, path: Path | str | None = None,
                 detail: str = "") -> None:
        self.problem, self.url, self.user = problem, without_password(url), user
        self.path, self.detail = (Path(path) if path is not None else None), without_password(_one_line(detail))
        super().__init__(problem, self.url, user)

    def __str__(self) -> str:
        if self.problem == "netrc":
            return f"{display_path(self.path)}: cannot read it for the credentials of {self.url}: {self.detail}"
        return f"{self.url}: no password for user {self.user!r}"
