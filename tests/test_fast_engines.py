"""Differential tests: the fast engines (SPARQL on Oxigraph) give exactly the reference engines' answers.

- validation: the fast validator (:mod:`diplograph.validation.fast_engine`) vs pyshacl
  (:mod:`diplograph.validation.pyshacl_engine`), the same set of (focus node, result path, value,
  source shape, constraint component, severity, message), on the seed with the reference graphs,
  on every shape fixture (invalid, valid, warning; validated with the ontology as
  tests/shapes_util.py does), and on generated graphs;
- reasoning: the fast reasoner (:mod:`diplograph.reasoning.fast_engine`) vs owlrl,
  the same set of kept triples (after owlrl's noise is removed), on the seed and on generated graphs.

Generated graphs come from :func:`synthetic.generate_bilateral_graph (bench/synthetic.py)` (seeded, invented
data, not claims about the world).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, XSD

import shapes_util as su
from diplograph.project import Project
from diplograph.reasoning import infer, materialise
from diplograph.reasoning.fast_engine import unsupported_axioms
from diplograph.reasoning.result import noise, ontology_terms
from diplograph.store import StoreSpec, WorkingStore
from diplograph.validation import validate_graph
from diplograph.validation.fast_engine import unsupported_shapes
from diplograph.validation.project import undeclared_terms, validate_project
from synthetic import generate_bilateral_graph


def validate_fast(data, shapes, ontology=None):
    return validate_graph(data, shapes, ontology, engine="fast")


def infer_fast(data, ontology):
    return infer(data, ontology, engine="fast")


store_of_graphs = WorkingStore.of_graphs

SH = su.SH
EX = Namespace("http://example.org/fast-engines/")
FIXTURE_DIRS = ("invalid", "valid", "warning")
GENERATED = [(1, "AZE", "CHN", 2000), (7, "FRA", "DEU", 6000), (11, "BRA", "IND", 18000)]


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return su.load(su.ONTOLOGY)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return su.load(su.VIOLATIONS, su.WARNINGS)


@pytest.fixture(scope="module")
def seed() -> Graph:
    return su.load(su.SEED, *su.reference_files())


def _generated(seed: int, a: str, b: str, size: int) -> Graph:
    graph = generate_bilateral_graph(seed, a, b, size=size)
    for path in su.reference_files():
        graph.parse(path, format="turtle")
    return graph


def _fixtures() -> list[Path]:
    found = [p for d in FIXTURE_DIRS for p in sorted((su.FIXTURES / d).glob("*.ttl"))]
    return found


# --- comparing ----------------------------------------------------------------------


def _path_key(path, *graphs: Graph):
    if not isinstance(path, BNode):
        return path
    for graph in graphs:
        try:
            return su.path_text(graph, path)
        except ValueError:
            continue
    return path


def _keys(report, shapes: Graph) -> list[tuple]:
    """Each result as (focus, path, value, source shape, component, severity, message), sorted."""
    return sorted(
        (
            (r.focus_node, _path_key(r.path, report.report_graph, shapes), r.value, r.source_shape,
             r.constraint_component, r.severity, r.message)
            for r in report.results
        ),
        key=str,
    )


def _same_validation(data: Graph, shapes: Graph, ontology: Graph | None) -> tuple[list, list]:
    reference = validate_graph(data, shapes, ontology)
    fast = validate_fast(data, shapes, ontology)
    assert (reference.engine, fast.engine) == ("reference", "fast")
    assert fast.conforms == reference.conforms
    return _keys(reference, shapes), _keys(fast, shapes)


# --- validation ----------------------------------------------------------------------


def test_every_shape_is_compiled(shapes):
    assert unsupported_shapes(shapes) == []


def test_seed_validation_is_identical(seed, shapes, ontology):
    reference, fast = _same_validation(seed, shapes, ontology)
    assert fast == reference
    assert len(reference) > 0  # the seed has warnings and infos: something was compared


def test_there_are_fixtures():
    counts = {d: len(list((su.FIXTURES / d).glob("*.ttl"))) for d in FIXTURE_DIRS}
    assert counts["invalid"] >= 90, counts
    assert all(counts.values()), counts


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_validation_is_identical(fixture, shapes, ontology):
    reference, fast = _same_validation(su.load(fixture), shapes, ontology)
    assert fast == reference
    if fixture.parent.name == "invalid":
        assert any(key[5] == "Violation" for key in reference)


@pytest.mark.parametrize("seed_, a, b, size", GENERATED, ids=lambda v: str(v))
def test_generated_validation_is_identical(seed_, a, b, size, shapes, ontology):
    data = _generated(seed_, a, b, size)
    reference, fast = _same_validation(data, shapes, ontology)
    assert fast == reference
    assert reference  # generated worlds carry warnings: the comparison is not vacuous


def test_ontology_checks_fall_back_to_pyshacl(ontology):
    """The ontology checks use SPARQL-based targets, which are not compiled: pyshacl answers them."""
    checks = su.load(su.ONTOLOGY_CHECKS)
    assert len(unsupported_shapes(checks)) == 4
    broken = Graph()
    broken += ontology
    broken.remove((URIRef(su.DG_NS + "State"), None, None))
    broken.add((URIRef(su.DG_NS + "State"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")))
    reference, fast = _same_validation(broken, checks, None)
    assert fast == reference
    assert reference


def test_a_shape_with_an_uncompiled_constraint_falls_back(shapes, ontology):
    """sh:xone is not compiled: that shape alone goes to pyshacl, and its results are still reported."""
    extra = Graph()
    shape = EX.StateLabelXoneShape
    a, b, la, lb = BNode(), BNode(), BNode(), BNode()
    extra.add((shape, RDF.type, SH.NodeShape))
    extra.add((shape, SH.targetClass, URIRef(su.DG_NS + "State")))
    extra.add((shape, SH.xone, la))
    extra.add((la, RDF.first, a))
    extra.add((la, RDF.rest, lb))
    extra.add((lb, RDF.first, b))
    extra.add((lb, RDF.rest, RDF.nil))
    # exactly one of: an isoAlpha2, or a wikidata QID (states of the seed have both: every one fails)
    for node, prop in ((a, "isoAlpha2"), (b, "wikidata")):
        inner = BNode()
        extra.add((node, SH.property, inner))
        extra.add((inner, SH.path, URIRef(su.DG_NS + prop)))
        extra.add((inner, SH.minCount, Literal(1)))
    extra.add((shape, SH.message, Literal("exactly one of isoAlpha2 and wikidata")))
    all_shapes = Graph()
    all_shapes += shapes
    all_shapes += extra
    assert unsupported_shapes(all_shapes) == [shape]
    data = su.load(su.SEED, *su.reference_files())
    report = validate_fast(data, all_shapes, ontology)
    assert report.fallback_shapes == (shape,)
    assert any("sh#xone" in note or "xone" in note for note in report.notes)
    xone = [r for r in report.results if r.source_shape == shape]
    assert xone and all(r.constraint_component == SH.XoneConstraintComponent for r in xone)
    reference, fast = _same_validation(data, all_shapes, ontology)
    assert fast == reference


def test_plain_and_explicit_string_literals_are_the_same_datatype(shapes, ontology):
    """Oxigraph returns "x" as "x"^^xsd:string: sh:datatype xsd:string accepts both, values come back plain."""
    data = su.load(su.SEED, *su.reference_files())
    state = URIRef("https://w3id.org/diplograph/id/state/AZE")
    data.set((state, URIRef(su.DG_NS + "isoAlpha2"), Literal("AZ", datatype=XSD.string)))
    data.add((state, URIRef(su.DG_NS + "isoNumeric"), Literal("31x")))
    reference, fast = _same_validation(data, shapes, ontology)
    assert fast == reference
    values = [k[2] for k in fast if k[0] == state]
    assert Literal("31x") in values and all(v is None or v.datatype is None for v in values if isinstance(v, Literal))


def test_canonicalised_literals_are_reported_in_the_data_form(shapes, ontology):
    """Oxigraph stores "3.10"^^xsd:double canonically; the reported value is the data's literal."""
    data = su.load(su.FIXTURES / "invalid" / "IndicatorShape--value-double.ttl")
    reference, fast = _same_validation(data, shapes, ontology)
    assert fast == reference
    assert any(isinstance(k[2], Literal) and k[2].datatype == XSD.double for k in reference)


