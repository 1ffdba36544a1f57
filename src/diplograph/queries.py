"""Named SPARQL queries: read ``queries/*.rq`` files, run them, write their results.

A named query is one ``.rq`` file whose first lines are a header of SPARQL
comments, so that any SPARQL tool still runs the file as it is (the grlc /
SIB sparql-examples style)::

    #+ summary: one sentence a newcomer understands
    #+ returns: ?state ?organisation ?status
    #+ tags: membership, reference
    #+ answers: 14-1
    #+ parameters: the --param values it takes, for people (optional; see diplograph.query_parameters)
    #+ severity: violation        (only for checks: queries/checks/*-violation.rq)

``summary`` and ``returns`` are required. ``returns`` lists exactly the
projected variables, in order (``?a ?b``; the form ``a, b`` is read too); :func:`load_query_file` checks that against
the query itself. ``answers`` names the sentences of the source the query
answers, as ``line-n`` keys (``2-1`` is the first sentence on line 2).
Checks (files under ``queries/checks/``) return no rows on valid data; each
row they return is one problem.

Public functions, none of which print:

- :func:`load_query_file`, :func:`list_queries`, :func:`find_query` read
  query files into :class:`NamedQuery` objects;
- :func:`run_query` runs query text on the project's dataset
  (:class:`~diplograph.dataset.ProjectDataset`) or any rdflib ``Graph`` or
  ``Dataset`` and returns a :class:`QueryResult`, through
  :func:`diplograph.store.select`: on Oxigraph-backed stores the query goes
  straight to Oxigraph, on the pure-rdflib store rdflib's own engine answers
  it, on a ``sparql`` store the server.
- :func:`to_csv`, :func:`to_tsv`, :func:`to_json` write a result in the
  SPARQL 1.1 Query Results CSV, TSV and JSON formats.

Result terms are normalised so every store gives equal rows: Oxigraph returns
plain literals as ``"x"^^xsd:string``, which rdflib does not take as equal
to ``"x"``; they come back as plain literals (RDF 1.1 makes the two the same
term).

Errors: :class:`~diplograph.errors.QueryError` for a query that cannot be
read, parsed or run (with the file, line and column where known),
:class:`~diplograph.errors.PathNotFoundError` and
:class:`~diplograph.errors.EmptyInputError` for missing files and folders
without queries.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from diplograph.errors import (
    EmptyInputError,
    InputError,
    InputErrors,
    PathNotFoundError,
    QueryError,
    QueryTimeoutError,
    RefusedSparqlError,
)
from diplograph.files import NotUtf8, decode_utf8
from diplograph.sparql_guard import PARSING, SparqlText, inspect_query, may_say_service
from diplograph.threads import Beside
from diplograph.store import query_form, select
from diplograph.terms import nt

__all__ = [
    "CHECKS_DIR",
    "HEADER_KEYS",
    "SEVERITIES",
    "NamedQuery",
    "QueryResult",
    "find_query",
    "guard_query",
    "list_queries",
    "load_query_file",
    "run_query",
    "term_text",
    "to_csv",
    "to_json",
    "write_csv",
    "write_json",
    "to_tsv",
    "unfinished_queries",
]

#: Keys a query header may hold (``#+ key: value``); ``summary`` and ``returns`` are required.
HEADER_KEYS: tuple[str, ...] = ("summary", "returns", "tags", "answers", "parameters", "severity")
_REQUIRED_KEYS = ("summary", "returns")
#: Values of ``#+ severity:``; only checks carry one.
SEVERITIES: tuple[str, ...] = ("violation", "warning")
#: Sub-folder of the queries folder that holds the checks.
CHECKS_DIR = "checks"

_HEADER_LINE = re.compile(r"^#\+\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$")
_VARIABLE = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)$")
_ANSWER_KEY = re.compile(r"^\d+-\d+$")


# --- named queries -----------------------------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its header fields and its full text (header included).

    ``name`` is the file stem (``relations-established``); ``returns`` are the
    promised column names without ``?``; ``severity`` is ``None`` for a
    competency query and ``"violation"`` or ``"warning"`` for a check.
    """

    name: str
    path: Path
    summary: str
    returns: tuple[str, ...]
    tags: tuple[str, ...]
    answers: tuple[str, ...]
    text: str
    severity: str | None = None

    @property
    def is_check(self) -> bool:
        """True for a check: a query whose rows are problems in the data."""
        return self.severity is not None

    @property
    def needs_inference(self) -> bool:
        """True for a query tagged ``inference``: it only has answers once the inferred graph is in."""
        return "inference" in self.tags


