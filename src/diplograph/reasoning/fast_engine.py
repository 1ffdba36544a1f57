"""OWL-RL for the ontology's axioms as SPARQL UPDATE rules on Oxigraph: the fast reasoning engine.

:class:`FastReasoner` returns the same :class:`~diplograph.reasoning.result.InferenceResult` as
:class:`~diplograph.reasoning.owlrl_engine.OwlrlReasoner` (owlrl, the reference engine) with the same noise filtering: after
removing owlrl's noise, the set of kept triples is identical (tests/test_fast_engines.py checks
this on the seed and on generated graphs).

How: the asserted data sits in the default graph of a *working store*
(:class:`diplograph.store.WorkingStore`; rdflib graphs are copied into a new one), and the ontology
(without ``owl:hasKey``, as the reference engine does) is added to it as a named graph of the
engine's own. The default graph is only read, never written: ``build`` validates it beside the
reasoner. The schema is read from the store and
closed in Python (``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` transitivity,
``owl:equivalentClass`` / ``owl:equivalentProperty`` as two-way subsumption), and one SPARQL
``INSERT … WHERE`` is generated per OWL 2 RL rule, with the axioms it needs as a ``VALUES`` table:

========== ==========================================================================
cax-sco    ``x a C``, C ⊑* D                       → ``x a D``
prp-spo1   ``x p y``, p ⊑* q                       → ``x q y``
prp-inv    ``x p y``, p ``owl:inverseOf`` q        → ``y q x`` (both directions)
prp-symp   ``x p y``, p symmetric                  → ``y p x``
prp-trp    ``x p y``, ``y p z``, p transitive      → ``x p z``
prp-spo2   ``x p1 a``, ``a p2 y``, p ← (p1 p2 …)   → ``x p y``
prp-dom    ``x p y``, p ``rdfs:domain`` C          → ``x a C``
prp-rng    ``x p y``, p ``rdfs:range`` C           → ``y a C``
prp-fp     ``x p y1``, ``x p y2``, p functional    → ``y1 owl:sameAs y2``
prp-ifp    ``x1 p y``, ``x2 p y``, p inv.-functional → ``x1 owl:sameAs x2``
eq-*       symmetry, transitivity and replacement of ``owl:sameAs`` (only when one exists)
========== ==========================================================================

One more rule is not OWL: ``dg:participatesIn`` from the memberships whose status is in
``dg:ParticipationStatuses`` (:mod:`~diplograph.reasoning.participation`, which the reference engine applies too).

The rules run in rounds until a round adds nothing. Each new triple is inserted into a named graph
of its round; a rule reads its premises (and whether a conclusion is new) in the default graph,
the schema's graph and every round's graph so far (``{ P } UNION { GRAPH ?g { P } }``, ``?g`` one
of those graphs), so later rules see it. The first round reads
every triple; later rounds are *semi-naive*: a rule only looks for conclusions with at least one
premise in the previous round's graph, since any other conclusion has been drawn already (at 1M
triples this cut the rounds after the first from 8 s to under 1 s). At the end the round graphs
hold exactly the triples that were not asserted; they are read out and dropped, and pass through the same noise filter as owlrl's
output (:data:`diplograph.reasoning.result.DROP_REASONS`). Rules whose conclusion is always noise (schema
rules scm-*, ``rdf:type owl:Thing``, reflexive ``owl:sameAs``, triples about literals) are not run.
The input pruning of the reference engine only matters for ``owl:sameAs`` replacement
(eq-rep-*), which therefore only copies the triples owlrl would have been given.

Class expressions (ORG and PROV-O use them; tests/test_fast_rules_vocabularies.py compares both
vocabularies with owlrl). The ontology's blank nodes are given IRIs inside the store
(:func:`~diplograph.reasoning.fast_schema.skolemise`) so that a rule can name them; conclusions are
turned back into the blank nodes before the noise filter, which drops them as ``anonymous-type``
just as it drops owlrl's.

========== ==========================================================================
cls-uni    ``x a Ci``, U = ``owl:unionOf`` (… Ci …)      → ``x a U`` (as Ci ⊑ U, scm-uni)
cls-int2   ``x a I``, I = ``owl:intersectionOf`` (… Ci …) → ``x a Ci`` (as I ⊑ Ci, scm-int)
cls-int1   ``x a C1`` … ``x a Cn``                       → ``x a I``
cls-avf    ``x a R``, R = ∀p.C, ``x p y``                → ``y a C`` (and scm-avf1/2 in the closure)
cls-svf1/2 ``x p y``, ``y a C``, R = ∃p.C (C may be owl:Thing) → ``x a R`` (and scm-svf1/2)
cls-hv1    ``x a R``, R = (p value v)                  → ``x p v``
cls-hv2    ``x p v``, R = (p value v)                  → ``x a R``
========== ==========================================================================

Inconsistencies: owlrl does not stop on a contradiction; it appends an error message to the graph
(``[] a err:ErrorMessage ; err:error "…"``). The fast reasoner checks the same two rules after the
fixpoint, with owlrl's wording, and both engines' results list them in
:attr:`~diplograph.reasoning.result.InferenceResult.inconsistencies`:

========== ==========================================================================
cax-dw     ``x a C1``, ``x a C2``, C1 ``owl:disjointWith`` C2  → "Disjoint classes C1 and C2 have a common individual x"
cls-maxc1  ``x a R``, R = (≤ 0 p), ``x p y``                → "Erroneous usage of maximum cardinality with R and y"
========== ==========================================================================

Not compiled (:func:`unsupported_axioms` lists and names any the ontology uses, see
:mod:`~diplograph.reasoning.fast_schema`): ``owl:someValuesFrom`` a datatype, ``owl:hasValue`` a
literal, ``owl:oneOf``, ``owl:maxCardinality 1``, ``owl:maxQualifiedCardinality``, ``owl:complementOf``,
``owl:propertyDisjointWith``, ``owl:AllDifferent`` / ``owl:AllDisjointClasses`` /
``owl:AllDisjointProperties``, asymmetric and irreflexive properties, negative property assertions,
``owl:differentFrom``; and class axioms on blank nodes of the *data* (only the ontology's are
named). ``owl:hasKey`` is withheld from both engines. :meth:`FastReasoner.infer` raises
:class:`~diplograph.errors.UnsupportedAxiomError` naming each such axiom, before any rule runs,
rather than give a different answer.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplograph.errors import UnsupportedAxiomError
from diplograph.reasoning.participation import HEAD as PARTICIPATION_HEAD, PREMISES as PARTICIPATION_PREMISES
from diplograph.reasoning.fast_schema import (
    SKOLEM,
    UNSUPPORTED_PREDICATES,
    UNSUPPORTED_TYPES,
    UnhandledAxiom,
    skolemise,
    unhandled_axioms,
    unskolemise,
)
from diplograph.reasoning.result import (
    BUILTIN_NAMESPACES as _BUILTIN_NAMESPACES,
    OWLRL_ERRORS,
    SCHEMA_PREDICATES,
    InferenceResult,
    keep_worth_storing,
    mentioned_terms,
    ontology_terms,
)
from diplograph.store import WorkingStore, canonical_literals
from diplograph.store.oxigraph import StoreView, ntriples
from diplograph.terms import sparql

__all__ = ["FastReasoner", "ReasoningStopped", "inconsistencies", "rules", "unsupported_axioms"]

# Each round's conclusions go to a named graph of their own: <urn:x-diplograph:fast-rules:round-N>.
_ROUNDS = "urn:x-diplograph:fast-rules:round-"
# The ontology as the rules read it (blank nodes named), beside the data: the default graph is only read.
_SCHEMA = "urn:x-diplograph:fast-rules:schema"
_SAME = f"<{OWL.sameAs}>"
_TYPE = f"<{RDF.type}>"
#: Rounds after which the fixpoint is abandoned (each round adds at least one triple).
MAX_ROUNDS = 1000


def unsupported_axioms(ontology: Graph) -> list[UnhandledAxiom]:
    """The axioms of ``ontology`` the rules do not implement, each named (empty: the engine can reason with it)."""
    return unhandled_axioms(ontology)


# --- the schema -----------------------------------------------------------------------


def _pairs(store: WorkingStore | StoreView, predicate: URIRef) -> list[tuple]:
    return [(row["s"], row["o"]) for row in store.select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")]


def _typed(store: WorkingStore | StoreView, cls: URIRef) -> list:
    return [row["s"] for row in store.select(f"SELECT ?s WHERE {{ ?s {_TYPE} <{cls}> }}")]


def _closure(edges: list[tuple]) -> dict:
    """Transitive closure (without reflexive pairs) of ``edges`` as node -> set of nodes above it."""
    up: dict = {}
    for a, b in edges:
        up.setdefault(a, set()).add(b)
    closed = {}
    for start in up:
        seen: set = set()
        todo = [start]
        while todo:
            for nxt in up.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        seen.discard(start)
        closed[start] = seen
    return closed


def _iri(term) -> bool:
    return isinstance(term, URIRef)


def _list_members(store: WorkingStore | StoreView, head) -> list:
    items = []
    while head != RDF.nil:
        first, rest = store.objects(head, RDF.first), store.objects(head, RDF.rest)
        if not first or not rest:
            return []
        items.append(first[0])
        head = rest[0]
    return items


@dataclass(frozen=True)
class Rule:
    """One OWL 2 RL rule: ``premises`` (triple patterns, joined) and ``condition`` give ``head``.

    ``table`` is a ``VALUES`` clause holding the axioms the rule applies (the pairs of
    sub-property and super-property, say). :meth:`update` writes the SPARQL UPDATE; in *delta*
    form one premise at a time must match a triple the previous round added (semi-naive
    evaluation: a conclusion whose premises are all old has been drawn already), which is what
    makes the rounds after the first cheap. ``always_full`` rules (whose axiom table changes
    between rounds) are never run in delta form.
    """

    head: str
    premises: tuple[str, ...]
    condition: str = ""
    table: str = ""
    always_full: bool = False

    def update(self, into: str, delta: str | None = None, reads: Sequence[str] = ()) -> str:
        """Insert the new conclusions into the named graph ``into``, reading the premises (and
        whether a conclusion is new) in the default graph and the named graphs ``reads``.

        With ``delta``, only conclusions with a premise in the named graph ``delta``.
        """
        graphs = " ".join(f"<{g}>" for g in reads)

        def anywhere(pattern: str, n: int) -> str:
            if not reads:
                return pattern
            return f"{{ {pattern} }} UNION {{ VALUES ?graph{n} {{ {graphs} }} GRAPH ?graph{n} {{ {pattern} }} }}"

        if delta is None or self.always_full:
            body = " ".join("{ " + anywhere(p, i) + " }" for i, p in enumerate(self.premises))
        else:
            variants = []
            for i in range(len(self.premises)):
                parts = [f"GRAPH {delta} {{ {p} }}" if j == i else "{ " + anywhere(p, j) + " }"
                         for j, p in enumerate(self.premises)]
                variants.append("{ " + " ".join(parts) + " }")
            body = " UNION ".join(variants)
        drawn = anywhere(self.head, len(self.premises))
        return (f"INSERT {{ GRAPH {into} {{ {self.head} }} }} "
                f"WHERE {{ {self.table} {body} {self.condition} FILTER NOT EXISTS {{ {drawn} }} }}")


def _round_graph(number: int) -> str:
    """The named graph holding what round ``number`` concluded, in SPARQL syntax."""
    return f"<{_ROUNDS}{number}>"


def rules(store: WorkingStore | StoreView) -> dict[str, Rule]:
    """The SPARQL UPDATE rules for the axioms in ``store`` (name -> rule), sameAs rules excluded."""
    sub_prop = _closure(
        _pairs(store, RDFS.subPropertyOf)
        + [e for a, b in _pairs(store, OWL.equivalentProperty) for e in ((a, b), (b, a))]
    )
    intersections = {i: _list_members(store, head) for i, head in _pairs(store, OWL.intersectionOf)}
    avf, svf, hv = ([(r, p, c) for r, c in _pairs(store, kind) for p in store.objects(r, OWL.onProperty)]
                    for kind in (OWL.allValuesFrom, OWL.someValuesFrom, OWL.hasValue))
    sub_class = _class_closure(store, intersections, avf, svf, sub_prop)
    inverse = {e for a, b in _pairs(store, OWL.inverseOf) for e in ((a, b), (b, a))}
    out: dict[str, Rule] = {}

    def values(rows) -> str:
        return " ".join("(" + " ".join(sparql(t) for t in row) + ")" for row in sorted(rows, key=str))

    def add(name: str, variables: str, rows, head: str, premises: str, condition: str = "") -> None:
        """A rule applying the axioms ``rows`` (one tuple of ``variables`` each)."""
        rows = [r for r in rows if all(_iri(t) for t in r)]
        if rows:
            table = f"VALUES ({variables}) {{ {values(rows)} }}"
            out[name] = Rule(head, tuple(p.strip() + " ." for p in premises.split(" . ")), condition, table)

    # Order: what feeds other rules first (inverses -> chains -> super-properties -> domains and
    # ranges -> super-classes), so that one round usually reaches the fixpoint.
    add("prp-inv", "?p ?q", inverse, "?y ?q ?x .", "?x ?p ?y", "FILTER(!isLiteral(?y))")
    add("prp-symp", "?p", [(p,) for p in _typed(store, OWL.SymmetricProperty)], "?y ?p ?x .", "?x ?p ?y",
        "FILTER(!isLiteral(?y))")
    add("prp-trp", "?p", [(p,) for p in _typed(store, OWL.TransitiveProperty)], "?x ?p ?z .", "?x ?p ?y . ?y ?p ?z")
    add("prp-spo1", "?p ?q", [(p, q) for p, qs in sub_prop.items() for q in qs], "?x ?q ?y .", "?x ?p ?y")
    add("prp-dom", "?p ?c", _pairs(store, RDFS.domain), "?x a ?c .", "?x ?p ?y")
    add("prp-rng", "?p ?c", _pairs(store, RDFS.range), "?y a ?c .", "?x ?p ?y", "FILTER(!isLiteral(?y))")
    add("cax-sco", "?c ?d", [(c, d) for c, ds in sub_class.items() for d in ds], "?x a ?d .", "?x a ?c")
    add("cls-avf", "?r ?p ?c", avf, "?y a ?c .", "?x a ?r . ?x ?p ?y", "FILTER(!isLiteral(?y))")
    add("cls-svf1", "?r ?p ?c", [t for t in svf if t[2] != OWL.Thing], "?x a ?r .", "?x ?p ?y . ?y a ?c")
    add("cls-svf2", "?r ?p", [(r, p) for r, p, c in svf if c == OWL.Thing], "?x a ?r .", "?x ?p ?y")
    add("cls-hv1", "?r ?p ?v", hv, "?x ?p ?v .", "?x a ?r")
    add("cls-hv2", "?r ?p ?v", hv, "?x a ?r .", "?x ?p ?v")
    for n, (cls, members) in enumerate(sorted(intersections.items(), key=str)):
        if members and _iri(cls) and all(_iri(m) for m in members):
            out[f"cls-int1-{n}"] = Rule(f"?x {_TYPE} {sparql(cls)} .",
                                        tuple(f"?x {_TYPE} {sparql(m)} ." for m in members))
    add("prp-fp", "?p", [(p,) for p in _typed(store, OWL.FunctionalProperty)], f"?y1 {_SAME} ?y2 .",
        "?x ?p ?y1 . ?x ?p ?y2", "FILTER(!sameTerm(?y1, ?y2) && !isLiteral(?y1) && !isLiteral(?y2))")
    add("prp-ifp", "?p", [(p,) for p in _typed(store, OWL.InverseFunctionalProperty)], f"?x1 {_SAME} ?x2 .",
        "?x1 ?p ?y . ?x2 ?p ?y", "FILTER(!sameTerm(?x1, ?x2))")
    chains: dict[str, Rule] = {}
    for n, (prop, head) in enumerate(_pairs(store, OWL.propertyChainAxiom)):
        chain = _list_members(store, head)
        if not chain or not all(_iri(p) for p in chain) or not _iri(prop):
            continue
        names = [f"?v{i}" for i in range(len(chain) + 1)]
        premises = tuple(f"{names[i]} {sparql(p)} {names[i + 1]} ." for i, p in enumerate(chain))
        chains[f"prp-spo2-{n}"] = Rule(f"?v0 {sparql(prop)} {names[-1]} .", premises)
    # Not OWL: the participation rule both engines apply (diplograph.reasoning.participation).
    chains["dg-participation"] = Rule(PARTICIPATION_HEAD, PARTICIPATION_PREMISES, "FILTER(!isLiteral(?o))")
    first = [k for k in out if k in ("prp-inv", "prp-symp", "prp-trp")]
    return {**{k: out[k] for k in first}, **chains, **{k: v for k, v in out.items() if k not in first}}


def _class_closure(store: WorkingStore | StoreView, intersections: dict, avf: list[tuple], svf: list[tuple],
                   sub_prop: dict) -> dict:
    """Class subsumption as the rules use it: node -> every class above it (not itself).

    Edges: ``rdfs:subClassOf``, ``owl:equivalentClass`` both ways, union members under their union
    (scm-uni), an intersection under its members (scm-int), and between ``owl:allValuesFrom``
    restrictions (scm-avf1: same property, filler below; scm-avf2: same filler, property below, the
    other way round) and between ``owl:someValuesFrom`` ones (scm-svf1/2: filler or property below).
    The last depend on the closure itself, so it is recomputed until they settle. (scm-hv adds
    nothing about instances: cls-hv1 then cls-hv2 draw it.)
    """
    edges = set(_pairs(store, RDFS.subClassOf))
    edges |= {e for a, b in _pairs(store, OWL.equivalentClass) for e in ((a, b), (b, a))}
    edges |= {(m, u) for u, head in _pairs(store, OWL.unionOf) for m in _list_members(store, head)}
    edges |= {(i, m) for i, members in intersections.items() for m in members}
    while True:
        closed = _closure(sorted(edges, key=str))
        below = set()
        for r1, p1, c1 in avf:
            for r2, p2, c2 in avf:
                if r1 == r2:
                    continue
                if p1 == p2 and (c1 == c2 or c2 in closed.get(c1, ())):
                    below.add((r1, r2))  # scm-avf1
                if c1 == c2 and p2 in sub_prop.get(p1, ()):
                    below.add((r2, r1))  # scm-avf2
        for r1, p1, c1 in svf:
            for r2, p2, c2 in svf:
                if r1 == r2:
                    continue
                # one step at a time, like owlrl: a lower filler (scm-svf1) or a lower property (scm-svf2)
                if (p1 == p2 and (c1 == c2 or c2 in closed.get(c1, ()))) or (c1 == c2 and p2 in sub_prop.get(p1, ())):
                    below.add((r1, r2))
        if below <= edges:
            return closed
        edges |= below


def inconsistencies(store: WorkingStore | StoreView) -> list[str]:
    """owlrl's messages for the contradictions in the closed ``store`` (cax-dw, cls-maxc1), sorted.

    Terms are written as owlrl writes them (``%s``: the bare IRI, a blank node's label), with the
    ontology's own blank nodes, so that both engines report the same text.
    """
    found = set()
    for c1, c2 in _pairs(store, OWL.disjointWith):
        if _iri(c1) and _iri(c2):
            query = f"SELECT DISTINCT ?x WHERE {{ ?x {_TYPE} {sparql(c1)} . ?x {_TYPE} {sparql(c2)} }}"
            for row in store.select(query):
                found.add("Disjoint classes %s and %s have a common individual %s"
                          % (unskolemise(c1), unskolemise(c2), row["x"]))
    for restriction, bound in _pairs(store, OWL.maxCardinality):
        if not (_iri(restriction) and isinstance(bound, Literal) and bound.toPython() == 0):
            continue
        for prop in store.objects(restriction, OWL.onProperty):
            if not _iri(prop):
                continue
            query = f"SELECT DISTINCT ?y WHERE {{ ?x {_TYPE} {sparql(restriction)} . ?x {sparql(prop)} ?y }}"
            for row in store.select(query):
                found.add("Erroneous usage of maximum cardinality with %s and %s" % (unskolemise(restriction), row["y"]))
    return sorted(found)


def _error_triples(messages: list[str]) -> list[tuple]:
    """The messages in owlrl's form, so that they pass through the same filter as its output."""
    triples = []
    for message in messages:
        node = BNode()
        triples += [(node, RDF.type, OWLRL_ERRORS.ErrorMessage), (node, OWLRL_ERRORS.error, Literal(message))]
    return triples


def _same_as_rules(relevant: tuple[set, set], literal_pairs: list[tuple]) -> dict[str, Rule]:
    """eq-sym, eq-trans, eq-rep-s/p/o, limited (like owlrl's pruned input) to triples a rule could use."""
    plain = ", ".join(f"<{t}>" for t in relevant[0] if isinstance(t, URIRef))
    literal = ", ".join(f"<{t}>" for t in relevant[1] if isinstance(t, URIRef))
    builtin = " || ".join(f'STRSTARTS(STR(?p), "{ns}")' for ns in (RDF, RDFS, OWL, XSD))
    usable = (
        f"(({builtin}) || (isLiteral(?o) && ?p IN ({literal or '<urn:x-none>'})) || "
        f"(!isLiteral(?o) && ?p IN ({plain or '<urn:x-none>'})) || "
        f"EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{_ROUNDS}\")) }})"
    )

    out = {
        "eq-sym": Rule(f"?y {_SAME} ?x .", (f"?x {_SAME} ?y .",), "FILTER(!isLiteral(?y))"),
        "eq-trans": Rule(f"?x {_SAME} ?z .", (f"?x {_SAME} ?y .", f"?y {_SAME} ?z .")),
        "eq-rep-s": Rule("?s2 ?p ?o .", (f"?s {_SAME} ?s2 .", "?s ?p ?o ."), f"FILTER({usable})"),
        "eq-rep-p": Rule("?s ?p2 ?o .", (f"?p {_SAME} ?p2 .", "?s ?p ?o ."), f"FILTER({usable})"),
        "eq-rep-o": Rule("?s ?p ?o2 .", (f"?o {_SAME} ?o2 .", "?s ?p ?o ."), f"FILTER({usable})"),
    }
    if literal_pairs:
        rows = " ".join(f"({sparql(a)} {sparql(b)})" for a, b in literal_pairs)
        out["eq-rep-o-literal"] = Rule(
            "?s ?p ?o2 .", ("?s ?p ?o .",), f"FILTER({usable})", f"VALUES (?o ?o2) {{ {rows} }}", always_full=True
        )
    return out


def _literal_same_as(store: WorkingStore | StoreView) -> list[tuple]:
    """Pairs of different literals a functional property equates (owlrl's ``"a" owl:sameAs "b"``), both ways."""
    props = [p for p in _typed(store, OWL.FunctionalProperty) if _iri(p)]
    pairs = set()
    for p in props:
        query = (f"SELECT DISTINCT ?a ?b WHERE {{ ?x {sparql(p)} ?a . ?x {sparql(p)} ?b . "
                 "FILTER(isLiteral(?a) && !sameTerm(?a, ?b)) }")
        for row in store.select(query):
            pairs.add((row["a"], row["b"]))
    closed = _closure(list(pairs))  # eq-trans among literals
    return [(a, b) for a, bs in closed.items() for b in bs]


# --- the engine ---------------------------------------------------------------------


class ReasoningStopped(Exception):
    """The caller set the reasoner's ``stop`` event: it no longer needs the answer (not an error of the input)."""



class FastReasoner:
    """The ontology's OWL 2 RL rules as SPARQL updates on Oxigraph: the reference engine's kept triples, faster."""

    name = "fast"

    def infer(self, data: Graph | WorkingStore, ontology: Graph, *,
              stop: threading.Event | None = None) -> InferenceResult:
        """Reason like the reference engine on ``data``; same kept triples.

        ``data`` is a plain rdflib ``Graph`` (copied into a new working store; not changed) or a
        :class:`~diplograph.store.WorkingStore` whose default graph holds the data. The engine
        writes only named graphs of its own, dropped at the end: the store is left as it was
        given, and another engine may read its default graph meanwhile (``build`` validates
        beside it). ``counts`` has the same keys as owlrl's result;
        ``produced`` counts what the rules derived (owlrl also derives the noise these rules never
        produce, so its ``produced`` is larger). Raises
        :class:`~diplograph.errors.UnsupportedAxiomError` if the ontology uses an axiom the rules do
        not cover (:func:`unsupported_axioms`), and :class:`ReasoningStopped` between two rules
        once ``stop`` is set (``build`` no longer needs the answer).
        """
        started = time.perf_counter()
        schema = Graph()
        schema += (t for t in ontology if t[1] != OWL.hasKey)
        missing = unsupported_axioms(ontology)
        if missing:
            raise UnsupportedAxiomError("fast", tuple(missing))
        named = skolemise(schema)  # the rules can only name IRIs
        if isinstance(data, WorkingStore):
            store, given = data, data.default_size()
        else:
            store, given = WorkingStore.of_graphs(data), len(data)
        # Nothing is written to the default graph: the schema and each round's conclusions are
        # named graphs, read with it through one view.
        reads = [_SCHEMA]
        view = store.view(reads)
        try:
            store.add_graph(named, into=_SCHEMA)
            missing = _unhandled_in_data(view)
            if missing:
                raise UnsupportedAxiomError("fast", tuple(missing))
            round_number = _run_to_fixpoint(store, view, rules(view), schema, data, stop)
            bulk, bulk_count = (), 0
            if isinstance(data, WorkingStore):
                # Most conclusions (x a C, x p y between IRIs of the data) are kept whatever the filter
                # says: they stay N-Triples, never rdflib terms (at 1M triples converting, filtering
                # and storing them again took 15 s).
                bulk, bulk_count, rest = _split_conclusions(store, round_number, ontology_terms(ontology))
            else:
                rest = [triple for n in range(1, round_number + 1) for triple in store.triples(f"{_ROUNDS}{n}")]
            triples = [tuple(unskolemise(t) for t in triple) for triple in rest]
            triples += _error_triples(inconsistencies(view))
        finally:
            store.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in reads))  # the store is left as it was given
        if isinstance(data, Graph):
            triples = _restore_literals(triples, data)
            # Only triples not in the store's asserted data were recorded; rdflib tells "x" and
            # "x"^^xsd:string (and "01"/"1") apart where Oxigraph does not, so literals are checked again.
            triples = [t for t in triples if not (isinstance(t[2], Literal) and t in data)]
        return keep_worth_storing(
            (t for t in triples if not (isinstance(t[2], Literal) and t in ontology)),
            ontology,
            engine="fast",
            started=started,
            asserted=given + len(ontology),
            reasoner_input=given + len(schema),
            bulk=bulk,
            bulk_count=bulk_count,
        )


