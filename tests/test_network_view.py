"""What the network view says (issue 15), checked on the projection of the seed dataset:
provenance one entry per sentence, sources with titles and addresses, asserted graphs only,
--until applied to details and provenance, modality of every drawn edge."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.projection import as_of, project

REPO = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/diplograph/id/"
REL = ID + "relationship/AZE-CHN"
FIXTURE = Path(__file__).parent / "fixtures" / "network-view.ttl"


@pytest.fixture(scope="module")
def seed(project_datasets):
    return project(project_datasets.get("memory"))


def all_provenance(G):
    for _, a in G.nodes(data=True):
        yield from a["provenance"]
    for _, _, a in G.edges(data=True):
        yield from a["provenance"]


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="diplograph-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


# --- 1. right data ------------------------------------------------------------------------------


def test_relationship_provenance_has_one_entry_per_sentence(seed):
    prov = seed.nodes[REL]["provenance"]
    sentences = Counter(p["evidence"] for p in prov)
    assert len(prov) == 24 and max(sentences.values()) == 1  # 44 entries for 24 sentences before
    # The sentence behind the level and the meeting lists both statements, once each.
    elevation = [p for p in prov if p["evidence"].startswith("The leaders announced the elevation")]
    assert len(elevation) == 1
    assert sorted(part["statement"].rsplit("/", 1)[-1] for part in elevation[0]["parts"]) == [
        "assessment-new-chapter", "level-strategic-partnership"]
    assert elevation[0]["statements"] == 2 and elevation[0]["modality"] == "claim, reported fact"
    assert len({part["statement"] for p in prov for part in p["parts"]}) > len(prov)  # many statements, merged


def test_every_source_has_a_title_and_reference_sources_their_address(seed):
    sources = [s for p in all_provenance(seed) for s in p["sources"]]
    assert sources and all(s["title"] for s in sources)
    titles = {s["title"] for s in sources}
    assert "un-org-en-about-us-member-states" not in titles  # the slug is no longer what a reader sees
    un = [a for u, v, a in seed.edges(data=True) if a["kind"] == "member of" and v == ID + "org/un"]
    assert {s["url"] for a in un for p in a["provenance"] for s in p["sources"]} == {"https://www.un.org/en/about-us/member-states"}
    article = {s["title"] for p in seed.nodes[REL]["provenance"] for s in p["sources"]}
    assert article == {"China and Azerbaijan Elevate Strategic Partnership - Chinese Ambassador"}
    # No sentence id leaks into a source (the inferred graph used to add sentences as sources).
    assert not [s for s in sources if "/sentence/" in s["url"] or re.search(r"\b\d+-\d+\b", s["title"])]


def test_the_inferred_graph_changes_no_provenance(project_datasets):
    plain = project(project_datasets.get("memory"))
    inferred = project(project_datasets.get("memory", infer=True))
    assert plain.nodes[REL]["provenance"] == inferred.nodes[REL]["provenance"]
    assert plain.number_of_edges() == inferred.number_of_edges()


def test_build_draws_the_same_network_as_viz(tmp_path):
    """out/network.html from build (whose dataset holds the inferred graph) and viz's page agree."""
    built = run_cli("build", "--out", str(tmp_path / "out"), "--engine", "fast", cwd=tmp_path, home=REPO)
    assert built.returncode == 0, built.stderr
    drawn = run_cli("viz", "-o", str(tmp_path / "viz.html"), cwd=tmp_path, home=REPO)
    assert drawn.returncode == 0, drawn.stderr

    def links(data):
        return sorted((e["from"], e["to"], e["kind"], e["tip"]["heading"]) for e in data["links"])

    from_build, from_viz = page_data(tmp_path / "out" / "network.html"), page_data(tmp_path / "viz.html")
    assert links(from_build) == links(from_viz) and len(from_viz["links"]) > 40
    assert sorted(n["id"] for n in from_build["nodes"]) == sorted(n["id"] for n in from_viz["nodes"])
    sources = {s["title"] for e in from_build["links"] for p in e["tip"]["provenance"] for s in p["sources"]}
    assert not [t for t in sources if re.search(r"\b\d+-\d+\b", t)]


def test_only_https_addresses_become_links():
    from diplograph.viz import _safe_url

    G = project(Graph().parse(FIXTURE))
    urls = {s["title"]: s["url"] for p in all_provenance(G) for s in p["sources"]}
    assert urls == {"https://example.org/members": "https://example.org/members",
                    "A source whose address is a script": "javascript:alert(1)"}
    assert _safe_url("javascript:alert(1)") == "" and _safe_url("http://example.org/") == ""
    assert _safe_url("https://example.org/a b") == "" and _safe_url('https://x.org/"onmouseover=') == ""
    assert _safe_url("https://www.un.org/en/about-us/member-states") == "https://www.un.org/en/about-us/member-states"


