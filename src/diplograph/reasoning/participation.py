"""The one rule of the ontology that OWL 2 RL cannot state: which memberships make a state take part.

``dg:participatesIn`` used to be the property chain ``dg:hasMembership`` o ``org:organization``,
so an applicant to BRICS "took part" in BRICS. A chain cannot look at the membership's status
(OWL 2 RL has no ``owl:hasSelf`` to filter on a class), so both reasoners apply this rule instead:

    ?m org:member ?s ; org:organization ?o ; dg:membershipStatus ?st .
    dg:ParticipationStatuses skos:member ?st .          =>  ?s dg:participatesIn ?o

The statuses that count are data of the ontology (the SKOS collection ``dg:ParticipationStatuses``),
not of this module. The reference engine applies :data:`RULE` as a SPARQL ``CONSTRUCT`` between
owlrl closures until nothing is new (:func:`apply_to`); the fast engine runs :data:`RULE` as one
more of its SPARQL rules in every round. Both read the same pattern, so they agree.
"""

from __future__ import annotations

from rdflib import Graph

from diplograph.namespaces import DG, ORG, SKOS
from diplograph.terms import sparql

__all__ = ["HEAD", "PREDICATES", "PREMISES", "apply_to"]

#: The conclusion, as a SPARQL triple pattern.
HEAD = f"?s {sparql(DG.participatesIn)} ?o ."

#: The premises, one SPARQL triple pattern each (joined).
PREMISES: tuple[str, ...] = (
    f"?m {sparql(ORG.member)} ?s .",
    f"?m {sparql(ORG.organization)} ?o .",
    f"?m {sparql(DG.membershipStatus)} ?st .",
    f"{sparql(DG.ParticipationStatuses)} {sparql(SKOS.member)} ?st .",
)

#: The predicates of the premises: the reasoners' input pruning must keep their triples.
PREDICATES = (ORG.member, ORG.organization, DG.membershipStatus, SKOS.member)

_CONSTRUCT = f"CONSTRUCT {{ {HEAD} }} WHERE {{ {' '.join(PREMISES)} FILTER(!isLiteral(?o)) }}"


def apply_to(graph: Graph) -> int:
    """Add the rule's conclusions to ``graph`` (data and ontology together); how many were new."""
    new = [t for t in graph.query(_CONSTRUCT) if t not in graph]
    for t in new:
        graph.add(t)
    return len(new)
