"""What a SPARQL query or update would do, read from a real parse of it: the guard's one source of truth.

A guard over a language must not be a pattern over its text (``SERVICE`` after a ``.``, in a
Unicode escape ``\\u0053ERVICE``, split by a comment… all slip past a regular expression). Here
the text is parsed with rdflib's SPARQL 1.1 grammar (which also expands ``\\u`` escapes, as the
specification says a processor must) and the parse tree is walked:

- :func:`inspect_query` / :func:`inspect_update` return a :class:`SparqlText`: its form, every
  ``SERVICE`` target, every ``LOAD`` source, the ``FROM`` / ``FROM NAMED`` graphs, and for an
  update its operations;
- :func:`refuse` raises :class:`~diplograph.errors.RefusedSparqlError` for what a caller does not
  allow (``SERVICE``, ``LOAD``).

Text the grammar does not accept is a :class:`~diplograph.errors.QueryError` (with line and
column): what cannot be checked is never passed on. Parsing takes 10–25 ms, so answers are cached
by the exact text.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from diplograph.errors import QueryError, RefusedSparqlError

__all__ = [
    "PARSING", "SparqlText", "dataset_clauses", "inspect_query", "inspect_update", "may_name_a_dataset",
    "may_say_service", "refuse",
]

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class SparqlText:
    """What one query or update does, as its parse tree says.

    ``kind`` is ``"query"`` or ``"update"``; ``form`` the query form (``SELECT`` …), None for an
    update; ``services`` the target of every ``SERVICE`` (an IRI, or ``?var``); ``loads`` every
    ``LOAD`` source; ``from_graphs`` / ``from_named`` the dataset clauses; ``operations`` an
    update's operations in order (``Load``, ``InsertData``, ``Modify``, ``Clear`` …).
    """

    kind: str
    form: str | None
    services: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()

    @property
    def has_dataset_clause(self) -> bool:
        """True when the query names its own dataset (``FROM`` / ``FROM NAMED``)."""
        return bool(self.from_graphs or self.from_named)


def inspect_query(text: str) -> SparqlText:
    """Parse a SPARQL query; raise :class:`~diplograph.errors.QueryError` (line and column) if it is not one."""
    return _inspect(text, "query")


def inspect_update(text: str) -> SparqlText:
    """Parse a SPARQL update; raise :class:`~diplograph.errors.QueryError` if it is not one."""
    return _inspect(text, "update")


def dataset_clauses(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A query's ``FROM`` and ``FROM NAMED`` graphs, or None when it names no dataset of its own.

    Text that cannot hold the keyword (:func:`may_name_a_dataset`) is answered without a parse
    (the common case, and the reason this is cheap to call per query).
    """
    if not may_name_a_dataset(text):
        return None
    found = inspect_query(text)
    return (found.from_graphs, found.from_named) if found.has_dataset_clause else None


def may_name_a_dataset(text: str) -> bool:
    """Whether ``text`` could hold a ``FROM`` clause: the word on its own, in any case, outside the
    lines that are only a comment, or a ``\\u`` escape.

    Not a guard (the parse is) but a necessary condition, deciding which text is parsed at all:
    the keyword is ASCII and stands between delimiters, never inside a name (``prov:wasDerivedFrom``),
    and a line whose first character after blanks is ``#`` is a comment unless a long string
    (three quotes) could span it. The query files' headers say "from" for people (2 s of parsing
    at 1M triples, when every query was parsed again for it).
    """
    if "\\u" in text or "\\U" in text:
        return True
    if '"""' not in text and "\'\'\'" not in text:
        text = _COMMENT_LINES.sub("", text)
    return _FROM_WORD.search(text) is not None


_COMMENT_LINES = re.compile(r"(?:^|(?<=\r))[ \t]*#[^\r\n]*", re.MULTILINE)  # SPARQL ends a line at \r too
_FROM_WORD = re.compile(r"\bfrom\b", re.IGNORECASE)


def may_say_service(text: str) -> bool:
    """Whether Oxigraph could read a ``SERVICE`` in ``text``: the word in any case (``ſ`` too), or a ``\\u`` escape.

    Not the guard (that is the parse) but a necessary condition for it to find anything: SPARQL
    keywords are case-insensitive ASCII and its only escapes that act before parsing are ``\\u``
    and ``\\U``, so text without both cannot say SERVICE. It decides which text is parsed at all,
    and whether text the guard's grammar rejects may be handed to Oxigraph for its diagnosis
    (Oxigraph evaluates what it parses, and on an empty store only a SERVICE can do anything).
    """
    return re.search(r"(?i)service|\\[uU]", text) is not None


def refuse(found: SparqlText, *, service: bool = True, load: bool = True) -> None:
    """Raise :class:`~diplograph.errors.RefusedSparqlError` for a ``SERVICE`` (with ``service``) or a
    ``LOAD`` (with ``load``) in ``found``."""
    if service and found.services:
        raise RefusedSparqlError("SERVICE", found.services[0])
    if load and found.loads:
        raise RefusedSparqlError("LOAD", found.loads[0])


#: rdflib's grammar (pyparsing) is not safe to run in two threads at once (build's threads each
#: run queries): its parse raised "<lambda>() missing 1 required positional argument" then. Every
#: parse with rdflib's SPARQL grammar in a build (this guard's, SHACL-SPARQL's, pyshacl's) holds it.
PARSING = threading.RLock()


@functools.lru_cache(maxsize=1024)
def _inspect(text: str, kind: str) -> SparqlText:
    try:
        with PARSING:
            tree = parseQuery(text) if kind == "query" else parseUpdate(text)
    except Exception as exc:  # pyparsing's ParseException, rdflib's errors on bad escapes or IRIs
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        detail = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
        raise QueryError(f"SPARQL syntax error: {detail}", line=line if isinstance(line, int) else None,
                         column=column if isinstance(column, int) else None) from None
    form = None
    services, loads, from_graphs, from_named, operations = [], [], [], [], []
    for node in _walk(tree):
        if node.name in _FORMS:
            form = form or _FORMS[node.name]
        elif node.name == "ServiceGraphPattern":
            term = node["term"] if "term" in node else ""
            services.append(f"?{term}" if type(term).__name__ == "Variable" else str(term))
        elif node.name == "Load":
            loads.append(str(node["iri"]) if "iri" in node else "")
        elif node.name == "DatasetClause":
            if "default" in node:
                from_graphs.append(str(node["default"]))
            if "named" in node:
                from_named.append(str(node["named"]))
        if kind == "update" and node.name not in ("Update",) and _is_operation(node.name):
            operations.append(node.name)
    return SparqlText(kind, form, tuple(services), tuple(loads), tuple(from_graphs), tuple(from_named),
                      tuple(operations))


_OPERATIONS = frozenset({"Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData", "DeleteData",
                         "DeleteWhere", "Modify"})


def _is_operation(name: str) -> bool:
    return name in _OPERATIONS


def _walk(node) -> Iterator[CompValue]:
    """Every node of rdflib's parse tree (CompValues inside dicts, lists and pyparsing results)."""
    queue = deque([node])
    while queue:
        current = queue.popleft()
        if isinstance(current, CompValue):
            yield current
            queue.extend(current.values())
        elif isinstance(current, dict):
            queue.extend(current.values())
        elif isinstance(current, (list, tuple)) or (hasattr(current, "asList") and not isinstance(current, str)):
            queue.extend(current)