# --- reasoning ----------------------------------------------------------------------------


def test_the_ontology_uses_only_compiled_axioms(ontology):
    assert unsupported_axioms(ontology) == []


def test_seed_inference_is_identical(seed, ontology, project_datasets):
    reference = project_datasets.closure()  # owlrl on the same ontology, reference graphs and seed
    fast = infer_fast(seed, ontology)
    assert set(fast.inferred) == set(reference.inferred)
    assert fast.kept == reference.kept > 1000
    assert fast.same_as == reference.same_as
    assert fast.engine == "fast"


@pytest.mark.parametrize("seed_, a, b, size", GENERATED, ids=lambda v: str(v))
def test_generated_inference_is_identical(seed_, a, b, size, ontology):
    data = _generated(seed_, a, b, size)
    reference = infer(data, ontology)
    fast = infer_fast(data, ontology)
    assert set(fast.inferred) == set(reference.inferred)
    assert fast.same_as == reference.same_as
    assert fast.kept > 0


def test_functional_property_same_as_is_derived_and_copied(seed, ontology):
    """Two modalities on one statement: owlrl equates the concepts and copies facts; so do the rules."""
    data = Graph()
    data += seed
    statement = next(data.subjects(URIRef(su.DG_NS + "modality"), URIRef(su.DG_NS + "ReportedFact")))
    data.add((statement, URIRef(su.DG_NS + "modality"), URIRef(su.DG_NS + "Claim")))
    reference = infer(data, ontology)
    fast = infer_fast(data, ontology)
    assert set(fast.inferred) == set(reference.inferred)
    assert fast.same_as == reference.same_as
    # dg:Claim owl:sameAs dg:ReportedFact is about ontology terms (dropped), but every statement's
    # modality is copied onto the other concept (kept): more triples than on the seed itself.
    assert fast.kept > infer_fast(seed, ontology).kept