# --- 2. time ------------------------------------------------------------------------------------


def test_until_drops_later_details_and_provenance(seed):
    before = as_of(seed, "2024-07-02")
    rel = before.nodes[REL]
    assert not [v for _, v in rel["details"] if "3 July 2024" in v]
    assert [v for _, v in seed.nodes[REL]["details"] if "elevated to a strategic partnership on 3 July 2024" in v]
    statements = {part["statement"] for p in rel["provenance"] for part in p["parts"]}
    assert ID + "statement/china-azerbaijan-2024/level-strategic-partnership" not in statements
    assert not [p for p in rel["provenance"] if p["evidence"].startswith("Speaking at a press conference")]
    # A sentence cited by a later and an earlier statement stays, for the earlier one only.
    elevation = [p for p in rel["provenance"] if p["evidence"].startswith("The leaders announced")]
    assert [part["statement"].rsplit("/", 1)[-1] for part in elevation[0]["parts"]] == ["assessment-new-chapter"]
    assert elevation[0]["modality"] == "claim" and elevation[0]["statements"] == 1
    # The trade figure for January-October 2024 is known once October is over.
    assert not [v for _, v in as_of(seed, "2024-10-30").nodes[REL]["details"] if "January to October 2024" in v]
    assert [v for _, v in as_of(seed, "2024-10-31").nodes[REL]["details"] if "January to October 2024" in v]


def test_people_keep_their_posts_dated_by_year(seed):
    before = as_of(seed, "2024-07-02")
    people = [n for n, a in before.nodes(data=True) if a["kind"] == "person"]
    assert len(people) == 4
    assert all(any(a["kind"] == "holds post in" for _, _, a in before.edges(n, data=True)) for n in people)
    assert not [n for n in before if before.degree(n) == 0]  # nobody isolated


def test_until_in_the_page_data(tmp_path):
    result = run_cli("viz", "-o", str(tmp_path / "n.html"), "--until", "2024-07-02", cwd=tmp_path, home=REPO)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "elevated to a strategic partnership on 3 July 2024" not in text
    assert "2024-07-03" not in text  # no level, meeting or statement from 3 July on the page


# --- 3. modality ----------------------------------------------------------------------------------


def test_every_edge_has_its_statements_modality(seed):
    by_modality = Counter(a["modality"] for _, _, a in seed.edges(data=True))
    assert by_modality == {"reported fact": 44, "claim": 6, "plan": 4, "projection": 1, "": 3}
    for _, _, a in seed.edges(data=True):
        if a["provenance"]:
            assert a["modality"] == a["provenance"][0]["modality"]
    kinds = {a["kind"]: a["modality"] for _, _, a in seed.edges(data=True) if a["kind"] in ("claims", "plans", "projects")}
    assert kinds == {"claims": "claim", "plans": "plan", "projects": "projection"}
    # Edges without a modality are reference facts about organisations (part of, located in).
    assert {a["kind"] for _, _, a in seed.edges(data=True) if not a["modality"]} == {"part of", "located in"}


def test_claims_count_from_the_occasion_they_were_made_at(seed):
    def claimants(G):
        return {G.nodes[u]["label"] for u, _, a in G.edges(data=True) if a["kind"] == "claims"}

    def claims(G):
        return sorted(G.nodes[u]["label"] for u, _, a in G.edges(data=True) if a["kind"] == "claims")

    # Ding Tao's quotes were made at his press conference of "2024": they count from 2024 on, while
    # his undated assessments stay. Xi's quote has no occasion (the article says only that Ding
    # relayed it there, dg:reportedAt), so it is undated and stays too.
    before, after = as_of(seed, "2023-12-31"), as_of(seed, "2024-01-01")
    assert claimants(before) == claimants(after) == {"Ding Tao", "Xi Jinping"}
    assert claims(before).count("Ding Tao") < claims(after).count("Ding Tao")
    assert claims(before).count("Xi Jinping") == claims(after).count("Xi Jinping") == 1


def test_modality_names_do_not_need_the_ontologys_labels():
    """A graph loaded on its own (no ontology, so no labels for dg:ReportedFact) gets the same names."""
    G = project(Graph().parse(FIXTURE))
    assert {a["modality"] for _, _, a in G.edges(data=True)} == {"reported fact"}
    assert {p["modality"] for _, _, a in G.edges(data=True) for p in a["provenance"]} == {"reported fact"}
