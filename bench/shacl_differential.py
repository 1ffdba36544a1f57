"""Differential test of the two SHACL engines: generated shapes over generated small graphs.

    .venv/bin/python bench/shacl_differential.py --examples 2000     # a longer run than CI's
    .venv/bin/python bench/shacl_differential.py --examples 500 --seed 7

The generators (hypothesis strategies, shared with ``tests/test_shacl_differential.py``) build a
data graph of a few nodes, classes and predicates with IRIs, integers, strings and
language-tagged strings, and a shapes graph of one to three top-level shapes: targets of every
kind, property shapes with predicate, inverse, sequence, alternative and zero-or-more paths, and
constraints drawn from those the fast engine compiles (counts, datatype, class, node kind,
``sh:in``, ``sh:hasValue``, pattern, lengths, ranges, languages, ``sh:uniqueLang``,
``sh:lessThan``, ``sh:not``/``sh:and``/``sh:or``/``sh:node`` over nested shapes, qualified
counts) with every severity. Both engines validate each pair with the same options (no
ontology, SHACL's conformance rule) and must give the same results: the same multiset of (focus
node, result path, value, source shape, constraint component, severity), blank-node paths
compared by their structure, and the same ``sh:conforms``. The fast engine must also compile
every generated shape (only :data:`EXPECTED_HANDOVERS` may go to pyshacl), so the comparison is
between the two engines and not pyshacl with itself.

A counter-example is shrunk by hypothesis and written (data and shapes, Turtle) to
``tests/fixtures/shacl-differential/``, where ``tests/test_shacl_differential.py`` keeps checking it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from diplograph.namespaces import SH
from diplograph.validation import SHACL_POLICY, ValidationReport, validator
from diplograph.validation.report import severity_iri

EX = Namespace("http://example.org/diff#")
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "shacl-differential"

NODES = [EX[f"n{i}"] for i in range(5)]
PREDICATES = [EX[f"p{i}"] for i in range(3)]
CLASSES = [EX.A, EX.B]  # ex:B rdfs:subClassOf ex:A in some graphs
LITERALS = [Literal(0), Literal(1), Literal(3), Literal("a"), Literal("ab"), Literal("a", lang="en"),
            Literal("b", lang="en"), Literal("a", lang="fr"), Literal(True)]
SEVERITIES = [SH.Violation, SH.Warning, SH.Info]
#: The only hand-overs to pyshacl the generated shapes may cause (a zero-length path from a
#: target node absent from the data, which Oxigraph does not match); anything else is a failure.
EXPECTED_HANDOVERS = ("a zero-length path from the target node",)


# --- data -------------------------------------------------------------------------------------


@st.composite
def data_graphs(draw) -> Graph:
    g = Graph()
    objects = st.sampled_from([*NODES, *LITERALS])
    for s, p, o in draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(PREDICATES), objects),
                                 max_size=14)):
        g.add((s, p, o))
    for s, c in draw(st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(CLASSES)), max_size=5)):
        g.add((s, RDF.type, c))
    if draw(st.booleans()):
        g.add((EX.B, RDFS.subClassOf, EX.A))
    return g


# --- shapes -----------------------------------------------------------------------------------


class _Shapes:
    """The shapes graph being drawn, and names for its shapes."""

    def __init__(self) -> None:
        self.g = Graph()
        self.count = 0

    def name(self, kind: str) -> URIRef:
        self.count += 1
        return EX[f"{kind}{self.count}"]

    def rdf_list(self, items: list[Node]) -> BNode:
        head = BNode()
        Collection(self.g, head, items)
        return head


def _path(draw, s: _Shapes, depth: int = 0) -> Node:
    kind = draw(st.sampled_from(["iri", "iri", "inverse", "sequence", "alternative", "zeroOrMore"]
                                if depth == 0 else ["iri", "iri", "inverse"]))
    if kind == "iri":
        return draw(st.sampled_from(PREDICATES))
    node = BNode()
    if kind == "inverse":
        s.g.add((node, SH.inversePath, draw(st.sampled_from(PREDICATES))))
        return node
    if kind == "zeroOrMore":
        s.g.add((node, SH.zeroOrMorePath, draw(st.sampled_from(PREDICATES))))
        return node
    steps = [_path(draw, s, depth + 1) for _ in range(2)]
    if kind == "sequence":
        return s.rdf_list(steps)
    s.g.add((node, SH.alternativePath, s.rdf_list(steps)))
    return node


def _value_constraints(draw, s: _Shapes, shape: Node, depth: int) -> None:
    """Constraints on value nodes (usable on node and property shapes, nested or not)."""
    g = s.g
    choices = ["datatype", "class", "nodeKind", "in", "pattern", "minLength", "maxLength", "languageIn", "hasValue"]
    if depth == 0:  # nested range constraints are handed over (pyshacl's mixed-type comparisons)
        choices += ["minInclusive", "maxExclusive"]
    if depth < 2:
        choices += ["not", "and", "or", "node"]
    for kind in draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True)):
        if kind == "datatype":
            g.add((shape, SH.datatype, draw(st.sampled_from([XSD.integer, XSD.string, RDF.langString, XSD.boolean]))))
        elif kind == "class":
            g.add((shape, SH["class"], draw(st.sampled_from(CLASSES))))
        elif kind == "nodeKind":
            g.add((shape, SH.nodeKind, draw(st.sampled_from([SH.IRI, SH.Literal, SH.BlankNodeOrIRI, SH.IRIOrLiteral]))))
        elif kind == "in":
            members = draw(st.lists(st.sampled_from([*NODES, *LITERALS]), min_size=1, max_size=3, unique=True))
            g.add((shape, SH["in"], s.rdf_list(members)))
        elif kind == "hasValue":
            g.add((shape, SH.hasValue, draw(st.sampled_from([*NODES, *LITERALS]))))
        elif kind == "pattern":
            g.add((shape, SH.pattern, Literal(draw(st.sampled_from(["^a", "b$", "n[0-2]", "^A"])))))
            if draw(st.booleans()):
                g.add((shape, SH.flags, Literal("i")))
        elif kind in ("minLength", "maxLength"):
            g.add((shape, SH[kind], Literal(draw(st.integers(0, 2)))))
        elif kind in ("minInclusive", "maxExclusive"):
            g.add((shape, SH[kind], Literal(draw(st.integers(0, 3)))))
        elif kind == "languageIn":
            g.add((shape, SH.languageIn, s.rdf_list([Literal(x) for x in draw(
                st.lists(st.sampled_from(["en", "fr", "de"]), min_size=1, max_size=2, unique=True))])))
        elif kind == "not":
            g.add((shape, SH["not"], _nested(draw, s, depth + 1)))
        elif kind in ("and", "or"):
            g.add((shape, SH[kind], s.rdf_list([_nested(draw, s, depth + 1) for _ in range(draw(st.integers(1, 2)))])))
        elif kind == "node":
            g.add((shape, SH.node, _nested(draw, s, depth + 1)))


def _nested(draw, s: _Shapes, depth: int) -> URIRef:
    """A shape used by another (no target): value constraints and maybe one property shape."""
    shape = s.name("N")
    s.g.add((shape, RDF.type, SH.NodeShape))
    _value_constraints(draw, s, shape, depth)
    if draw(st.booleans()):
        prop = s.name("Q")
        s.g.add((shape, SH.property, prop))
        s.g.add((prop, SH.path, _path(draw, s, 1)))
        for param in draw(st.lists(st.sampled_from([SH.minCount, SH.maxCount]), max_size=2, unique=True)):
            s.g.add((prop, param, Literal(draw(st.integers(0, 2)))))
        if draw(st.booleans()):
            _value_constraints(draw, s, prop, depth + 1)
    return shape


def _target(draw, s: _Shapes, shape: URIRef) -> None:
    for kind in draw(st.lists(st.sampled_from(["class", "node", "subjectsOf", "objectsOf"]), min_size=1,
                              max_size=2, unique=True)):
        if kind == "class":
            s.g.add((shape, SH.targetClass, draw(st.sampled_from(CLASSES))))
        elif kind == "node":
            for n in draw(st.lists(st.sampled_from([*NODES, *LITERALS[:4]]), min_size=1, max_size=2, unique=True)):
                s.g.add((shape, SH.targetNode, n))
        elif kind == "subjectsOf":
            s.g.add((shape, SH.targetSubjectsOf, draw(st.sampled_from(PREDICATES))))
        else:
            s.g.add((shape, SH.targetObjectsOf, draw(st.sampled_from(PREDICATES))))


def _property(draw, s: _Shapes, owner: URIRef) -> None:
    prop = s.name("P")
    g = s.g
    g.add((owner, SH.property, prop))
    g.add((prop, SH.path, _path(draw, s)))
    if draw(st.booleans()):
        g.add((prop, SH.severity, draw(st.sampled_from(SEVERITIES))))
    kinds = draw(st.lists(st.sampled_from(["minCount", "maxCount", "values", "uniqueLang", "lessThan",
                                           "qualified"]), min_size=1, max_size=3, unique=True))
    for kind in kinds:
        if kind in ("minCount", "maxCount"):
            g.add((prop, SH[kind], Literal(draw(st.integers(0, 3)))))
        elif kind == "values":
            _value_constraints(draw, s, prop, 0)
        elif kind == "uniqueLang":
            g.add((prop, SH.uniqueLang, Literal(True)))
        elif kind == "lessThan":
            g.add((prop, draw(st.sampled_from([SH.lessThan, SH.lessThanOrEquals])), draw(st.sampled_from(PREDICATES))))
        else:
            g.add((prop, SH.qualifiedValueShape, _nested(draw, s, 1)))
            g.add((prop, draw(st.sampled_from([SH.qualifiedMinCount, SH.qualifiedMaxCount])),
                   Literal(draw(st.integers(0, 2)))))


@st.composite
def shapes_graphs(draw) -> Graph:
    s = _Shapes()
    for _ in range(draw(st.integers(1, 3))):
        shape = s.name("S")
        s.g.add((shape, RDF.type, SH.NodeShape))
        _target(draw, s, shape)
        if draw(st.booleans()):
            s.g.add((shape, SH.severity, draw(st.sampled_from(SEVERITIES))))
        if draw(st.booleans()):
            _value_constraints(draw, s, shape, 0)
        for _ in range(draw(st.integers(0 if (shape, SH.datatype, None) in s.g else 1, 2))):
            _property(draw, s, shape)
    return s.g


# --- comparing ----------------------------------------------------------------------------------


def _structure(node: Node | None, graph: Graph) -> object:
    """A blank node (a path) by its triples, recursively: what graph isomorphism matches it by."""
    if not isinstance(node, BNode):
        return node
    return frozenset((p, _structure(o, graph)) for p, o in graph.predicate_objects(node))


def results(report: ValidationReport, shapes: Graph) -> Counter:
    return Counter((r.focus_node, _structure(r.path, shapes), r.value, r.source_shape, r.constraint_component,
                    severity_iri(r.severity)) for r in report.results)


def compare(data: Graph, shapes: Graph) -> tuple[str | None, ValidationReport]:
    """None if both engines agree and the fast engine compiled everything, else what differs."""
    reference = validator("reference", SHACL_POLICY).validate(data, shapes)
    fast = validator("fast", SHACL_POLICY).validate(data, shapes)
    unexpected = [note for note in fast.notes if not any(reason in note for reason in EXPECTED_HANDOVERS)]
    if unexpected:
        return f"the fast engine handed shapes to pyshacl: {'; '.join(unexpected)}", fast
    want, got = results(reference, shapes), results(fast, shapes)
    if want != got or reference.conforms != fast.conforms:
        return (f"pyshacl only: {sorted(map(str, (want - got).elements()))}; "
                f"fast only: {sorted(map(str, (got - want).elements()))}; "
                f"conforms {reference.conforms} vs {fast.conforms}"), fast
    return None, fast


def save_counterexample(data: Graph, shapes: Graph) -> Path:
    """Write a (shrunk) counter-example as ``<n>-data.ttl`` / ``<n>-shapes.ttl``; returns the data file."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    n = len(list(FIXTURES.glob("*-data.ttl"))) + 1
    header = "# Fixture (not real data): a shrunk counter-example of bench/shacl_differential.py.\n"
    for kind, graph in (("data", data), ("shapes", shapes)):
        graph.bind("ex", EX)
        graph.bind("sh", SH)
        path = FIXTURES / f"{n:03d}-{kind}.ttl"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
        tmp.replace(path)
    return FIXTURES / f"{n:03d}-data.ttl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--examples", type=int, default=1000, help="generated (data, shapes) pairs to compare")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (the same seed, the same examples)")
    parser.add_argument("--save", action="store_true", help="write a shrunk counter-example to tests/fixtures/")
    args = parser.parse_args(argv)
    stats = Counter()
    failures: list[tuple[str, Graph, Graph]] = []

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data_graphs(), shapes_graphs())
    def check(data: Graph, shapes: Graph) -> None:
        problem, fast = compare(data, shapes)
        stats["examples"] += 1
        stats["results"] += len(fast.results)
        stats["non-conforming"] += not fast.conforms
        stats["handed over"] += bool(fast.fallback_shapes)
        if problem:
            failures.append((problem, data, shapes))
            raise AssertionError(problem)

    started = time.perf_counter()
    try:
        check()
        outcome = "no difference"
    except AssertionError:
        problem, data, shapes = failures[-1]  # hypothesis replays the shrunk example last
        outcome = f"DIFFERENCE: {problem}"
        if args.save:
            outcome += f" (saved as {save_counterexample(data, shapes)})"
    seconds = time.perf_counter() - started
    print(f"{stats['examples']} runs (seed {args.seed}) in {seconds:.1f} s: {stats['results']} results, "
          f"{stats['non-conforming']} non-conforming, {stats['handed over']} with a shape handed to pyshacl; {outcome}")
    return 0 if outcome == "no difference" else 1


if __name__ == "__main__":
    sys.exit(main())
