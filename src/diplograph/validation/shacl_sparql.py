"""SHACL-SPARQL queries (``sh:select``, ``sh:ask``) read from a parse: refused, pre-bound, or joined.

The SHACL specification (§5.6, "pre-binding") evaluates a constraint's query once per focus node
with ``$this`` (and ``$value``, ``$currentShape``, ``$shapesGraph``, the parameters of a
constraint component) replaced by its value, and makes a shapes graph whose queries use
``MINUS``, ``VALUES``, ``SERVICE``, a sub-select that does not project a pre-bound variable (or
projects ``*``), or ``AS`` to bind a pre-bound variable, a *failure*: the shapes are refused
(:class:`~diplograph.errors.ShapesError`). Those checks are made on rdflib's SPARQL 1.1 parse of
the text, not on its characters.

:func:`read_query` returns a :class:`ShaclQuery`, whose :attr:`ShaclQuery.joinable` says when
one query joined with the focus nodes gives the same rows as one query per focus node (``$this``
bound by a triple pattern of the top-level group, no sub-select, aggregate or slice, every other
group that filters on ``$this`` binding it itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, XSD
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from diplograph.errors import ShapesError
from diplograph.namespaces import SH
from diplograph.sparql_guard import PARSING

__all__ = ["ShaclQuery", "prefixes_of", "read_query"]

#: Variables every SHACL-SPARQL query may have pre-bound.
PREBOUND = frozenset(("this", "shapesGraph", "currentShape"))
# A sub-select need not project these (the specification makes them optional).
_OPTIONAL_IN_SUBSELECT = frozenset(("shapesGraph", "currentShape"))


@dataclass(frozen=True)
class ShaclQuery:
    """One checked ``sh:select`` / ``sh:ask`` query.

    ``text`` is the query without its own ``PREFIX`` / ``BASE`` lines, ``prefixes`` every prefix
    it may use (``sh:prefixes`` and its own), ``form`` ``"SELECT"`` or ``"ASK"``, ``variables``
    the names of the variables it mentions, ``projected`` those a SELECT returns (None for
    ``*``), ``joinable`` see the module docstring, ``predicates`` the IRIs its triple patterns and
    paths name as predicates (None when one is a variable or a negated set: any predicate).
    """

    node: Node
    text: str
    prefixes: Mapping[str, str]
    form: str
    variables: frozenset[str]
    projected: tuple[str, ...] | None
    joinable: bool
    predicates: frozenset[URIRef] | None

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))


def read_query(shapes: Graph, node: Node, key: URIRef, prebound: frozenset[str] = PREBOUND) -> ShaclQuery:
    """Read and check the ``key`` (``sh:select`` or ``sh:ask``) query of ``node``.

    ``prebound`` are the variables the query may find bound (``this``, ``value``, a component's
    parameters …). Raises :class:`~diplograph.errors.ShapesError` for what SHACL refuses.
    """
    texts = list(shapes.objects(node, key))
    if len(texts) != 1 or not isinstance(texts[0], Literal):
        raise ShapesError(node, f"needs exactly one {_short(key)} string")
    prefixes = prefixes_of(shapes, node)
    body, own = _split_prologue(node, str(texts[0]))
    prefixes.update(own)
    try:
        with PARSING:  # pyparsing is not safe in two threads, and build runs named queries beside validation
            parsed = parseQuery("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + body)[1]
    except Exception as exc:  # noqa: BLE001 - pyparsing's errors have no common base worth naming
        raise ShapesError(node, f"{_short(key)} is not a SPARQL query: {exc}") from None
    form = {"SelectQuery": "SELECT", "AskQuery": "ASK"}.get(parsed.name)
    if form is None or (form == "ASK") != (key == SH.ask):
        raise ShapesError(node, f"{_short(key)} must hold a {'ASK' if key == SH.ask else 'SELECT'} query")
    _refuse_unprebindable(node, parsed, prebound)
    projected = _projection(parsed) if form == "SELECT" else ()
    return ShaclQuery(
        node=node, text=body, prefixes=prefixes, form=form,
        variables=frozenset(str(v) for v in _variables(parsed)),
        projected=projected,
        joinable=form == "SELECT" and _joinable(parsed, projected),
        predicates=_predicates(parsed, prefixes),
    )


def prefixes_of(shapes: Graph, node: Node) -> dict[str, str]:
    """The prefixes ``node``'s ``sh:prefixes`` declare (``sh:declare`` of each, and of the ontologies
    that ``owl:imports`` them), as pyshacl reads them."""
    found: dict[str, str] = {}
    for holder in shapes.objects(node, SH.prefixes):
        declarers = {holder, *shapes.subjects(OWL.imports, holder)}
        for declarer in declarers:
            for declaration in shapes.objects(declarer, SH.declare):
                prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
                if not isinstance(prefix, Literal) or not isinstance(namespace, Literal):
                    raise ShapesError(node, "an sh:declare needs one sh:prefix and one sh:namespace literal")
                if namespace.datatype not in (None, XSD.anyURI, XSD.string):
                    raise ShapesError(node, f"sh:namespace {namespace} is not an xsd:anyURI")
                found[str(prefix)] = str(namespace)
    return found


def _short(iri: URIRef) -> str:
    return "sh:" + str(iri)[len(str(SH)):]


# --- the parse tree ---------------------------------------------------------------------------


def _get(tree: CompValue, key: str):
    """``tree[key]``, None when absent (``CompValue.get`` answers the key itself for a missing key)."""
    return tree[key] if key in tree else None


def _walk(node) -> Iterator:
    """Every value in a parse tree, depth first."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, CompValue):
            todo.extend(n.values())
        elif isinstance(n, (list, tuple)) or type(n).__name__ == "ParseResults":
            todo.extend(n)


