"""Talk to a SPARQL 1.1 server over HTTP: the Protocol for queries and updates, the Graph Store Protocol for graphs.

Only the standard library (``urllib``, ``netrc``) is used. Every request has a timeout, and
every failure becomes an :class:`~diplograph.errors.EndpointError` whose one-line message names
the URL (never a password) and the server's own words, shortened, so the CLI can print it and
exit 2.

:class:`Endpoint` holds the three URLs a server offers. Most servers put the SPARQL query
service, the update service and the Graph Store Protocol at different paths;
:func:`Endpoint.from_url` guesses them for Oxigraph (``/query``, ``/update``, ``/store``) and
otherwise uses the one URL for all three, which is what Virtuoso (``/sparql``, writes at
``/sparql-auth`` and ``/sparql-graph-crud-auth``), GraphDB (``/repositories/{id}`` and
``…/statements``, ``…/rdf-graphs/service``) and Fuseki (``/{ds}/query``, ``/{ds}/update``,
``/{ds}/data``) need spelt out: pass them as ``update=`` and ``gsp=``.

How requests are sent, so that every server answers them:

- Queries and updates are form-encoded POSTs (``query=…``, ``update=…``), the one way the SPARQL
  1.1 Protocol requires every server to take: Virtuoso 7.2 never answers a POST of
  ``application/sparql-query`` (openlink/virtuoso-opensource issue 842).
- :class:`Credentials` (a user and password: given, in the URL's ``user:password@``, or from
  ``.netrc``) answer a server's HTTP Basic or Digest challenge; Virtuoso's write services ask
  for Digest. URLs are kept without their user information, so no message shows a password.
- An answer a server may have cut short is checked. Virtuoso stops at its
  ``ResultSetMaxRows`` (10,000 by default) without an error, saying so only in an
  ``X-SPARQL-MaxRows`` header on SELECT answers and not at all on CONSTRUCT answers. A SELECT
  answer with that header, or of :data:`VERIFY_ROWS` rows or more, is compared with a
  ``COUNT`` of the same query, and a shorter answer raises
  :class:`~diplograph.errors.TruncatedResultError`. :meth:`Endpoint.graph` compares the triples
  it receives with the graph's ``COUNT`` and, when the answer was cut, fetches the graph again
  in pages of the size the server sent (``LIMIT``/``OFFSET`` over an ordered sub-query).

:func:`push_graph` replaces one named graph: an HTTP ``PUT`` of N-Triples to the Graph Store
Protocol (``method="gsp"``), or for servers without it (QLever, Neptune's SPARQL endpoint)
``DROP SILENT GRAPH`` + ``INSERT DATA`` (``method="update"``), its blank nodes sent as skolem
IRIs (:func:`diplograph.iris.push_skolem_base`; Virtuoso refuses blank nodes in ``INSERT DATA``,
and a graph sent in several requests would otherwise split them). Both replace the graph, so
pushing twice leaves the same triples.
"""

from __future__ import annotations

import json
import netrc
import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from diplograph.compat import SigningDigestAuthHandler
from diplograph.errors import CredentialsError, EndpointError, TruncatedResultError
from diplograph.iris import push_skolem_base
from diplograph.namespaces import XSD

__all__ = [
    "DEFAULT_TIMEOUT",
    "PUSH_METHODS",
    "VERIFY_ROWS",
    "Answer",
    "Credentials",
    "Endpoint",
    "graph_triple_count",
    "literal_datatypes",
    "push_graph",
    "skolemised",
]