def load_query_file(path: Path | str, *, header: bool = True) -> NamedQuery:
    """Read one ``.rq`` file and its header into a :class:`NamedQuery`.

    With ``header=False`` (a query file of the user's own, outside ``queries/``) the header is
    optional: without one, the summary is empty and ``returns`` is what the query projects.

    The query is parsed (by Oxigraph, with no prefixes predeclared, so a
    file must declare every prefix it uses) and its projected variables
    must equal the header's ``#+ returns:``. Raises
    :class:`~diplograph.errors.PathNotFoundError` for a missing file and
    :class:`~diplograph.errors.QueryError` (naming the file and line) for
    bytes that are not UTF-8, a missing, unknown, repeated or malformed
    header field, a syntax error or a ``returns`` that does not match.
    """
    path = Path(path)
    if not path.is_file():
        raise PathNotFoundError(path, "no such query file" if not path.exists() else "is not a file")
    text = _read_utf8(path)
    if not header and not _has_header(text):
        return _headerless(path, text)
    fields = _parse_header(path, text)
    returns = _parse_returns(path, fields)
    tags = tuple(t.strip() for t in fields.get("tags", ("", 0))[0].split(",") if t.strip())
    answers = _parse_answers(path, fields)
    severity = _parse_severity(path, fields)
    projected = _projected_variables(text, path)
    if projected is not None and projected != returns:
        raise QueryError(
            f"header promises columns {_vars(returns)} but the query projects {_vars(projected)}",
            path=path,
            line=fields["returns"][1],
        )
    return NamedQuery(
        name=path.stem,
        path=path,
        summary=fields["summary"][0],
        returns=returns,
        tags=tags,
        answers=answers,
        text=text,
        severity=severity,
    )


