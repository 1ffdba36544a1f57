"""OWL-RL inference on the seed: what it adds, where it goes, and the noise it drops."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from diplograph.iris import graph_iri
from diplograph.namespaces import DG, ID
from diplograph.queries import run_query
from diplograph.reasoning import DROP_REASONS, infer, materialise
from diplograph.store import plain_graph

BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
           "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
PRESS_CONFERENCE = ID["event/press-conference-2024-ding-tao"]


@pytest.fixture(scope="module")
def seed(project_datasets):
    """The real project's dataset with the owlrl closure (computed once for the session) stored."""
    loaded = project_datasets.get("memory", infer=True)
    asserted = {name: set(plain_graph(loaded.dataset, [name])) for name in loaded.asserted_graphs}
    return loaded, asserted, project_datasets.closure()


def ask(loaded, text: str) -> bool:
    return bool(run_query(loaded, "PREFIX dg: <https://w3id.org/diplograph/ns#> " + text).boolean)


@pytest.mark.parametrize(
    "triple",
    [
        (ID["person/ding-tao"], DG.participatedIn, PRESS_CONFERENCE),  # speaker ⊑ participant, inverse
        (ID["person/xi-jinping"], DG.holdsPost, ID["post/CHN-president"]),  # chain holderOf ∘ post
        (ID["state/CHN"], DG.participatesIn, ID["org/sco"]),  # the participation rule: a member state
        (ID["state/AZE"], DG.participatesIn, ID["org/cica"]),  # the participation rule: a member state
        (ID["state/AZE"], DG.partyTo, ID["relationship/AZE-CHN"]),  # inverse of dg:party
        (ID["person/ding-xuexiang"], DG.participatedIn, ID["event/visit-2024-ding-xuexiang"]),
        (ID["event/meeting-2024-07-03-astana-ilham-aliyev-xi-jinping"], RDF.type, URIRef("https://schema.org/Event")),
    ],
)
def test_answers_that_only_exist_with_inference(seed, triple):
    loaded, asserted, result = seed
    everything_asserted = set().union(*asserted.values())
    assert triple not in everything_asserted
    assert triple in result.inferred
    s, p, o = (f"<{t}>" for t in triple)
    assert ask(loaded, f"ASK {{ GRAPH <{graph_iri('inferred')}> {{ {s} {p} {o} }} }}")


@pytest.mark.parametrize("org, status", [("brics", "Applicant"), ("sco", "DialoguePartner")])
def test_participation_does_not_follow_an_application_or_a_dialogue_partnership(seed, org, status):
    """Azerbaijan has applied to BRICS and is a dialogue partner of the SCO: it takes part in neither."""
    loaded, _asserted, result = seed
    membership = ID[f"membership/{org}-AZE"]
    assert ask(loaded, f"ASK {{ <{membership}> dg:membershipStatus dg:{status} }}")
    assert (ID["state/AZE"], DG.participatesIn, ID[f"org/{org}"]) not in result.inferred
    assert not ask(loaded, f"ASK {{ <{ID['state/AZE']}> dg:participatesIn <{ID[f'org/{org}']}> }}")


def test_inferred_triples_never_enter_asserted_graphs(seed):
    loaded, asserted, result = seed
    assert len(result.inferred) > 500
    for name, before in asserted.items():
        after = set(plain_graph(loaded.dataset, [name]))
        assert after == before, name
        assert not (after & set(result.inferred)), name
    stored = set(plain_graph(loaded.dataset, [graph_iri("inferred")]))
    assert stored == set(result.inferred)


def test_noise_is_dropped(seed):
    _loaded, _asserted, result = seed
    for s, p, o in result.inferred:
        assert not (p == OWL.sameAs and s == o)
        assert not isinstance(s, Literal)
        assert not str(s).startswith(BUILTIN)
        assert not (p == RDF.type and str(o).startswith(BUILTIN))
    counts = result.counts
    assert counts["reflexive-sameas"] > 1000 and counts["literal-subject"] > 0 and counts["schema"] > 0
    assert counts["produced"] == counts["kept"] + sum(counts[r] for r in DROP_REASONS)


def test_no_owl_same_as_on_the_seed(seed):
    _loaded, _asserted, result = seed
    assert result.same_as == ()
    assert not any(p == OWL.sameAs for _s, p, _o in result.inferred)


