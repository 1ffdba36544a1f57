"""Scaffold the Turtle file of a new bilateral relationship (``diplograph new``).

:func:`scaffold_relationship` writes a graph that validates as it is: the source document
(and, given the article's text file, every sentence of it as a ``dg:Sentence``), its unnamed
author, the two states (referred to by ``id/state/{ISO3}``; they are described in
``graphs/reference/states.ttl``) and the relationship node ``id/relationship/{ISO3}-{ISO3}``
with its provenance; given what the dataset already knows (:func:`diplograph.known.known_about`),
the IRIs to reuse for it; then commented-out examples of every kind of statement, each with full
provenance, for the author to copy, fill in and uncomment. :func:`known_states` reads the codes
a scaffold may use from the reference graph.

Every comment that explains starts with ``## ``; every commented line of Turtle with ``# ``, so
removing the ``# `` of an example gives valid Turtle (tests/test_scaffold.py does it for all of them).
IRIs follow ``docs/conventions.md`` and are written as prefixed names.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph

from diplograph.known import Known
from diplograph.errors import BadValueError, OutputExistsError, UsageError, display_path
from diplograph.files import write_atomically
from diplograph.loading import load_graph
from diplograph.namespaces import DG, RDF, RDFS
from diplograph.sources import read_source_text
from diplograph.terms import best_label, quote, slug

__all__ = ["ScaffoldResult", "UnknownStateError", "known_states", "scaffold_relationship", "default_output"]


class UnknownStateError(UsageError):
    """An ISO code that the reference states graph does not hold (exit 2)."""


@dataclass(frozen=True)
class ScaffoldResult:
    path: Path
    stem: str
    relationship: str  # e.g. "CHN-KAZ"
    sentences: int


def known_states(states_file: Path) -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> English name of every ``dg:State`` in ``states_file``."""
    g: Graph = load_graph(states_file)
    states: dict[str, str] = {}
    for node in g.subjects(RDF.type, DG.State):
        code = g.value(node, DG.isoAlpha3)
        if code is None:
            continue
        states[str(code)] = best_label(g.objects(node, RDFS.label), "en", fallback=False) or str(code)
    return states


def default_output(graphs_dir: Path, code_a: str, code_b: str, states: dict[str, str]) -> Path:
    """``graphs/{name-a}-{name-b}.ttl`` in the order given: CHN KAZ -> china-kazakhstan.ttl."""
    return graphs_dir / f"{slug(states[code_a])}-{slug(states[code_b])}.ttl"


def scaffold_relationship(
    code_a: str,
    code_b: str,
    *,
    states_file: Path,
    output: Path,
    source_title: str,
    source_url: str | None = None,
    source_file: Path | None = None,
    force: bool = False,
    known: Known | None = None,
) -> ScaffoldResult:
    """Write the scaffold of the relationship between ``code_a`` and ``code_b`` to ``output``.

    Raises :class:`UnknownStateError` for a code not in ``states_file`` (naming close matches),
    :class:`~diplograph.errors.UsageError` when ``output`` exists and ``force`` is false, or the
    two codes are the same.
    """
    states = known_states(states_file)
    code_a, code_b = code_a.strip().upper(), code_b.strip().upper()
    for code in (code_a, code_b):
        if code not in states:
            raise UnknownStateError(f"unknown ISO 3166-1 alpha-3 code {code!r} (not in {display_path(states_file)}); "
                                    f"close matches: {_close(code, states)}")
    if code_a == code_b:
        raise UsageError(f"a bilateral relationship needs two different states, got {code_a} twice")
    if output.exists() and not force:
        raise OutputExistsError(output)
    if not source_title.strip():
        raise BadValueError("source_title", source_title, "must not be empty")
    text = None
    if source_file is not None:
        if not source_file.is_file():
            raise UsageError(f"{display_path(source_file)}: no such source text file")
        try:
            text = read_source_text(source_file)
        except UnicodeDecodeError as exc:
            raise UsageError(f"{display_path(source_file)}: not UTF-8 ({exc.reason})") from None
    stem = output.stem
    content = _render(code_a, code_b, states, stem, source_title, source_url, source_file, text, known)
    write_atomically(output, content)
    return ScaffoldResult(output, stem, "-".join(sorted((code_a, code_b))), len(text.sentences) if text else 0)


# --- rendering -------------------------------------------------------------------