def _split_conclusions(store: WorkingStore, rounds: int, described: set) -> tuple[tuple[bytes, ...], int, list[tuple]]:
    """The rounds' conclusions in two parts: those no drop reason can apply to, as N-Triples
    (one text per round graph, and how many triples in all), and the others as rdflib triples,
    for :func:`keep_worth_storing` to sort.

    The first part is what :func:`~diplograph.reasoning.result.noise` keeps on sight: an IRI
    subject neither built in, nor described by the ontology, nor one of the ontology's blank
    nodes (:data:`SKOLEM`); a predicate neither a schema one, nor ``owl:sameAs`` (whose pairs the
    filter lists), nor a blank node's; an object that is no blank node or triple term (Oxigraph
    relabels blank nodes when it loads N-Triples); no ``rdf:type`` of a built-in class. Such a
    triple cannot be the ontology's either (its subject would be described). Each round graph
    is read in Oxigraph's N-Triples, one triple a line from a file (:meth:`WorkingStore.graph_lines`),
    and sorted by the terms' text (at 1M triples a SPARQL filter doing the same took 5–7 s, this
    about 1 s): only the kept lines' text is in memory, and Oxigraph writes each graph once.
    tests/test_fast_engines.py checks that the counts and triples are the ones the filter gives.
    """
    described_text = {f"<{term}>".encode() for term in described if isinstance(term, URIRef)}
    refused = {f"<{p}>".encode() for p in SCHEMA_PREDICATES | {OWL.sameAs}}
    builtin = tuple(f"<{ns}".encode() for ns in _BUILTIN_NAMESPACES)
    named, rdf_type = f"<{SKOLEM}".encode(), _TYPE.encode()
    texts: list[bytes] = []
    kept = 0
    rest: list[tuple] = []
    for n in range(1, rounds + 1):
        kept_text, other = io.BytesIO(), []
        with store.graph_lines(f"{_ROUNDS}{n}") as lines:
            for line in lines:
                s, p, o = line.rstrip(b"\n").split(b" ", 2)  # IRIs and blank node labels hold no space
                if (s[:1] == b"<" and not s.startswith(builtin) and not s.startswith(named) and s not in described_text
                        and p not in refused and not p.startswith(named)
                        and not o.startswith((b"_:", b"<<", named)) and not (p == rdf_type and o.startswith(builtin))):
                    kept_text.write(line)
                    kept += 1
                else:
                    other.append(line)
        if other:
            rest += ntriples(b"".join(other))
        if kept_text.tell():
            texts.append(kept_text.getvalue())  # the buffer itself, not a copy
    return tuple(texts), kept, rest


