"""The ontology's documentation as one HTML page (``out/ontology/index.html``), made by pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE) is the field's ontology documenter: every class,
property and named individual with its label, definition, domain, range, super- and
sub-terms, and the ontology's metadata. It was chosen over a home-made page because it
installs beside the project's rdflib, runs offline (its background vocabularies ship in the
package), and writes a self-contained page: styles inline, icons as ``data:`` URIs, no remote
script or font (``tests/test_ontology_docs.py`` checks that every class and property is listed
and that nothing is fetched from another host).

pyLODE configures the root logger when imported and logs while it works; both are undone here,
so the library still prints nothing.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from diplograph.files import write_atomically

__all__ = ["ontology_html", "write_ontology_html"]


@contextmanager
def _quiet_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def import_pylode() -> None:
    """Import pyLODE now (0.4 s: it reads its background vocabularies), leaving logging as it was:
    ``build`` does it while Oxigraph parses the files, on a core that would wait."""
    with _quiet_logging():
        import pylode  # noqa: F401


def ontology_html(ontology: Graph) -> str:
    """pyLODE's OntPub page of ``ontology`` (the graph holding one ``owl:Ontology``)."""
    with _quiet_logging():
        from pylode import OntPub  # slow to import (its background vocabularies), and only docs need it

        root = logging.getLogger()
        root.handlers[:] = [logging.NullHandler()]  # what the import configured, until the page is made
        root.setLevel(logging.WARNING)
        return OntPub(_for_pylode(ontology)).make_html()


def _for_pylode(ontology: Graph) -> Graph:
    """The ontology without ``a skos:ConceptScheme`` on its schemes: pyLODE takes every concept
    scheme for the ontology itself, and the page's title and IRI became the schemes' labels and the
    last scheme's IRI. (pyLODE documents classes and properties, not SKOS concepts, with or
    without this: ``diplograph terms`` lists the schemes and their concepts.)"""
    if not any(ontology.subjects(RDF.type, OWL.Ontology)):
        return ontology
    copy = Graph()
    copy += ((s, p, o) for s, p, o in ontology if not (p == RDF.type and o == SKOS.ConceptScheme))
    for prefix, namespace in ontology.namespaces():
        copy.bind(prefix, namespace, override=True)
    return copy


def write_ontology_html(ontology: Graph, path: Path) -> None:
    """Write :func:`ontology_html` to ``path`` (a temporary file, then renamed)."""
    write_atomically(path, ontology_html(ontology))
