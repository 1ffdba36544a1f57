"""Read RDF files into rdflib objects, turning every failure into a typed error.

rdflib's own errors are hard to act on: a Turtle syntax error is a
multi-line message with a byte dump, a non-UTF-8 file raises a
``UnicodeDecodeError`` with a byte offset, and an empty file parses
happily into zero triples. Here each becomes one
:mod:`diplograph.errors` exception that names the file and, where there is
one, the line.

- :func:`load_graph` reads a triple format (Turtle, N-Triples, RDF/XML, JSON-LD)
  into a plain in-memory ``rdflib.Graph``.
- :func:`load_dataset_file` reads a quad format (TriG, N-Quads) into an
  in-memory ``rdflib.Dataset``.
- :func:`expand_paths` turns files and folders given on a command line into
  the list of graph files they mean.

Nothing is fetched while parsing. A JSON-LD document whose ``@context`` (or ``@import``) names
a document, remote or a local file, is refused (:class:`~diplograph.errors.UnsafeInputError`)
unless the environment variable :data:`ALLOW_CONTEXTS_ENV` is ``1``; an RDF/XML document that
declares XML entities is always refused (read with ``defusedxml`` first), since nested entities
expand exponentially.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph

from diplograph.errors import (
    EmptyInputError,
    EncodingError,
    ParseError,
    PathNotFoundError,
    UnsafeInputError,
    UnsupportedFormatError,
)
from diplograph.files import NotUtf8, decode_utf8
from diplograph.terms import bind_prefixes

__all__ = [
    "ALLOW_CONTEXTS_ENV",
    "DATASET_FORMATS",
    "FOLDER_SUFFIXES",
    "TRIPLE_FORMATS",
    "expand_paths",
    "load_dataset_file",
    "load_graph",
]

#: Suffix -> rdflib parser name, for formats holding one graph.
TRIPLE_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
}
#: Suffix -> rdflib parser name, for formats holding named graphs.
DATASET_FORMATS: dict[str, str] = {
    ".trig": "trig",
    ".nq": "nquads",
}
#: Set to ``1`` to let JSON-LD documents fetch the contexts they name (URLs and files).
ALLOW_CONTEXTS_ENV = "DIPLOGRAPH_ALLOW_REMOTE_CONTEXTS"
#: What a folder given to :func:`expand_paths` contributes.
FOLDER_SUFFIXES: tuple[str, ...] = (".ttl", ".trig")


def load_graph(path: Path | str) -> Graph:
    """Parse one triple-format file into a new plain in-memory ``Graph``.

    The format comes from the suffix (:data:`TRIPLE_FORMATS`). Raises
    ``PathNotFoundError``, ``UnsupportedFormatError`` (including for TriG and
    N-Quads: use :func:`load_dataset_file`), ``EncodingError``,
    ``ParseError`` or ``EmptyInputError`` (no triples, e.g. only comments and
    prefixes).
    """
    path = Path(path)
    fmt = _format_for(path, TRIPLE_FORMATS, other=DATASET_FORMATS, other_hint="load_dataset_file")
    graph = bind_prefixes(Graph())
    _parse_into(graph, path, fmt)
    if len(graph) == 0:
        raise EmptyInputError(path, "holds no triples")
    return graph


def load_dataset_file(path: Path | str) -> Dataset:
    """Parse one TriG or N-Quads file into a new in-memory ``Dataset``.

    Triples outside any ``GRAPH {…}`` block land in the default graph. Raises
    the same errors as :func:`load_graph`; ``EmptyInputError`` when no graph
    holds a triple.
    """
    path = Path(path)
    fmt = _format_for(path, DATASET_FORMATS, other=TRIPLE_FORMATS, other_hint="load_graph")
    dataset = Dataset()
    bind_prefixes(dataset)
    _parse_into(dataset, path, fmt)
    if not any(True for _ in dataset.quads((None, None, None, None))):
        raise EmptyInputError(path, "holds no triples")
    return dataset


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Turn files and folders into the list of graph files they stand for.

    A file stays itself (it must exist); a folder becomes its ``*.ttl`` and
    ``*.trig`` files, sorted, not recursive. A folder with none of those is
    an ``EmptyInputError``: checking zero files must never look like success.
    Duplicates are dropped, keeping first-seen order.
    """
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in FOLDER_SUFFIXES)
            if not found:
                raise EmptyInputError(path, f"folder holds no graph files ({', '.join('*' + s for s in FOLDER_SUFFIXES)})")
            result.extend(found)
        elif path.is_file():
            result.append(path)
        else:
            raise PathNotFoundError(path)
    seen: set[Path] = set()
    unique = []
    for path in result:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