#: Predicates of the axioms the rules read; on a blank node of the data (not named by skolemise) they are refused.
_AXIOM_PREDICATES = (
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass, OWL.equivalentProperty,
    OWL.inverseOf, OWL.unionOf, OWL.intersectionOf, OWL.allValuesFrom, OWL.someValuesFrom, OWL.hasValue,
    OWL.onProperty, OWL.maxCardinality,
    OWL.disjointWith, OWL.propertyChainAxiom,
)


def _unhandled_in_data(store: WorkingStore | StoreView) -> list[str]:
    """Axioms asserted in the data that the rules would not apply, named (the ontology's were checked already)."""
    found = set()
    refused = " ".join(sparql(p) for p in UNSUPPORTED_PREDICATES)
    kinds = " ".join(sparql(k) for k in UNSUPPORTED_TYPES)
    for row in store.select(f"SELECT DISTINCT ?s ?p WHERE {{ {{ VALUES ?p {{ {refused} }} ?s ?p ?o }} UNION "
                            f"{{ VALUES ?p {{ {kinds} }} ?s {_TYPE} ?p }} }}"):
        found.add(f"{row['p'].n3()} on {row['s'].n3()} (in the data)")
    for row in store.select(f"SELECT DISTINCT ?s WHERE {{ ?s {sparql(OWL.hasValue)} ?o FILTER(isLiteral(?o)) }}"):
        found.add(f"{OWL.hasValue.n3()} a literal on {row['s'].n3()} (in the data)")
    axioms = " ".join(sparql(p) for p in _AXIOM_PREDICATES)
    for row in store.select(f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {axioms} }} ?s ?p ?o "
                            "FILTER(isBlank(?s) || isBlank(?o)) }"):
        found.add(f"{row['p'].n3()} on {row['s'].n3()} (a class axiom on a blank node of the data)")
    return sorted(found)


