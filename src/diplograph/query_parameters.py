"""Parameters of a SPARQL query: its ``VALUES`` blocks, read from a real parse and rewritten.

A named query asks about one thing by default (``VALUES ?state { id:state/CHN }``); each
variable of a ``VALUES`` block is a parameter, its values there the defaults.
:func:`parameters` lists them, :func:`bind` returns the query text with new values.

The block is never found by a pattern over the text (a ``VALUES`` in a comment or a string
would fool one): candidate spans come from rdflib's own grammar rule for a ``VALUES`` block,
and a candidate is rewritten only when parsing the rewritten query shows that exactly that
block of the query's parse tree changed.

Values as people type them (:func:`parse_value`): ``<iri>``, a full IRI, a prefixed name
(the query's prefixes or the project's, ``id:state/KAZ``), or a short name taken in the same
folder as the default (``KAZ`` for a default ``id:state/CHN``, ``Summit`` for ``dg:Meeting``);
for a literal default, a literal of the default's datatype or language (``2023`` for an
``xsd:gYear``). Errors are :class:`~diplograph.errors.QueryError` (a parameter the query does
not have, a value that is not a term of the right kind), one line each.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import InlineData, parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from diplograph.errors import QueryError
from diplograph.namespaces import PREFIXES
from diplograph.sparql_guard import _walk

__all__ = ["Parameter", "bind", "parameters", "parse_value", "split_assignment"]

# Characters RDF 1.1 does not allow in an IRI (besides controls), and a BCP 47-like language tag.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Parameter:
    """One variable of a ``VALUES`` block and its default values (None for ``UNDEF``)."""

    name: str
    defaults: tuple[Node | None, ...]

    def shown(self) -> str:
        """``state=id:state/CHN`` (several defaults joined by ``,``), as ``query --list`` shows it."""
        from diplograph.terms import shorten

        values = ",".join("UNDEF" if d is None else _short(d, shorten) for d in self.defaults)
        return f"{self.name}={values}"


@dataclass(frozen=True)
class _Block:
    """A ``VALUES`` block as parsed: variable names and rows of terms (pnames resolved)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]


def parameters(text: str, *, path: Path | None = None) -> tuple[Parameter, ...]:
    """The parameters of a query, in the order its ``VALUES`` blocks name them (each name once)."""
    found: dict[str, list[Node | None]] = {}
    for block in _blocks(text, path):
        for index, name in enumerate(block.variables):
            values = found.setdefault(name, [])
            for row in block.rows:
                if row[index] not in values:
                    values.append(row[index])
    return tuple(Parameter(name, tuple(values)) for name, values in found.items())


def split_assignment(assignment: str) -> tuple[str, str]:
    """``"state=KAZ"`` → ``("state", "KAZ")``; ``?state=`` is read too. QueryError without ``=``."""
    name, sep, value = assignment.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not name or not value.strip():
        raise QueryError(f"--param {assignment!r} is not of the form NAME=VALUE (e.g. state=KAZ)")
    return name, value.strip()


def bind(text: str, assignments: Sequence[tuple[str, str]], *, path: Path | None = None) -> str:
    """``text`` with the ``VALUES`` blocks rewritten so that each named parameter takes the given values.

    ``assignments`` are ``(name, value)`` pairs as typed (:func:`parse_value`); a name given
    several times takes all its values (one row each) in a block of that variable alone. In a
    block of several variables a parameter replaces its column in every row. Raises
    :class:`~diplograph.errors.QueryError` for a name the query has no ``VALUES`` for (with the
    names it has) or a value that is not a term of its default's kind.
    """
    if not assignments:
        return text
    known = parameters(text, path=path)
    by_name = {p.name: p for p in known}
    prologue = _prologue(text, path)
    wanted: dict[str, list[Node]] = {}
    for name, raw in assignments:
        if name not in by_name:
            raise QueryError(_unknown(name, [p.name for p in known]), path=path)
        wanted.setdefault(name, []).append(parse_value(raw, by_name[name], prologue))
    for name, values in wanted.items():
        wanted[name] = list(dict.fromkeys(values))
    for block, start, end in _located_blocks(text, path):
        replacement = _rebind(block, wanted, path)
        if replacement is None:
            continue
        text = text[:start] + _write(replacement) + text[end:]
    return text


def parse_value(raw: str, parameter: Parameter, prologue: Mapping[str, str] | None = None) -> Node:
    """The term ``raw`` stands for, as a value of ``parameter`` (see the module's docstring)."""
    example = next((d for d in parameter.defaults if d is not None), None)
    if isinstance(example, Literal):
        return _literal(raw, example, parameter.name)
    iri = _iri(raw, example, prologue or {})
    if iri is None or _BAD_IRI.search(iri):
        kind = "an IRI" if example is None else f"an IRI or a short name like {_tail(example)!r}"
        raise QueryError(f"--param {parameter.name}={raw!r}: not {kind}")
    return URIRef(iri)


# --- values ------------------------------------------------------------------------


def _literal(raw: str, example: Literal, name: str) -> Literal:
    if name == "lang":  # the language labels are asked in (see query --lang)
        if not _LANGUAGE.match(raw):
            raise QueryError(f"--param {name}={raw!r}: not a language tag like en, fr or zh-Hans")
        return Literal(raw)
    if example.language is not None:
        return Literal(raw, lang=example.language)
    value = Literal(raw, datatype=example.datatype)
    if value.ill_typed:
        kind = example.datatype.split("#")[-1] if example.datatype else "string"
        raise QueryError(f"--param {name}={raw!r}: not a valid {kind} value (default: {example})")
    return value


