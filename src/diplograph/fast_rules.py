"""OWL-RL for the ontology's axioms as SPARQL UPDATE rules on Oxigraph: the fast reasoning engine.

:func:`infer_fast` returns the same :class:`~diplograph.infer.InferenceResult` as
:func:`diplograph.infer.infer` (owlrl, the reference engine) with the same noise filtering: after
removing owlrl's noise, the set of kept triples is identical (tests/test_fast_engines.py checks
this on the seed and on generated graphs).

How: the asserted graph and the ontology (without ``owl:hasKey``, as :func:`~diplograph.infer.infer`
does) are copied into an in-memory ``pyoxigraph.Store``. The schema is read from the store and
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

The rules run in rounds until a round adds nothing. Each new triple is inserted into the store's
default graph (so later rules see it) and recorded in a named graph, which at the end holds
exactly the triples that were not asserted; those pass through the same noise filter as owlrl's
output (:data:`diplograph.infer.DROP_REASONS`). Rules whose conclusion is always noise (schema
rules scm-*, ``rdf:type owl:Thing``, reflexive ``owl:sameAs``, triples about literals) are not run.
The input pruning of :func:`~diplograph.infer.infer` only matters for ``owl:sameAs`` replacement
(eq-rep-*), which therefore only copies the triples owlrl would have been given.

Not compiled (:func:`unsupported_axioms` lists any the ontology uses): class expressions that
OWL 2 RL reasons with (``owl:someValuesFrom``, ``owl:allValuesFrom``, ``owl:hasValue``,
``owl:intersectionOf``, ``owl:unionOf``, ``owl:oneOf``, ``owl:maxCardinality``,
``owl:maxQualifiedCardinality``) and ``owl:hasKey`` (withheld from owlrl as well).
The diplograph ontology uses none of them; :func:`infer_fast` raises
:class:`~diplograph.errors.UsageError` rather than give a different answer.
"""

from __future__ import annotations

import time
from itertools import count

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from diplograph.errors import UsageError
from diplograph.fast_shacl import _canonical, from_ox, load_oxigraph
from diplograph.infer import InferenceResult, _mentioned_terms, keep_worth_storing

__all__ = ["UNSUPPORTED_AXIOMS", "infer_fast", "rules", "unsupported_axioms"]

#: OWL terms whose OWL 2 RL rules are not compiled.
UNSUPPORTED_AXIOMS: tuple[URIRef, ...] = (
    OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.intersectionOf, OWL.unionOf, OWL.oneOf,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.complementOf, OWL.disjointWith,
    OWL.propertyDisjointWith, OWL.AllDifferent, OWL.differentFrom, OWL.sourceIndividual,
)
_INFERRED = ox.NamedNode("urn:x-diplograph:fast-rules:inferred")
_SAME = f"<{OWL.sameAs}>"
_TYPE = f"<{RDF.type}>"
#: Rounds after which the fixpoint is abandoned (each round adds at least one triple).
MAX_ROUNDS = 1000


def unsupported_axioms(ontology: Graph) -> list[URIRef]:
    """OWL terms of :data:`UNSUPPORTED_AXIOMS` that ``ontology`` uses (as predicate or object)."""
    used = set(ontology.predicates()) | set(ontology.objects(None, RDF.type))
    return sorted((t for t in UNSUPPORTED_AXIOMS if t in used), key=str)


# --- the schema -----------------------------------------------------------------------