def _render(a, b, states, stem, title, url, source_file, text, known=None) -> str:
    x, y = sorted((a, b))
    rel = f"{x}-{y}"
    name_a, name_b = states[a], states[b]
    file_name = source_file.name if source_file is not None else f"{stem}.txt"
    evidence_sentence = _first_mention(text, (name_a, name_b)) if text else None
    lines: list[str] = []
    w = lines.append
    w(f"## {name_a}–{name_b} relations, as reported in one source document: {title}")
    w("## Scaffolded by `diplograph new`. What is not commented out already validates; the commented blocks")
    w("## below are examples of every kind of statement, each with its full provenance: copy one, fill it in")
    w("## from the source, uncomment it (remove the \"# \" of its lines), and run `diplograph validate` (all of")
    w("## graphs/: the people and events this file reuses are described in the other graphs, not here).")
    w("## States, organisations and places are described in graphs/reference/ and only referred to here.")
    w("## IRIs follow docs/conventions.md: the same thing gets the same IRI in every graph, written as a")
    w("## prefixed name (event:summit-2024-astana-sco, membership:sco-KAZ; never a \"/\" after the prefix).")
    w("")
    for prefix, ns in (
        ("dg", "https://w3id.org/diplograph/ns#"), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("dcterms", "http://purl.org/dc/terms/"), ("prov", "http://www.w3.org/ns/prov#"),
        ("foaf", "http://xmlns.com/foaf/0.1/"), ("org", "http://www.w3.org/ns/org#"),
        ("schema", "https://schema.org/"),
        ("state", "https://w3id.org/diplograph/id/state/"), ("orgn", "https://w3id.org/diplograph/id/org/"),
        ("person", "https://w3id.org/diplograph/id/person/"), ("place", "https://w3id.org/diplograph/id/place/"),
        ("post", "https://w3id.org/diplograph/id/post/"), ("event", "https://w3id.org/diplograph/id/event/"),
        ("membership", "https://w3id.org/diplograph/id/membership/"),
        ("rel", "https://w3id.org/diplograph/id/relationship/"),
        ("src", f"https://w3id.org/diplograph/id/source/{stem}"),
        ("sen", f"https://w3id.org/diplograph/id/source/{stem}/sentence/"),
        ("st", f"https://w3id.org/diplograph/id/statement/{stem}/"),
    ):
        w(f"@prefix {prefix + ':':<12} <{ns}> .")
    author = f"<https://w3id.org/diplograph/id/source/{stem}/author>"
    w("")
    w(_banner("The source document and who speaks in it"))
    w("")
    w("src: a dg:SourceDocument ;")
    w(f"    dcterms:title {quote(title)} ;")
    if url:
        w(f"    schema:url <{_iri(url)}> ;")
    w(f"    dcterms:creator {author} ;")
    w(f"    dcterms:subject rel:{rel} ;")
    w(f"    dg:fileName {quote(file_name)} ;")
    if text is not None:
        w(f"    dg:sha256 {quote(text.sha256)} ;")
        for _line, excluded in text.excluded:
            w(f"    dg:excludedText {quote(excluded)} ;")
        w(f"    dg:note {quote(f'Scaffolded from {file_name}: {len(text.sentences)} sentences below.')} .")
    else:
        w(f"    dg:note {quote(f'Save the text of the article as {file_name} in sources/ and run `diplograph new` again with --source-file to list its sentences.')} .")
    w("")
    w(f"{author} a dg:UnnamedAuthor ;")
    w('    rdfs:label "unnamed author of the source document" ;')
    w('    dg:note "Statements the document makes in its own voice, without naming a speaker, are attributed to its author." .')
    w("")
    w(_banner("The relationship"))
    w("")
    w(f"rel:{rel} a dg:BilateralRelationship ;")
    w(f"    rdfs:label {quote(f'{name_a}–{name_b} relations')} ;")
    w(f"    dg:party state:{x} , state:{y} ;")
    if evidence_sentence is not None:
        w(f"    dg:evidence sen:{evidence_sentence.key} ;")
    else:
        w('    dg:evidenceNote "Scaffolded: replace with dg:evidence naming the sentence that speaks of the relationship." ;')
    w(f"    prov:wasDerivedFrom src: ; prov:wasAttributedTo {author} ;")
    w("    dg:modality dg:ReportedFact .")
    w("")
    if known is not None:
        w(_known_section(known))
    w(_examples(a, b, x, y, rel, states, author))
    if text is not None:
        w(_banner("The sentences of the source, verbatim (line and position in the text file)"))
        w("")
        for s in text.sentences:
            w(f"sen:{s.key} a dg:Sentence ; dcterms:isPartOf src: ; dg:lineNumber {s.line} ; dg:sentenceNumber {s.number} ;")
            w(f"    dg:text {quote(s.text)} .")
            w("")
    return "\n".join(lines).rstrip() + "\n"