def _variables(tree) -> set[Variable]:
    return {n for n in _walk(tree) if isinstance(n, Variable)}


def _named(tree, *names: str) -> list[CompValue]:
    return [n for n in _walk(tree) if isinstance(n, CompValue) and n.name in names]


def _refuse_unprebindable(node: Node, query: CompValue, prebound: frozenset[str]) -> None:
    """SHACL §5.6's restrictions on a query with pre-bound variables."""
    for name, what in (("MinusGraphPattern", "MINUS"), ("InlineData", "VALUES"),
                       ("InlineDataFull", "VALUES"), ("InlineDataOneVar", "VALUES"),
                       ("ServiceGraphPattern", "SERVICE")):
        if _named(query, name):
            raise ShapesError(node, f"a SHACL-SPARQL query must not use {what}")
    if _get(query, "valuesClause") is not None:
        raise ShapesError(node, "a SHACL-SPARQL query must not use VALUES")
    for sub in _named(query.where, "SubSelect"):
        projected = _projection(sub)
        if projected is None:
            raise ShapesError(node, "a sub-select must name its variables, not SELECT * (SHACL §5.6)")
        missing = sorted(v for v in prebound & {str(x) for x in _variables(query)}
                         if v not in projected and v not in _OPTIONAL_IN_SUBSELECT)
        if missing:
            raise ShapesError(node, f"a sub-select must project the pre-bound ${', $'.join(missing)}")
    for bound in (*_named(query, "Bind"), *(v for v in _named(query, "vars") if "evar" in v)):
        var = str(_get(bound, "var") or _get(bound, "evar"))
        if var in prebound:
            raise ShapesError(node, f"a SHACL-SPARQL query must not bind the pre-bound ${var} with AS")


def _projection(select: CompValue) -> tuple[str, ...] | None:
    """The variables a SELECT (or sub-select) projects; None for ``SELECT *``."""
    items = _get(select, "projection")
    if not items:
        return None
    return tuple(str(_get(item, "var") or _get(item, "evar")) for item in items)


def _mentions_this(tree) -> bool:
    return Variable("this") in _variables(tree)


def _binds_this(group: CompValue) -> bool:
    """Whether a triple pattern directly in ``group`` has ``$this`` as subject or object."""
    for block in _get(group, "part") or ():
        if isinstance(block, CompValue) and block.name == "TriplesBlock":
            for triples in block.triples:
                if any(t == Variable("this") for i, t in enumerate(triples) if i % 3 != 1):
                    return True
    return False


def _joinable(query: CompValue, projected: tuple[str, ...] | None) -> bool:
    """True when joining the query's rows with the focus nodes on ``?this`` is pre-binding."""
    if projected is not None and "this" not in projected:
        return False
    if any(_get(query, k) is not None for k in ("groupby", "having", "limitoffset")):
        return False
    if any("evar" in item for item in _get(query, "projection") or ()):
        return False
    if _named(query.where, "SubSelect") or any(_mentions_this(b) for b in _named(query.where, "Bind")):
        return False
    if not _binds_this(query.where):
        return False
    return all(_group_filters_ok(g) for g in _groups(query.where, top=True))


def _groups(group: CompValue, top: bool) -> Iterator[tuple[CompValue, bool]]:
    """Each group pattern below ``group`` (itself included), with whether its FILTERs see ``$this``
    bound from outside (the top-level group's own triples, an OPTIONAL's left side)."""
    yield group, top
    for part in _get(group, "part") or ():
        if not isinstance(part, CompValue):
            continue
        if part.name == "OptionalGraphPattern":
            yield from _groups(part.graph, True)
        elif part.name == "GroupOrUnionGraphPattern":
            for branch in part.graph:
                yield from _groups(branch, False)
        elif part.name == "GraphGraphPattern":
            yield from _groups(part.graph, False)


def _group_filters_ok(item: tuple[CompValue, bool]) -> bool:
    group, sees_outer = item
    filters = [p for p in _get(group, "part") or () if isinstance(p, CompValue) and p.name == "Filter"]
    return sees_outer or _binds_this(group) or not any(_mentions_this(f) for f in filters)


def _predicates(query: CompValue, prefixes: Mapping[str, str]) -> frozenset[URIRef] | None:
    found: set[URIRef] = set()
    for block in _named(query.where, "TriplesBlock"):
        for triples in block.triples:
            for predicate in list(triples)[1::3]:
                if isinstance(predicate, Variable) or _named(predicate, "PathNegatedPropertySet"):
                    return None
                for part in _walk(predicate):
                    if isinstance(part, URIRef):
                        found.add(part)
                    elif isinstance(part, CompValue) and part.name == "pname":
                        found.add(URIRef(prefixes.get(part.prefix, "") + (_get(part, "localname") or "")))
    return frozenset(found)


# --- the text ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'(?P<space>\s+)|(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)'
    r'|(?P<word>[A-Za-z_][\w\-.:]*)'
    r'|(?P<other>.)',
    re.S,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]


def _split_prologue(node: Node, text: str) -> tuple[str, dict[str, str]]:
    """The query after its ``PREFIX`` / ``BASE`` lines, and the prefixes they declare."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    i = 0
    while True:
        words = [(j, t) for j, t in enumerate(tokens[i:], i) if t[0] not in ("space", "comment")][:3]
        if len(words) >= 3 and words[0][1][1].upper() == "PREFIX" and words[2][1][0] == "iri":
            prefixes[words[1][1][1].rstrip(":")] = words[2][1][1][1:-1]
            i = words[2][0] + 1
        elif len(words) >= 2 and words[0][1][1].upper() == "BASE":
            raise ShapesError(node, "a SHACL-SPARQL query must not declare BASE")
        else:
            return "".join(t for _k, t in tokens[i:]), prefixes
