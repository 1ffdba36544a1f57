"""SHACL compiled to SPARQL and answered by Oxigraph: the fast validation engine.

:class:`FastValidator` gives the same :class:`~diplograph.validation.report.ValidationReport` as
:class:`~diplograph.validation.pyshacl_engine.PyshaclValidator` (pyshacl, the reference engine): the same set of
(focus node, result path, value, source shape, constraint component, severity), messages from
``sh:message``. It reads a *working store* (:class:`diplograph.store.WorkingStore`): an Oxigraph
store whose default graph holds data and ontology (rdflib graphs are copied into one first).
Every shape with a target becomes one SPARQL ``SELECT`` per property shape returning focus node,
value and which constraint failed. The usual constraints (``sh:minCount 1``, ``sh:maxCount 1``
and the value tests) are checked in one pass over the focus nodes: each focus node's value (or
none, through ``OPTIONAL``) and, for ``sh:maxCount 1``, a second value are conditions on one row,
and only failing rows are expanded into one row per failed constraint. Scanning the targets once
per property shape rather than once per constraint made the engine about 2x faster at 1M triples.
The queries only read the store, so they run two at a time on a machine with two cores or
more (``FastValidator(threads=…)``; Oxigraph evaluates without Python's lock), their results
gathered in the order one thread would give them: 9.6 s -> 4–5 s at 1M triples.

``sh:targetClass`` and ``sh:class`` reach instances of subclasses through the
``rdfs:subClassOf`` triples of data and ontology together, as pyshacl does with ``ont_graph``.

Supported (:data:`SUPPORTED_PARAMETERS`): targets ``sh:targetClass``, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` (and implicit class targets); paths: IRIs,
``sh:inversePath``, ``sh:alternativePath``, sequences, ``sh:zeroOrMorePath``,
``sh:oneOrMorePath``, ``sh:zeroOrOnePath``; constraints ``sh:minCount``, ``sh:maxCount``,
``sh:datatype`` (with pyshacl's ill-typed-literal rule), ``sh:class``, ``sh:nodeKind``,
``sh:in``, ``sh:hasValue``, ``sh:pattern`` (+ ``sh:flags``), ``sh:minLength``,
``sh:maxLength``, ``sh:minInclusive``/``sh:maxInclusive``/``sh:minExclusive``/``sh:maxExclusive``,
``sh:languageIn``, ``sh:uniqueLang``, ``sh:lessThan``, ``sh:lessThanOrEquals`` (pairs
compared in Python with rdflib's ordering, as pyshacl does), ``sh:not``, ``sh:and``, ``sh:or``,
``sh:node`` (of shapes built from these, with ``sh:minCount``/``sh:maxCount`` 0–2 on nested
property shapes), ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``
(not disjoint), and ``sh:sparql`` SELECT constraints of top-level property shapes whose query,
joined with the focus nodes, is SHACL's pre-binding (:mod:`diplograph.validation.shacl_sparql`
reads the query; one SHACL refuses raises :class:`~diplograph.errors.ShapesError`).

Anything else makes its top-level shape *fall back*: pyshacl validates that shape (the whole
shapes graph, the other shapes' targets removed). Handed over: ``sh:xone``, ``sh:closed``,
``sh:equals``, ``sh:disjoint``, SPARQL targets, ``sh:qualifiedValueShapesDisjoint``,
``sh:sparql`` on node shapes or nested shapes, parameters of SPARQL-based constraint
components, ``sh:property`` of a property shape, recursive shapes, malformed paths, a
single-valued parameter given twice, and shapes that may meet a literal Oxigraph would not give
back as written (:mod:`diplograph.validation.altered_literals`). :func:`unsupported_shapes`
lists the shapes handed over whatever the data; the report's ``fallback_shapes`` / ``notes`` say
which ran where in a run.
Nothing is ignored: a SHACL parameter that is neither compiled nor known is handed over too.

Literal identity: Oxigraph hands plain literals back as ``"x"^^xsd:string`` and stores numbers,
dates … in canonical form (``"01"^^xsd:integer`` comes back ``"1"``). Results are converted back
to rdflib's form: plain literals without datatype, and reported values are mapped back to the
data graph's own literal where Oxigraph canonicalised it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from diplograph.compat import shacl_datatype_ok, shacl_range_ok
from diplograph.namespaces import SH
from diplograph.store import WorkingStore, canonical_literals
from diplograph.store.oxigraph import StoreView
from diplograph.sparql_guard import PARSING
from diplograph.terms import sparql
from diplograph.threads import in_order, workers
from diplograph.validation.pyshacl_engine import PyshaclValidator
from diplograph.validation.altered_literals import altered, altered_predicates
from diplograph.validation.shacl_sparql import read_query
from diplograph.validation.report import (
    POLICY,
    ConformancePolicy,
    ValidationReport,
    ValidationResult,
    count_shapes,
    report_graph,
    severity_name,
)

__all__ = [
    "SUPPORTED_PARAMETERS",
    "FastValidator",
    "unsupported_reasons",
    "unsupported_shapes",
]

# --- what is compiled ----------------------------------------------------------

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_VALUE_PARAMS = (
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minLength, SH.maxLength,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.languageIn,
    SH["not"], SH["and"], SH["or"], SH.node,
)
_PROPERTY_ONLY = (
    SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql,
)
#: Constraint parameters :class:`FastValidator` compiles to SPARQL.
SUPPORTED_PARAMETERS: frozenset[URIRef] = frozenset((*_VALUE_PARAMS, *_PROPERTY_ONLY, SH.hasValue, SH.property))
# Parameters that are not constraints (ignored) and parameters known to be constraints.
_NON_CONSTRAINT = frozenset(
    (RDF.type, SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group,
     SH.defaultValue, SH.deactivated, SH.flags, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
     SH.targetObjectsOf, RDFS.label, RDFS.comment, SH.qualifiedValueShapesDisjoint, SH.ignoredProperties)
)
_SH = str(SH)
# Parameters pyshacl takes one value of (it refuses a shape giving two): handed over when repeated.
_SINGLE = frozenset((SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength, SH.maxLength,
                     SH.flags, SH.uniqueLang, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.path,
                     SH.qualifiedValueShape, SH.pattern, SH.qualifiedValueShapesDisjoint, SH.deactivated))

_COMPONENT = {
    "minCount": SH.MinCountConstraintComponent, "maxCount": SH.MaxCountConstraintComponent,
    "datatype": SH.DatatypeConstraintComponent, "class": SH.ClassConstraintComponent,
    "nodeKind": SH.NodeKindConstraintComponent, "in": SH.InConstraintComponent,
    "hasValue": SH.HasValueConstraintComponent, "pattern": SH.PatternConstraintComponent,
    "minLength": SH.MinLengthConstraintComponent, "maxLength": SH.MaxLengthConstraintComponent,
    "minInclusive": SH.MinInclusiveConstraintComponent, "maxInclusive": SH.MaxInclusiveConstraintComponent,
    "minExclusive": SH.MinExclusiveConstraintComponent, "maxExclusive": SH.MaxExclusiveConstraintComponent,
    "languageIn": SH.LanguageInConstraintComponent, "uniqueLang": SH.UniqueLangConstraintComponent,
    "not": SH.NotConstraintComponent, "and": SH.AndConstraintComponent, "or": SH.OrConstraintComponent,
    "node": SH.NodeConstraintComponent, "lessThan": SH.LessThanConstraintComponent,
    "lessThanOrEquals": SH.LessThanOrEqualsConstraintComponent,
    "qualifiedMinCount": SH.QualifiedMinCountConstraintComponent,
    "qualifiedMaxCount": SH.QualifiedMaxCountConstraintComponent,
    "sparql": SH.SPARQLConstraintComponent,
}

# Components whose results carry no sh:value in pyshacl.
_NO_VALUE = frozenset(("minCount", "maxCount", "hasValue", "uniqueLang", "qualifiedMinCount", "qualifiedMaxCount"))
# Datatypes whose literals can be ill-typed and are checked the way pyshacl does (see _bad_literals).
_NO_CHECK = {str(XSD.string), str(RDF.langString), str(RDFS.Literal), str(RDFS.Datatype)}
# Lexical forms certainly well typed for rdflib (anything else is checked with rdflib itself).
_SURELY_OK = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    str(XSD.boolean): re.compile(r"true|false|1|0"),
}


class Unsupported(Exception):
    """A constraint this compiler does not translate (the shape falls back to pyshacl)."""


def _sparql(node: Node) -> str:
    """An rdflib term in SPARQL syntax (a blank node is no constant: the shape is handed over)."""
    if isinstance(node, BNode):
        raise Unsupported(f"blank node {node} as a constant")
    return sparql(node)


# --- reading the shapes graph -----------------------------------------------------


def _list(shapes: Graph, node: Node) -> list[Node]:
    return list(Collection(shapes, node))


def _one(shapes: Graph, node: Node, param: URIRef) -> Node | None:
    return shapes.value(node, param)


def _top_level(shapes: Graph) -> list[Node]:
    """Shapes with a target (explicit, SPARQL-based, or implicit class target), not deactivated."""
    found: dict[Node, None] = {}
    for param in (*_TARGETS, SH.target):
        for s in shapes.subjects(param, None):
            found[s] = None
    for cls in (RDFS.Class, OWL.Class):
        for s in shapes.subjects(RDF.type, cls):
            if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes:
                found[s] = None
    return [s for s in found if not _deactivated(shapes, s)]


def _deactivated(shapes: Graph, node: Node) -> bool:
    value = shapes.value(node, SH.deactivated)
    return value is not None and value.toPython() is True


def _walk(start: Node, neighbours) -> set[Node]:
    """``start`` and every node reachable from it through ``neighbours(node)``."""
    seen: set[Node] = set()
    todo = [start]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(neighbours(n))
    return seen


def _shape_closure(shapes: Graph, node: Node) -> set[Node]:
    """The shape and every shape it uses (property shapes, sh:node, logical members, qualified)."""

    def used(n: Node) -> list[Node]:
        found = list(shapes.objects(n, SH.property))
        for p in (SH.node, SH["not"], SH.qualifiedValueShape):
            found.extend(shapes.objects(n, p))
        for p in (SH["and"], SH["or"], SH.xone):
            for lst in shapes.objects(n, p):
                found.extend(_list(shapes, lst))
        return found

    return _walk(node, used)


# --- the compiler -------------------------------------------------------------------


class _Compiler:
    """Turns shapes into SPARQL over a store holding data + ontology."""

    def __init__(self, shapes: Graph, subclasses: dict[str, set[str]], bad: list[Literal]) -> None:
        self.shapes = shapes
        self.subclasses = subclasses
        self.bad = bad
        self.counter = 0
        # Parameters of constraint components the shapes graph defines (SHACL-SPARQL): not compiled.
        self.custom = {shapes.value(param, SH.path) for param in shapes.objects(None, SH.parameter)}
        self.nesting: list[Node] = []  # shapes being compiled inside each other (a cycle is handed over)
        self.ranges: list[tuple] = []  # range constraints of the shape being compiled (see range_test)

    def var(self, base: str) -> str:
        self.counter += 1
        return f"?{base}{self.counter}"

    # paths

    def path(self, node: Node) -> str:
        g = self.shapes
        if isinstance(node, URIRef):
            return f"<{node}>"
        _well_formed_path(g, node)
        if (alt := g.value(node, SH.alternativePath)) is not None:
            return "(" + "|".join(self.path(p) for p in _list(g, alt)) + ")"
        if (inv := g.value(node, SH.inversePath)) is not None:
            return f"^({self.path(inv)})"
        for param, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            if (inner := g.value(node, param)) is not None:
                return f"({self.path(inner)}){op}"
        if g.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(p) for p in _list(g, node)) + ")"
        raise Unsupported(f"property path {node}")

    # targets

    def classes(self, cls: Node) -> str:
        if isinstance(cls, BNode):
            raise Unsupported("sh:class of a blank node")
        subs = self.subclasses.get(str(cls), set()) | {str(cls)}
        return " ".join(f"<{c}>" for c in sorted(subs))

    def class_pattern(self, node: str, cls: Node) -> str:
        """``node`` is an instance of ``cls`` or a subclass, as a UNION of constant-class patterns.

        Not ``node a ?t . VALUES ?t {…}``: Oxigraph 0.5 plans a VALUES-bound class as a scan
        and join, several times slower than looking each constant class up.
        """
        names = self.classes(cls).split()
        return " UNION ".join(f"{{ {node} a {c} }}" for c in names)

    def target(self, shape: Node, this: str = "?this") -> str:
        """A group pattern binding ``this`` to each focus node of ``shape``.

        Not wrapped in ``SELECT DISTINCT``: a node reached twice (typed with two target classes)
        only repeats result rows, which :class:`FastValidator` removes, and the sub-select's
        de-duplication cost more than the rows it saved.
        """
        g = self.shapes
        branches = []
        if (shape, SH.target, None) in g:
            raise Unsupported("SPARQL-based target (sh:target)")
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            classes.append(shape)
        for cls in classes:
            branches.append(f"{{ {self.class_pattern(this, cls)} }}")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            branches.append(f"{{ VALUES {this} {{ {' '.join(_sparql(n) for n in nodes)} }} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            branches.append(f"{{ SELECT DISTINCT {this} WHERE {{ {this} {_sparql(p)} [] }} }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            branches.append(f"{{ SELECT DISTINCT {this} WHERE {{ [] {_sparql(p)} {this} }} }}")
        if not branches:
            raise Unsupported("no target")
        return f"{{ {' UNION '.join(branches)} }}"

    # value conditions: a SPARQL expression true iff ``v`` conforms

    def value_tests(self, shape: Node, v: str, nested: bool) -> list[tuple[str, str]]:
        """(component name, condition) for each value constraint of ``shape`` on node ``v``."""
        g = self.shapes
        tests = []
        for cls in g.objects(shape, SH["class"]):
            tests.append(("class", f"EXISTS {{ {self.class_pattern(v, cls)} }}"))
        for dt in g.objects(shape, SH.datatype):
            tests.append(("datatype", self.datatype_test(dt, v)))
        for kind in g.objects(shape, SH.nodeKind):
            tests.append(("nodeKind", _node_kind(kind, v)))
        for lst in g.objects(shape, SH["in"]):
            members = _list(g, lst)
            tests.append(("in", "(" + " || ".join(f"sameTerm({v}, {_sparql(m)})" for m in members) + ")"
                          if members else "false"))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            tests.append(("pattern", f"(!isBlank({v}) && REGEX(STR({v}), {Literal(str(pattern)).n3()}{args}))"))
        for param, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for n in g.objects(shape, param):
                tests.append((str(param)[len(_SH):], f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(n)})"))
        for param, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="), (SH.minExclusive, ">"),
                          (SH.maxExclusive, "<")):
            for bound in g.objects(shape, param):
                tests.append((str(param)[len(_SH):], self.range_test(v, bound, op)))
        for lst in g.objects(shape, SH.languageIn):
            langs = [str(x) for x in _list(g, lst)]
            ranges = " || ".join(f"LANGMATCHES(LANG({v}), {Literal(x).n3()})" for x in langs) or "false"
            tests.append(("languageIn", f"(isLiteral({v}) && LANG({v}) != \"\" && ({ranges}))"))
        for other in g.objects(shape, SH["not"]):
            tests.append(("not", f"!({self.conforms(other, v)})"))
        for lst in g.objects(shape, SH["and"]):
            tests.append(("and", "(" + " && ".join(self.conforms(m, v) for m in _list(g, lst)) + ")"))
        for lst in g.objects(shape, SH["or"]):
            members = _list(g, lst)
            tests.append(("or", "(" + " || ".join(self.conforms(m, v) for m in members) + ")" if members else "false"))
        for other in g.objects(shape, SH.node):
            tests.append(("node", self.conforms(other, v)))
        if nested:
            for hv in g.objects(shape, SH.hasValue):
                tests.append(("hasValue", f"sameTerm({v}, {_sparql(hv)})"))
        return tests

    def range_test(self, v: str, bound: Node, op: str) -> str:
        """SPARQL's comparison where it agrees with pyshacl's: values of the bound's datatype (any
        numeric datatype for a numeric bound). Other literals pass here and are judged in Python
        (:attr:`ranges`, :func:`~diplograph.compat.shacl_range_ok`); inside another constraint
        that cannot be done, and the shape is handed over."""
        if self.nesting:
            raise Unsupported("a range constraint inside another constraint")
        if not isinstance(bound, Literal):
            raise Unsupported(f"range bound {bound} is not a literal")
        family = _range_family(bound)
        self.ranges.append((bound, op, family))
        if not family:
            return f"isLiteral({v})"
        return (f"(isLiteral({v}) && (!(datatype({v}) IN ({', '.join(f'<{d}>' for d in family)})) "
                f"|| COALESCE({v} {op} {_sparql(bound)}, false)))")

    def range_extra(self, target: str, path: str | None) -> list[tuple]:
        """Queries for the values :meth:`range_test` left to Python, and empties :attr:`ranges`."""
        extra = []
        values = f"{target} ?this {path} ?v" if path else f"{target} BIND(?this AS ?v)"
        for bound, op, family in self.ranges:
            outside = f"!(datatype(?v) IN ({', '.join(f'<{d}>' for d in family)}))" if family else "true"
            extra.append(("range", _RANGE_NAMES[op], bound, op,
                          f"SELECT DISTINCT ?this ?v WHERE {{ {values} FILTER(isLiteral(?v) && {outside}) }}"))
        self.ranges = []
        return extra

    def datatype_test(self, dt: Node, v: str) -> str:
        if dt == RDFS.Literal:
            return f"isLiteral({v})"
        test = f"(isLiteral({v}) && datatype({v}) = {_sparql(dt)}"
        bad = [b for b in self.bad if b.datatype == dt]
        if bad:
            test += " && !(" + " || ".join(f"sameTerm({v}, {sparql(b)})" for b in bad) + ")"
        return test + ")"

    def conforms(self, shape: Node, v: str) -> str:
        """Expression: node ``v`` conforms to the (nested) ``shape``."""
        g = self.shapes
        if _deactivated(g, shape):
            return "true"
        if shape in self.nesting:
            raise Unsupported(f"recursive shape {shape} (sh:node or a logical constraint reaches itself)")
        self.nesting.append(shape)
        try:
            self.check_params(shape, nested=True)
            if (shape, SH.sparql, None) in g:
                raise Unsupported("sh:sparql in a shape used by another shape")
            parts = [test for _name, test in self.value_tests(shape, v, nested=True)]
            for prop in g.objects(shape, SH.property):
                parts.append(self.property_conforms(prop, v))
            if g.value(shape, SH.path) is not None:  # a property shape used as a node-level shape
                parts.append(self.property_conforms(shape, v))
        finally:
            self.nesting.pop()
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def property_conforms(self, prop: Node, focus: str) -> str:
        g = self.shapes
        if _deactivated(g, prop):
            return "true"
        self.check_params(prop, nested=True)
        for param in (SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape, SH.sparql, SH.property):
            if (prop, param, None) in g:
                raise Unsupported(f"{param} inside a logical constraint")
        path = self.path(g.value(prop, SH.path))
        parts = []
        for n in g.objects(prop, SH.minCount):
            parts.append(self.count_test(focus, path, int(n), at_least=True))
        for n in g.objects(prop, SH.maxCount):
            parts.append(self.count_test(focus, path, int(n), at_least=False))
        for hv in g.objects(prop, SH.hasValue):
            parts.append(f"EXISTS {{ {focus} {path} {_sparql(hv)} }}")
        x = self.var("x")
        tests = [t for _n, t in self.value_tests(prop, x, nested=False)]
        if tests:
            parts.append(f"NOT EXISTS {{ {focus} {path} {x} . FILTER(!({' && '.join(tests)})) }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def count_test(self, focus: str, path: str, n: int, at_least: bool) -> str:
        a, b, c = self.var("a"), self.var("b"), self.var("c")
        if at_least:
            if n <= 0:
                return "true"
            if n == 1:
                return f"EXISTS {{ {focus} {path} {a} }}"
            if n == 2:
                return f"EXISTS {{ {focus} {path} {a} . {focus} {path} {b} . FILTER(!sameTerm({a}, {b})) }}"
        else:
            if n == 0:
                return f"NOT EXISTS {{ {focus} {path} {a} }}"
            if n == 1:
                return f"NOT EXISTS {{ {focus} {path} {a} . {focus} {path} {b} . FILTER(!sameTerm({a}, {b})) }}"
            if n == 2:
                return (f"NOT EXISTS {{ {focus} {path} {a} . {focus} {path} {b} . {focus} {path} {c} . "
                        f"FILTER(!sameTerm({a}, {b}) && !sameTerm({a}, {c}) && !sameTerm({b}, {c})) }}")
        raise Unsupported(f"count {n} inside a logical constraint")

    def check_params(self, shape: Node, nested: bool) -> None:
        for p in set(self.shapes.predicates(shape, None)):
            if p in self.custom:
                raise Unsupported(f"parameter {p} of a SPARQL-based constraint component")
            if p in _SINGLE and len(set(self.shapes.objects(shape, p))) > 1:
                raise Unsupported(f"{p} given twice on one shape")
            if p in _NON_CONSTRAINT or p in SUPPORTED_PARAMETERS:
                continue
            if str(p).startswith(_SH):
                raise Unsupported(f"{p}")
        if isinstance(shape, (URIRef, BNode)) and self.shapes.value(shape, SH.severity) is not None \
                and len(set(self.shapes.objects(shape, SH.severity))) > 1:
            raise Unsupported("two sh:severity on one shape")
        if self.shapes.value(shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
            raise Unsupported("sh:qualifiedValueShapesDisjoint true")

    # top-level queries

    def node_query(self, shape: Node) -> tuple[str | None, list[tuple]]:
        """Node-level constraints of a top-level shape (value node = focus node)."""
        self.check_params(shape, nested=False)
        if (shape, SH.sparql, None) in self.shapes:
            raise Unsupported("sh:sparql on a node shape")
        self.ranges = []
        tests = self.value_tests(shape, "?this", nested=True)
        extra = self.range_extra(self.target(shape), None)
        if not tests:
            return None, extra
        return f"SELECT ?this ?c WHERE {{ {_failing(self.target(shape), tests)} }}", extra

    def property_query(self, owner: Node, prop: Node) -> tuple[str | None, list[tuple]]:
        """One SELECT for a property shape; plus the extra work (lessThan pairs, SPARQL constraints)."""
        g = self.shapes
        self.check_params(prop, nested=False)
        if (prop, SH.property, None) in g:
            raise Unsupported("sh:property of a property shape")
        path = self.path(g.value(prop, SH.path))
        target = self.target(owner)
        branches = []
        min_counts = [int(n) for n in g.objects(prop, SH.minCount)]
        max_counts = [int(n) for n in g.objects(prop, SH.maxCount)]
        # One pass over the focus nodes for the usual constraints: each value (or none, OPTIONAL)
        # and, when sh:maxCount 1 asks for it, a second value; sh:minCount 1, sh:maxCount 1 and the
        # value tests are then conditions on the same row. Scanning the targets once per property
        # shape instead of once per constraint is what makes this engine fast on large graphs.
        pairs = 1 in max_counts
        one_pass = [("minCount", "BOUND(?v)") for n in min_counts if n == 1]
        one_pass += [("maxCount", "!BOUND(?v2)") for n in max_counts if n == 1]
        self.ranges = []
        one_pass += [(name, f"(!BOUND(?v) || {test})") for name, test in self.value_tests(prop, "?v", nested=False)]
        extra: list[tuple] = self.range_extra(target, path)
        if one_pass:
            second = f" OPTIONAL {{ ?this {path} ?v2 FILTER(!sameTerm(?v, ?v2)) }}" if pairs else ""
            branches.append(
                f"{{ SELECT ?this ?v ?c WHERE {{ {_failing(f'{target} OPTIONAL {{ ?this {path} ?v{second} }}', one_pass)} }} }}"
            )
        for n in min_counts:
            if n > 1:
                branches.append(
                    f"{{ {{ SELECT ?this (COUNT(DISTINCT ?w) AS ?n) WHERE {{ {target} OPTIONAL {{ ?this {path} ?w }} }} "
                    f"GROUP BY ?this }} FILTER(?n < {n}) BIND(\"minCount\" AS ?c) }}"
                )
        for n in max_counts:
            if n == 0:
                branches.append(f"{{ {target} FILTER EXISTS {{ ?this {path} ?any }} BIND(\"maxCount\" AS ?c) }}")
            elif n > 1:
                branches.append(
                    f"{{ {{ SELECT ?this (COUNT(DISTINCT ?w) AS ?n) WHERE {{ {target} ?this {path} ?w }} "
                    f"GROUP BY ?this }} FILTER(?n > {n}) BIND(\"maxCount\" AS ?c) }}"
                )
        for hv in g.objects(prop, SH.hasValue):
            branches.append(f"{{ {target} FILTER NOT EXISTS {{ ?this {path} {_sparql(hv)} }} BIND(\"hasValue\" AS ?c) }}")
        for flag in g.objects(prop, SH.uniqueLang):
            if flag.toPython() is True:
                branches.append(
                    f"{{ SELECT DISTINCT ?this ?c ?lang WHERE {{ {target} ?this {path} ?v1 . ?this {path} ?v2 . "
                    f"FILTER(!sameTerm(?v1, ?v2) && LANG(?v1) != \"\" && LCASE(LANG(?v1)) = LCASE(LANG(?v2))) "
                    f"BIND(LCASE(LANG(?v1)) AS ?lang) BIND(\"uniqueLang\" AS ?c) }} }}"
                )
        qshape = g.value(prop, SH.qualifiedValueShape)
        if qshape is not None:
            ok = self.conforms(qshape, "?w")
            counted = (f"{{ SELECT ?this (COUNT(DISTINCT ?w) AS ?n) WHERE {{ {target} "
                       f"OPTIONAL {{ ?this {path} ?w FILTER({ok}) }} }} GROUP BY ?this }}")
            for param, op, name in ((SH.qualifiedMinCount, "<", "qualifiedMinCount"),
                                    (SH.qualifiedMaxCount, ">", "qualifiedMaxCount")):
                for n in g.objects(prop, param):
                    branches.append(f"{{ {counted} FILTER(?n {op} {int(n)}) BIND(\"{name}\" AS ?c) }}")
        for param in (SH.lessThan, SH.lessThanOrEquals):
            for other in g.objects(prop, param):
                extra.append(("pairs", str(param)[len(_SH):],
                              f"SELECT DISTINCT ?this ?v ?o WHERE {{ {target} ?this {path} ?v . ?this {_sparql(other)} ?o }}"))
        for constraint in g.objects(prop, SH.sparql):
            extra.append(("sparql", constraint, self.sparql_constraint(constraint, target)))
        query = f"SELECT ?this ?v ?c ?lang WHERE {{ {' UNION '.join(branches)} }}" if branches else None
        return query, extra

    def sparql_constraint(self, constraint: Node, target: str) -> str:
        """A SPARQL constraint of a property shape, joined with the focus nodes.

        Compiled only when the join is exactly SHACL's pre-binding (:attr:`ShaclQuery.joinable`) and
        the results need nothing else pre-bound or substituted; a query SHACL refuses raises
        :class:`~diplograph.errors.ShapesError` (as pyshacl refuses it).
        """
        g = self.shapes
        if _deactivated(g, constraint):
            return ""
        for p in g.predicates(constraint, None):
            if p not in (RDF.type, SH.select, SH.message, SH.deactivated, SH.prefixes):
                raise Unsupported(f"sh:sparql with {p}")
        if g.value(constraint, SH.select) is None:
            raise Unsupported("sh:sparql without sh:select")
        query = read_query(g, constraint, SH.select)
        if not query.joinable or query.variables & {"PATH", "currentShape", "shapesGraph", "path"}:
            raise Unsupported("sh:sparql whose result is not the query joined with the focus nodes")
        if query.projected is None or "value" not in query.projected:
            raise Unsupported("sh:sparql that does not select ?value")
        if any("{" in str(m) for n in (constraint,) for m in g.objects(n, SH.message)):
            raise Unsupported("sh:sparql message with {?variable} placeholders")
        # The focus nodes once each: pyshacl runs the query once per focus node, so every row counts.
        return (f"{query.prologue()}SELECT ?this ?value WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} "
                f"{{ {query.text} }} }}")


_NUMERIC = tuple(XSD[t] for t in (
    "integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte"))
_RANGE_NAMES = {">=": "minInclusive", ">": "minExclusive", "<=": "maxInclusive", "<": "maxExclusive"}


def _range_family(bound: Literal) -> tuple[URIRef, ...]:
    """The datatypes of values SPARQL compares with ``bound`` as pyshacl does (see range_test)."""
    datatype = bound.datatype or (None if bound.language else XSD.string)
    if datatype in _NUMERIC:
        return _NUMERIC
    return () if datatype is None else (datatype,)


def _failing(pattern: str, tests: list[tuple[str, str]]) -> str:
    """``pattern``'s rows that fail a test, with ``?c`` bound to the name of each failing test.

    The rows are filtered on "some test fails" inside a sub-select first, so the names are only
    multiplied into the few failing rows (a FILTER after a VALUES join cost 2-3x on large graphs).
    """
    ok = [f"COALESCE({test}, false)" for _name, test in tests]
    names = " ".join(Literal(f"{name}#{i}").n3() for i, (name, _t) in enumerate(tests))
    cases = " || ".join(
        f"(?c = {Literal(f'{name}#{i}').n3()} && !{test})" for i, ((name, _t), test) in enumerate(zip(tests, ok))
    )
    return f"{{ SELECT * WHERE {{ {pattern} FILTER(!({' && '.join(ok)})) }} }} VALUES ?c {{ {names} }} FILTER({cases})"


def _node_kind(kind: Node, v: str) -> str:
    tests = {
        SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
        SH.BlankNodeOrIRI: f"!isLiteral({v})", SH.BlankNodeOrLiteral: f"!isIRI({v})",
        SH.IRIOrLiteral: f"!isBlank({v})",
    }
    if kind not in tests:
        raise Unsupported(f"sh:nodeKind {kind}")
    return tests[kind]


# --- public functions ---------------------------------------------------------------


def unsupported_shapes(shapes: Graph) -> list[Node]:
    """Top-level shapes (with a target) that :class:`FastValidator` hands to pyshacl, each with a reason.

    Returns the shape nodes, sorted; :func:`unsupported_reasons` gives why.
    """
    return sorted(unsupported_reasons(shapes), key=str)


def unsupported_reasons(shapes: Graph) -> dict[Node, str]:
    """Map each top-level shape the compiler cannot translate to the reason."""
    compiler = _Compiler(shapes, {}, [])
    reasons = {}
    for shape in _top_level(shapes):
        try:
            _compile_shape(compiler, shape)
        except Unsupported as exc:
            reasons[shape] = str(exc)
    return reasons


def _compile_shape(compiler: _Compiler, shape: Node) -> list[tuple]:
    """The queries for one top-level shape: (kind, property shape or None, query, extra)."""
    g = compiler.shapes
    plans = []
    is_property = g.value(shape, SH.path) is not None
    if is_property:
        query, extra = compiler.property_query(shape, shape)
        plans.append(("property", shape, query, extra))
        return plans
    query, extra = compiler.node_query(shape)
    if query is not None or extra:
        plans.append(("node", shape, query, extra))
    for prop in g.objects(shape, SH.property):
        if _deactivated(g, prop):
            continue
        query, extra = compiler.property_query(shape, prop)
        plans.append(("property", prop, query, extra))
    return plans


class FastValidator:
    """SHACL compiled to SPARQL and answered by Oxigraph; shapes it cannot compile go to pyshacl."""

    name = "fast"

    def __init__(self, policy: ConformancePolicy = POLICY, threads: int | None = None) -> None:
        self.policy = policy
        self.threads = workers() if threads is None else threads  # how many plans run at once

    def validate(self, data: Graph | WorkingStore, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
        """Validate ``data`` against ``shapes`` with SPARQL on Oxigraph; same results as pyshacl.

        ``data`` is a plain rdflib ``Graph`` (copied with ``ontology`` into a new working store) or
        a :class:`~diplograph.store.WorkingStore` whose default graph holds the data; the ontology
        is then added to it while validating and taken out after (the store is left as it was given). The ontology is read with the data (as pyshacl's ``ont_graph`` is
        mixed in), so ``sh:targetClass`` and ``sh:class`` see ``rdfs:subClassOf``. Shapes the
        compiler cannot translate are validated by pyshacl, one shapes graph holding just them
        (see :func:`unsupported_shapes`). An rdflib ``data`` graph, ``shapes`` and ``ontology``
        are not changed.
        """
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        if isinstance(data, WorkingStore):
            with data.with_graph(ontology) as mixed:  # the default graph is never written: the reasoner may read it
                seconds["load"] = time.perf_counter() - started
                return self._validate(mixed, data, shapes, ontology, _Originals(), seconds)
        store = WorkingStore.of_graphs(data, ontology)
        seconds["load"] = time.perf_counter() - started
        return self._validate(store, data, shapes, ontology, _Originals(data, ontology), seconds)

    def _validate(self, store: WorkingStore | StoreView, data: Graph | WorkingStore, shapes: Graph,
                  ontology: Graph | None, originals: _Originals, seconds: dict[str, float]) -> ValidationReport:
        started = time.perf_counter()
        compiler = _Compiler(shapes, _subclasses(store), _bad_literals(store, shapes))
        found: dict[tuple, ValidationResult] = {}  # see _run: equal keys are one result
        fallback: dict[Node, str] = {}
        altered = _AlteredLiterals(shapes, [] if isinstance(data, WorkingStore) else [data, ontology])
        planned = []  # (shape, plan number, plan)
        for shape in _top_level(shapes):
            try:
                altered.check(shape)
                _zero_length_ok(store, shapes, shape)
                plans = _compile_shape(compiler, shape)
            except Unsupported as exc:
                fallback[shape] = str(exc)
                continue
            planned += [(shape, i, plan) for i, plan in enumerate(plans)]
        # The plans only read the store: on two cores they run two at a time (Oxigraph evaluates
        # without Python's lock), and their results are gathered in the plans' order, as one by one.
        answers = in_order(lambda item: _run(store, shapes, *item[2], originals), planned,
                           threads=self.threads, name="diplograph-validate")
        for (shape, i, _plan), rows in zip(planned, answers, strict=True):
            for key, result in rows:
                found.setdefault((shape, i, key, result), result)
        results = list(found.values())
        seconds["sparql"] = time.perf_counter() - started

        notes = []
        path_sources = [shapes]  # where report_graph finds blank-node paths: pyshacl's reading first
        if fallback:
            started = time.perf_counter()
            rdflib_data = store.to_graph() if isinstance(data, WorkingStore) else data
            handed = _fallback(rdflib_data, shapes, ontology, list(fallback))
            results.extend(handed.results)
            path_sources.insert(0, handed.report_graph)
            seconds["fallback"] = time.perf_counter() - started
            for shape, reason in sorted(fallback.items(), key=lambda kv: str(kv[0])):
                notes.append(f"{_short(shape)} validated by pyshacl: {reason}")
        results.sort(key=ValidationResult.sort_key)
        report = ValidationReport(
            conforms=self.policy.conforms(results),
            results=tuple(results),
            shapes_checked=count_shapes(shapes),
            engine="fast",
            fallback_shapes=tuple(sorted(fallback, key=str)),
            notes=tuple(notes),
            seconds=seconds,
            policy=self.policy,
        )
        return dataclasses.replace(report, report_graph=report_graph(report, *path_sources))


# --- running -----------------------------------------------------------------------


def _short(node: Node) -> str:
    return str(node).replace("https://w3id.org/diplograph/ns#", "dg:")


def _subclasses(store: WorkingStore | StoreView) -> dict[str, set[str]]:
    """For each class, every class below it (reflexive-transitive rdfs:subClassOf in data + ontology)."""
    down: dict[str, set[str]] = {}
    for row in store.select(f"SELECT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}"):
        sub, sup = row["sub"], row["sup"]
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            down.setdefault(str(sup), set()).add(str(sub))
    below = lambda n: down.get(n, ())  # noqa: E731
    return {cls: {s for sub in subs for s in _walk(sub, below)} for cls, subs in down.items()}


def _bad_literals(store: WorkingStore | StoreView, shapes: Graph) -> list[Literal]:
    """Literals of a datatype some ``sh:datatype`` names that pyshacl counts as not matching it (ill-typed)."""
    datatypes = {str(d) for d in shapes.objects(None, SH.datatype) if isinstance(d, URIRef)} - _NO_CHECK
    if not datatypes:
        return []
    values = ", ".join(f"<{d}>" for d in sorted(datatypes))
    predicates = _datatype_checked_predicates(shapes, datatypes)
    if predicates is None:
        pattern = "?s ?p ?o"
    else:  # only the values sh:datatype is checked on can matter: a few predicates, not every triple
        pattern = " UNION ".join(f"{{ ?s <{p}> ?o }}" for p in sorted(predicates)) or "FILTER(false)"
    query = f"SELECT DISTINCT ?o WHERE {{ {pattern} FILTER(isLiteral(?o) && datatype(?o) IN ({values})) }}"
    bad = []
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # rdflib logs a traceback for every ill-typed literal it builds
    try:
        for row in store.select(query):
            lit = row["o"]
            surely = _SURELY_OK.get(str(lit.datatype))
            if surely is not None and surely.fullmatch(str(lit)):
                continue
            ill = getattr(lit, "ill_typed", None) is True
            if ill or not shacl_datatype_ok(lit, lit.datatype):
                bad.append(lit)
    finally:
        quiet.setLevel(level)
    return bad


def _datatype_checked_predicates(shapes: Graph, datatypes: set[str]) -> set[URIRef] | None:
    """Predicates whose objects an ``sh:datatype`` of ``datatypes`` is checked on; None if that is not known.

    A property shape's values are the objects of the last predicate of its path; its datatype
    checks are its own ``sh:datatype`` and those of the shapes it applies to its values
    (``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone``, ``sh:node``, ``sh:qualifiedValueShape``). A
    datatype checked on focus nodes, or on a path whose last predicate is not a plain IRI, makes
    the answer unknown.
    """
    found: set[URIRef] = set()
    top_level = set(_top_level(shapes))
    for owner, dt in set(shapes.subject_objects(SH.datatype)):
        if str(dt) not in datatypes:
            continue
        users = _value_shape_users(shapes, owner)
        for user in users:
            path = shapes.value(user, SH.path)
            if path is None:
                if user in top_level:
                    return None  # a node-level datatype on the focus nodes themselves
                continue
            predicates = _predicates(shapes, path)
            if not predicates:
                return None
            found.update(predicates)
    return found


def _value_shape_users(shapes: Graph, shape: Node) -> set[Node]:
    """Shapes whose value nodes ``shape`` is checked on: itself and every shape using it as a value shape."""

    def users(n: Node) -> list[Node]:
        found = [u for p in (SH["not"], SH.node, SH.qualifiedValueShape) for u in shapes.subjects(p, n)]
        for cell in shapes.subjects(RDF.first, n):  # n is a member of an sh:or / sh:and / sh:xone list
            head = cell
            while (prev := shapes.value(None, RDF.rest, head)) is not None:
                head = prev
            found.extend(u for p in (SH["or"], SH["and"], SH.xone) for u in shapes.subjects(p, head))
        return found

    return _walk(shape, users)


class _Originals:
    """Maps values Oxigraph canonicalised back to the data graph's own literals."""

    def __init__(self, *graphs: Graph | None) -> None:
        self.graphs = [g for g in graphs if g is not None]

    def value(self, focus: Node, prop_values: Iterable[Node], found: Node) -> Node:
        if not isinstance(found, Literal) or found.datatype is None:
            return found
        candidates = [v for v in prop_values if isinstance(v, Literal) and v.datatype == found.datatype]
        if found in candidates:
            return found
        canon = canonical_literals(candidates)
        for original, c in canon.items():
            if c == found:
                return original
        return found

    def values(self, focus: Node, predicates: list[URIRef]) -> list[Node]:
        out = []
        for g in self.graphs:
            for p in predicates:
                out.extend(g.objects(focus, p))
        return out