def test_infer_accepts_the_engine_names(seed, ontology):
    assert infer(seed, ontology, engine="fast").engine == "fast"


# --- working stores: the data already in Oxigraph ------------------------------------------


def test_validation_of_a_working_store_equals_validation_of_the_rdflib_graph(seed, shapes, ontology):
    """The CLI hands the fast validator a working store copied inside Oxigraph: same results."""
    from_graph = validate_fast(seed, shapes, ontology)
    from_store = validate_fast(store_of_graphs(seed), shapes, ontology)
    assert _keys(from_store, shapes) == _keys(from_graph, shapes)
    assert from_store.results  # the seed has warnings: the comparison is not vacuous


@pytest.mark.parametrize("fixture", ["RelationsEstablishmentShape--date-ill-formed", "IndicatorShape--value-double",
                                     "DiplomaticEventShape--two-dates"])
def test_working_store_validation_matches_pyshacl_on_fixtures(fixture, shapes, ontology):
    """Ill-typed literals inside sh:or, canonicalised numbers, two values for a maxCount 1."""
    data = su.load(su.FIXTURES / "invalid" / f"{fixture}.ttl")
    reference = validate_graph(data, shapes, ontology)
    fast = validate_fast(store_of_graphs(data), shapes, ontology)
    # Oxigraph keeps literals canonically ("3.10" -> "3.1"), so values compare by value here.
    def loose(report):
        return sorted((r.focus_node, r.source_shape, r.constraint_component, r.severity,
                       r.value.toPython() if isinstance(r.value, Literal) else r.value) for r in report.results)
    assert loose(fast) == loose(reference)
    assert any(r.severity == "Violation" for r in reference.results)


