"""Helpers shared by the merge tests: run a named query on a merge, read golden CSVs."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "merge"
GOLDEN = Path(__file__).parent / "golden" / "merge"
QUERIES = ROOT / "queries"
SEED = ROOT / "graphs" / "china-azerbaijan-2024.ttl"
REFERENCE = sorted((ROOT / "graphs" / "reference").glob("*.ttl"))
MERGE_QUERIES = ["partners", "met-at-summit", "trade-ranked", "shared-organisations", "merged-provenance"]


def header(query_text: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^#\+ (\w+):(.*)$", query_text, re.M)}


def run_named_query(nquads: str, name: str) -> list[list[str]]:
    """Run queries/{name}.rq on Oxigraph over the merge (union default graph); rows as W3C SPARQL CSV cells."""
    store = pyoxigraph.Store()
    store.load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    columns = [c.lstrip("?") for c in header(text)["returns"].replace(",", " ").split()]
    rows = []
    for solution in store.query(text, use_default_graph_as_union=True):
        rows.append([_cell(solution[c]) for c in columns])
    return [columns] + rows


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
