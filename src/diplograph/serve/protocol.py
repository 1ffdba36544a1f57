"""What an HTTP request asks of the endpoint, read the way the SPARQL 1.1 Protocol and Graph Store
Protocol define it: one function from (method, path, parameters, headers, body) to one operation.

The operation is what the engine runs, exactly: there is no second reading of the request
further on, so a request cannot be checked as one thing and executed as another (two
``Content-Type`` headers, a ``query`` both in the URL and in the body… are refused here, ``400``).

Routes: ``/query`` (queries; with no ``query`` parameter, the service description), ``/update``
(updates), ``/store`` (graphs: ``?graph=IRI``, ``?default``, or no parameter for the whole
dataset), ``/`` (the query page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

__all__ = [
    "FORM",
    "GraphRead",
    "GraphWrite",
    "Operation",
    "Page",
    "Preflight",
    "Query",
    "Refused",
    "Request",
    "RESULT_TYPES",
    "GRAPH_TYPES",
    "DATASET_TYPES",
    "ServiceDescription",
    "Update",
    "negotiate",
    "operation_of",
    "needs_upload",
]

FORM = "application/x-www-form-urlencoded"
_QUERY_TYPE = "application/sparql-query"
_UPDATE_TYPE = "application/sparql-update"
#: Media types offered for SELECT and ASK answers, the first the default.
RESULT_TYPES = (
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "application/json",
)
#: Media types offered for a graph (CONSTRUCT, DESCRIBE, the Graph Store), the first the default.
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/n3")
#: Media types offered for the whole dataset.
DATASET_TYPES = ("application/trig", "application/n-quads")
_PAGES = {"/": "query.html", "/query.html": "query.html", "/query.js": "query.js", "/query.css": "query.css"}


class Refused(Exception):
    """The request is answered with ``status`` and the one-line ``message`` (and ``headers``)."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


@dataclass(frozen=True)
class Request:
    """The parts of an HTTP request the protocol reads. ``headers`` keep every repeated header."""

    method: str
    path: str
    query_string: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """The one value of header ``name``; ``400`` when it is repeated."""
        values = self.header_values(name)
        if len(values) > 1:
            raise Refused(400, f"the {name} header is given {len(values)} times; give it once")
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    @property
    def content_type(self) -> str | None:
        """The media type of the body, lower case, without parameters."""
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value is not None else None

    @property
    def params(self) -> dict[str, list[str]]:
        return _form(self.query_string, "the URL's query string")


@dataclass(frozen=True)
class Query:
    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    accept: str = ""


@dataclass(frozen=True)
class Update:
    text: str
    form_encoded: bool = False


@dataclass(frozen=True)
class GraphRead:
    """``graph``: an IRI, ``"default"`` (what queries see as the default graph), or None (every graph)."""

    graph: str | None
    accept: str = ""
    head_only: bool = False


@dataclass(frozen=True)
class GraphWrite:
    """``method`` ``PUT`` (replace), ``POST`` (add) or ``DELETE``; ``graph`` an IRI, or None for a
    ``POST`` of a whole dataset (TriG, N-Quads); ``content_type`` the body's media type."""

    method: str
    graph: str | None
    content_type: str | None = None


@dataclass(frozen=True)
class ServiceDescription:
    accept: str = ""


@dataclass(frozen=True)
class Page:
    name: str


@dataclass(frozen=True)
class Preflight:
    """A CORS preflight (``OPTIONS``) for ``path``."""

    path: str


Operation = Query | Update | GraphRead | GraphWrite | ServiceDescription | Page | Preflight

_ROUTE_METHODS = {
    "/query": ("GET", "POST", "OPTIONS"),
    "/update": ("POST", "OPTIONS"),
    "/store": ("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"),
}


def needs_upload(request: Request) -> bool:
    """True when the body is RDF to store (a Graph Store write): it gets the upload size limit."""
    return request.path == "/store" and request.method in ("PUT", "POST")


def operation_of(request: Request, body: bytes = b"") -> Operation:
    """The one operation ``request`` (with ``body``) asks for; raises :class:`Refused` otherwise.

    A Graph Store upload's body is not passed here (it goes to a file); its operation is read
    from the method, the URL and the Content-Type alone.
    """
    method, path = request.method, request.path
    if path in _PAGES:
        if method not in ("GET", "HEAD"):
            raise Refused(405, f"{method} is not allowed on {path}", (("allow", "GET, HEAD"),))
        return Page(_PAGES[path])
    allowed = _ROUTE_METHODS.get(path)
    if allowed is None:
        raise Refused(404, f"no such resource: {path} (the endpoint is /query, /update and /store)")
    if method not in allowed:
        raise Refused(405, f"{method} is not allowed on {path}", (("allow", ", ".join(allowed)),))
    if method == "OPTIONS":
        return Preflight(path)
    accept = ", ".join(request.header_values("accept"))
    if path == "/query":
        return _query(request, body, accept)
    if path == "/update":
        return _update(request, body)
    return _graph_store(request, accept)


