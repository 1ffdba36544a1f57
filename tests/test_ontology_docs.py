"""`diplograph build` writes the ontology's documentation (pyLODE) as out/ontology/index.html (issue 13, item 2)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from test_build import copy_project, diplograph

REPO = Path(__file__).resolve().parents[1]
DG = "https://w3id.org/diplograph/ns#"


class _Resources(HTMLParser):
    """Every (tag, attribute, value) of src / href / srcset attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data") and value:
                self.found.append((tag, name, value))

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in_style = False


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[str, str]:
    root = copy_project(tmp_path_factory.mktemp("project"))
    out = root.parent / "built"
    result = diplograph("build", "--out", str(out), home=root, cwd=root)
    assert result.returncode == 0, result.stderr
    return (out / "ontology" / "index.html").read_text(encoding="utf-8"), result.stderr


def test_the_page_lists_every_class_and_property(page):
    html, _stderr = page
    ontology = Graph().parse(REPO / "ontology" / "diplograph.ttl")
    terms = {str(s) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in ontology.subjects(RDF.type, kind) if str(s).startswith(DG)}
    assert len(terms) > 150
    missing = sorted(t for t in terms if t not in html)
    assert missing == []
    for term in ("visitKind", "onOccasionOf", "Chairmanship", "Agreement", "reportedAt"):
        assert f'id="{term}"' in html or f"#{term}" in html, term


def test_the_page_fetches_nothing_from_another_host(page):
    html, _stderr = page
    parser = _Resources()
    parser.feed(html)
    assert parser.found, "no attributes seen: the parser read nothing"
    fetched = [(tag, name, value) for tag, name, value in parser.found
               if tag != "a" and urlparse(value).scheme not in ("", "data")]
    assert fetched == [], "resources loaded from elsewhere (only plain <a> links may leave the page)"
    assert not any("@import" in s or "url(http" in s for s in parser.styles)
    assert "<script src" not in html


def test_build_prints_nothing_of_pylode(page):
    _html, stderr = page
    assert "INFO" not in stderr and "Loading background ontologies" not in stderr


def test_the_page_is_titled_by_the_ontology_not_by_its_concept_schemes():
    """pyLODE takes every skos:ConceptScheme for the ontology: its title became the 15 schemes' labels
    run together and its IRI dg:IssueScheme's, until the schemes were left untyped for it."""
    import re

    from rdflib.namespace import DCTERMS

    from diplograph.ontology_docs import ontology_html

    ontology = Graph().parse(REPO / "ontology" / "diplograph.ttl")
    [iri] = ontology.subjects(RDF.type, OWL.Ontology)
    page = ontology_html(ontology)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == [str(ontology.value(iri, DCTERMS.title))]
    assert "IssueScheme" not in page.split("</h1>")[1].split("Classes")[0]  # the metadata names the ontology