def _run_to_fixpoint(store: WorkingStore, view: StoreView, compiled: dict[str, Rule], schema: Graph, data,
                     stop: threading.Event | None = None) -> int:
    """Run the rules in rounds until one adds nothing; the number of the last round.

    ``view`` reads the store's default graph with the schema and every round's graph so far
    (its list of graphs grows by each round's). Raises :class:`ReasoningStopped` before a rule
    once ``stop`` is set."""
    relevant = None
    ran: set[str] = set()  # rules that have run once on every triple
    round_number = 0
    for round_number in range(1, MAX_ROUNDS + 1):
        into, previous = _round_graph(round_number), _round_graph(round_number - 1)
        todo = dict(compiled)
        if view.ask(f"ASK {{ ?x {_SAME} ?y }}") or _literal_pairs_exist(view):
            if relevant is None:  # the input owlrl would have been given, see result.relevant
                relevant = mentioned_terms(schema, _builtin_part(data, view))
            todo.update(_same_as_rules(relevant, _literal_same_as(view)))
        view.graphs.append(f"{_ROUNDS}{round_number}")
        for name, rule in todo.items():
            if stop is not None and stop.is_set():
                raise ReasoningStopped()
            store.update(rule.update(into, previous if name in ran else None, view.graphs))
            ran.add(name)
        if not store.ask(f"ASK {{ GRAPH {into} {{ ?s ?p ?o }} }}"):
            break
    return round_number