def _iri(raw: str, example: Node | None, prologue: Mapping[str, str]) -> str | None:
    if raw.startswith("<") and raw.endswith(">"):
        return raw[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", raw) or raw.startswith("urn:"):
        return raw
    prefix, sep, local = raw.partition(":")
    if sep:
        namespaces = {**{p: str(ns) for p, ns in PREFIXES.items()}, **prologue}
        return namespaces[prefix] + local if prefix in namespaces else None
    if isinstance(example, URIRef):  # a short name: in the default's folder
        return _folder(example) + raw
    return None


def _folder(iri: URIRef) -> str:
    """``…/id/state/CHN`` → ``…/id/state/``; ``…/ns#Meeting`` → ``…/ns#``."""
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return str(iri)[: cut + 1]


def _tail(iri: Node) -> str:
    return str(iri)[len(_folder(iri)) :] if isinstance(iri, URIRef) else str(iri)


def _short(term: Node, shorten) -> str:
    return shorten(term) if isinstance(term, URIRef) else str(term)


def _unknown(name: str, known: Sequence[str]) -> str:
    if not known:
        return f"--param {name}=…: this query has no parameters (no VALUES block)"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"--param {name}=…: the query has no parameter {name!r}{hint}; its parameters: {', '.join(known)}"


# --- blocks --------------------------------------------------------------------------


def _rebind(block: _Block, wanted: Mapping[str, list[Node]], path: Path | None) -> _Block | None:
    """The block with the wanted values, or None when it names none of the parameters."""
    hit = [name for name in block.variables if name in wanted]
    if not hit:
        return None
    if len(block.variables) == 1:
        (name,) = block.variables
        return _Block(block.variables, tuple((value,) for value in wanted[name]))
    for name in hit:
        if len(wanted[name]) > 1:
            others = " ".join(f"?{v}" for v in block.variables if v != name)
            raise QueryError(
                f"--param {name} is given {len(wanted[name])} times, but ?{name} shares its VALUES block "
                f"with {others}: give it once", path=path)
    rows = []
    for row in block.rows:
        new = tuple(wanted[v][0] if v in wanted else t for v, t in zip(block.variables, row, strict=True))
        if new not in rows:
            rows.append(new)
    return _Block(block.variables, tuple(rows))


def _write(block: _Block) -> str:
    def n3(term: Node | None) -> str:
        return "UNDEF" if term is None else term.n3()

    if len(block.variables) == 1:
        return f"VALUES ?{block.variables[0]} {{ {' '.join(n3(row[0]) for row in block.rows)} }}"
    rows = " ".join("(" + " ".join(map(n3, row)) + ")" for row in block.rows)
    return f"VALUES ({' '.join('?' + v for v in block.variables)}) {{ {rows} }}"


def _blocks(text: str, path: Path | None) -> list[_Block]:
    """Every ``VALUES`` block of the query's parse tree (inline and final)."""
    tree, prologue = _parsed(text, path)
    return [_as_block(node, prologue) for node in _walk(tree) if node.name in ("InlineData", "ValuesClause")]


def _located_blocks(text: str, path: Path | None) -> Iterable[tuple[_Block, int, int]]:
    """The real ``VALUES`` blocks with their spans, last first (so earlier spans stay valid).

    rdflib's grammar rule for a block proposes spans; one is kept only if writing a marker value
    there changes exactly one block of the parse tree (a span in a comment or a string changes
    none).
    """
    real = Counter(_key(b) for b in _blocks(text, path))
    _tree, prologue = _parsed(text, path)
    found = []
    for tokens, start, end in InlineData.scan_string(text):
        block = _as_block(tokens[0], prologue)
        if real[_key(block)] == 0:
            continue
        marker = _Block(block.variables, (tuple(Literal("diplograph-marker") for _ in block.variables),))
        try:
            changed = Counter(_key(b) for b in _blocks(text[:start] + _write(marker) + text[end:], path))
        except QueryError:
            continue
        if changed == real - Counter([_key(block)]) + Counter([_key(marker)]):
            found.append((block, start, end))
    return reversed(found)


@functools.lru_cache(maxsize=256)
def _parsed_cached(text: str):
    tree = parseQuery(text)
    query = translateQuery(tree)
    return tree, query.prologue


def _parsed(text: str, path: Path | None):
    try:
        return _parsed_cached(text)
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many types
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        detail = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
        raise QueryError(f"SPARQL syntax error: {detail}", path=path,
                         line=line if isinstance(line, int) else None,
                         column=column if isinstance(column, int) else None) from None


def _prologue(text: str, path: Path | None) -> dict[str, str]:
    _tree, prologue = _parsed(text, path)
    return {prefix: str(ns) for prefix, ns in prologue.namespace_manager.namespaces()}


def _as_block(node: CompValue, prologue) -> _Block:
    variables = tuple(str(v) for v in node.get("var", []) if isinstance(v, Variable))
    values = list(node.get("value", []))
    if len(variables) == 1 and not any(_is_row(v) for v in values):
        rows = tuple((_resolve(v, prologue),) for v in values)
    else:
        rows = tuple(tuple(_resolve(t, prologue) for t in row) for row in values if _is_row(row))
    return _Block(variables, rows)


def _is_row(value) -> bool:
    return not isinstance(value, (Node, CompValue, str)) and hasattr(value, "__iter__")


def _resolve(term, prologue) -> Node | None:
    if isinstance(term, CompValue):
        return prologue.absolutize(term)
    if isinstance(term, str) and term == "UNDEF":
        return None
    return term


def _key(block: _Block) -> tuple:
    return block.variables, tuple(tuple("UNDEF" if t is None else t.n3() for t in row) for row in block.rows)