#: Seconds to wait for any one HTTP request.
DEFAULT_TIMEOUT = 60.0
#: Ways :func:`push_graph` can replace a graph.
PUSH_METHODS = ("gsp", "update")
#: A SELECT answer of this many rows or more is compared with a COUNT of its query, even when the
#: server does not say it stopped at a limit (servers that cut answers use round limits of 1,000 or more).
VERIFY_ROWS = 1000
#: The header in which Virtuoso says a SELECT answer reached its ResultSetMaxRows.
MAXROWS_HEADER = "X-SPARQL-MaxRows"
# INSERT DATA requests are split so that no single request body grows without bound; Virtuoso
# 7.2's SPARQL parser runs out of stack ("SP030: memory exhausted") at about 5,000 triples in one.
_INSERT_CHUNK_TRIPLES = 2_000
_MESSAGE_CHARS = 200
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a server's HTTP Basic or Digest authentication (the password is never shown)."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def find(
        cls, url: str, user: str | None = None, password: str | None = None, netrc_file: Path | str | None = None
    ) -> Credentials | None:
        """The credentials for ``url``: ``user`` and ``password`` when given, else those of the URL's
        ``user:password@``, else the ``.netrc`` entry of its host (``netrc_file``, default ``$NETRC``
        or ``~/.netrc``; an entry for another login than ``user`` is not used). None when there is
        no user (a password alone, say from the environment for another server, is not used).

        Raises :class:`~diplograph.errors.CredentialsError` for a user without a password and for a
        ``.netrc`` that exists but cannot be read.
        """
        parts = urllib.parse.urlsplit(url)
        in_url = urllib.parse.unquote(parts.username) if parts.username else None
        if password is None and parts.password is not None and user in (None, in_url):
            password = urllib.parse.unquote(parts.password)
        user = user or in_url
        if password is None and parts.hostname:
            found = _netrc_entry(parts.hostname, netrc_file, url)
            if found is not None and (user is None or user == found[0]):
                user, password = found
        if user is None:
            return None
        if password is None:
            raise CredentialsError("no-password", url, user=user)
        return cls(user, password)


