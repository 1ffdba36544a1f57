"""A remote SPARQL 1.1 server as an rdflib store: every request through :class:`~diplograph.endpoint.Endpoint`.

What is read from a server is what :class:`~diplograph.endpoint.Endpoint` checks: SELECT answers
a server cut short raise :class:`~diplograph.errors.TruncatedResultError`, graphs are fetched
whole (in pages when the server cuts them). The skolem IRIs ``push --method update`` sends for
blank nodes (under :data:`~diplograph.iris.PUSH_GENID`) are read back as blank nodes, so a graph
pushed either way reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from rdflib import BNode, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result
from rdflib.term import Node

from diplograph.endpoint import Endpoint
from diplograph.errors import EndpointError
from diplograph.iris import PUSH_GENID
from diplograph.terms import plain

__all__ = ["EndpointStore", "remote_triples", "unskolemised"]


class EndpointStore(SPARQLUpdateStore):
    """rdflib's SPARQL store, with every request sent through :class:`~diplograph.endpoint.Endpoint`.

    So requests have a timeout, carry the endpoint's credentials, are form-encoded (which every
    server takes), and failures are :class:`EndpointError`\\ s naming the URL (rdflib's own
    connector has no timeout and turns a failed GET into "You did something wrong…"). SELECT
    answers are checked to be complete (:meth:`Endpoint.check_complete`). Named graphs need no
    creating, so ``dataset.graph(name)`` sends nothing; ``remove_graph`` sends ``DROP SILENT GRAPH``.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(query_endpoint=endpoint.query, update_endpoint=endpoint.update, method="POST")
        self.endpoint = endpoint

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        self._queries += 1
        # rdflib passes a graph IRI as default_graph, or nothing for the union
        graph = str(default_graph) if isinstance(default_graph, str) else None
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        answer = self.endpoint.ask(query, accept, default_graph=graph)
        try:
            result = Result.parse(BytesIO(answer.body), content_type=answer.media_type or None)
        except Exception as exc:  # a proxy's HTML error page, a truncated answer
            raise EndpointError(
                self.endpoint.query,
                f"answered {answer.media_type or 'something'} that is not a SPARQL result ({type(exc).__name__})",
            ) from None
        if result.type == "SELECT":
            self.endpoint.check_complete(query, len(result), answer.limit)
            result.bindings = [{k: unskolemised(v) for k, v in row.items()} for row in result.bindings]
        return result

    def _update(self, update: str) -> None:
        self._updates += 1
        self.endpoint.run_update(update)

    def add_graph(self, graph) -> None:  # graphs exist as soon as they hold a triple
        pass

    def remove_graph(self, graph) -> None:
        name = getattr(graph, "identifier", graph)
        self.endpoint.run_update(f"DROP SILENT GRAPH <{name}>")


def unskolemised(node: Node) -> Node:
    """A skolem IRI minted by a SPARQL update push (under :data:`~diplograph.iris.PUSH_GENID`) as the
    blank node it stands for (the same IRI, the same blank node); any other term as it is."""
    if isinstance(node, URIRef) and node.startswith(PUSH_GENID):
        return BNode("genid" + node[len(PUSH_GENID):].replace("/", ""))
    return node


def remote_triples(endpoint: Endpoint, name: URIRef | None) -> Iterable[tuple[Node, Node, Node]]:
    """Every triple of named graph ``name`` (None: of every named graph) on the server, complete
    (:meth:`Endpoint.graph`), literals plain (:func:`diplograph.terms.plain`), skolem IRIs of
    pushed blank nodes as blank nodes."""
    return ((unskolemised(s), p, plain(unskolemised(o))) for s, p, o in endpoint.graph(name))