def _predicates(shapes: Graph, path: Node) -> list[URIRef]:
    """The predicates a path may end with, forward (for mapping values back); empty if unknown."""
    if isinstance(path, URIRef):
        return [path]
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        return [p for a in _list(shapes, alt) for p in _predicates(shapes, a)]
    if shapes.value(path, RDF.first) is not None:
        return _predicates(shapes, _list(shapes, path)[-1])
    return []


def _messages(shapes: Graph, node: Node) -> str:
    return "; ".join(sorted(str(m) for m in shapes.objects(node, SH.message)))


def _severity(shapes: Graph, node: Node) -> str:
    sev = shapes.value(node, SH.severity)
    return severity_name(sev) if sev is not None else "Violation"


def _generic(name: str, shapes: Graph, node: Node) -> str:
    return f"{name} constraint of {_short(node)} not satisfied"


def _run(store: WorkingStore | StoreView, shapes, kind, node, query, extra, originals: _Originals) -> list[tuple]:
    """The results of one plan, each with a key: rows with equal keys are one result.

    A focus node reached by two targets (or a value by two routes of a path) gives repeated rows,
    which pyshacl (working on sets of focus and value nodes) reports once; two constraints of one
    shape failing alike, a value failing sh:lessThan against two others, or two repeated languages
    are separate results, and their keys differ (constraint index, other value, language).
    SPARQL constraint rows are all kept (their focus nodes are made distinct first).
    """
    results = []
    severity = _severity(shapes, node)
    message = _messages(shapes, node)
    path = shapes.value(node, SH.path) if kind == "property" else None
    preds = _predicates(shapes, path) if path is not None else []

    def result(focus, value, name, component=None, constraint=None):
        if value is not None and isinstance(value, Literal) and preds:
            value = originals.value(focus, originals.values(focus, preds), value)
        return ValidationResult(
            focus_node=focus, path=path, value=value,
            message=message or _generic(name, shapes, node), severity=severity, source_shape=node,
            constraint_component=component or _COMPONENT[name], source_constraint=constraint,
        )

    if query:
        for row in store.select(query):
            tag = str(row["c"])
            name = tag.split("#")[0]
            focus = row["this"]
            if name in _NO_VALUE:
                value = None
            elif kind == "node":
                value = focus
            else:
                value = row["v"]
            results.append(((tag, row.get("lang")), result(focus, value, name)))
    for i, item in enumerate(extra):
        if item[0] == "range":
            _, name, bound, op, q = item
            for row in store.select(q):
                if not shacl_range_ok(row["v"], bound, op):
                    value = row["this"] if kind == "node" else row["v"]
                    results.append(((i, value), result(row["this"], value, name)))
        elif item[0] == "pairs":
            _, name, q = item
            for row in store.select(q):
                focus, v, o = row["this"], row["v"], row["o"]
                if preds:
                    v = originals.value(focus, originals.values(focus, preds), v)
                if not _pair_ok(v, o, strict=(name == "lessThan")):
                    results.append(((i, o), result(focus, v, name)))
        else:
            _, constraint, q = item
            if not q:
                continue
            own = _messages(shapes, constraint)
            for n, row in enumerate(store.select(q)):
                r = result(row["this"], row.get("value"), "sparql", constraint=constraint)
                if own:
                    r = dataclasses.replace(r, message="; ".join(sorted({*r.message.split("; "), own})))
                results.append(((i, n), r))
    return results


