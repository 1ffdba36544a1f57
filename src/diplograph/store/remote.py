"""A remote SPARQL 1.1 server as an rdflib store: every request through :class:`~diplograph.endpoint.Endpoint`."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from urllib.parse import urlencode

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result
from rdflib.term import Node

from diplograph.endpoint import Endpoint
from diplograph.errors import EndpointError
from diplograph.terms import plain

__all__ = ["EndpointStore", "remote_triples"]


class EndpointStore(SPARQLUpdateStore):
    """rdflib's SPARQL store, with every request sent through :class:`~diplograph.endpoint.Endpoint`.

    So requests have a timeout and failures are :class:`EndpointError`\\ s
    naming the URL (rdflib's own connector has no timeout and turns a failed
    GET into "You did something wrong…"). Named graphs need no creating, so
    ``dataset.graph(name)`` sends nothing; ``remove_graph`` sends ``DROP SILENT GRAPH``.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(query_endpoint=endpoint.query, update_endpoint=endpoint.update, method="POST")
        self.endpoint = endpoint

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        self._queries += 1
        url = self.endpoint.query
        if isinstance(default_graph, str):  # rdflib passes a graph IRI here, or nothing for the union
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}{urlencode({'default-graph-uri': str(default_graph)})}"
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        body, media_type = self.endpoint.exchange(
            url, data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": accept}
        )
        try:
            return Result.parse(BytesIO(body), content_type=media_type or None)
        except Exception as exc:  # a proxy's HTML error page, a truncated answer
            raise EndpointError(url, f"answered {media_type or 'something'} that is not a SPARQL result ({type(exc).__name__})") from None

    def _update(self, update: str) -> None:
        self._updates += 1
        self.endpoint.run_update(update)

    def add_graph(self, graph) -> None:  # graphs exist as soon as they hold a triple
        pass

    def remove_graph(self, graph) -> None:
        name = getattr(graph, "identifier", graph)
        self.endpoint.run_update(f"DROP SILENT GRAPH <{name}>")


def remote_triples(endpoint: Endpoint, name: URIRef | None) -> Iterable[tuple[Node, Node, Node]]:
    where = f"GRAPH <{name}> {{ ?s ?p ?o }}" if name is not None else "GRAPH ?g { ?s ?p ?o }"
    data = endpoint.construct_ntriples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    graph = Graph()
    try:
        graph.parse(data=data.decode("utf-8"), format="nt")
    except Exception as exc:  # a server answering something else than N-Triples
        raise EndpointError(endpoint.query, f"CONSTRUCT answer is not N-Triples ({exc.__class__.__name__})") from None
    return ((s, p, plain(o)) for s, p, o in graph)


