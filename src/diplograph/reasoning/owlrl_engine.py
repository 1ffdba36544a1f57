"""The reference reasoner: owlrl's OWL 2 RL closure plus the participation rule, filtered (see :mod:`diplograph.reasoning`)."""

from __future__ import annotations

import time

from rdflib import Graph
from rdflib.namespace import OWL

from diplograph.compat import kept_literal_conversions
from diplograph.reasoning.participation import apply_to as apply_participation
from diplograph.reasoning.result import InferenceResult, keep_worth_storing, mentioned_terms, relevant
from diplograph.store import WorkingStore

__all__ = ["OwlrlReasoner"]


class OwlrlReasoner:
    """owlrl on plain rdflib graphs; ``prune`` leaves out what no rule but eq-ref can use (same result, faster)."""

    name = "reference"

    def __init__(self, prune: bool = True) -> None:
        self.prune = prune

    def infer(self, data: Graph | WorkingStore, ontology: Graph) -> InferenceResult:
        """The new, non-noise triples OWL-RL derives from ``data`` with ``ontology`` (neither is changed).

        ``owl:hasKey`` axioms are withheld (owlrl 7.6's prp-key skips the last key property).
        """
        import owlrl  # slow to import, and only reasoning needs it

        asserted = data.to_graph() if isinstance(data, WorkingStore) else data
        started = time.perf_counter()
        schema = Graph()
        schema += (t for t in ontology if t[1] != OWL.hasKey)
        given: set = set(asserted) | set(ontology)
        work = Graph()
        work += schema
        mentioned = mentioned_terms(schema, asserted) if self.prune else None
        work += (t for t in asserted if mentioned is None or relevant(t, mentioned))
        reasoner_input = len(work)
        before = set(work)
        closure = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False)
        with kept_literal_conversions():
            closure.expand(work)
            # The participation rule (not OWL: see diplograph.reasoning.participation), then the
            # closure again for what its conclusions entail, until the rule adds nothing.
            while apply_participation(work):
                closure.expand(work)
        return keep_worth_storing(
            (t for t in work if t not in before and t not in given),
            ontology,
            engine="owlrl",
            started=started,
            asserted=len(given),
            reasoner_input=reasoner_input,
        )