def _pairs(store: ox.Store, predicate: URIRef) -> list[tuple]:
    return [(row["s"], row["o"]) for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")]


def _typed(store: ox.Store, cls: URIRef) -> list:
    return [row["s"] for row in store.query(f"SELECT ?s WHERE {{ ?s {_TYPE} <{cls}> }}")]


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
    return isinstance(term, ox.NamedNode)


def _list_members(store: ox.Store, head) -> list:
    items = []
    while head != ox.NamedNode(str(RDF.nil)):
        first = list(store.quads_for_pattern(head, ox.NamedNode(str(RDF.first)), None))
        rest = list(store.quads_for_pattern(head, ox.NamedNode(str(RDF.rest)), None))
        if not first or not rest:
            return []
        items.append(first[0].object)
        head = rest[0].object
    return items


def rules(store: ox.Store) -> dict[str, str]:
    """The SPARQL UPDATE rules for the axioms in ``store`` (name -> update), sameAs rules excluded."""
    sub_class = _closure(
        _pairs(store, RDFS.subClassOf)
        + [e for a, b in _pairs(store, OWL.equivalentClass) for e in ((a, b), (b, a))]
    )
    sub_prop = _closure(
        _pairs(store, RDFS.subPropertyOf)
        + [e for a, b in _pairs(store, OWL.equivalentProperty) for e in ((a, b), (b, a))]
    )
    inverse = {e for a, b in _pairs(store, OWL.inverseOf) for e in ((a, b), (b, a))}
    out: dict[str, str] = {}

    def values(rows) -> str:
        return " ".join("(" + " ".join(str(t) for t in row) + ")" for row in sorted(rows, key=str))

    def add(name: str, variables: str, rows, head: str, body: str) -> None:
        rows = [r for r in rows if all(_iri(t) for t in r)]
        if not rows:
            return
        out[name] = (
            f"INSERT {{ {head} GRAPH {_INFERRED} {{ {head} }} }} WHERE {{ VALUES ({variables}) {{ {values(rows)} }} "
            f"{body} FILTER NOT EXISTS {{ {head} }} }}"
        )

    # Order: what feeds other rules first (inverses -> chains -> super-properties -> domains and
    # ranges -> super-classes), so that one round usually reaches the fixpoint.
    add("prp-inv", "?p ?q", inverse, "?y ?q ?x .", "?x ?p ?y . FILTER(!isLiteral(?y))")
    add("prp-symp", "?p", [(p,) for p in _typed(store, OWL.SymmetricProperty)], "?y ?p ?x .",
        "?x ?p ?y . FILTER(!isLiteral(?y))")
    add("prp-trp", "?p", [(p,) for p in _typed(store, OWL.TransitiveProperty)], "?x ?p ?z .",
        "?x ?p ?y . ?y ?p ?z .")
    add("prp-spo1", "?p ?q", [(p, q) for p, qs in sub_prop.items() for q in qs], "?x ?q ?y .", "?x ?p ?y .")
    add("prp-dom", "?p ?c", _pairs(store, RDFS.domain), "?x a ?c .", "?x ?p ?y .")
    add("prp-rng", "?p ?c", _pairs(store, RDFS.range), "?y a ?c .", "?x ?p ?y . FILTER(!isLiteral(?y))")
    add("cax-sco", "?c ?d", [(c, d) for c, ds in sub_class.items() for d in ds], "?x a ?d .", "?x a ?c .")
    add("prp-fp", "?p", [(p,) for p in _typed(store, OWL.FunctionalProperty)], f"?y1 {_SAME} ?y2 .",
        "?x ?p ?y1 . ?x ?p ?y2 . FILTER(!sameTerm(?y1, ?y2) && !isLiteral(?y1) && !isLiteral(?y2))")
    add("prp-ifp", "?p", [(p,) for p in _typed(store, OWL.InverseFunctionalProperty)], f"?x1 {_SAME} ?x2 .",
        "?x1 ?p ?y . ?x2 ?p ?y . FILTER(!sameTerm(?x1, ?x2))")
    chains: dict[str, str] = {}
    for n, (prop, head) in enumerate(_pairs(store, OWL.propertyChainAxiom)):
        chain = _list_members(store, head)
        if not chain or not all(_iri(p) for p in chain) or not _iri(prop):
            continue
        names = [f"?v{i}" for i in range(len(chain) + 1)]
        body = " ".join(f"{names[i]} {p} {names[i + 1]} ." for i, p in enumerate(chain))
        conclusion = f"?v0 {prop} {names[-1]} ."
        chains[f"prp-spo2-{n}"] = (
            f"INSERT {{ {conclusion} GRAPH {_INFERRED} {{ {conclusion} }} }} WHERE {{ {body} "
            f"FILTER NOT EXISTS {{ {conclusion} }} }}"
        )
    first = [k for k in out if k in ("prp-inv", "prp-symp", "prp-trp")]
    return {**{k: out[k] for k in first}, **chains, **{k: v for k, v in out.items() if k not in first}}


def _same_as_rules(relevant: tuple[set, set], literal_pairs: list[tuple]) -> dict[str, str]:
    """eq-sym, eq-trans, eq-rep-s/p/o, limited (like owlrl's pruned input) to triples a rule could use."""
    plain = ", ".join(f"<{t}>" for t in relevant[0] if isinstance(t, URIRef))
    literal = ", ".join(f"<{t}>" for t in relevant[1] if isinstance(t, URIRef))
    builtin = " || ".join(f'STRSTARTS(STR(?p), "{ns}")' for ns in (RDF, RDFS, OWL, XSD))
    usable = (
        f"(({builtin}) || (isLiteral(?o) && ?p IN ({literal or '<urn:x-none>'})) || "
        f"(!isLiteral(?o) && ?p IN ({plain or '<urn:x-none>'})) || EXISTS {{ GRAPH {_INFERRED} {{ ?s ?p ?o }} }})"
    )

    def rule(head: str, body: str) -> str:
        return f"INSERT {{ {head} GRAPH {_INFERRED} {{ {head} }} }} WHERE {{ {body} FILTER NOT EXISTS {{ {head} }} }}"

    out = {
        "eq-sym": rule(f"?y {_SAME} ?x .", f"?x {_SAME} ?y . FILTER(!isLiteral(?y))"),
        "eq-trans": rule(f"?x {_SAME} ?z .", f"?x {_SAME} ?y . ?y {_SAME} ?z ."),
        "eq-rep-s": rule("?s2 ?p ?o .", f"?s {_SAME} ?s2 . ?s ?p ?o . FILTER({usable})"),
        "eq-rep-p": rule("?s ?p2 ?o .", f"?p {_SAME} ?p2 . ?s ?p ?o . FILTER({usable})"),
        "eq-rep-o": rule("?s ?p ?o2 .", f"?o {_SAME} ?o2 . ?s ?p ?o . FILTER({usable})"),
    }
    if literal_pairs:
        rows = " ".join(f"({a} {b})" for a, b in literal_pairs)
        out["eq-rep-o-literal"] = rule(
            "?s ?p ?o2 .", f"VALUES (?o ?o2) {{ {rows} }} ?s ?p ?o . FILTER({usable})"
        )
    return out


def _literal_same_as(store: ox.Store) -> list[tuple]:
    """Pairs of different literals a functional property equates (owlrl's ``"a" owl:sameAs "b"``), both ways."""
    props = [p for p in _typed(store, OWL.FunctionalProperty) if _iri(p)]
    pairs = set()
    for p in props:
        query = f"SELECT DISTINCT ?a ?b WHERE {{ ?x {p} ?a . ?x {p} ?b . FILTER(isLiteral(?a) && !sameTerm(?a, ?b)) }}"
        for row in store.query(query):
            pairs.add((row["a"], row["b"]))
    closed = _closure(list(pairs))  # eq-trans among literals
    return [(a, b) for a, bs in closed.items() for b in bs]


def _ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(query))


