"""A compact form of the network page's data for large networks (``network.js`` unpacks it).

On a projection of 5,000 nodes the tooltip data was three quarters of a 46 MB page: the same
evidence sentence, source title and speaker repeated in every statement that cites them. Packed:

- every string of a tooltip is stored once, in ``strings``, and referred to by its index;
- each distinct provenance entry is stored once, in ``prov`` (a list of indices into
  ``strings``); a tooltip lists the numbers of its entries;
- a link is an array ``[label, kind, modality, date, since, from, to, tip]``: string numbers,
  then its ends as node numbers, then its tooltip; its id is its position (``l0``, ``l1`` …); the colours
  the page can work out from the kind (node colours, edge colours) are left out, and so is a
  node's ``label`` when it is its ``full`` label;
- strings (and node ids) that are IRIs under :data:`IRI_BASE` are stored as ``~`` and the rest
  (a string that itself starts with ``~`` gets a second one); the statement IRI of a
  provenance entry, which the page never shows, is left out.

Packed tooltip: ``[kind, date, details, detailSince, provenance, iri]`` (kind, date or iri -1 when
it is the record's own kind, date or id) with ``details`` a list of
``[key, value]`` string numbers, ``detailSince`` a list of string numbers or 0, ``provenance`` a
list of entry numbers. Provenance entry: ``[evidence, source, speaker, modality, occasion,
statement, sources, parts]``, ``sources`` a list of ``[title, url, link]`` and ``parts`` of
``[since, speaker, modality, occasion]`` (or, when there is one part saying what the entry says,
the number of its ``since`` alone), all string numbers. The heading is not stored: it is
the node's full label, or the link's label.
"""

from __future__ import annotations

import json

__all__ = ["pack"]

#: IRIs under this base are stored without it.
IRI_BASE = "https://w3id.org/diplograph/"

#: A packed link: these string numbers, then the numbers of its two nodes, then its tooltip.
_LINK_FIELDS = ("label", "kind", "modality", "date", "since")
_PROV_FIELDS = ("evidence", "source", "speaker", "modality", "occasion", "statement")
_PART_FIELDS = ("since", "speaker", "modality", "occasion")


class _Table:
    def __init__(self) -> None:
        self.items: list = []
        self._index: dict = {}

    def add(self, value, key=None) -> int:
        key = value if key is None else key
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.items)
            self.items.append(value)
        return found


def short(text: str) -> str:
    """``text`` with :data:`IRI_BASE` written ``~`` (and a leading ``~`` of its own doubled)."""
    if text.startswith(IRI_BASE):
        return "~" + text[len(IRI_BASE):]
    return "~" + text if text.startswith("~") else text


def pack(nodes: list[dict], links: list[dict]) -> dict:
    """``{"nodes", "links", "strings", "prov"}``: the packed form of pyvis's node and edge records."""
    strings, prov = _Table(), _Table()

    def s(text: str) -> int:
        return strings.add(short(text))

    s("")  # string 0 is the empty string

    def entry(p: dict) -> int:
        # The statement IRI of an entry is not shown by the page (the tooltip's own iri is): left out.
        packed = [s(str(p.get(k) or "")) if k != "statement" else 0 for k in _PROV_FIELDS]
        packed.append([[s(x["title"]), s(x["url"]), s(x["link"])] for x in p.get("sources", [])])
        parts = p.get("parts", [])
        if len(parts) == 1 and all(parts[0][k] == str(p.get(k) or "") for k in _PART_FIELDS[1:]):
            packed.append(s(parts[0]["since"]))  # one part saying what the entry says: only its day
        else:
            packed.append([[s(q[k]) for k in _PART_FIELDS] for q in parts])
        return prov.add(packed, json.dumps(packed, separators=(",", ":")))

    def tip(t: dict, kind: str, date: str, iri: str) -> list:
        # -1: the same as the record's own kind, date or id.
        since = t.get("detailSince")
        return [-1 if t["kind"] == kind else s(t["kind"]), -1 if t["date"] == date else s(t["date"]),
                [[s(k), s(v)] for k, v in t["details"]], [s(d) for d in since] if since else 0,
                [entry(p) for p in t["provenance"]], -1 if t["iri"] == iri else s(t["iri"])]

    number = {n["id"]: i for i, n in enumerate(nodes)}
    out_nodes = []
    for n in nodes:
        rec = {k: v for k, v in n.items() if k not in ("color", "tip")}
        if rec.get("label") == rec.get("full"):
            del rec["label"]
        rec["tip"] = tip(n["tip"], n.get("kind", ""), "", n["id"])
        rec["id"] = short(n["id"])
        out_nodes.append(rec)
    out_links = []
    for link in links:
        # An array, not an object: 25,000 links would repeat the same keys 25,000 times.
        rec = [s(str(link.get(key) or "")) for key in _LINK_FIELDS]
        rec += [number[link["from"]], number[link["to"]], tip(link["tip"], str(link.get("kind") or ""), str(link.get("date") or ""), "")]
        out_links.append(rec)
    return {"nodes": out_nodes, "links": out_links, "strings": strings.items, "prov": prov.items}