def test_has_key_axioms_are_not_given_to_owlrl():
    """owlrl 7.6's prp-key ignores the last key property: a one-property key equates everything."""
    from rdflib import Graph

    ontology = Graph().parse(
        data="""@prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        ex:C owl:hasKey ( ex:k ) .""",
        format="turtle",
    )
    data = Graph().parse(
        data="""@prefix ex: <http://example.org/> . ex:a a ex:C ; ex:k "A" . ex:b a ex:C ; ex:k "B" .""",
        format="turtle",
    )
    assert infer(data, ontology).same_as == ()


def test_pruning_keeps_the_same_inferences_on_the_seed(seed):
    loaded, _asserted, result = seed
    names = loaded.data_graphs
    unpruned = infer(plain_graph(loaded.dataset, names), plain_graph(loaded.dataset, [graph_iri("ontology")]), prune=False)
    assert set(unpruned.inferred) == set(result.inferred)


def test_materialise_replaces_the_inferred_graph_with_the_same_triples(seed):
    loaded, _asserted, result = seed
    work = loaded.copy_to("memory")
    extra = (ID["person/nobody"], DG.participatedIn, ID["event/nothing"])  # a stale inferred triple
    work.dataset.graph(graph_iri("inferred")).add(extra)
    again = materialise(work.dataset, work.data_graphs, engine="fast")
    assert set(again.inferred) == set(result.inferred)
    assert set(plain_graph(work.dataset, [graph_iri("inferred")])) == set(result.inferred)


def test_reasoning_leaves_rdflib_literal_conversions_as_they_were():
    # owlrl's own "restore" leaves xsd:gYear converted to str for the rest of the process, which
    # changed how SHACL compared "2024"^^xsd:gYear with dates after a reasoning run.
    from rdflib import XSD, Graph, Literal, URIRef

    before = Literal("2024", datatype=XSD.gYear).value
    g = Graph()
    g.add((URIRef("urn:x"), URIRef("urn:p"), Literal("2024", datatype=XSD.gYear)))
    infer(g, Graph())
    assert Literal("2024", datatype=XSD.gYear).value == before


# --- the command, through the real entry point ------------------------------------------------


def test_cli_infer_counts_and_writes_the_inferred_graph(project_dir, tmp_path):
    from rdflib import Dataset

    from conftest import run_cli

    out = tmp_path / "inferred.trig"
    result = run_cli("infer", "-o", str(out), cwd=project_dir, home=project_dir)
    assert result.returncode == 0, result.stderr
    assert "dropped: reflexive-sameas" in result.stdout and "kept" in result.stdout
    kept = int(result.stdout.strip().splitlines()[-1].split()[0])
    written = Dataset()
    written.parse(out, format="trig")
    assert kept > 0 and len(written.graph(graph_iri("inferred"))) == kept
    fast = run_cli("infer", "--engine", "fast", cwd=project_dir, home=project_dir)
    assert fast.returncode == 0 and int(fast.stdout.strip().splitlines()[-1].split()[0]) == kept
    assert "produced by fast" in fast.stdout


def test_cli_infer_into_a_database_then_query_it(project_dir, tmp_path):
    from conftest import run_cli

    db = tmp_path / "db"
    assert run_cli("infer", "--db", str(db), cwd=project_dir, home=project_dir).returncode == 0
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri('inferred')}> {{ ?s ?p ?o }} }}"
    asked = run_cli("query", "--infer", "--db", str(db), "--sparql", query, "--format", "csv",
                    cwd=project_dir, home=project_dir)
    plain = run_cli("query", "--db", str(db), "--sparql", query, "--format", "csv", cwd=project_dir, home=project_dir)
    assert asked.returncode == plain.returncode == 0, asked.stderr + plain.stderr
    assert int(asked.stdout.split()[-1]) > 0  # kept in the database by `infer --db`
    assert int(plain.stdout.split()[-1]) == 0  # ... but not part of the dataset unless asked for


def test_cli_infer_unknown_engine_is_one_line_exit_2(project_dir):
    from conftest import run_cli

    result = run_cli("infer", "--engine", "nope", cwd=project_dir, home=project_dir)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --engine 'nope': choose one of reference, fast"