def _pair_ok(value: Node, other: Node, strict: bool) -> bool:
    """pyshacl's comparison for sh:lessThan / sh:lessThanOrEquals (rdflib ordering, strings apart)."""
    def as_str(node):
        if isinstance(node, URIRef):
            return str(node), True
        if isinstance(node, Literal) and isinstance(node.value, str):
            return node.value, True
        return node, False

    a, a_str = as_str(value)
    b, b_str = as_str(other)
    if a_str != b_str:
        return False
    try:
        return bool(a < b) if strict else bool(a <= b)
    except TypeError:
        return False


def _fallback(data: Graph, shapes: Graph, ontology: Graph | None, shape_nodes: list[Node]) -> ValidationReport:
    """Validate ``shape_nodes`` (top-level shapes) with pyshacl.

    pyshacl gets the whole shapes graph (named SPARQL constraints, prefix declarations and
    constraint components stay within reach) with the targets of every other top-level shape
    taken away, so those are only checked where a handed-over shape uses them.
    """
    handed = set(shape_nodes)
    sub = Graph()
    sub += shapes
    for shape in _top_level(shapes):
        if shape in handed:
            continue
        for param in (*_TARGETS, SH.target):
            sub.remove((shape, param, None))
        for cls in (RDFS.Class, OWL.Class):
            sub.remove((shape, RDF.type, cls))
    with PARSING:  # pyshacl parses SPARQL with rdflib's grammar, not safe in two threads
        return PyshaclValidator().validate(data, sub, ontology)


