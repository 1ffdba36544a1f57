"""Talk to a SPARQL 1.1 server over HTTP: the Protocol for queries and updates, the Graph Store Protocol for graphs.

Only the standard library (``urllib``) is used. Every request has a timeout,
and every failure becomes an :class:`~diplograph.errors.EndpointError` whose
one-line message names the URL (and the server's own words, shortened), so
the CLI can print it and exit 2.

:class:`Endpoint` holds the three URLs a server offers. Most servers put the
SPARQL query service, the update service and the Graph Store Protocol at
different paths; :func:`Endpoint.from_url` guesses them for Oxigraph
(``/query``, ``/update``, ``/store``) and otherwise uses the one URL for all
three, which is what Virtuoso (``/sparql``, ``/sparql-graph-crud``), GraphDB
(``/repositories/{id}`` and ``…/statements``, ``…/rdf-graphs/service``) and
Fuseki (``/{ds}/query``, ``/{ds}/update``, ``/{ds}/data``) need spelt out:
pass them as ``update=`` and ``gsp=``.

:func:`push_graph` replaces one named graph: an HTTP ``PUT`` of N-Triples to
the Graph Store Protocol (``method="gsp"``), or for servers without it
(QLever, Neptune's SPARQL endpoint) ``DROP SILENT GRAPH`` + ``INSERT DATA``
in one SPARQL update request (``method="update"``). Both replace the graph,
so pushing twice leaves the same triples.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef

from diplograph.errors import EndpointError

__all__ = [
    "DEFAULT_TIMEOUT",
    "PUSH_METHODS",
    "Endpoint",
    "graph_triple_count",
    "push_graph",
]

#: Seconds to wait for any one HTTP request.
DEFAULT_TIMEOUT = 60.0
#: Ways :func:`push_graph` can replace a graph.
PUSH_METHODS = ("gsp", "update")
# INSERT DATA requests are split so that no single request body grows without bound.
_INSERT_CHUNK_TRIPLES = 20_000
_MESSAGE_CHARS = 200


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL server: its query, update and Graph Store Protocol URLs."""

    query: str
    update: str
    gsp: str
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_url(
        cls, url: str, *, update: str | None = None, gsp: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> Endpoint:
        """Build an endpoint from its query URL, guessing the other two for Oxigraph's layout.

        ``http://host:7878`` or ``…/query`` (Oxigraph) gives ``…/query``,
        ``…/update`` and ``…/store``; any other URL is used for all three
        unless ``update`` / ``gsp`` say otherwise. Raises
        :class:`~diplograph.errors.EndpointError` for a URL that is not http(s).
        """
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(url, "not an http:// or https:// URL")
        base = url.rstrip("/")
        if parsed.path in ("", "/"):
            query, guess_update, guess_gsp = base + "/query", base + "/update", base + "/store"
        elif base.endswith("/query"):
            root = base[: -len("/query")]
            query, guess_update, guess_gsp = base, root + "/update", root + "/store"
        else:
            query = guess_update = guess_gsp = url
        return cls(query=query, update=update or guess_update, gsp=gsp or guess_gsp, timeout=timeout)

    # --- SPARQL 1.1 Protocol ----------------------------------------------------

    def ping(self) -> None:
        """Ask ``ASK {}``; raise :class:`EndpointError` naming the URL if the server does not answer."""
        self.select_json("ASK {}")

    def select_json(self, query: str) -> dict:
        """Run a SELECT or ASK query and return the parsed SPARQL JSON results."""
        body = self.request(
            self.query,
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        try:
            return json.loads(body)
        except ValueError:
            raise EndpointError(self.query, "answered something that is not SPARQL JSON results") from None

    def construct_ntriples(self, query: str) -> bytes:
        """Run a CONSTRUCT query and return its N-Triples bytes."""
        return self.request(
            self.query,
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
        )

    def run_update(self, update: str) -> None:
        """Send a SPARQL update (the server must allow updates)."""
        self.request(self.update, data=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"})

    def named_graphs(self) -> list[URIRef]:
        """The named graphs holding at least one triple, sorted."""
        rows = self.select_json("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(URIRef(b["g"]["value"]) for b in rows["results"]["bindings"] if b["g"]["type"] == "uri")

    # --- Graph Store Protocol ---------------------------------------------------

    def graph_url(self, name: URIRef) -> str:
        sep = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{sep}{urllib.parse.urlencode({'graph': str(name)})}"

    def put_graph(self, name: URIRef, ntriples: bytes) -> None:
        """Replace graph ``name`` with ``ntriples`` (GSP ``PUT``)."""
        self.request(self.graph_url(name), data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"})

    def get_graph(self, name: URIRef) -> bytes:
        """Graph ``name`` as N-Triples (GSP ``GET``)."""
        return self.request(self.graph_url(name), headers={"Accept": "application/n-triples"})

    # --- plumbing -----------------------------------------------------------------

    def request(
        self, url: str, *, data: bytes | None = None, method: str | None = None, headers: dict[str, str] | None = None
    ) -> bytes:
        """One HTTP request with this endpoint's timeout; the body of a 2xx answer, else :class:`EndpointError`."""
        return self.exchange(url, data=data, method=method, headers=headers)[0]

    def exchange(
        self, url: str, *, data: bytes | None = None, method: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[bytes, str]:
        """Like :meth:`request`, also returning the answer's media type (``Content-Type`` without parameters)."""
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
                return response.read(), media_type
        except urllib.error.HTTPError as exc:
            detail = _shorten(exc.read().decode("utf-8", "replace")) if exc.fp else ""
            raise EndpointError(url, f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as exc:
            raise EndpointError(url, f"cannot reach the server ({_shorten(str(exc.reason))})") from None
        except TimeoutError:
            raise EndpointError(url, f"no answer within {self.timeout:g} s") from None
        except OSError as exc:  # connection reset, refused mid-request, …
            raise EndpointError(url, f"connection failed ({_shorten(str(exc))})") from None


def push_graph(endpoint: Endpoint, name: URIRef, graph: Graph, method: str = "gsp") -> int:
    """Replace named graph ``name`` on ``endpoint`` with ``graph``; return the number of triples sent.

    ``method`` is ``"gsp"`` (one HTTP PUT) or ``"update"`` (``DROP SILENT
    GRAPH`` then ``INSERT DATA`` in chunks; the first request drops and
    inserts together so a one-chunk graph is replaced atomically).
    """
    if method not in PUSH_METHODS:
        raise EndpointError(endpoint.query, f"unknown push method {method!r}; choose one of: {', '.join(PUSH_METHODS)}")
    if method == "gsp":
        endpoint.put_graph(name, _ntriples(graph))
        return len(graph)
    triples = list(graph)
    first = True
    for start in range(0, max(len(triples), 1), _INSERT_CHUNK_TRIPLES):
        chunk = triples[start : start + _INSERT_CHUNK_TRIPLES]
        body = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in chunk)
        update = f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}" if chunk else ""
        if first:
            update = f"DROP SILENT GRAPH <{name}>" + (" ;\n" + update if update else "")
            first = False
        endpoint.run_update(update)
    return len(triples)


def graph_triple_count(endpoint: Endpoint, names: Iterable[URIRef] | None = None) -> dict[URIRef, int]:
    """Triples per named graph on ``endpoint`` (only ``names`` when given)."""
    rows = endpoint.select_json("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {URIRef(b["g"]["value"]): int(b["n"]["value"]) for b in rows["results"]["bindings"]}
    if names is None:
        return counts
    return {n: counts.get(n, 0) for n in names}


def _ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 3] + "..."