def _netrc_entry(host: str, netrc_file: Path | str | None, url: str) -> tuple[str, str] | None:
    path = Path(netrc_file) if netrc_file is not None else Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(os.fspath(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise CredentialsError("netrc", url, path=path, detail=str(getattr(exc, "msg", exc))) from None
    if entry is None or not entry[0] or entry[2] is None:
        return None
    return entry[0], entry[2]


def _without_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


@dataclass(frozen=True)
class Answer:
    """One 2xx answer: its body, its media type (``Content-Type`` without parameters), and the row
    limit the server says the answer reached (Virtuoso's ``X-SPARQL-MaxRows``), else None."""

    body: bytes
    media_type: str
    limit: int | None = None


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL server: its query, update and Graph Store Protocol URLs, and the credentials to send."""

    query: str
    update: str
    gsp: str
    timeout: float = DEFAULT_TIMEOUT
    credentials: Credentials | None = None

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        update: str | None = None,
        gsp: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        user: str | None = None,
        password: str | None = None,
        netrc_file: Path | str | None = None,
    ) -> Endpoint:
        """Build an endpoint from its query URL, guessing the other two for Oxigraph's layout.

        ``http://host:7878`` or ``…/query`` (Oxigraph) gives ``…/query``, ``…/update`` and
        ``…/store``; any other URL is used for all three unless ``update`` / ``gsp`` say
        otherwise. Credentials come from :meth:`Credentials.find` (``user``/``password``, the
        URL's ``user:password@``, ``.netrc``); the URLs are kept without user information.
        Raises :class:`~diplograph.errors.EndpointError` for a URL that is not http(s).
        """
        for given in (url, update, gsp):
            parsed = urllib.parse.urlsplit(given or url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise EndpointError(given or url, "not an http:// or https:// URL")
        credentials = Credentials.find(url, user, password, netrc_file)
        if credentials is None:
            for other in (update, gsp):
                credentials = credentials or (Credentials.find(other, netrc_file=netrc_file) if other else None)
        url = _without_userinfo(url)
        base = url.rstrip("/")
        path = urllib.parse.urlsplit(url).path
        if path in ("", "/"):
            query, guess_update, guess_gsp = base + "/query", base + "/update", base + "/store"
        elif base.endswith("/query"):
            root = base[: -len("/query")]
            query, guess_update, guess_gsp = base, root + "/update", root + "/store"
        else:
            query = guess_update = guess_gsp = url
        return cls(
            query=query,
            update=_without_userinfo(update) if update else guess_update,
            gsp=_without_userinfo(gsp) if gsp else guess_gsp,
            timeout=timeout,
            credentials=credentials,
        )

    # --- SPARQL 1.1 Protocol ----------------------------------------------------

    def ping(self) -> None:
        """Ask ``ASK {}``; raise :class:`EndpointError` naming the URL if the server does not answer."""
        self.select_json("ASK {}")

    def ask(self, query: str, accept: str, default_graph: str | None = None) -> Answer:
        """Send ``query`` (any form) as a form-encoded POST, accepting ``accept``; the :class:`Answer`."""
        fields = [("query", query)] + ([("default-graph-uri", default_graph)] if default_graph else [])
        return self.answer(
            self.query, data=urllib.parse.urlencode(fields).encode("ascii"),
            headers={"Content-Type": _FORM, "Accept": accept},
        )

    def select_json(self, query: str) -> dict:
        """Run a SELECT or ASK query and return the parsed SPARQL JSON results, checked to be complete."""
        results, limit = self._json_results(query)
        if "results" in results:
            self.check_complete(query, len(results["results"]["bindings"]), limit)
        return results

    def _json_results(self, query: str) -> tuple[dict, int | None]:
        answer = self.ask(query, "application/sparql-results+json")
        try:
            results = json.loads(answer.body)
            if "results" in results:
                len(results["results"]["bindings"])
            elif not isinstance(results.get("boolean"), bool):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(self.query, "answered something that is not SPARQL JSON results") from None
        return results, answer.limit

    def check_complete(self, query: str, rows: int, limit: int | None) -> None:
        """Raise :class:`~diplograph.errors.TruncatedResultError` when the SELECT ``query`` has more
        solutions than the ``rows`` the server sent.

        Checked (one ``COUNT`` of the same query) when the server said the answer reached a
        ``limit`` or when there are :data:`VERIFY_ROWS` rows or more. A query that cannot be
        counted (one with ``FROM``) but reached the server's limit is taken as cut.
        """
        if limit is None and rows < VERIFY_ROWS:
            return
        total = self.solutions(query)
        if total is None:
            if limit is not None and rows >= limit:
                raise TruncatedResultError(self.query, rows, None, limit)
            return
        if total > rows:
            raise TruncatedResultError(self.query, rows, total, limit)

    def solutions(self, query: str) -> int | None:
        """How many solutions the SELECT ``query`` has (a ``COUNT`` of it as a sub-query), or None
        when it cannot be counted that way (not a SELECT, a ``FROM`` clause, a server refusing it)."""
        counting = _count_query(query)
        if counting is None:
            return None
        try:
            return self._count(counting)
        except EndpointError as exc:
            if exc.status == 400:  # the server's parser does not take the wrapped query
                return None
            raise

    def _count(self, query: str) -> int:
        """The one number a ``SELECT (COUNT(…) AS ?n)`` query answers."""
        results, _limit = self._json_results(query)  # one row: nothing to cut
        try:
            (row,) = results["results"]["bindings"]
            (value,) = row.values()
            return int(value["value"])
        except (KeyError, TypeError, ValueError):
            raise EndpointError(self.query, "answered a COUNT query with something that is not one number") from None

    def construct_ntriples(self, query: str) -> bytes:
        """Run a CONSTRUCT query and return its N-Triples bytes (not checked: see :meth:`graph`)."""
        return self.ask(query, "application/n-triples").body

    def graph(self, name: URIRef | None) -> Graph:
        """Every triple of named graph ``name`` (None: of all named graphs), checked against the server's ``COUNT``.

        An answer cut short (a server's row limit) is fetched again in pages as large as the
        answer the server sent; if the pages do not add up to the count either,
        :class:`~diplograph.errors.TruncatedResultError` is raised. Blank nodes keep their identity
        across pages as long as the server labels them the same in every answer (Virtuoso and
        Oxigraph do): the pages are parsed as one document.
        """
        where = f"GRAPH <{name}> {{ ?s ?p ?o }}" if name is not None else "GRAPH ?g { ?s ?p ?o }"
        solutions = f"SELECT {'' if name is not None else 'DISTINCT '}?s ?p ?o WHERE {{ {where} }}"
        total = self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {solutions} }}")
        graph = self._parse_ntriples(self.construct_ntriples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}"))
        if len(graph) >= total:
            return graph
        page = len(graph)
        if page == 0:
            raise TruncatedResultError(self.query, 0, total, what="triples")
        ordered = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ {solutions} ORDER BY ?s ?p ?o }} }}"
        pages = [self.construct_ntriples(f"{ordered} LIMIT {page} OFFSET {offset}") for offset in range(0, total, page)]
        graph = self._parse_ntriples(b"\n".join(pages))
        if len(graph) != total:
            raise TruncatedResultError(self.query, len(graph), total, what="triples")
        return graph

    def _parse_ntriples(self, data: bytes) -> Graph:
        try:
            return Graph().parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # a server answering something else than N-Triples
            raise EndpointError(self.query, f"CONSTRUCT answer is not N-Triples ({exc.__class__.__name__})") from None

    def graph_size(self, name: URIRef) -> int:
        """The number of triples in named graph ``name`` on the server."""
        return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")

    def literal_datatypes(self, name: URIRef) -> Counter[URIRef]:
        """How many literals of each datatype named graph ``name`` holds on the server (language-tagged ones not counted)."""
        rows = self.select_json(
            "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o "
            'FILTER(isLiteral(?o) && lang(?o) = "") BIND(datatype(?o) AS ?t) } } GROUP BY ?t' % name
        )
        return Counter({URIRef(b["t"]["value"]): int(b["n"]["value"]) for b in rows["results"]["bindings"] if "t" in b})

    def run_update(self, update: str) -> None:
        """Send a SPARQL update as a form-encoded POST (the server must allow updates).

        The request says it comes from the endpoint's own origin: a server guarding against
        cross-site forms (``diplograph serve``) refuses a form-encoded update without a matching
        ``Origin``, and this is not a web page of another site.
        """
        body = urllib.parse.urlencode({"update": update}).encode("ascii")
        parts = urllib.parse.urlsplit(self.update)
        origin = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        self.request(self.update, data=body, headers={"Content-Type": _FORM, "Origin": origin})

    def named_graphs(self) -> list[URIRef]:
        """The named graphs holding at least one triple, sorted."""
        # GROUP BY, not DISTINCT: the same answer, but Virtuoso 7.2 takes seconds over DISTINCT ?g
        rows = self.select_json("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(URIRef(b["g"]["value"]) for b in rows["results"]["bindings"] if b["g"]["type"] == "uri")

    # --- Graph Store Protocol ---------------------------------------------------

    def graph_url(self, name: URIRef) -> str:
        sep = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{sep}{urllib.parse.urlencode({'graph': str(name)})}"

    def put_graph(self, name: URIRef, ntriples: bytes) -> None:
        """Replace graph ``name`` with ``ntriples`` (GSP ``PUT``)."""
        self.request(self.graph_url(name), data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"})

    def get_graph(self, name: URIRef) -> bytes:
        """Graph ``name`` as N-Triples (GSP ``GET``; not checked for truncation: see :meth:`graph`)."""
        return self.request(self.graph_url(name), headers={"Accept": "application/n-triples"})

    # --- plumbing -----------------------------------------------------------------

    def request(
        self, url: str, *, data: bytes | None = None, method: str | None = None, headers: dict[str, str] | None = None
    ) -> bytes:
        """One HTTP request with this endpoint's timeout; the body of a 2xx answer, else :class:`EndpointError`."""
        return self.answer(url, data=data, method=method, headers=headers).body

    def answer(
        self, url: str, *, data: bytes | None = None, method: str | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """Like :meth:`request`, returning the whole :class:`Answer`."""
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._http.open(req, timeout=self.timeout) as response:
                media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
                limit = (response.headers.get(MAXROWS_HEADER) or "").strip()
                return Answer(response.read(), media_type, int(limit) if limit.isdigit() else None)
        except urllib.error.HTTPError as exc:
            detail = _shorten(exc.read().decode("utf-8", "replace")) if exc.fp else ""
            challenge = _challenge(exc.headers) if exc.code == 401 else None
            if challenge and not detail:
                detail = f"the server asks for {challenge} credentials" + (
                    f"; those of user {self.credentials.user!r} were refused" if self.credentials else "")
            raise EndpointError(url, f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""),
                                status=exc.code, challenge=challenge) from None
        except urllib.error.URLError as exc:
            raise EndpointError(url, f"cannot reach the server ({_shorten(str(exc.reason))})") from None
        except TimeoutError:
            raise EndpointError(url, f"no answer within {self.timeout:g} s") from None
        except ValueError as exc:  # urllib's Digest handler meeting a scheme it does not speak
            raise EndpointError(url, f"cannot authenticate: {_shorten(str(exc))}") from None
        except OSError as exc:  # connection reset, refused mid-request, …
            raise EndpointError(url, f"connection failed ({_shorten(str(exc))})") from None

    @cached_property
    def _http(self) -> _Http:
        return _Http(self.credentials, (self.query, self.update, self.gsp))


class _Http:
    """urllib's opener for one :class:`Endpoint`: with credentials, it answers Digest and Basic
    challenges for the endpoint's hosts, and signs requests up front once it knows a path's challenge.

    urllib only authenticates in answer to a ``401``, by sending the request again; a server that
    answers ``401`` to a large body before reading it closes the connection first (Virtuoso), so
    the body could never be sent. So before the first request with a body to a path, the same
    request is sent without a body and without credentials, to learn what the server asks for
    (what curl does); then requests are signed before they are sent (Digest:
    :class:`~diplograph.compat.SigningDigestAuthHandler`; Basic: the credentials go with the
    request). Any other answer to that first request means the path needs no credentials.
    """

    def __init__(self, credentials: Credentials | None, urls: Iterable[str]) -> None:
        self.digest: SigningDigestAuthHandler | None = None
        self._known: set[str] = set()
        if credentials is None:
            self.opener = urllib.request.build_opener()
            return
        self.passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for url in set(urls):
            self.passwords.add_password(None, _root(url), credentials.user, credentials.password)
        self.digest = SigningDigestAuthHandler(self.passwords)
        self.opener = urllib.request.build_opener(self.digest, urllib.request.HTTPBasicAuthHandler(self.passwords))

    def open(self, req: urllib.request.Request, timeout: float):
        if req.data and self.digest is not None:
            self._learn_challenge(req, timeout)
        return self.opener.open(req, timeout=timeout)

    def _learn_challenge(self, req: urllib.request.Request, timeout: float) -> None:
        parts = urllib.parse.urlsplit(req.full_url)
        path = f"{parts.scheme}://{parts.netloc}{parts.path}"
        if path in self._known:
            return
        self._known.add(path)
        probe = urllib.request.Request(req.full_url, data=b"", method=req.get_method(), headers=dict(req.header_items()))
        try:
            urllib.request.build_opener().open(probe, timeout=timeout).close()
        except urllib.error.HTTPError as exc:
            exc.close()
            offered = exc.headers.get_all("WWW-Authenticate") if exc.code == 401 else None
            for value in offered or ():
                if self.digest.learn(parts.netloc, value):
                    return
                if value.strip().lower().startswith("basic"):
                    self.passwords.update_authenticated(_root(req.full_url), True)
                    return
        except (OSError, ValueError):  # the request itself will say what is wrong
            pass


def _root(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def push_graph(endpoint: Endpoint, name: URIRef, graph: Graph, method: str = "gsp") -> int:
    """Replace named graph ``name`` on ``endpoint`` with ``graph``; return the number of triples sent.

    ``method`` is ``"gsp"`` (one HTTP PUT) or ``"update"``: one ``DROP SILENT GRAPH`` request,
    then ``INSERT DATA`` in chunks, blank nodes sent as skolem IRIs (:func:`skolemised`). The drop
    is a request of its own: Virtuoso 7.2 checks an ``INSERT DATA`` sent with it against the
    graph as it was, so a literal equal in value to one already there (``"3020000000"^^xsd:integer``
    and the ``xsd:decimal`` its Graph Store made of it) is not written. A reader may see the
    graph empty between the requests.
    """
    if method not in PUSH_METHODS:
        raise EndpointError(endpoint.query, f"unknown push method {method!r}; choose one of: {', '.join(PUSH_METHODS)}")
    if method == "gsp":
        endpoint.put_graph(name, _ntriples(graph))
        return len(graph)
    triples = list(skolemised(graph, name))
    endpoint.run_update(f"DROP SILENT GRAPH <{name}>")
    for start in range(0, len(triples), _INSERT_CHUNK_TRIPLES):
        body = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples[start : start + _INSERT_CHUNK_TRIPLES])
        endpoint.run_update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}")
    return len(triples)


def skolemised(graph: Graph, name: URIRef) -> Iterable[tuple]:
    """The triples of ``graph`` with every blank node replaced by a skolem IRI of its own under
    :func:`~diplograph.iris.push_skolem_base` of ``name``: the same blank node gets the same IRI
    in every triple, whichever request carries it; a token of this call makes the IRIs unlike any
    an earlier push left on the server."""
    base = f"{push_skolem_base(str(name))}{secrets.token_hex(8)}-"
    iris: dict[BNode, URIRef] = {}

    def sk(node):
        if not isinstance(node, BNode):
            return node
        if node not in iris:
            iris[node] = URIRef(f"{base}{len(iris)}")
        return iris[node]

    return ((sk(s), p, sk(o)) for s, p, o in graph)


def literal_datatypes(graph: Graph) -> Counter[URIRef]:
    """How many literals of each datatype ``graph`` holds (language-tagged ones not counted), as
    :meth:`Endpoint.literal_datatypes` counts them on a server: a plain literal is ``xsd:string``."""
    return Counter(o.datatype or XSD.string for o in graph.objects() if isinstance(o, Literal) and not o.language)


def graph_triple_count(endpoint: Endpoint, names: Iterable[URIRef] | None = None) -> dict[URIRef, int]:
    """Triples per named graph on ``endpoint`` (only ``names`` when given)."""
    rows = endpoint.select_json("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {URIRef(b["g"]["value"]): int(b["n"]["value"]) for b in rows["results"]["bindings"]}
    if names is None:
        return counts
    return {n: counts.get(n, 0) for n in names}


# A query's prologue: comments, PREFIX and BASE declarations (an IRI holds no '>' or whitespace).
_PROLOGUE_ITEM = re.compile(r"\s*(?:#[^\n]*(?:\n|$)|(?i:PREFIX)\s+[^\s:]*:\s*<[^>\s]*>|(?i:BASE)\s*<[^>\s]*>)")
_SELECT_HEAD = re.compile(r"\s*(?i:SELECT)\b")
_FROM_BEFORE_WHERE = re.compile(r"[^{]*(?<![?$\w])(?i:FROM)\b")


def _count_query(query: str) -> str | None:
    """``SELECT (COUNT(*) AS ?n) WHERE { { the query } }`` with the query's prologue in front, or None
    for a query that is not a SELECT or has a ``FROM`` (a sub-query takes neither)."""
    end = 0
    while (match := _PROLOGUE_ITEM.match(query, end)) is not None and match.end() > end:
        end = match.end()
    prologue, body = query[:end], query[end:]
    if not _SELECT_HEAD.match(body) or _FROM_BEFORE_WHERE.match(body):
        return None
    return f"{prologue}\nSELECT (COUNT(*) AS ?diplograph_solutions) WHERE {{ {{\n{body}\n}} }}"


def _challenge(headers) -> str | None:
    """The authentication scheme a 401 asks for (``"Digest"``, ``"Basic"``, …), from ``WWW-Authenticate``."""
    offered = [v.split(None, 1)[0] for v in (headers.get_all("WWW-Authenticate") or []) if v.strip()]
    return " or ".join(dict.fromkeys(offered)) or None


def _ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 3] + "..."