# --- helpers -----------------------------------------------------------------


def _format_for(path: Path, formats: dict[str, str], *, other: dict[str, str], other_hint: str) -> str:
    if not path.exists():
        raise PathNotFoundError(path)
    if path.is_dir():
        raise UnsupportedFormatError(path, "is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix in formats:
        return formats[suffix]
    if suffix in other:
        raise UnsupportedFormatError(path, f"{suffix} files are read with {other_hint}()")
    raise UnsupportedFormatError(
        path, f"unknown RDF file suffix {suffix or '(none)'!r}; expected one of {', '.join(formats)}"
    )


def _read_text(path: Path, data: bytes | None = None) -> str:
    """Read ``path`` (or its ``data``) as UTF-8, naming the line of the first byte that is not."""
    try:
        return decode_utf8(path.read_bytes() if data is None else data)  # a byte-order mark is legal but not Turtle: dropped
    except NotUtf8 as bad:
        raise EncodingError(
            path, bad.line, f"byte 0x{bad.byte:02x} at column {bad.column} is not UTF-8; save the file as UTF-8"
        ) from None


_OXIGRAPH_AT_END = "bad syntax: Unexpected end"


def _parse_into(target: Graph, path: Path, fmt: str) -> None:
    data = path.read_bytes()
    text = _read_text(path, data)
    if fmt == "json-ld":
        _check_json_ld(path, text)
    elif fmt == "xml":
        _check_xml(path, data)
    try:
        # publicID: relative IRIs resolve against the file, as rdflib does for paths.
        target.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:  # nested deeper than rdflib's parser can follow: Oxigraph's does not recurse
        _parse_deep(target, path, text, fmt)
    except Exception as exc:  # parsers raise many unrelated types; all mean "bad syntax"
        located = _oxigraph_diagnosis(text, fmt, exc)
        line, detail = located if located is not None else (_error_line(exc, text), _error_detail(exc, text))
        line, detail = _at_the_end(text, line, detail)
        raise ParseError(path, line, detail) from exc


def _at_the_end(text: str, line: int | None, detail: str) -> tuple[int | None, str]:
    """``(line, detail)``, or for an error at the end of a file that stops mid-statement (rdflib
    counts past the last line, Oxigraph says only "Unexpected end") the last line and what it holds."""
    lines = text.splitlines()
    if line is None or (line <= len(lines) and detail != _OXIGRAPH_AT_END):
        return line, detail
    near = next((t.strip() for t in reversed(lines) if t.strip()), "")
    reason = ("the file ends in the middle of a statement" if detail == _OXIGRAPH_AT_END
              else detail.removeprefix("bad syntax: ") + " at the end of the file")
    return max(len(lines), 1), f"bad syntax: {reason}" + (f" (after: {_shorten(near)})" if near else "")


def _parse_deep(target: Graph, path: Path, text: str, fmt: str) -> None:
    """Read into ``target`` (emptied of what rdflib added before it gave up) with Oxigraph's parser.

    rdflib's Turtle and TriG parsers recurse once per nested ``[ … ]`` or ``( … )``: 150 nested
    blank nodes exceed Python's recursion limit. Oxigraph's parsers keep their own stack, so the
    file reads the same on every store (the Oxigraph stores read it with Oxigraph anyway).
    """
    from diplograph.store import parse_quads  # the store layer owns Oxigraph

    target.remove((None, None, None))
    if isinstance(target, Dataset):
        for graph in list(target.graphs()):
            target.remove_graph(graph)
    try:
        quads = parse_quads(text, fmt, path.resolve().as_uri())
    except SyntaxError as exc:
        detail = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", exc.msg or str(exc))
        raise ParseError(path, exc.lineno, f"bad syntax: {detail}") from None
    except ValueError as exc:
        raise ParseError(path, None, f"nested too deeply for rdflib's parser, and Oxigraph's cannot read it: {exc}") from None
    if isinstance(target, Dataset):
        contexts: dict = {}
        for s, p, o, g in quads:
            if g not in contexts:
                contexts[g] = target.default_graph if g is None else target.graph(g)
            contexts[g].add((s, p, o))
    else:
        target.addN((s, p, o, target) for s, p, o, _g in quads)


def _check_json_ld(path: Path, text: str) -> None:
    """Parse ``text`` as JSON; refuse a context to fetch unless :data:`ALLOW_CONTEXTS_ENV` allows it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, f"bad JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ParseError(path, None, "bad JSON: nested too deeply to read") from None
    if os.environ.get(ALLOW_CONTEXTS_ENV) == "1":
        return
    for reference in _context_references(document):
        raise UnsafeInputError(path, _line_of(text, reference), "json-ld-context", reference)


def _context_references(document) -> Iterator[str]:
    """Every document a JSON-LD document asks to fetch: a string (or strings) as ``@context`` or
    ``@import``, at any depth (scoped contexts sit inside term definitions). No recursion: any depth."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    yield from (v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _line_of(text: str, value: str) -> int | None:
    """The line where the JSON string ``value`` is first written in ``text``, if it can be found."""
    for written in (json.dumps(value), json.dumps(value, ensure_ascii=False), f'"{value}"'):
        at = text.find(written)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None


def _check_xml(path: Path, data: bytes) -> None:
    """Refuse an XML document that declares entities (or refers to external ones), before rdflib expands them.

    ``defusedxml``'s parser stops at the first declaration; a document that is not well-formed
    XML is left for rdflib's parser, whose error names the line.
    """
    from xml.sax import SAXException
    from xml.sax.handler import ContentHandler

    from defusedxml import DefusedXmlException
    from defusedxml.sax import make_parser

    parser = make_parser()  # forbids entity declarations and external references; a DOCTYPE alone is fine
    parser.setContentHandler(ContentHandler())
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None) or getattr(exc, "sysid", None) or "(external)"
        raise UnsafeInputError(path, parser.getLineNumber(), "xml-entity", str(name)) from None
    except SAXException:
        return