class _AlteredLiterals:
    """Which top-level shapes may meet a literal Oxigraph would alter (:mod:`.altered_literals`).

    Such a shape is handed to pyshacl: its paths, targets or comparisons name a predicate holding
    an altered literal in the data, a constant of its own is one, or it runs a SPARQL query over
    predicates that cannot be listed while the data holds any altered literal.
    """

    def __init__(self, shapes: Graph, graphs: list[Graph | None]) -> None:
        self.shapes = shapes
        self.graphs = [g for g in graphs if g is not None]
        mentioned = {o for o in shapes.objects() if isinstance(o, URIRef)} | {RDF.type}
        self.predicates = altered_predicates(self.graphs, mentioned) if self.graphs else set()
        self.anywhere: set[URIRef] | None = None  # altered predicates of the whole data, when needed

    def check(self, shape: Node) -> None:
        if not self.graphs:
            return
        triples = _description(self.shapes, _shape_closure(self.shapes, shape))
        iris = {o for _s, _p, o in triples if isinstance(o, URIRef)} | {RDF.type}
        if hit := sorted(iris & self.predicates):
            raise Unsupported(f"the data holds literals Oxigraph would not give back as written, on {hit[0]}")
        if altered(o for _s, _p, o in triples if isinstance(o, Literal)):
            raise Unsupported("a constant of the shape is a literal Oxigraph would not keep as written")
        for constraint in {o for _s, p, o in triples if p == SH.sparql}:
            if self.shapes.value(constraint, SH.select) is None:
                continue  # not compiled: handed over anyway
            predicates = read_query(self.shapes, constraint, SH.select).predicates
            if predicates is None:  # a variable predicate: any altered literal may be met
                if self.anywhere is None:
                    self.anywhere = altered_predicates(self.graphs)
                hit = sorted(self.anywhere)
            else:
                hit = sorted(altered_predicates(self.graphs, set(predicates)))
            if hit:
                raise Unsupported(f"a SPARQL constraint over {hit[0]}, which holds literals Oxigraph would not keep")