# --- the engine ---------------------------------------------------------------------


def infer_fast(asserted: Graph, ontology: Graph) -> InferenceResult:
    """Reason like :func:`diplograph.infer.infer` with SPARQL rules on Oxigraph; same kept triples.

    Both arguments are plain rdflib ``Graph``\\ s and are not changed. ``counts`` has the same keys
    as owlrl's result; ``produced`` counts what the rules derived (owlrl also derives the noise
    these rules never produce, so its ``produced`` is larger). ``engine`` is ``"fast"``.
    Raises :class:`~diplograph.errors.UsageError` if the ontology uses an axiom the rules do not
    cover (:func:`unsupported_axioms`).
    """
    started = time.perf_counter()
    schema = Graph()
    schema += (t for t in ontology if t[1] != OWL.hasKey)
    missing = unsupported_axioms(schema)
    if missing:
        raise UsageError(
            "the fast reasoner does not compile " + ", ".join(str(m) for m in missing)
            + "; use the reference engine (owlrl)"
        )
    store = load_oxigraph(asserted, schema)
    compiled = rules(store)
    relevant = None
    rounds = count(1)
    size = 0
    for _ in range(MAX_ROUNDS):
        next(rounds)
        updates = list(compiled.values())
        if _ask(store, f"ASK {{ ?x {_SAME} ?y }}"):
            if relevant is None:  # the input owlrl would have been given, see infer._relevant
                relevant = _mentioned_terms(schema, asserted)
            updates += _same_as_rules(relevant, _literal_same_as(store)).values()
        elif _literal_pairs_exist(store):
            relevant = relevant or _mentioned_terms(schema, asserted)
            updates += _same_as_rules(relevant, _literal_same_as(store)).values()
        for update in updates:
            store.update(update)
        new_size = _inferred_count(store)
        if new_size == size:
            break
        size = new_size

    cache: dict = {}

    def term(t):
        found = cache.get(t)
        if found is None:
            found = cache[t] = from_ox(t)
        return found

    triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in store.quads_for_pattern(None, None, None, _INFERRED)]
    triples = _restore_literals(triples, asserted)
    # Only triples not in the store's asserted data were recorded; rdflib tells "x" and
    # "x"^^xsd:string (and "01"/"1") apart where Oxigraph does not, so literals are checked again.
    return keep_worth_storing(
        (t for t in triples if not (isinstance(t[2], Literal) and (t in asserted or t in ontology))),
        ontology,
        engine="fast",
        started=started,
        asserted=len(asserted) + len(ontology),
        reasoner_input=len(asserted) + len(schema),
    )


def _literal_pairs_exist(store: ox.Store) -> bool:
    props = [p for p in _typed(store, OWL.FunctionalProperty) if _iri(p)]
    return any(
        _ask(store, f"ASK {{ ?x {p} ?a . ?x {p} ?b . FILTER(isLiteral(?a) && !sameTerm(?a, ?b)) }}") for p in props
    )


def _inferred_count(store: ox.Store) -> int:
    row = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_INFERRED} {{ ?s ?p ?o }} }}")))
    return int(row["n"].value)


def _restore_literals(triples: list[tuple], asserted: Graph) -> list[tuple]:
    """Put back the data's own lexical form where Oxigraph stored a literal canonically (``"01"`` -> ``"1"``)."""
    typed = {o for _s, _p, o in triples if isinstance(o, Literal) and o.datatype is not None}
    if not typed:
        return triples
    datatypes = {o.datatype for o in typed}
    originals = {o for o in asserted.objects() if isinstance(o, Literal) and o.datatype in datatypes}
    back = {canon: original for original, canon in _canonical(originals).items() if canon != original}
    if not back:
        return triples
    return [(s, p, back.get(o, o)) for s, p, o in triples]
