"""The seed graph says what the article says: every sentence cited verbatim, nothing more.

These tests read the article itself (sources/china-azerbaijan-2024.txt) and compare it
with graphs/china-azerbaijan-2024.ttl, so a change to either that breaks traceability fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from diplograph.namespaces import DG, ID
from diplograph.sources import read_source_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "graphs" / "china-azerbaijan-2024.ttl"
ARTICLE = ROOT / "sources" / "china-azerbaijan-2024.txt"
ONTOLOGY = ROOT / "ontology" / "diplograph.ttl"
DOC = URIRef(f"{ID}source/china-azerbaijan-2024")
STATE = f"{ID}state/"


@pytest.fixture(scope="module")
def article():
    assert ARTICLE.is_file(), f"the source article is missing: {ARTICLE}"
    return read_source_text(ARTICLE)


@pytest.fixture(scope="module")
def seed() -> Graph:
    return Graph().parse(SEED)


@pytest.fixture(scope="module")
def statement_classes() -> set[URIRef]:
    """dg:Statement and every class the ontology puts under it."""
    ontology = Graph().parse(ONTOLOGY)
    found = {DG.Statement}
    frontier = [DG.Statement]
    while frontier:
        parent = frontier.pop()
        for child in ontology.subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), parent):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _statements(seed: Graph, classes: set[URIRef]) -> set[URIRef]:
    return {s for cls in classes for s in seed.subjects(RDF.type, cls)}


def test_article_splits_into_the_expected_sentences(article):
    # 10 paragraphs, 24 sentences; four section headings; the last line is page chrome.
    assert len(article.sentences) == 24
    assert [line for line, _ in article.headings] == [4, 7, 10, 13]
    assert article.excluded == ((16, "Leave a review"),)


def test_every_sentence_of_the_article_is_in_the_graph_verbatim(article, seed):
    for sentence in article.sentences:
        node = URIRef(f"{DOC}/sentence/{sentence.key}")
        assert (node, RDF.type, DG.Sentence) in seed, f"sentence {sentence.key} has no node"
        assert seed.value(node, DG.text) == Literal(sentence.text), f"sentence {sentence.key} is not verbatim"
        assert seed.value(node, DG.lineNumber).toPython() == sentence.line
        assert seed.value(node, DG.sentenceNumber).toPython() == sentence.number
        assert seed.value(node, DCTERMS.isPartOf) == DOC
    assert len(set(seed.subjects(RDF.type, DG.Sentence))) == len(article.sentences)


def test_every_factual_sentence_is_cited_as_evidence(article, seed, statement_classes):
    # Every sentence of the article body reports, claims, plans or projects something,
    # so every one must be the evidence of at least one statement node.
    cited = {seed.value(o, DG.text).toPython() for o in seed.objects(None, DG.evidence)}
    uncited = [s.key for s in article.sentences if s.text not in cited]
    assert uncited == []
    citing = {s for s, _, _ in seed.triples((None, DG.evidence, None))}
    assert citing <= _statements(seed, statement_classes), "only statement nodes cite evidence"


def test_every_statement_node_has_full_provenance(seed, statement_classes):
    nodes = _statements(seed, statement_classes)
    assert len(nodes) > 40
    for node in nodes:
        assert (node, PROV.wasDerivedFrom, DOC) in seed, node
        assert seed.value(node, DG.evidence) is not None, node
        assert seed.value(node, PROV.wasAttributedTo) is not None, node
        assert len(list(seed.objects(node, DG.modality))) == 1, node


def test_source_document_keeps_the_headline_and_the_file_checksum(article, seed):
    assert seed.value(DOC, DCTERMS.title) == Literal(article.title)
    assert seed.value(DOC, DG.sha256) == Literal(article.sha256)
    assert seed.value(DOC, DG.excludedText) == Literal("Leave a review")


def test_ding_tao_holds_the_post_the_text_gives_not_the_headline(seed):
    holdings = list(seed.subjects(DG.holder, URIRef(f"{ID}person/ding-tao")))
    posts = {seed.value(h, DG.post) for h in holdings}
    roles = {seed.value(p, DG.role) for p in posts}
    assert roles == {DG.ChargeDAffaires}
    assert DG.Ambassador not in set(seed.objects())


def test_multilateral_platforms_are_not_memberships(seed):
    # "collaborate on multilateral platforms such as the UN, SCO, BRICS and CICA" is cooperation.
    assert list(seed.subjects(RDF.type, DG.Membership)) == []
    forums = set(seed.objects(None, DG.forum))
    assert {str(f).rsplit("/", 1)[-1] for f in forums} == {"un", "sco", "brics", "cica"}


def test_plans_and_projections_are_never_reported_facts(seed):
    for cls, modality in ((DG.Plan, DG.PlanModality), (DG.Projection, DG.ProjectionModality)):
        nodes = list(seed.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert seed.value(node, DG.modality) == modality


def test_dates_keep_the_precision_the_article_gives(seed):
    established = seed.value(predicate=RDF.type, object=DG.RelationsEstablishment)
    date = seed.value(established, DG.date)
    assert (str(date), date.datatype.split("#")[-1]) == ("1992-04", "gYearMonth")


def _number(literal):
    return None if literal is None else float(literal.toPython())


def test_indicators_match_the_numbers_in_the_article(seed):
    by_label = {
        str(seed.value(n, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): n
        for n in seed.subjects(RDF.type, DG.Indicator)
    }
    values = {
        label: (
            _number(seed.value(n, DG.value)),
            _number(seed.value(n, DG.change)),
            seed.value(n, DG.approximate).toPython(),
        )
        for label, n in by_label.items()
    }
    assert sorted(values.values(), key=repr) == sorted(
        [
            (4, None, False),  # four meetings with Chinese delegations
            (3100000000, None, False),  # $3.1 billion in 2023
            (3020000000, 17.1, False),  # $3.02 billion, +17.1% in Jan-Oct 2024
            (None, 4.2, False),  # EV exports increased 4.2 times
            (5, None, False),  # five weekly flights
            (None, 2, False),  # tourist arrivals doubled
            (8000, None, True),  # nearly 8,000 students
        ],
        key=repr,
    )


def test_seed_only_names_states_by_their_canonical_iri(seed):
    states = {o for o in seed.objects() if isinstance(o, URIRef) and str(o).startswith(STATE)}
    assert {str(s)[len(STATE):] for s in states} == {"AZE", "CHN"}


def test_xi_quote_is_reported_at_the_press_conference_not_said_there(seed, article):
    """The article says Ding relayed Xi's words; not when or where Xi said them (issue 13)."""
    quote = URIRef(f"{ID}statement/china-azerbaijan-2024/quote-xi-new-starting-point")
    press = URIRef(f"{ID}event/press-conference-2024-ding-tao")
    assert seed.value(quote, DG.reportedAt) == press
    assert seed.value(quote, DG.occasion) is None
    sentence = seed.value(quote, DG.evidence)
    assert '"new starting point"' in str(seed.value(sentence, DG.text))
    assert str(seed.value(sentence, DG.text)).startswith("Ding emphasized the shared vision articulated by President Xi")