def _description(shapes: Graph, nodes: Iterable[Node]) -> set[tuple]:
    """The triples of ``nodes`` and of the blank nodes they reach (lists, paths, nested shapes)."""
    todo, seen, triples = list(nodes), set(), set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for t in shapes.triples((n, None, None)):
            triples.add(t)
            if isinstance(t[2], BNode) or t[1] == SH.sparql:
                todo.append(t[2])
    return triples


def _zero_length_ok(store: WorkingStore | StoreView, shapes: Graph, shape: Node) -> None:
    """Oxigraph finds no zero-length path match from a term that is not in the data (SPARQL
    says it matches itself): a shape using ``sh:zeroOrMorePath`` / ``sh:zeroOrOnePath`` whose
    ``sh:targetNode`` names such a term is handed over. Other focus and value nodes are in the data."""
    triples = _description(shapes, _shape_closure(shapes, shape))
    if not any(p in (SH.zeroOrMorePath, SH.zeroOrOnePath) for _s, p, _o in triples):
        return
    for node in shapes.objects(shape, SH.targetNode):
        if isinstance(node, Literal) or not store.ask(f"ASK {{ {{ {_sparql(node)} ?p ?o }} UNION {{ ?s ?p {_sparql(node)} }} }}"):
            raise Unsupported(f"a zero-length path from the target node {node}, which is not in the data")


