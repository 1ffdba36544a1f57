"""The private internals of other libraries that diplograph cannot do without, wrapped here only.

Each function says why no public API does the job. ``tests/test_compat.py`` exercises every one
against the installed library, so an upgrade that moves or changes one of them fails loudly in
that test, naming the library, instead of quietly changing diplograph's answers elsewhere.

- :func:`blank_node_labels` — rdflib's graph canonicaliser (``rdflib.compare``) computes a
  canonical hash for every blank node, but only returns a relabelled copy of the graph
  (``to_canonical_graph``), not which original blank node got which label; the merge needs that
  mapping to skolemise each file's blank nodes deterministically.
- :func:`kept_literal_conversions` — owlrl replaces rdflib's lexical-to-Python table while it
  reasons and restores it incompletely; rdflib has no public API to save and restore the table.
- :func:`shacl_datatype_ok` — pyshacl's own test of whether a literal is a well-formed value of a
  datatype (stricter than rdflib's ``ill_typed`` for some types); the fast validator must judge
  ``sh:datatype`` exactly as pyshacl does.
- :class:`SigningDigestAuthHandler` — urllib's HTTP Digest handler only answers a ``401`` by
  sending the request again, body and all; a server that refuses a large body before reading it
  (Virtuoso) resets the connection first. Signing a request up front needs urllib's
  ``get_authorization`` and its challenge parser, which the standard library does not document.
"""

from __future__ import annotations

import contextlib
import urllib.request
from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["CompatError", "SigningDigestAuthHandler", "blank_node_labels", "kept_literal_conversions", "shacl_datatype_ok"]


class CompatError(RuntimeError):
    """An installed library no longer has the internal this module relies on (a bug to fix here)."""


def blank_node_labels(graph: Graph) -> dict[Node, str]:
    """A deterministic label (24 hex digits) for every blank node of ``graph``, from rdflib's canonicaliser.

    The same graph, whatever labels its parser invented, gives the same labels.
    """
    try:
        from rdflib.compare import _TripleCanonicalizer

        canon = _TripleCanonicalizer(graph)
        coloring = canon._initial_color()
        coloring = canon._refine(coloring, coloring[:])
        if not canon._discrete(coloring):
            coloring = canon._traces(coloring, stats=None, depth=[0])
        labels = {c.nodes[0]: c.hash_color()[:24] for c in coloring if isinstance(c.nodes[0], BNode)}
    except (ImportError, AttributeError, TypeError) as exc:
        raise CompatError(f"rdflib.compare's canonicaliser changed ({type(exc).__name__}: {exc})") from exc
    bnodes = {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}
    missing = bnodes - set(labels)
    # Never seen (every blank node gets a colour of its own); keep a deterministic fallback rather than fail.
    for i, n in enumerate(sorted(missing, key=lambda b: sorted(map(str, graph.predicate_objects(b))))):
        labels[n] = f"x{i}"
    return labels


@contextlib.contextmanager
def kept_literal_conversions() -> Iterator[None]:
    """Put rdflib's literal conversion table back exactly as it was when the block ends.

    owlrl swaps in its own lexical-to-Python table while it reasons and "restores" rdflib's
    afterwards by updating only the keys rdflib's table has, so entries such as ``xsd:gYear``
    stay converted owlrl's way for the rest of the process (SHACL's ``sh:lessThanOrEquals`` then
    compares ``"2024"^^xsd:gYear`` with an ``xsd:date`` differently after a reasoning run).
    """
    from rdflib import term

    table = getattr(term, "_toPythonMapping", None)
    if not isinstance(table, dict):
        raise CompatError("rdflib.term._toPythonMapping is gone or no longer a dict")
    saved = dict(table)
    try:
        yield
    finally:
        table.clear()
        table.update(saved)


def shacl_datatype_ok(literal: Literal, datatype: URIRef) -> bool:
    """Whether pyshacl's ``sh:datatype`` test accepts ``literal`` as a value of ``datatype``."""
    try:
        from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

        return bool(DatatypeConstraintComponent._assert_actual_datatype(None, literal, datatype))
    except (ImportError, AttributeError, TypeError) as exc:
        raise CompatError(f"pyshacl's datatype test changed ({type(exc).__name__}: {exc})") from exc


def shacl_range_ok(value: Literal, bound: Literal, op: str) -> bool:
    """Whether pyshacl's ``sh:minInclusive`` (``op`` ``">="``), ``sh:minExclusive`` (``">"``),
    ``sh:maxInclusive`` (``"<="``) or ``sh:maxExclusive`` (``"<"``) test accepts the literal ``value``.

    pyshacl's rule (``value_range_constraints``): a string against a non-string fails (and the
    other way round); otherwise ``compare_literal`` decides, and an error fails. Its answers on
    mixed types (``true`` is below ``0``) are not SPARQL's, hence this wrapper.
    """
    try:
        from pyshacl.rdfutil.compare import compare_literal
    except ImportError as exc:
        raise CompatError(f"pyshacl's literal comparison moved ({exc})") from exc
    if isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        order = compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return False
    return {">=": order >= 0, ">": order > 0, "<=": order <= 0, "<": order < 0}[op]


class SigningDigestAuthHandler(urllib.request.HTTPDigestAuthHandler):
    """urllib's Digest handler that, once it knows a host's challenge, signs every request to it before sending.

    :meth:`learn` takes a challenge (a ``WWW-Authenticate`` value got by a request without a
    body, as curl does); a later ``401`` (a new nonce) replaces it. The signature is urllib's own
    (``get_authorization``: nonce counts, ``qop=auth``, MD5 or SHA).
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenges: dict[str, dict[str, str]] = {}

    def learn(self, host: str, www_authenticate: str) -> bool:
        """Keep the Digest challenge ``www_authenticate`` of ``host`` (``"name:port"``); False for another scheme."""
        scheme, _, params = www_authenticate.strip().partition(" ")
        if scheme.lower() != "digest":
            return False
        try:
            challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
        except (AttributeError, ValueError) as exc:
            raise CompatError(f"urllib.request's challenge parser changed ({type(exc).__name__}: {exc})") from exc
        self._challenges[host] = challenge
        return True

    def http_error_auth_reqed(self, auth_header, host, req, headers):  # noqa: D102 (urllib's hook)
        for value in headers.get_all(auth_header) or ():
            if self.learn(req.host, value):
                break
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        challenge = self._challenges.get(req.host)
        if challenge is not None and not req.has_header(self.auth_header):
            try:
                signature = self.get_authorization(req, challenge)
            except (AttributeError, TypeError) as exc:
                raise CompatError(f"urllib.request's Digest signing changed ({type(exc).__name__}: {exc})") from exc
            if signature:
                req.add_unredirected_header(self.auth_header, f"Digest {signature}")
        return req

    https_request = http_request