def test_a_focus_node_of_two_target_classes_is_reported_once(shapes, ontology):
    """A statement typed with two statement subclasses is reached twice by the target: one result each."""
    data = su.load(su.FIXTURES / "invalid" / "DiplomaticEventShape--two-dates.ttl")
    event = next(s for s in data.subjects(RDF.type, None) if "event" in str(s))
    data.add((event, RDF.type, URIRef(su.DG_NS + "Meeting")))
    reference, fast = _same_validation(data, shapes, ontology)
    assert fast == reference
    assert len(fast) == len(set(fast))


def test_validation_leaves_a_working_store_as_it_was_for_the_reasoner(seed, shapes, ontology):
    """build hands one working store to the validator and then to the reasoner: the validator's
    ontology is taken out again, except the triples the data itself asserts, and the reasoner on
    that store infers exactly what it infers on a fresh copy."""
    data = Graph()
    data += seed
    shared = next(iter(ontology))  # a triple of both the ontology and the data: it must stay
    data.add(shared)
    store = store_of_graphs(data)
    before = set(store.triples())
    assert validate_fast(store, shapes, ontology).results
    assert set(store.triples()) == before
    assert infer_fast(store, ontology).inferred == infer_fast(store_of_graphs(data), ontology).inferred


def _all_quads(store: WorkingStore) -> set:
    return set(store._store.quads_for_pattern(None, None, None))


def test_neither_engine_writes_the_default_graph_of_a_working_store(seed, shapes, ontology):
    """What lets build run them at once on one store: each adds only named graphs of its own,
    and drops them at the end."""
    store = store_of_graphs(seed)
    before = _all_quads(store)
    writes: list[str] = []
    update = store.update
    store.update = lambda text: writes.append(text) or update(text)
    assert validate_fast(store, shapes, ontology).results
    assert infer_fast(store, ontology).kept > 1000
    assert _all_quads(store) == before  # no named graph left, the default graph as it was
    assert writes and all("DEFAULT" not in w and "INSERT { GRAPH <" in w or w.startswith("DROP") for w in writes)