_PATH_KINDS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


def _well_formed_path(shapes: Graph, node: Node) -> None:
    """A blank-node path must be exactly one thing: a list, or one of SHACL's path nodes, once.

    Anything else (a list that also has ``sh:inversePath``, two ``sh:inversePath``) is read
    differently by different processors: the shape is handed over to pyshacl, whose reading is
    the reference.
    """
    kinds = [p for p in shapes.predicates(node, None) if p in _PATH_KINDS or p in (RDF.first, RDF.rest)]
    listy = sorted(set(kinds)) == sorted({RDF.first, RDF.rest})
    if not (listy and len(kinds) == 2) and not (len(kinds) == 1 and kinds[0] in _PATH_KINDS):
        raise Unsupported(f"malformed property path {node}")
    if listy:
        cell, seen = node, set()
        while cell != RDF.nil:
            if cell in seen or set(shapes.predicates(cell, None)) - {RDF.first, RDF.rest} \
                    or len(list(shapes.objects(cell, RDF.first))) != 1 or len(list(shapes.objects(cell, RDF.rest))) != 1:
                raise Unsupported(f"malformed property path {node}")
            seen.add(cell)
            cell = shapes.value(cell, RDF.rest)
        if len(seen) < 2:
            raise Unsupported(f"a sequence path of fewer than two steps {node}")
