"""The projection of the seed graph onto a reader's network, the date rule, --until and --focus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diplograph.errors import UsageError
from diplograph.projection import UnknownNodeError, as_of, focus, last_day, parse_until, project

REPO = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/diplograph/id/"


@pytest.fixture(scope="module", params=["memory", "rdflib"])
def seed(request, project_datasets):
    """The seed projection, from the Oxigraph-backed store and from the pure-rdflib one."""
    return project(project_datasets.get(request.param))


def test_the_projection_draws_asserted_graphs_only(project_datasets):
    """The inferred graph (an inverse property, a property chain …) adds no node and no edge."""
    plain, with_inferred = project(project_datasets.get("memory")), project(project_datasets.get("memory", infer=True))
    assert sorted(plain.nodes) == sorted(with_inferred.nodes)
    assert sorted(edge_set(plain)) == sorted(edge_set(with_inferred))
    assert project(project_datasets.get("memory").dataset).number_of_edges() == plain.number_of_edges()


def labels(G, kind):
    return {a["label"] for _, a in G.nodes(data=True) if a["kind"] == kind}


def edge_set(G, kind=None):
    return {
        (G.nodes[u]["label"], a["kind"], G.nodes[v]["label"])
        for u, v, a in G.edges(data=True)
        if kind is None or a["kind"] == kind
    }


def test_nodes_of_the_seed(seed):
    assert labels(seed, "state") == {"China", "Azerbaijan", "Kazakhstan"}  # only connected states, not all 195
    assert labels(seed, "person") == {"Xi Jinping", "Ilham Aliyev", "Ding Tao", "Ding Xuexiang"}
    assert labels(seed, "event") == {
        "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024",
        "SCO summit in Astana, 2024",
        "Visit of Ding Xuexiang to Azerbaijan, 2024",
        "Press conference by Ding Tao on Sino-Azerbaijani relations in 2024",
    }
    assert labels(seed, "relationship") == {"China–Azerbaijan relations"}
    assert labels(seed, "organisation") == {
        "Shanghai Cooperation Organisation",
        "United Nations",
        "BRICS",
        "Conference on Interaction and Confidence-Building Measures in Asia",
        "Communist Party of China",
        "Standing Committee of the Politburo of the Communist Party of China",
        "Tsinghua University",
        "Peking University",
    }
    assert labels(seed, "issue") == {"global justice", "hegemony", "neo-colonialism"}
    assert seed.number_of_nodes() == 23
    # No statement nodes, sentences, posts or places as nodes: they are details.
    assert not [n for n in seed if "/statement/" in n or "/sentence/" in n or "/post/" in n or "/place/" in n]


def test_edges_of_the_seed(seed):
    meeting = "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024"
    summit = "SCO summit in Astana, 2024"
    rel = "China–Azerbaijan relations"
    assert edge_set(seed, "holds post in") == {
        ("Xi Jinping", "holds post in", "China"),
        ("Ilham Aliyev", "holds post in", "Azerbaijan"),
        ("Ding Tao", "holds post in", "China"),
        ("Ding Xuexiang", "holds post in", "Standing Committee of the Politburo of the Communist Party of China"),
    }
    assert edge_set(seed, "took part in") == {
        ("Xi Jinping", "took part in", meeting),
        ("Ilham Aliyev", "took part in", meeting),
        ("Ding Xuexiang", "took part in", "Visit of Ding Xuexiang to Azerbaijan, 2024"),
    }
    assert edge_set(seed, "visited") == {("Ding Xuexiang", "visited", "Azerbaijan")}
    assert edge_set(seed, "speaker at") == {("Ding Tao", "speaker at", "Press conference by Ding Tao on Sino-Azerbaijani relations in 2024")}
    assert edge_set(seed, "summit of") == {(summit, "summit of", "Shanghai Cooperation Organisation")}
    assert edge_set(seed, "during") == {(meeting, "during", summit)}
    assert edge_set(seed, "partner") == {("China", "partner", rel), ("Azerbaijan", "partner", rel)}
    assert edge_set(seed, "party to") == {("China", "party to", rel), ("Azerbaijan", "party to", rel)}
    assert edge_set(seed, "announced") == {(meeting, "announced", rel)}
    assert edge_set(seed, "accredited to") == {("Ding Tao", "accredited to", "Azerbaijan")}
    assert len(edge_set(seed, "member of")) == 11
    assert ("Azerbaijan", "member of", "Shanghai Cooperation Organisation") in edge_set(seed, "member of")
    assert edge_set(seed, "supports") >= {("Azerbaijan", "supports", "China"), ("China", "supports", "Azerbaijan")}
    assert ("China", "opposes", "hegemony") in edge_set(seed, "opposes")
    # Claims, plans and the projection about the relationship, from who makes them (issue 15).
    assert edge_set(seed, "claims") == {("Ding Tao", "claims", rel), ("Xi Jinping", "claims", rel)}
    assert edge_set(seed, "plans") == {("Ding Tao", "plans", rel), ("China", "plans", rel), ("Azerbaijan", "plans", rel)}
    assert edge_set(seed, "projects") == {("Ding Tao", "projects", rel)}
    assert seed.number_of_edges() == 47 + 11


def test_labels_details_and_provenance(seed):
    by_label = {a["label"]: n for n, a in seed.nodes(data=True)}
    post = [a for u, v, a in seed.edges(by_label["Ding Tao"], data=True) if a["kind"] == "holds post in"][0]
    assert post["label"] == "chargé d'affaires of China in Azerbaijan"
    assert ("role", "chargé d'affaires") in post["details"]
    level = [a for _, _, a in seed.edges(by_label["China"], data=True) if a["kind"] == "partner"][0]
    assert level["label"] == "strategic partnership (since 2024-07-03)"
    assert level["date"] == "2024-07-03"
    sources = {p["source"] for p in level["provenance"]}
    assert sources == {"China and Azerbaijan Elevate Strategic Partnership - Chinese Ambassador"}
    assert {p["speaker"] for p in level["provenance"]} == {"Ding Tao"}
    assert {p["modality"] for p in level["provenance"]} == {"reported fact"}
    assert any(p["evidence"].startswith("The leaders announced the elevation") for p in level["provenance"])
    membership = [
        a for u, v, a in seed.edges(by_label["Azerbaijan"], data=True)
        if a["kind"] == "member of" and v == ID + "org/sco"
    ][0]
    assert membership["label"] == "member of (dialogue partner, since 2015)"
    rel = seed.nodes[by_label["China–Azerbaijan relations"]]
    headings = {k for k, _ in rel["details"]}
    assert {"indicator", "assessment", "quote", "level", "established", "projection", "policy", "plan"} <= headings
    assert any("3.1 billion" in v for k, v in rel["details"] if k == "indicator")
    assert any(k == "projection" and "(projection)" in v for k, v in rel["details"])
    xi = seed.nodes[by_label["Xi Jinping"]]
    assert any(k == "quote" and "new starting point" in v for k, v in xi["details"])
    assert all({"source", "evidence", "speaker", "modality"} <= set(p) for _, _, a in seed.edges(data=True) for p in a["provenance"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", dt.date(2024, 12, 31)),
        ("1992-04", dt.date(1992, 4, 30)),
        ("2024-02", dt.date(2024, 2, 29)),
        ("2024-07-03", dt.date(2024, 7, 3)),
        ("2024-07-03T10:00:00Z", dt.date(2024, 7, 3)),
        ("2024Z", dt.date(2024, 12, 31)),
        ("soon", None),
    ],
)
def test_last_day_of_a_partial_date(value, expected):
    assert last_day(value) == expected


def test_until_before_and_after_the_strategic_partnership(seed):
    before = as_of(seed, "2024-07-02")
    after = as_of(seed, "2024-07-03")
    assert edge_set(before, "partner") == set()
    assert edge_set(after, "partner") == {("China", "partner", "China–Azerbaijan relations"), ("Azerbaijan", "partner", "China–Azerbaijan relations")}
    assert "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024" not in labels(before, "event")
    assert "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024" in labels(after, "event")
    # Diplomatic relations since April 1992 stay in both.
    assert ("China", "party to", "China–Azerbaijan relations") in edge_set(before)


def test_year_precision_counts_from_its_first_day(seed):
    """The chosen rule: "2024" counts from 2024-01-01, "1992-04" from 1992-04-01."""
    press = "Press conference by Ding Tao on Sino-Azerbaijani relations in 2024"
    assert press not in labels(as_of(seed, "2023-12-31"), "event")
    assert press in labels(as_of(seed, "2024-01-01"), "event")
    # Month precision: relations established "1992-04" count from 1992-04-01.
    assert "China–Azerbaijan relations" not in labels(as_of(seed, "1992-03-31"), "relationship")
    assert "China–Azerbaijan relations" in labels(as_of(seed, "1992-04-01"), "relationship")
    # BRICS application "2024-08": absent on 2024-07-31, present on 2024-08-01.
    assert ("Azerbaijan", "member of", "BRICS") not in edge_set(as_of(seed, "2024-07-31"))
    assert ("Azerbaijan", "member of", "BRICS") in edge_set(as_of(seed, "2024-08-01"))


def test_summit_of_2024_is_there_before_the_meeting_during_it(seed):
    before = as_of(seed, "2024-07-02")
    assert "SCO summit in Astana, 2024" in labels(before, "event")
    assert "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024" not in labels(before, "event")
    on_day = as_of(seed, "2024-07-03")
    assert ("Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024", "during", "SCO summit in Astana, 2024") in edge_set(on_day)


def test_undated_nodes_stay_and_orphan_issues_go(seed):
    early = as_of(seed, "1900-01-01")
    assert {"Xi Jinping", "Ilham Aliyev"} <= labels(early, "person")
    assert labels(early, "event") == set()
    assert all(early.degree(n) > 0 for n, a in early.nodes(data=True) if a["kind"] == "issue")


def test_bad_until_is_a_usage_error():
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        parse_until("2024-13-01")
    with pytest.raises(UsageError):
        parse_until("last week")


def test_focus_on_a_person(seed):
    H = focus(seed, "Xi Jinping")
    assert labels(H, "person") == {"Xi Jinping", "Ilham Aliyev"}
    assert labels(H, "state") == {"China"}
    assert labels(H, "event") == {"Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024"}
    assert H.graph["focus"] == ID + "person/xi-jinping"


def test_focus_by_iso_code_and_radius(seed):
    one = focus(seed, "aze")
    assert one.graph["focus"] == ID + "state/AZE"
    assert "Ding Xuexiang" in labels(one, "person") and "Ilham Aliyev" in labels(one, "person")
    assert labels(focus(seed, "AZE", radius=0), "state") == {"Azerbaijan"}
    assert focus(seed, "AZE", radius=2).number_of_nodes() > one.number_of_nodes()


def test_unknown_focus_lists_close_matches(seed):
    with pytest.raises(UnknownNodeError) as info:
        focus(seed, "Xi Jinpin")
    assert "Xi Jinping" in info.value.matches
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


def test_projection_of_a_plain_graph_with_duplicates_across_named_graphs():
    """Oxigraph's union is a multiset: a statement in two named graphs must not double an edge."""
    from rdflib import Graph

    from diplograph.iris import graph_iri
    from diplograph.store import add_graph, new_dataset

    g = Graph().parse(REPO / "graphs" / "china-azerbaijan-2024.ttl")
    ds = new_dataset("memory")
    add_graph(ds, graph_iri("source", "a"), g)
    add_graph(ds, graph_iri("source", "b"), g)
    G = project(ds)
    assert len(edge_set(G, "partner")) == 2
    assert G.number_of_edges() == len({(u, v, a["kind"], a["label"]) for u, v, a in G.edges(data=True)})
