"""Benchmark (not a test): owlrl vs the fast reasoner on W3C ORG and PROV-O with generated data.

    .venv/bin/python bench/vocab_reasoning.py                       # 3, 10 and 30 assertions per property
    .venv/bin/python bench/vocab_reasoning.py --per-property 3 --seed 1

The data comes from each vocabulary's own axioms (``bench/vocabulary_data.py``, seeded; invented,
not claims). Both engines run in this process on the same rdflib graphs (owlrl with its input
pruning, as ``diplograph infer`` runs it); the table gives each one's own time, the kept triples,
whether the kept sets, ``owl:sameAs`` pairs and inconsistency messages are identical, and how many
inconsistencies were reported. Seconds vary by machine; the counts do not.
"""

from __future__ import annotations

import argparse
import time

import vocabulary_data as vd
from diplograph.reasoning import infer

CASES = {"org": (vd.ORG,), "prov-o": (vd.PROV_O,), "org+prov-o": (vd.ORG, vd.PROV_O)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-property", default="3,10,30", help="assertions per property, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print("| vocabulary | per property | data triples | owlrl s | fast s | kept (owlrl) | kept (fast) | identical | inconsistencies |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for name, paths in CASES.items():
        ontology = vd.load(*paths)
        vocabulary = vd.vocabulary(ontology)
        for per in (int(n) for n in args.per_property.split(",")):
            data = vd.build(vocabulary, vd.seeded_choices(vocabulary, args.seed, per_property=per))
            started = time.perf_counter()
            reference = infer(data, ontology)
            owlrl_s = time.perf_counter() - started
            started = time.perf_counter()
            fast = infer(data, ontology, engine="fast")
            fast_s = time.perf_counter() - started
            same = (reference.inferred == fast.inferred and reference.same_as == fast.same_as
                    and reference.inconsistencies == fast.inconsistencies)
            print(f"| {name} | {per} | {len(data)} | {owlrl_s:.2f} | {fast_s:.2f} | {reference.kept} | {fast.kept} | "
                  f"{'yes' if same else 'NO'} | {len(reference.inconsistencies)} |", flush=True)


if __name__ == "__main__":
    main()