def _oxigraph_diagnosis(text: str, fmt: str, exc: Exception) -> tuple[int | None, str] | None:
    """Oxigraph's (line, reason) where rdflib's gives none: its N-Triples/N-Quads parser reports
    neither line nor column, and its Turtle/TriG parser fails with a bare ``IndexError`` when a
    file without a final newline stops mid-statement."""
    from diplograph.store import syntax_error_location  # the store layer owns Oxigraph

    if fmt in ("turtle", "trig") and isinstance(getattr(exc, "lines", None), int):
        return None  # rdflib's BadSyntax: its reason and line are the ones users know
    return syntax_error_location(text, fmt)


def _error_line(exc: Exception, text: str) -> int | None:
    """Best 1-based line number an rdflib parser exception gives away."""
    lines = getattr(exc, "lines", None)  # notation3 BadSyntax (Turtle, TriG): 0-based
    if isinstance(lines, int):
        return lines + 1
    get_line = getattr(exc, "getLineNumber", None)  # xml.sax SAXParseException
    if callable(get_line):
        return get_line()
    lineno = getattr(exc, "lineno", None)  # json.JSONDecodeError
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"\bline (\d+)", str(exc))
    if match:
        return int(match.group(1))
    # N-Triples / N-Quads errors quote the offending line but not its number.
    quoted = re.search(r":\s*'(.*)'\s*$", str(exc), re.S)
    if quoted:
        needle = quoted.group(1).strip()
        for number, line in enumerate(text.splitlines(), start=1):
            if needle and line.strip() == needle:
                return number
    return None


def _shorten(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "..."


def _error_detail(exc: Exception, text: str) -> str:
    why = getattr(exc, "_why", None)  # BadSyntax keeps its reason apart from its byte dump
    lines = getattr(exc, "lines", None)
    if isinstance(why, str) and isinstance(lines, int):
        source_lines = text.splitlines()
        near = _shorten(source_lines[lines].strip()) if 0 <= lines < len(source_lines) else ""
        return f"bad syntax: {why}" + (f" (in: {near})" if near else "")
    message = str(exc).strip() or type(exc).__name__
    message = re.sub(r"^<unknown>:\d+:\d+:\s*", "", message)  # xml.sax repeats the position
    # N-Triples errors put the quoted line after the reason; keep only the reason.
    first = message.splitlines()[0].rstrip(":")
    return first if len(first) <= 200 else first[:197] + "..."