def _examples(a, b, x, y, rel, states, author) -> str:
    na, nb = states[a], states[b]
    text = (resources.files("diplograph") / "templates" / "scaffold-examples.ttl").read_text(encoding="utf-8")
    examples = string.Template(text.split("\n\n", 1)[1]).substitute(
        a=a, b=b, na=na, nb=nb, sa=slug(na), sb=slug(nb), rel=rel, author=author)
    return _banner("Examples of every kind of statement (commented out): copy, fill in from the source, uncomment") + "\n" + examples


def _banner(title: str) -> str:
    bar = "#" * 79
    return f"{bar}\n## {title}\n{bar}"


#: The prefixes the scaffold declares for keyed IRIs (docs/conventions.md), longest first.
_SHORT = (("membership", "membership"), ("relationship", "rel"), ("state", "state"), ("org", "orgn"),
          ("person", "person"), ("place", "place"), ("post", "post"), ("event", "event"))


def prefixed(iri) -> str:
    """``id/event/summit-2024-astana-sco`` -> ``event:summit-2024-astana-sco``; else ``<iri>``.

    >>> from diplograph.namespaces import ID
    >>> prefixed(ID["membership/sco-KAZ"]), prefixed(ID["coded-event/icews/1"])
    ('membership:sco-KAZ', '<https://w3id.org/diplograph/id/coded-event/icews/1>')
    """
    text = str(iri)
    for path, prefix in _SHORT:
        base = f"https://w3id.org/diplograph/id/{path}/"
        local = text[len(base):]
        if text.startswith(base) and re.fullmatch(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?", local):
            return f"{prefix}:{local}"
    return f"<{text}>"


def _known_section(known: Known) -> str:
    """What the dataset already has about the two states, as comments: reuse these IRIs, do not describe them again."""
    lines = [_banner("Already in the dataset: reuse these IRIs (they are described elsewhere; do not repeat them)"), ""]
    w = lines.append
    w("## States: " + ", ".join(f"{prefixed(s)} ({label})" for s, label in known.states))
    w("## Posts in them and who holds them (heads of state first):")
    for post in known.posts:
        holders = ", ".join(f"{prefixed(p)} ({label})" for p, label in post.holders) or "no holder recorded"
        w(f"##   {prefixed(post.iri)} ({post.label}): {holders}")
    if not known.posts:
        w("##   none yet: describe the posts and people your source names (examples below)")
    w("## Organisations both states have a membership of (membership IRIs and statuses):")
    for org in known.organisations:
        ms = ", ".join(f"{prefixed(m)} ({status})" for m, status in org.memberships)
        w(f"##   {prefixed(org.iri)} ({org.label}): {ms}")
    if not known.organisations:
        w("##   none recorded")
    w("## Events already recorded that involve either state (type, date as recorded):")
    for event in known.events:
        w(f"##   {prefixed(event.iri)} ({event.label}; {event.kind}, {event.date or 'no date'})")
    if not known.events:
        w("##   none recorded")
    w("## `diplograph lookup NAME` finds any other entity's IRI.")
    w("")
    return "\n".join(lines)


def _first_mention(text, names):
    for s in text.sentences:
        if any(n.lower() in s.text.lower() for n in names):
            return s
    return text.sentences[0] if text.sentences else None


def _iri(url: str) -> str:
    if re.search(r'[\s<>"{}|^`\\]', url):
        raise BadValueError("source_url", url, "is not a valid IRI (no spaces, quotes or angle brackets)")
    return url


def _close(code: str, states: dict[str, str]) -> str:
    """Codes that look like ``code`` (same letters in place first), then names that do."""

    def score(c: str) -> tuple:
        same_place = sum(1 for x, y in zip(c, code) if x == y)
        return (-same_place, -difflib.SequenceMatcher(None, c, code).ratio(), c)

    by_code = [c for c in sorted(states, key=score) if score(c)[0] <= -2 or score(c)[1] <= -0.66][:4]
    names = {name.lower(): c for c, name in states.items()}
    by_name = [names[n] for n in difflib.get_close_matches(code.lower(), list(names), n=3, cutoff=0.6)]
    found = list(dict.fromkeys(by_name + by_code))[:5]
    return ", ".join(f"{c} ({states[c]})" for c in found) if found else "none"


