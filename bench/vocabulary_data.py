"""Instance data generated from an ontology's own axioms, for the tests and benchmarks of the reasoners.

Invented data, not claims about the world (like :mod:`synthetic`): every node is under :data:`DATA`.

:func:`vocabulary` reads what an ontology declares (named classes; properties with their domains,
ranges, datatypes, inverses, chains), and :func:`build` turns a list of *choices* (small integers)
into a graph: instances of every class (the ontology's own individuals too); assertions of every property between typed, untyped and
blank subjects and objects (one value per subject for a functional property); two values of every
functional property on one node; a value of the property of every restriction for the classes
under it; and a path along every ``owl:propertyChainAxiom``. The choices come from a seeded
``random.Random`` (:func:`seeded_choices`, deterministic) or from hypothesis (which then shrinks a
failing graph to a small one).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ROOT = Path(__file__).resolve().parents[1]
VOCAB = ROOT / "vendor" / "reference" / "vocab"
ORG = VOCAB / "org.ttl"
PROV_O = VOCAB / "prov-o.ttl"

#: Where the invented nodes live.
DATA = Namespace("http://example.org/generated/")

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_LITERALS = {
    XSD.dateTime: lambda n: Literal(f"20{10 + n % 15:02d}-0{1 + n % 9}-1{n % 10}T10:00:00", datatype=XSD.dateTime),
    XSD.date: lambda n: Literal(f"20{10 + n % 15:02d}-0{1 + n % 9}-1{n % 10}", datatype=XSD.date),
    XSD.integer: lambda n: Literal(n, datatype=XSD.integer),
    XSD.anyURI: lambda n: Literal(f"http://example.org/generated/uri/{n}", datatype=XSD.anyURI),
}


@dataclass(frozen=True)
class Vocabulary:
    """What the generator draws on: named classes, and per property its named domain and range classes."""

    classes: tuple[URIRef, ...]
    properties: tuple[URIRef, ...]
    domains: dict
    ranges: dict
    datatype: dict  # property -> XSD datatype of its values (None: a plain string)
    chains: tuple[tuple[URIRef, ...], ...]
    functional: frozenset
    restricted: tuple[tuple[URIRef, URIRef], ...]  # (named class, property of a restriction above it)
    individuals: dict  # class -> the ontology's own instances of it (ex:France a ex:Country)


def _named(graph: Graph, node) -> list[URIRef]:
    """``node`` if it is a named class, or the named members of the union it is."""
    if isinstance(node, URIRef):
        return [] if str(node).startswith(_BUILTIN) else [node]
    members = graph.value(node, OWL.unionOf)
    return [m for m in graph.items(members) if isinstance(m, URIRef)] if members is not None else []


def _restricted(graph: Graph, classes) -> list[tuple[URIRef, URIRef]]:
    """(class, p) for every restriction on p that a named class is under (subclass, equivalence, intersection)."""
    up: dict = {}
    for a, b in graph.subject_objects(RDFS.subClassOf):
        up.setdefault(a, set()).add(b)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        up.setdefault(a, set()).add(b)
        up.setdefault(b, set()).add(a)
    for i, head in graph.subject_objects(OWL.intersectionOf):
        up.setdefault(i, set()).update(graph.items(head))
    found = set()
    for cls in classes:
        seen, todo = set(), [cls]
        while todo:
            for above in up.get(todo.pop(), ()):
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        found |= {(cls, p) for r in seen if isinstance(r, BNode) for p in graph.objects(r, OWL.onProperty)}
    return sorted(found)


def vocabulary(graph: Graph) -> Vocabulary:
    classes = {c for kind in (OWL.Class, RDFS.Class) for c in graph.subjects(RDF.type, kind)}
    classes |= {c for p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith) for pair in
                graph.subject_objects(p) for c in pair}
    classes |= {c for p in (RDFS.domain, RDFS.range) for c in graph.objects(None, p)}
    classes = {c for c in classes if isinstance(c, URIRef) and not str(c).startswith(_BUILTIN)}
    classes -= {c for c in classes if (c, RDF.type, RDFS.Datatype) in graph or str(c).startswith(str(XSD))}
    properties = {p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.FunctionalProperty,
                                 OWL.TransitiveProperty) for p in graph.subjects(RDF.type, kind)}
    properties |= {p for p in (RDFS.domain, RDFS.range, OWL.inverseOf) for p in graph.subjects(p, None)}
    properties |= {p for pair in graph.subject_objects(RDFS.subPropertyOf) for p in pair}
    chains = []
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        chains.append(tuple(graph.items(head)))
        properties |= {prop, *chains[-1]}
    properties = {p for p in properties if isinstance(p, URIRef) and not str(p).startswith(_BUILTIN)}
    datatype = {}
    for p in properties:
        for r in graph.objects(p, RDFS.range):
            if r == RDFS.Literal or str(r).startswith(str(XSD)):
                datatype[p] = r
        if (p, RDF.type, OWL.DatatypeProperty) in graph:
            datatype.setdefault(p, XSD.string)
    return Vocabulary(
        classes=tuple(sorted(classes)),
        properties=tuple(sorted(properties)),
        domains={p: sorted(c for d in graph.objects(p, RDFS.domain) for c in _named(graph, d)) for p in properties},
        ranges={p: sorted(c for r in graph.objects(p, RDFS.range) for c in _named(graph, r)) for p in properties},
        datatype=datatype,
        chains=tuple(sorted(chains)),
        functional=frozenset(graph.subjects(RDF.type, OWL.FunctionalProperty)),
        restricted=tuple(_restricted(graph, classes)),
        individuals={c: sorted(s for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)) for c in classes},
    )


def _literal(datatype, n: int) -> Literal:
    make = _LITERALS.get(datatype)
    return make(n) if make else Literal(f"value {n}")


def build(vocab: Vocabulary, choices: list[tuple[int, int, int]], instances: int = 2) -> Graph:
    """The data for ``choices``: ``instances`` typed nodes per class, then one assertion per choice.

    A choice ``(property, subject, object)`` picks a property (index modulo the number of them) and
    how to find its ends: 0 an instance of the domain (range) if it has one, 1 an untyped node,
    2 a blank node, 3 an instance of any class; the rest of the integer picks which. Literal-valued
    properties get a literal of their range's datatype. Every property chain is then walked once
    from an untyped node, so each ``owl:propertyChainAxiom`` has a premise.
    """
    graph = Graph()
    typed: dict[URIRef, list] = {}
    for i, cls in enumerate(vocab.classes):
        for k in range(instances):
            node = DATA[f"c{i}-{k}"]
            graph.add((node, RDF.type, cls))
            typed.setdefault(cls, []).append(node)
        typed[cls] += vocab.individuals.get(cls, [])  # so that owl:hasValue ex:France has its premise
    every = [n for nodes in typed.values() for n in nodes]
    # the pools of untyped and blank nodes grow with the data, so that a larger graph is not a denser one
    untyped = max(40, len(choices) // 4)
    blanks = [BNode(f"genb{k}") for k in range(max(8, len(choices) // 20))]

    def pick(kind: int, which: int, classes: list[URIRef]):
        if kind % 4 == 0 and classes:
            nodes = typed[classes[which % len(classes)]]
            return nodes[which // len(classes) % len(nodes)]
        if kind % 4 == 1:
            return DATA[f"u{which % untyped}"]
        if kind % 4 == 2:
            return blanks[which % len(blanks)]
        return every[which % len(every)]

    for prop_index, subject, obj in choices:
        prop = vocab.properties[prop_index % len(vocab.properties)]
        s = pick(subject, subject // 4, [c for c in vocab.domains.get(prop, []) if c in typed])
        if prop in vocab.functional and graph.value(s, prop) is not None:
            s = DATA[f"f{len(graph)}"]  # one value each: owl:sameAs only where asked for below
        if prop in vocab.datatype:
            o = _literal(vocab.datatype[prop], obj)
        else:
            o = pick(obj, obj // 4, [c for c in vocab.ranges.get(prop, []) if c in typed])
        graph.add((s, prop, o))
    for n, (cls, prop) in enumerate(vocab.restricted):  # a premise for each restriction (cls-avf, cls-maxc1)
        graph.add((typed[cls][0], prop, DATA[f"restricted{n}"]))
    for n, prop in enumerate(sorted(vocab.functional)):  # two values: owl:sameAs (prp-fp) and its copies
        for k in range(2):
            graph.add((DATA[f"functional{n}"], prop, DATA[f"functional{n}-{k}"]))
    for n, chain in enumerate(vocab.chains):
        nodes = [DATA[f"chain{n}-{k}"] for k in range(len(chain) + 1)]
        for k, prop in enumerate(chain):
            graph.add((nodes[k], prop, nodes[k + 1]))
    return graph


def seeded_choices(vocab: Vocabulary, seed: int, per_property: int = 3) -> list[tuple[int, int, int]]:
    """``per_property`` assertions of every property, ends chosen by ``random.Random(seed)``."""
    rng = random.Random(seed)
    spread = 64 * max(1, per_property // 3)  # which node of a pool: wide enough for the largest pool
    return [(i, rng.randrange(spread), rng.randrange(spread))
            for i in range(len(vocab.properties)) for _ in range(per_property)]


def load(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph
