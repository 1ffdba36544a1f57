"""Property-based tests of merging (hypothesis): order independence, idempotence, removal.

Graphs are generated: a bilateral relationship between two of a few states, with a person, a
summit and a few statements, where every shared entity gets an IRI from a randomly chosen
"authoring convention" (the canonical id/ IRI, or one of several foreign prefixes, keyed by ISO
code, QID or name + state). Invented data, not claims about the world.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.merge import merge_sources, remove_sources, to_nquads
from diplograph.namespaces import GRAPH

STATES = {"AZE": "Q227", "CHN": "Q148", "KAZ": "Q232", "RUS": "Q159"}
PEOPLE = [("Xi Jinping", "CHN", "Q15031"), ("Ilham Aliyev", "AZE", None), ("Kassym-Jomart Tokayev", "KAZ", None)]
PREFIXES = ["http://example.org/a/", "urn:x-b:", "http://example.net/c#", "https://w3id.org/diplograph/id/"]
_counter = itertools.count()


@st.composite
def bilateral_graph(draw) -> str:
    a, b = draw(st.lists(st.sampled_from(sorted(STATES)), min_size=2, max_size=2, unique=True))
    prefix = draw(st.sampled_from(PREFIXES))
    canonical = prefix.startswith("https://w3id.org")
    lines = ["@prefix dg: <https://w3id.org/diplograph/ns#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]

    def state(code: str) -> str:
        if canonical:
            return f"<{prefix}state/{code}>"
        iri = f"<{prefix}country-{code.lower()}>"
        key = draw(st.sampled_from(["iso", "qid", "both"]))
        facts = []
        if key in ("iso", "both"):
            facts.append(f'dg:isoAlpha3 "{code}"')
        if key in ("qid", "both"):
            facts.append(f'dg:wikidata "{STATES[code]}"')
        lines.append(f"{iri} a dg:State ; {' ; '.join(facts)} .")
        return iri

    sa, sb = state(a), state(b)
    rel = f"<{prefix}rel-{a}-{b}>"
    lines.append(f"{rel} a dg:BilateralRelationship ; dg:party {sa} , {sb} .")
    name, code, qid = draw(st.sampled_from(PEOPLE))
    person = f"<{prefix}person-{draw(st.integers(0, 2))}>"
    pstate = sa if code == a else sb if code == b else state(code)
    use_qid = qid is not None and draw(st.booleans())
    lines.append(f'{person} a dg:Person ; foaf:name "{name}" ; dg:affiliatedState {pstate}'
                 + (f' ; dg:wikidata "{qid}"' if use_qid else "") + " .")
    if draw(st.booleans()):
        lines += [f"<{prefix}sco> a dg:InternationalOrganisation ; dg:acronym \"SCO\" .",
                  f"<{prefix}astana> a dg:Place ; dg:wikidata \"Q1520\" .",
                  f'<{prefix}summit> a dg:Summit ; dg:summitOf <{prefix}sco> ; dg:place <{prefix}astana> ; dg:date "2024"^^xsd:gYear .',
                  f'<{prefix}meeting> a dg:Meeting ; dg:participant {person} ; dg:partOfEvent <{prefix}summit> ; '
                  f'dg:place <{prefix}astana> ; dg:date "2024-07-0{draw(st.integers(1, 4))}"^^xsd:date .']
    for i in range(draw(st.integers(0, 3))):
        value = draw(st.sampled_from([100, 200, 300]))
        lines.append(f"<{prefix}ind-{i}> a dg:Indicator ; dg:indicatorType dg:BilateralTradeVolume ; "
                     f"dg:relationship {rel} ; dg:value {value} ; dg:unit dg:USD ; "
                     f'dg:periodStart "2023-01-01"^^xsd:date ; dg:periodEnd "2023-12-31"^^xsd:date .')
    if draw(st.booleans()):
        lines.append(f'{rel} rdfs:seeAlso [ rdfs:label "a note" ; rdfs:seeAlso [ rdfs:label "{draw(st.sampled_from("xyz"))}" ] ] .')
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def merged(paths) -> str:
    return to_nquads(merge_sources(paths, store="rdflib"))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(bilateral_graph(), bilateral_graph())
def test_merge_is_independent_of_order(a, b):
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb = write(Path(tmp), "a", a), write(Path(tmp), "b", b)
        assert merged([pa, pb]) == merged([pb, pa])


@SETTINGS
@given(bilateral_graph())
def test_merging_a_graph_with_itself_is_merging_it_once(a):
    with tempfile.TemporaryDirectory() as tmp:
        pa = write(Path(tmp), "a", a)
        copy = Path(tmp) / "copy"
        copy.mkdir()
        pa2 = write(copy, "a", a)  # the same graph from another file: same name, same triples
        once = merged([pa])
        assert merged([pa, pa]) == once
        assert merged([pa, pa2]) == once


@SETTINGS
@given(bilateral_graph(), bilateral_graph(), bilateral_graph())
def test_removing_a_source_equals_merging_without_it(a, b, c):
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb, pc = (write(Path(tmp), n, t) for n, t in (("a", a), ("b", b), ("c", c)))
        everything = merge_sources([pa, pb, pc], store="rdflib")
        removed = remove_sources(everything, [GRAPH["source/c"]])
        assert to_nquads(removed) == merged([pa, pb])
        # what is left of c's graph: nothing, anywhere
        assert f"<{GRAPH['source/c']}>" not in to_nquads(removed)


def _report(result) -> dict:
    return result.report.as_json(times=False)


@SETTINGS
@given(bilateral_graph(), bilateral_graph(), bilateral_graph())
def test_the_merge_inside_oxigraph_equals_the_merge_in_python(a, b, c):
    """Two implementations of one merge: the same quads and the same report, byte for byte."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [write(Path(tmp), n, t) for n, t in (("a", a), ("b", b), ("c", c))]
        in_python = merge_sources(paths, store="rdflib")
        in_oxigraph = merge_sources(paths, store="memory")
        assert to_nquads(in_oxigraph) == to_nquads(in_python)
        assert _report(in_oxigraph) == _report(in_python)
