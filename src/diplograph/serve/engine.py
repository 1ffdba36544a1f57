"""One engine process: Oxigraph on the served database, answering the front's frames one at a time.

Started by :mod:`diplograph.serve.pool` as ``python -m diplograph.serve.engine DB --mode read|write``.
It first leaves the network (:func:`~diplograph.serve.sandbox.isolate_network`, unless LOAD is
allowed), then opens the database (read-only, or read-write for an ``--allow-update`` server),
says it is ready, and answers frames until its standard input ends. The front kills it when a
request runs past its deadline: Oxigraph cannot stop a query from outside, a process can be.

Every query and update is parsed by :mod:`diplograph.sparql_guard` here, in the process that then
runs it, and refused (``403``) if it holds ``SERVICE`` (or ``LOAD``, unless allowed); the text run
is the text checked.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import uuid
from pathlib import Path

import diplograph.serve.protocol as protocol
import diplograph.serve.sandbox as sandbox
import diplograph.serve.wire as wire

__all__ = ["main"]

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


class _TooLarge(Exception):
    pass


class _Bounded(io.RawIOBase):
    """A write-only buffer that stops the serializer (and so the query) past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.size, self.parts = limit, 0, []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


class Engine:
    """What one process does with each frame (separate from the process loop, so tests can call it)."""

    def __init__(self, store, *, allow_load: bool = False, max_answer_bytes: int = 256 * 2**20) -> None:
        import pyoxigraph as ox

        self.ox, self.store = ox, store
        self.allow_load, self.max_answer_bytes = allow_load, max_answer_bytes

    def handle(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        try:
            return getattr(self, "_" + head["op"].replace("-", "_"))(head, body)
        except protocol.Refused as refused:
            return _message(refused.status, refused.message)
        except _TooLarge:
            return _message(
                503, f"the answer is larger than {self.max_answer_bytes // 2**20} MB; add a LIMIT or narrow the query"
            )
        except SyntaxError as exc:
            return _message(400, f"SPARQL syntax error: {_one_line(exc)}")
        except (ValueError, OSError) as exc:  # pyoxigraph: evaluation and parse errors of RDF bodies
            return _message(400, _one_line(exc))

    # --- SPARQL --------------------------------------------------------------------

    def _query(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        from diplograph.errors import QueryError, RefusedSparqlError
        from diplograph.sparql_guard import inspect_query, refuse

        text = head["text"]
        try:
            found = inspect_query(text)
            refuse(found, service=True, load=True)
        except QueryError as exc:
            return _message(400, f"the query cannot be checked, so it is not run: {exc}")
        except RefusedSparqlError as exc:
            return _message(403, f"{exc}: this endpoint does not run federated queries (they would make it fetch "
                                 "other hosts)")
        options = self._dataset_options(head, found.has_dataset_clause)
        answer = self.store.query(text, **options)
        out = _Bounded(self.max_answer_bytes)
        if found.form in ("SELECT", "ASK"):
            chosen = protocol.negotiate(head.get("accept", ""), protocol.RESULT_TYPES)
            if chosen is None:
                return _not_acceptable(protocol.RESULT_TYPES)
            media_type = "application/sparql-results+json" if chosen == "application/json" else chosen
            answer.serialize(out, self.ox.QueryResultsFormat.from_media_type(media_type))
        else:
            chosen = protocol.negotiate(head.get("accept", ""), protocol.GRAPH_TYPES)
            if chosen is None:
                return _not_acceptable(protocol.GRAPH_TYPES)
            answer.serialize(out, self.ox.RdfFormat.from_media_type(chosen))
        return {"status": 200, "type": _with_charset(chosen)}, out.value()

    def _dataset_options(self, head: dict, has_dataset_clause: bool) -> dict:
        """Which graphs the query sees: the protocol's parameters, else the query's FROM, else the union."""
        default, named = head.get("default_graphs"), head.get("named_graphs")
        if default is not None or named is not None:
            return {"default_graph": [self.ox.NamedNode(g) for g in default or ()],
                    "named_graphs": [self.ox.NamedNode(g) for g in named or ()]}
        if has_dataset_clause:
            return {}
        return {"use_default_graph_as_union": True}

    def _update(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        from diplograph.errors import QueryError, RefusedSparqlError
        from diplograph.sparql_guard import inspect_update, refuse

        text = head["text"]
        try:
            refuse(inspect_update(text), service=True, load=not self.allow_load)
        except QueryError as exc:
            return _message(400, f"the update cannot be checked, so it is not run: {exc}")
        except RefusedSparqlError as exc:
            why = ("start the server with --allow-load to let updates fetch URLs" if exc.feature == "LOAD"
                   else "this endpoint does not run federated queries")
            return _message(403, f"{exc}: {why}")
        self.store.update(text)
        return {"status": 204}, b""

    # --- the Graph Store ------------------------------------------------------------

    def _graph_get(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        graph, accept = head["graph"], head.get("accept", "")
        out = _Bounded(self.max_answer_bytes)
        if graph is None:
            chosen = protocol.negotiate(accept, protocol.DATASET_TYPES)
            if chosen is None:
                return _not_acceptable(protocol.DATASET_TYPES)
            self.store.dump(out, self.ox.RdfFormat.from_media_type(chosen))
            return {"status": 200, "type": _with_charset(chosen)}, out.value()
        chosen = protocol.negotiate(accept, protocol.GRAPH_TYPES)
        if chosen is None:
            return _not_acceptable(protocol.GRAPH_TYPES)
        rdf_format = self.ox.RdfFormat.from_media_type(chosen)
        if graph == "default":  # what every query sees as its default graph: the union, each triple once
            answer = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                                      use_default_graph_as_union=True)
            answer.serialize(out, rdf_format)
        else:
            name = self.ox.NamedNode(graph)
            if not self.store.contains_named_graph(name):
                return _message(404, f"no graph <{graph}> in this store")
            triples = (quad.triple for quad in self.store.quads_for_pattern(None, None, None, name))
            self.ox.serialize(triples, out, rdf_format)
        return {"status": 200, "type": _with_charset(chosen)}, out.value()

    def _graph_put(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        return self._graph_write(head, replace=True)

    def _graph_post(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        return self._graph_write(head, replace=False)

    def _graph_write(self, head: dict, *, replace: bool) -> tuple[dict, bytes]:
        ox = self.ox
        rdf_format = ox.RdfFormat.from_media_type(head["content_type"])
        if rdf_format is None:
            return _message(415, f"cannot read {head['content_type']} (send Turtle, N-Triples, RDF/XML, JSON-LD, "
                                 "TriG or N-Quads)")
        path, graph = head["file"], head["graph"]
        if graph is None:  # a whole dataset: every quad where it says
            if not rdf_format.supports_datasets:
                return _message(415, f"{head['content_type']} holds one graph; POST it to ?graph=IRI")
            self.store.load(path=path, format=rdf_format)
            return {"status": 204}, b""
        if rdf_format.supports_datasets:
            return _message(415, f"{head['content_type']} holds a dataset; POST it to /store without ?graph")
        name = ox.NamedNode(graph)
        existed = self.store.contains_named_graph(name)
        if not replace or not existed:  # one transaction: every triple of the file, or none
            self.store.load(path=path, format=rdf_format, to_graph=name, base_iri=graph)
        else:
            # Parse into a graph of its own first: a bad file must not cost the graph it was to replace.
            staging = ox.NamedNode(f"urn:diplograph:upload:{uuid.uuid4()}")
            try:
                self.store.load(path=path, format=rdf_format, to_graph=staging, base_iri=graph)
                self.store.update(f"DROP SILENT GRAPH <{graph}> ; ADD SILENT GRAPH <{staging.value}> TO GRAPH <{graph}>")
            finally:
                if self.store.contains_named_graph(staging):
                    self.store.remove_graph(staging)
        self.store.add_graph(name)
        return {"status": 204 if existed else 201}, b""

    def _graph_delete(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        name = self.ox.NamedNode(head["graph"])
        if not self.store.contains_named_graph(name):
            return _message(404, f"no graph <{head['graph']}> in this store")
        self.store.remove_graph(name)
        return {"status": 204}, b""

    # --- about the store -------------------------------------------------------------

    def _sizes(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        return {"status": 200, "sizes": self.sizes()}, b""

    def sizes(self) -> dict[str, int]:
        rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"].value: int(row["n"].value) for row in rows}

    def _service_description(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        chosen = protocol.negotiate(head.get("accept", ""), protocol.GRAPH_TYPES)
        if chosen is None:
            return _not_acceptable(protocol.GRAPH_TYPES)
        turtle = service_description(head["url"], self.sizes(), head["allow_update"])
        if chosen == "text/turtle":
            return {"status": 200, "type": _with_charset(chosen)}, turtle.encode("utf-8")
        triples = self.ox.parse(turtle, self.ox.RdfFormat.TURTLE)
        out = _Bounded(self.max_answer_bytes)
        self.ox.serialize(triples, out, self.ox.RdfFormat.from_media_type(chosen))
        return {"status": 200, "type": _with_charset(chosen)}, out.value()

    def _ping(self, head: dict, body: bytes) -> tuple[dict, bytes]:
        return {"status": 200}, b""


def service_description(url: str, sizes: dict[str, int], allow_update: bool) -> str:
    """The SPARQL 1.1 Service Description of the endpoint at ``url`` (Turtle): only public addresses."""
    from rdflib import Literal, URIRef

    from diplograph.terms import nt

    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if allow_update else "")
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
        f"<{url}/query> a sd:Service ;",
        f"  sd:endpoint <{url}/query> ;",
        f"  sd:supportedLanguage {languages} ;",
        "  sd:feature sd:UnionDefaultGraph ;",
        "  dcterms:description " + nt(Literal(
            "diplograph serve: SPARQL 1.1 queries" + (" and updates" if allow_update else " (read-only)")
            + "; the default graph is the union of the named graphs; SERVICE is refused")) + " ;",
        "  sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, "
        "<http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, "
        "<http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>, "
        "<http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/RDF_XML>, "
        "<http://www.w3.org/ns/formats/JSON-LD> ;",
        "  sd:defaultDataset [ a sd:Dataset ;",
        "    sd:defaultGraph [ a sd:Graph ]",  # the union: its size would cost a DISTINCT over everything
    ]
    for name, count in sorted(sizes.items()):
        lines[-1] += " ;"
        lines.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name {nt(URIRef(name))} ; "
                     f"sd:graph [ a sd:Graph ; void:triples {count} ] ]")
    lines.append("  ] .")
    return "\n".join(lines) + "\n"


def _message(status: int, text: str) -> tuple[dict, bytes]:
    return {"status": status, "type": "text/plain; charset=utf-8"}, (text + "\n").encode("utf-8")


def _not_acceptable(offers: tuple[str, ...]) -> tuple[dict, bytes]:
    return _message(406, f"no answer in a format the Accept header allows; offered: {', '.join(offers)}")


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("+json", "+xml", "/json", "/trig", "/n-triples",
                                                                     "/n-quads", "/ld+json"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    db, mode, allow_load = Path(args[0]), args[args.index("--mode") + 1], "--allow-load" in args
    limit = int(args[args.index("--max-answer-bytes") + 1]) if "--max-answer-bytes" in args else 256 * 2**20
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front decides when engines stop
    sandbox.die_with_parent()
    why_not = "LOAD is allowed, so this engine keeps the network" if allow_load else sandbox.isolate_network()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    try:
        import pyoxigraph as ox

        store = ox.Store(str(db)) if mode == "write" else ox.Store.read_only(str(db))
        engine = Engine(store, allow_load=allow_load, max_answer_bytes=limit)
        import diplograph.sparql_guard  # noqa: F401 - pay the parser's import before the first request
    except Exception as exc:  # noqa: BLE001 - the front reports it in one line
        wire.write_frame(stdout, {"ready": False, "error": _one_line(exc)})
        return 1
    wire.write_frame(stdout, {"ready": True, "sandboxed": why_not is None, "why_not": why_not, "pid": os.getpid()})
    while True:
        frame = wire.read_frame(stdin)
        if frame is None:
            return 0
        head, body = frame
        try:
            answer = engine.handle(head, body)
        except Exception as exc:  # noqa: BLE001 - one request's failure is that request's answer
            answer = _message(500, f"the engine failed on this request: {_one_line(exc)}")
        if mode == "write" and head["op"] in ("graph-put", "graph-post", "graph-delete", "update"):
            store.flush()
        wire.write_frame(stdout, *answer)


if __name__ == "__main__":  # the engine process's entry point (pool.py starts it), not library code
    raise SystemExit(main())