def _query(request: Request, body: bytes, accept: str) -> Query | ServiceDescription:
    params = request.params
    if request.method == "GET":
        _only(params, {"query", "default-graph-uri", "named-graph-uri"})
        if "query" not in params:
            return ServiceDescription(accept)
        return Query(_one(params, "query"), *_dataset(params), accept=accept)
    content_type = request.content_type
    if content_type == FORM:
        if "query" in params:
            raise Refused(400, "give the query in the body or in the URL, not both")
        form = _form(_text(body, "the form"), "the form")
        if "update" in form:
            raise Refused(400, "an update goes to /update, not /query")
        _only(form, {"query", "default-graph-uri", "named-graph-uri"})
        _only(params, set())
        if "query" not in form:
            raise Refused(400, "the form has no query field")
        return Query(_one(form, "query"), *_dataset(form), accept=accept)
    if content_type == _QUERY_TYPE:
        _only(params, {"default-graph-uri", "named-graph-uri"})
        return Query(_text(body, "the query"), *_dataset(params), accept=accept)
    raise Refused(
        415, f"a query is sent as {_QUERY_TYPE} or {FORM}, not {content_type or 'a body without a Content-Type'}"
    )


def _update(request: Request, body: bytes) -> Update:
    params = request.params
    content_type = request.content_type
    if content_type == FORM:
        form = _form(_text(body, "the form"), "the form")
        _only(form, {"update", "using-graph-uri", "using-named-graph-uri"})
        _only(params, set())
        if "update" not in form:
            raise Refused(400, "the form has no update field")
        _no_using(form)
        return Update(_one(form, "update"), form_encoded=True)
    if content_type == _UPDATE_TYPE:
        _only(params, {"using-graph-uri", "using-named-graph-uri"})
        _no_using(params)
        return Update(_text(body, "the update"))
    raise Refused(
        415, f"an update is sent as {_UPDATE_TYPE} or {FORM}, not {content_type or 'a body without a Content-Type'}"
    )


def _graph_store(request: Request, accept: str) -> GraphRead | GraphWrite:
    params = request.params
    _only(params, {"graph", "default"})
    if "graph" in params and "default" in params:
        raise Refused(400, "give ?graph=IRI or ?default, not both")
    graph: str | None
    if "graph" in params:
        graph = _one(params, "graph")
        if not _absolute_iri(graph):
            raise Refused(400, f"?graph={graph!r} is not an absolute IRI")
    elif "default" in params:
        graph = "default"
    else:
        graph = None
    if request.method in ("GET", "HEAD"):
        return GraphRead(graph, accept, head_only=request.method == "HEAD")
    if graph == "default":
        raise Refused(
            400, "the default graph here is the union of every named graph, so it cannot be written as one graph; "
            "write a named graph (?graph=IRI)",
        )
    if graph is None and request.method != "POST":
        raise Refused(400, f"{request.method} needs ?graph=IRI")
    content_type = request.content_type if request.method != "DELETE" else None
    if request.method != "DELETE" and not content_type:
        raise Refused(415, "the body needs a Content-Type (text/turtle, application/n-triples, …)")
    return GraphWrite(request.method, graph, content_type)


def _dataset(params: dict[str, list[str]]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The protocol's ``default-graph-uri`` / ``named-graph-uri``: given, they replace the query's FROM clauses."""
    default, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    if default is None and named is None:
        return None, None
    for iri in (default or []) + (named or []):
        if not _absolute_iri(iri):
            raise Refused(400, f"graph {iri!r} is not an absolute IRI")
    return tuple(default or ()), tuple(named or ())


def _no_using(params: dict[str, list[str]]) -> None:
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise Refused(400, "using-graph-uri and using-named-graph-uri are not supported; use USING in the update")


def _only(params: dict[str, list[str]], allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise Refused(400, f"unknown parameter {unknown[0]!r}" + (f" (expected {', '.join(sorted(allowed))})"
                                                                   if allowed else ""))


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise Refused(400, f"{name} is given {len(values)} times; give it once")
    return values[0]


def _form(text: str, what: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused(400, f"{what} is not well-formed ({exc})") from None


def _text(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"{what} is not UTF-8 (byte {exc.start})") from None


def _absolute_iri(text: str) -> bool:
    scheme, colon, rest = text.partition(":")
    return bool(colon and scheme and scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)
                and not any(c in text for c in '<>"{}|^`\\ \t\n'))


# --- content negotiation ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Range:
    quality: float
    specificity: int
    media_type: str = field(compare=False)


def negotiate(accept: str, offers: tuple[str, ...]) -> str | None:
    """The offer ``accept`` (an HTTP Accept value) prefers; the first offer when it is empty; None if none fits."""
    if not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        media_type, *params = (piece.strip() for piece in part.split(";"))
        if not media_type:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        media_type = media_type.lower()
        specificity = 0 if media_type == "*/*" else 1 if media_type.endswith("/*") else 2
        ranges.append(_Range(quality, specificity, media_type))
    best, best_key = None, (0.0, -1, 0)
    for position, offer in enumerate(offers):
        matching = [r for r in ranges if _matches(r.media_type, offer)]
        if not matching:
            continue
        chosen = max(matching, key=lambda r: r.specificity)  # the most specific range decides the quality
        key = (chosen.quality, chosen.specificity, -position)
        if chosen.quality > 0 and key > best_key:
            best, best_key = offer, key
    return best


def _matches(media_range: str, offer: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return offer.startswith(media_range[:-1])
    return media_range == offer