def _builtin_part(asserted: Graph | WorkingStore, store: StoreView) -> Graph:
    """The asserted triples :func:`~diplograph.reasoning.result.mentioned_terms` reads: those about RDF/RDFS/OWL terms."""
    if isinstance(asserted, Graph):
        return asserted
    builtin = " || ".join(f'STRSTARTS(STR(?{v}), "{ns}")' for v in ("p",) for ns in (RDF, RDFS, OWL, XSD))
    builtin_o = builtin.replace("?p", "?o")
    query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(({builtin}) && (?p != {_TYPE} || {builtin_o})) }}"
    graph = Graph()
    graph += ((r["s"], r["p"], r["o"]) for r in store.select(query))
    return graph


def _literal_pairs_exist(store: WorkingStore | StoreView) -> bool:
    props = [sparql(p) for p in _typed(store, OWL.FunctionalProperty) if _iri(p)]
    return any(
        store.ask(f"ASK {{ ?x {p} ?a . ?x {p} ?b . FILTER(isLiteral(?a) && !sameTerm(?a, ?b)) }}") for p in props
    )


def _restore_literals(triples: list[tuple], asserted: Graph) -> list[tuple]:
    """Put back the data's own lexical form where Oxigraph stored a literal canonically (``"01"`` -> ``"1"``)."""
    typed = {o for _s, _p, o in triples if isinstance(o, Literal) and o.datatype is not None}
    if not typed:
        return triples
    datatypes = {o.datatype for o in typed}
    originals = {o for o in asserted.objects() if isinstance(o, Literal) and o.datatype in datatypes}
    back = {canon: original for original, canon in canonical_literals(originals).items() if canon != original}
    if not back:
        return triples
    return [(s, p, back.get(o, o)) for s, p, o in triples]