def test_validation_and_inference_at_once_on_one_store_give_what_each_gives_alone(seed, shapes, ontology):
    import threading

    alone_report = validate_fast(store_of_graphs(seed), shapes, ontology)
    alone_inference = infer_fast(store_of_graphs(seed), ontology)
    store = store_of_graphs(seed)
    start, results = threading.Barrier(2), {}

    def run(name, work):
        start.wait()
        for _ in range(3):  # several times over, so that each engine's queries meet the other's writes
            results.setdefault(name, []).append(work())

    threads = [threading.Thread(target=run, args=("validate", lambda: validate_fast(store, shapes, ontology))),
               threading.Thread(target=run, args=("infer", lambda: infer_fast(store, ontology)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.results == alone_report.results for r in results["validate"])
    assert all(r.inferred == alone_inference.inferred and r.counts == alone_inference.counts
               for r in results["infer"])


def test_a_reasoner_told_to_stop_stops_and_leaves_the_store_as_it_was(seed, ontology):
    import threading

    from diplograph.reasoning.fast_engine import FastReasoner, ReasoningStopped

    store = store_of_graphs(seed)
    before = _all_quads(store)
    stop = threading.Event()
    stop.set()
    with pytest.raises(ReasoningStopped):
        FastReasoner().infer(store, ontology, stop=stop)
    assert _all_quads(store) == before


def test_inference_on_a_working_store_equals_inference_on_the_rdflib_graph(seed, ontology):
    from_graph = infer_fast(seed, ontology)
    store = store_of_graphs(seed)
    from_store = infer_fast(store, ontology)
    assert from_store.inferred == from_graph.inferred
    assert from_store.kept == len(from_store.inferred) > 1000
    # Most conclusions stay N-Triples (never rdflib terms), and are exactly what the filter keeps:
    # same counts per drop reason, none of them noise or an owl:sameAs.
    assert from_store.bulk_count > 0.5 * from_store.kept and not from_graph.bulk
    assert {k: v for k, v in from_store.counts.items() if k != "asserted"} == \
        {k: v for k, v in from_graph.counts.items() if k != "asserted"}
    described = ontology_terms(ontology)
    bulk = set(from_store.inferred) - set(from_store.terms)
    assert len(bulk) == from_store.bulk_count
    assert all(noise(t, described) is None and t[1] != OWL.sameAs for t in bulk)
    # the rounds' bookkeeping graphs are removed from the working store
    assert not store.ask("ASK { GRAPH ?g { ?s ?p ?o } }")


def test_conclusions_that_need_several_rounds_are_all_drawn():
    """sub-property -> inverse -> domain -> super-class: each step feeds the next round (semi-naive)."""
    ontology = Graph().parse(format="turtle", data="""
        @prefix ex: <http://example.org/fast-engines/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:p1 rdfs:subPropertyOf ex:p2 .
        ex:p2 owl:inverseOf ex:p3 .
        ex:p3 rdfs:domain ex:C .
        ex:C rdfs:subClassOf ex:D .
        ex:D rdfs:subClassOf ex:E .
    """)
    data = Graph()
    data.add((EX.a, EX.p1, EX.b))
    reference = infer(data, ontology)
    fast = infer_fast(data, ontology)
    assert fast.inferred == set(reference.inferred)
    assert (EX.b, RDF.type, EX.E) in fast.inferred


def test_undeclared_terms_are_found_in_a_working_store_as_in_a_graph(ontology):
    data = Graph().parse(format="turtle", data="""
        @prefix dg: <https://w3id.org/diplograph/ns#> .
        @prefix ex: <http://example.org/fast-engines/> .
        ex:a a dg:Persn ; dg:nmae "x" , dg:Persn .
        ex:b a dg:State .
    """)
    from_graph = undeclared_terms(data, ontology)
    assert len(from_graph) == 4
    assert undeclared_terms(store_of_graphs(data), ontology) == from_graph


# --- the commands' path: --engine fast on every store -------------------------------------


def _store_spec(store: str, folder: Path):
    return StoreSpec(kind="oxigraph", db=folder / "db") if store == "oxigraph" else store


@pytest.mark.parametrize("store", ["memory", "rdflib", "oxigraph"])
def test_validate_project_fast_equals_reference_on_every_store(store, tmp_path):
    """What `diplograph validate --engine fast` runs: the working store copied from the dataset."""
    project = Project(su.ROOT)
    reference = validate_project(project, store=_store_spec(store, tmp_path / "a"), engine="reference")
    fast = validate_project(project, store=_store_spec(store, tmp_path / "b"), engine="fast")  # a store opened once

    def rows(report):
        return sorted((r.severity, str(r.focus_node), str(r.path), str(r.value), r.message,
                       str(r.constraint_component), str(r.source_file)) for r in report.results)

    assert rows(fast) == rows(reference)
    assert fast.conforms == reference.conforms
    assert any(r.severity == "Warning" for r in fast.results)  # the seed's two warnings: not vacuous


@pytest.mark.parametrize("store", ["memory", "rdflib"])
def test_materialise_fast_equals_reference(store, project_datasets):
    """What `diplograph infer --engine fast` runs, stored in graph/inferred like the reference."""
    work = project_datasets.get(store).copy_to(store)
    fast = materialise(work.dataset, work.data_graphs, engine="fast")
    assert fast.inferred == project_datasets.closure().inferred
    assert fast.kept > 1000


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_validation_gives_the_same_report_whatever_the_number_of_threads(threads, shapes, ontology):
    """The compiled plans run several at a time; the report is the one a single thread gives."""
    from diplograph.validation.fast_engine import FastValidator

    data = su.load(su.FIXTURES / "invalid" / "DiplomaticEventShape--two-dates.ttl") + _generated(7, "CHN", "AZE", 40)
    one = FastValidator(threads=1).validate(store_of_graphs(data), shapes, ontology)
    many = FastValidator(threads=threads).validate(store_of_graphs(data), shapes, ontology)
    assert many.results == one.results
    assert many.report_graph.isomorphic(one.report_graph)
    assert any(r.severity == "Violation" for r in one.results)  # something to compare