def _has_header(text: str) -> bool:
    """Whether a ``#+`` line is among the comment lines the file opens with."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return False
        if stripped.startswith("#+"):
            return True
    return False


def _headerless(path: Path, text: str) -> NamedQuery:
    projected = _projected_variables(text, path)
    return NamedQuery(name=path.stem, path=path, summary="", returns=projected or (), tags=(), answers=(), text=text)


def list_queries(queries_dir: Path | str) -> list[NamedQuery]:
    """Load every named query: ``queries_dir/*.rq`` then ``queries_dir/checks/*.rq``.

    Sorted by name, competency queries before checks. Every file is read
    before anything is raised, so all broken files are reported together
    (:class:`~diplograph.errors.InputErrors`). A check must carry
    ``#+ severity:`` and a competency query must not. Raises
    :class:`~diplograph.errors.EmptyInputError` when the folder holds no
    ``.rq`` file: finding zero queries must never look like success.
    """
    queries_dir = Path(queries_dir)
    if not queries_dir.is_dir():
        raise PathNotFoundError(queries_dir, "no such queries folder")
    checks_dir = queries_dir / CHECKS_DIR
    files = sorted(queries_dir.glob("*.rq"))
    check_files = sorted(checks_dir.glob("*.rq")) if checks_dir.is_dir() else []
    if not files and not check_files:
        raise EmptyInputError(queries_dir, "folder holds no *.rq query files")
    result: list[NamedQuery] = []
    errors: list[InputError] = []
    seen: dict[str, Path] = {}
    for path, in_checks in [(p, False) for p in files] + [(p, True) for p in check_files]:
        try:
            query = load_query_file(path)
        except InputError as exc:
            errors.append(exc)
            continue
        if in_checks and query.severity is None:
            errors.append(QueryError("a check needs a '#+ severity: violation' header line", path=path, line=1))
        elif not in_checks and query.severity is not None:
            errors.append(QueryError(f"only checks (in {CHECKS_DIR}/) carry '#+ severity:'", path=path, line=1))
        elif query.name in seen:
            errors.append(QueryError(f"another query has the same name: {seen[query.name]}", path=path))
        else:
            seen[query.name] = path
            result.append(query)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return sorted(result, key=lambda q: (q.is_check, q.name))


def find_query(name_or_path: str | Path, queries_dir: Path | str) -> NamedQuery:
    """Return the query named ``name_or_path``, or the query in that file.

    A value ending in ``.rq`` or naming an existing file is read as a path (its ``#+`` header
    optional unless the file is in ``queries_dir``); anything else is a query name (a file stem in ``queries_dir`` or its
    ``checks/`` folder). An unknown name raises
    :class:`~diplograph.errors.QueryError` whose message lists the known names.
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.is_file():
        return load_query_file(candidate, header=_inside(candidate, Path(queries_dir)))
    name = str(name_or_path)
    queries = list_queries(queries_dir)
    for query in queries:
        if query.name == name:
            return query
    known = [q.name for q in queries]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise QueryError(f"no query named {name!r}{hint}; known queries: {', '.join(known)}")


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


# --- running -----------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT or ASK query.

    ``columns`` are the projected variable names without ``?``; ``rows``
    hold one rdflib term per column, ``None`` where a variable is unbound.
    For ASK, ``columns`` and ``rows`` are empty and ``boolean`` is set.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def as_strings(self) -> list[tuple[str, ...]]:
        """Rows as strings, as the CSV format writes them (see :func:`term_text`)."""
        return [tuple(map(term_text, row)) for row in self.rows]


def run_query(
    target, query: str | NamedQuery, *, allow_service: bool = False, timeout: float | None = None
) -> QueryResult:
    """Run a SELECT or ASK query on the project's dataset, or on an rdflib ``Graph`` or ``Dataset``.

    ``target`` is a :class:`~diplograph.dataset.ProjectDataset` (the query sees exactly its
    graphs) or an rdflib graph; a dataset created with ``default_union=True`` (as
    :func:`diplograph.store.new_dataset` does) answers patterns outside ``GRAPH`` from the union
    of its named graphs. ``query`` is query text or a :class:`NamedQuery` (then errors name its
    file). Every query of every command passes here, so here a federated query is refused
    (:func:`guard_query`) unless ``allow_service``. Raises :class:`~diplograph.errors.QueryError`
    for a syntax error (with its line and column), an unknown prefix, a CONSTRUCT or DESCRIBE
    query, or a failure while evaluating; :class:`~diplograph.errors.RefusedSparqlError` for a
    ``SERVICE``.

    The engine works in a thread of its own while the calling thread waits, so that a signal
    (Ctrl-C) reaches the caller at once even while Oxigraph evaluates (Python runs signal handlers
    only in the main thread, and only between its own instructions). With ``timeout`` (seconds),
    a query still running then is a :class:`~diplograph.errors.QueryTimeoutError`. No engine can
    be told to stop: a query left behind (a timeout, an interrupt) runs on until it ends or the
    process exits (:func:`unfinished_queries`; the command line exits at once).
    """
    path = query.path if isinstance(query, NamedQuery) else None
    text = query.text if isinstance(query, NamedQuery) else query
    guard_query(text, path=path, allow_service=allow_service)
    dataset = getattr(target, "dataset", target)
    try:
        columns, rows, boolean = _in_a_thread(
            lambda: select(dataset, text, getattr(target, "query_graphs", None)), timeout, path)
    except QueryTimeoutError:
        raise
    except TypeError as exc:
        raise QueryError(f"{exc} queries are not supported here; use SELECT or ASK", path=path) from None
    except Exception as exc:  # parsers and engines raise many unrelated types
        raise _query_error(exc, text, path) from exc
    if boolean is not None:
        return QueryResult(columns=(), rows=(), boolean=boolean)
    return QueryResult(columns=columns, rows=tuple(rows))


_WORKER = "diplograph-query"


def _in_a_thread(evaluate, timeout: float | None, path: Path | None):
    """``evaluate()`` in a daemon thread; its value or its exception, or QueryTimeoutError after ``timeout``."""
    task = Beside(evaluate, name=_WORKER, frames=False)  # the caller turns every error into a QueryError
    if not task.wait(timeout):  # a signal interrupts the wait: its exception leaves from here
        raise QueryTimeoutError(timeout, path)
    return task.result()


def unfinished_queries() -> int:
    """How many queries :func:`run_query` stopped waiting for (a timeout, an interrupt) are still running."""
    return sum(1 for t in threading.enumerate() if t.name == _WORKER and t.is_alive())


def guard_query(text: str, *, path: Path | str | None = None, allow_service: bool = False) -> None:
    """Refuse a query whose engine would fetch a URL itself (``SERVICE``), unless ``allow_service``.

    Every store's engine runs ``SERVICE`` by sending a request (Oxigraph, rdflib, and a SPARQL
    server on its side), so the query is checked before any store sees it, on a parse of the text
    (:mod:`diplograph.sparql_guard`): a :class:`~diplograph.errors.RefusedSparqlError` naming the
    target. Text rdflib's grammar cannot read cannot be checked, and is refused too
    (``feature="unchecked"``), or reported as the syntax error it is.

    Text in which neither the letters of ``service`` (in any case, :func:`may_say_service`) nor a
    ``\\u`` / ``\\U`` escape occur anywhere cannot hold the keyword, so it is not parsed: the parse
    costs 50–90 ms a query (4.5 s of ``build`` at 1M triples). Any other text is parsed.
    """
    if allow_service or not may_say_service(text):
        return
    found = _inspected(text, Path(path) if path is not None else None)
    if found.services:
        raise RefusedSparqlError("SERVICE", found.services[0], path=path)


def _inspected(text: str, path: Path | None) -> SparqlText:
    """The guard's parse of ``text``; what it cannot parse is a located syntax error, or refused."""
    try:
        return inspect_query(text)
    except QueryError as unread:
        if not may_say_service(text):  # Oxigraph may parse it: it cannot run a SERVICE here
            try:
                query_form(text)
            except SyntaxError as exc:
                raise _query_error(exc, text, path) from None  # Oxigraph's words: the tokens it expected
        raise RefusedSparqlError("unchecked", unread.detail, path=path) from None


# --- writers -------------------------------------------------------------------


def term_text(term: Node | None) -> str:
    """A term as the SPARQL CSV format writes it: the IRI, the literal's lexical form, ``_:id``, or ``""``."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """The result in the SPARQL 1.1 Query Results CSV format (header of names, CRLF line ends).

    An ASK result is written as one column ``boolean`` holding ``true`` or ``false``.
    """
    return "".join(_csv_chunks(result))


def write_csv(result: QueryResult, output) -> None:
    """:func:`to_csv`'s text, UTF-8, to the binary file ``output`` a few thousand rows at a time."""
    for chunk in _csv_chunks(result):
        output.write(chunk.encode("utf-8"))


def _csv_chunks(result: QueryResult) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        yield out.getvalue()
        return
    writer.writerow(result.columns)
    rows = result.rows
    for start in range(0, max(len(rows), 1), _ROWS_PER_CHUNK):
        writer.writerows(tuple(map(term_text, row)) for row in rows[start:start + _ROWS_PER_CHUNK])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def to_tsv(result: QueryResult) -> str:
    """The result in the SPARQL 1.1 Query Results TSV format (terms in N-Triples syntax).

    An ASK result is written as one column ``?boolean`` holding ``true`` or ``false``.
    """
    if result.boolean is not None:
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    """The result in the SPARQL 1.1 Query Results JSON format.

    ``head.vars`` lists the columns; each binding has ``type`` ``uri``,
    ``literal`` or ``bnode`` and ``value``, plus ``xml:lang`` or
    ``datatype`` for literals (none for plain ``xsd:string`` literals).
    Unbound variables are left out of their row. ASK gives ``boolean``.
    """
    return "".join(_json_chunks(result))


def write_json(result: QueryResult, output) -> None:
    """:func:`to_json`'s text, UTF-8, to the binary file ``output`` a few thousand rows at a time:
    the answer's text is never whole in memory (for the largest answer at 1M triples, 100 MB)."""
    for chunk in _json_chunks(result):
        output.write(chunk.encode("utf-8"))


_ROWS_PER_CHUNK = 5000  # rows per chunk of write_json and write_csv


def _json_chunks(result: QueryResult) -> Iterator[str]:
    if result.boolean is not None:
        yield json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False, indent=2) + "\n"
        return
    # Written by hand, byte for byte what json.dumps(..., indent=2) writes: with an indent, json
    # uses its pure-Python encoder, which took 8 s for the answers of a 1M-triple build; the
    # strings still go through json's C escaper. tests/test_queries.py proves the two equal.
    string = _json_string
    keys = [string(c) for c in result.columns]
    yield '{\n  "head": {\n    "vars": ' + _json_list(keys, 4) + '\n  },\n  "results": {\n    "bindings": '
    # A cell's text, written once per column and term object: answers repeat IRIs and labels (a
    # third of the time), and Oxigraph's answers give one object per distinct term. Keyed by the
    # object's id, not the term: rdflib's hash and == of terms are Python, and "a"@en equals "a"@EN.
    cells: list[dict[int, str]] = [{} for _key in keys]
    heads = [f"        {key}: " for key in keys]
    rows = result.rows
    if not rows:
        yield "[]"
    inner = "\n" + " " * 6  # _json_list's layout at depth 4, one chunk of rows at a time
    for start in range(0, len(rows), _ROWS_PER_CHUNK):
        bindings = []
        for row in rows[start:start + _ROWS_PER_CHUNK]:
            texts = []
            for seen, head, term in zip(cells, heads, row, strict=True):
                if term is None:
                    continue
                text = seen.get(id(term))
                if text is None:
                    text = seen[id(term)] = head + _json_binding(term)
                texts.append(text)
            bindings.append("{\n" + ",\n".join(texts) + "\n      }" if texts else "{}")
        yield ("[" if start == 0 else ",") + inner + ("," + inner).join(bindings)
    if rows:
        yield "\n" + " " * 4 + "]"
    yield "\n  }\n}\n"


_json_string = json.encoder.encode_basestring  # ensure_ascii=False: the C escaper when there is one


def _json_list(items: list[str], indent: int) -> str:
    """A JSON array of already-encoded ``items`` as json.dumps(indent=2) lays it out at depth ``indent``."""
    if not items:
        return "[]"
    inner = "\n" + " " * (indent + 2)
    return "[" + inner + ("," + inner).join(items) + "\n" + " " * indent + "]"


_PAD = "\n" + " " * 10  # a binding's fields, as json.dumps(indent=2) lays them out at depth 5
_BINDING_HEADS = {kind: "{" + _PAD + f'"type": "{kind}",' + _PAD + '"value": ' for kind in ("uri", "bnode", "literal")}
_BINDING_END = "\n        }"


def _json_binding(term: Node) -> str:
    """:func:`_json_term`'s object as JSON text, without making the dict (129k terms at 1M triples)."""
    if isinstance(term, URIRef):
        return _BINDING_HEADS["uri"] + _json_string(str(term)) + _BINDING_END
    if isinstance(term, BNode):
        return _BINDING_HEADS["bnode"] + _json_string(str(term)) + _BINDING_END
    text = _BINDING_HEADS["literal"] + _json_string(str(term))
    if isinstance(term, Literal):
        if term.language:
            return text + "," + _PAD + '"xml:lang": ' + _json_string(term.language) + _BINDING_END
        if term.datatype is not None and term.datatype != XSD.string:
            return text + "," + _PAD + '"datatype": ' + _json_string(str(term.datatype)) + _BINDING_END
    return text + _BINDING_END


# --- helpers -------------------------------------------------------------------


def _read_utf8(path: Path) -> str:
    try:
        return decode_utf8(path.read_bytes())
    except NotUtf8 as bad:
        raise QueryError(
            f"byte 0x{bad.byte:02x} is not UTF-8; save the file as UTF-8",
            path=path,
            line=bad.line,
            column=bad.column,
        ) from None


def _parse_header(path: Path, text: str) -> dict[str, tuple[str, int]]:
    """The ``#+ key: value`` lines before the first line that is not a comment or blank."""
    fields: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        if not stripped.startswith("#+"):
            continue
        match = _HEADER_LINE.match(stripped)
        if not match:
            raise QueryError("header line is not of the form '#+ key: value'", path=path, line=number)
        key, value = match.group(1).lower(), match.group(2)
        if key not in HEADER_KEYS:
            raise QueryError(f"unknown header key {key!r}; expected one of {', '.join(HEADER_KEYS)}", path=path, line=number)
        if key in fields:
            raise QueryError(f"header key {key!r} given twice (first on line {fields[key][1]})", path=path, line=number)
        if not value:
            raise QueryError(f"header key {key!r} has no value", path=path, line=number)
        fields[key] = (value, number)
    for key in _REQUIRED_KEYS:
        if key not in fields:
            raise QueryError(f"missing header line '#+ {key}: …' at the top of the file", path=path, line=1)
    return fields


def _parse_returns(path: Path, fields: dict[str, tuple[str, int]]) -> tuple[str, ...]:
    value, line = fields["returns"]
    names = []
    for token in re.split(r"[\s,]+", value.strip()):
        match = _VARIABLE.match(token)
        if not match:
            raise QueryError(f"'#+ returns:' lists {token!r}, which is not a variable like ?name", path=path, line=line)
        names.append(match.group(1))
    return tuple(names)


def _parse_answers(path: Path, fields: dict[str, tuple[str, int]]) -> tuple[str, ...]:
    if "answers" not in fields:
        return ()
    value, line = fields["answers"]
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    for key in keys:
        if not _ANSWER_KEY.match(key):
            raise QueryError(f"'#+ answers:' key {key!r} is not a sentence key like 2-1 (line-n)", path=path, line=line)
    return keys


def _parse_severity(path: Path, fields: dict[str, tuple[str, int]]) -> str | None:
    if "severity" not in fields:
        return None
    value, line = fields["severity"]
    if value not in SEVERITIES:
        raise QueryError(f"'#+ severity:' must be one of {', '.join(SEVERITIES)}, not {value!r}", path=path, line=line)
    return value


def _projected_variables(text: str, path: Path) -> tuple[str, ...] | None:
    """Parse ``text`` (no predeclared prefixes); its projected variables, None for ASK.

    Nothing is run: Oxigraph evaluates what it parses (even on an empty store a ``SERVICE`` is
    called), so it only sees text the guard's parse found no ``SERVICE`` in; the projection of a
    federated query comes from rdflib's algebra. (``query --list`` reads every file this way.)
    Text that cannot say ``SERVICE`` (:func:`may_say_service`) goes straight to Oxigraph, as it
    would after the guard's parse: that parse took 4 s of ``build`` for the 42 named queries.
    """
    if not may_say_service(text):
        found = None
    else:
        try:
            found = inspect_query(text)
        except QueryError:
            _inspected(text, path)  # raises the syntax error, or the refusal: nothing else is safe
            found = None  # pragma: no cover - _inspected always raises here
    if found is not None and found.services:
        form, variables = _rdflib_projection(text, path)
    else:
        try:
            form, variables = query_form(text)
        except SyntaxError as exc:
            raise _query_error(exc, text, path) from None
    if form == "CONSTRUCT":
        raise QueryError("CONSTRUCT and DESCRIBE queries are not named queries; use SELECT or ASK", path=path, line=1)
    return variables


def _rdflib_projection(text: str, path: Path) -> tuple[str, tuple[str, ...] | None]:
    """The form and projected variables of a query as rdflib's algebra has them (``SELECT *``: sorted, as Oxigraph)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        with PARSING:  # pyparsing is not safe in two threads
            tree = parseQuery(text)
            algebra = translateQuery(tree).algebra
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain Exceptions for unknown prefixes
        raise _query_error(exc, text, path) from None
    if algebra.name == "AskQuery":
        return "ASK", None
    if algebra.name != "SelectQuery":
        return "CONSTRUCT", None
    names = tuple(str(v) for v in algebra.get("PV", ()))
    return "SELECT", names if tree[1].get("projection") else tuple(sorted(names))


def _vars(names: Sequence[str]) -> str:
    return " ".join(f"?{n}" for n in names) or "(none)"


_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S+)")


def _query_error(exc: Exception, text: str, path: Path | None) -> QueryError:
    """Turn an Oxigraph, pyparsing or rdflib exception into a located QueryError."""
    message = str(exc)
    match = _OX_POSITION.match(message)
    if match:  # pyoxigraph: "error at 3:2: expected ..."
        line, column = int(match.group(1)), int(match.group(2))
        detail = message[match.end() :]
        if "Prefix not found" in detail:  # Oxigraph lists it among the tokens it expected
            prefix = _prefix_before(text, line, column)
            if prefix is not None:
                return QueryError(f"unknown prefix {prefix!r}; declare it with PREFIX", path=path, line=line, column=column)
        detail = re.sub(r"\s+", " ", detail)
        if len(detail) > 160:
            detail = detail[:157] + "..."
        return QueryError(f"SPARQL syntax error: {detail}", path=path, line=line, column=column)
    lineno, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if isinstance(lineno, int) and isinstance(col, int) and hasattr(exc, "pstr"):  # pyparsing
        detail = getattr(exc, "msg", None) or message
        return QueryError(f"SPARQL syntax error: {detail}", path=path, line=lineno, column=col)
    prefix = _UNKNOWN_PREFIX.search(message)
    if prefix:  # rdflib names the prefix but not where it is used
        line, column = _locate_prefix(text, prefix.group(1))
        return QueryError(f"unknown prefix {prefix.group(1)!r}; declare it with PREFIX", path=path, line=line, column=column)
    return QueryError(f"query failed: {type(exc).__name__}: {message or 'no detail'}", path=path)


def _prefix_before(text: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends just before ``line``:``column`` (Oxigraph's position)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", lines[line - 1][: column - 1])
    return match.group(1) or "" if match else None


def _locate_prefix(text: str, prefix: str) -> tuple[int | None, int | None]:
    pattern = re.compile(rf"(?<![\w:<?$]){re.escape(prefix)}:")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        match = pattern.search(line)
        if match:
            return number, match.start() + 1
    return None, None


def _tsv_term(term: Node | None) -> str:
    return "" if term is None else nt(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        binding = {"type": "literal", "value": str(term)}
        if term.language:
            binding["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            binding["datatype"] = str(term.datatype)
        return binding
    return {"type": "literal", "value": str(term)}
