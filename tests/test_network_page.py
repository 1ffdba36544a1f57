"""The network page of issue 15 in headless Chromium (requests blocked): sources, --until,
modality styles and filters, one edge per pair, selection, bidi labels.

Skip rule as in test_browser.py (the ``chromium_executable`` fixture). Screenshots go to
tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from diplograph.projection import project
from diplograph.viz import render_html, write_network_html
from test_browser import Watched, browser  # noqa: F401  (browser: a fixture)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
FIXTURE = Path(__file__).parent / "fixtures" / "network-view.ttl"
ID = "https://w3id.org/diplograph/id/"
REL = ID + "relationship/AZE-CHN"
DING = ID + "person/ding-tao"
XI = ID + "person/xi-jinping"
CHN, AZE = ID + "state/CHN", ID + "state/AZE"


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    assert w.requests == [] and w.dialogs == [] and w.errors == []  # offline, nothing ran, no error
    w.context.close()


@pytest.fixture(scope="module")
def dataset(project_datasets):
    return project_datasets.get("memory")


@pytest.fixture(scope="module")
def seed_page(dataset, tmp_path_factory):
    return write_network_html(dataset, tmp_path_factory.mktemp("seed") / "network.html")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def drawn(page) -> list[dict]:
    return page.evaluate("""network.body.data.edges.get().map(e => ({id: e.id, from: e.from, to: e.to, label: e.caption,
        heading: e.heading, members: e.members, kinds: e.kinds, modalities: e.modalities, dashes: e.dashes,
        title: e.title.textContent}))""")


def pair(edges, a, b):
    found = [e for e in edges if {e["from"], e["to"]} == {a, b}]
    assert len(found) <= 1
    return found[0] if found else None


# --- 1. sources ---------------------------------------------------------------------------------


def test_sources_show_titles_and_only_https_links(watched, tmp_path):
    page = watched.open(render_html(project(Graph().parse(FIXTURE)), tmp_path / "fixture.html"))
    edge = [e for e in drawn(page) if e["to"] == ID + "org/xorg" and e["from"] == ID + "state/XRL"][0]
    page.evaluate("id => diplograph.selectEdge(id)", edge["id"])
    panel = page.locator("#panel-body")
    assert "A source whose address is a script" in panel.inner_text()
    assert "javascript:alert(1)" in panel.inner_text()  # shown as text …
    # A graph loaded without the ontology still gets the modality names (no "[?]" style).
    assert page.evaluate("[...document.querySelectorAll('#legend-modalities input')].map(i => i.dataset.modality)") == ["reported fact"]
    hrefs = page.evaluate("[...document.querySelectorAll('#panel-body a')].map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/members"]  # … and only the https: address is a link
    assert page.evaluate("[...document.querySelectorAll('a')].every(a => a.protocol === 'https:' && a.rel.includes('noopener'))")


def test_reference_sources_show_their_address(watched, seed_page):
    page = watched.open(seed_page)
    un = pair(drawn(page), CHN, ID + "org/un")
    page.evaluate("id => diplograph.selectEdge(id)", un["id"])
    text = page.locator("#panel-body").inner_text()
    assert "https://www.un.org/en/about-us/member-states" in text
    assert "un-org-en-about-us-member-states" not in text


# --- 2. time ------------------------------------------------------------------------------------


def test_until_hides_later_facts_in_details_tooltips_and_panels(watched, dataset, tmp_path):
    page = watched.open(write_network_html(dataset, tmp_path / "n.html", until="2024-07-02"))
    later = "elevated to a strategic partnership on 3 July 2024"
    titles = page.evaluate("[...network.body.data.nodes.get().map(n => n.title.textContent), ...network.body.data.edges.get().map(e => e.title.textContent)]")
    assert titles and not [t for t in titles if later in t]
    page.evaluate("id => diplograph.selectNode(id)", REL)
    panel = page.locator("#panel-body").inner_text()
    assert "China and Azerbaijan established diplomatic ties in April 1992" in panel and later not in panel
    edges = drawn(page)
    rel = pair(edges, CHN, REL)
    assert "diplomatic relations (since 1992-04)" in rel["label"] and "strategic partnership" not in rel["label"]
    # People keep their posts dated "2024": nobody is isolated.
    for person in ("xi-jinping", "ilham-aliyev", "ding-tao", "ding-xuexiang"):
        assert [e for e in edges if ID + "person/" + person in (e["from"], e["to"]) and "holds post in" in e["kinds"]]
    shot(page, "network-until-2024-07-02.png")


# --- 3. modality --------------------------------------------------------------------------------


def test_modalities_are_styled_apart_and_filter(watched, seed_page):
    page = watched.open(seed_page)
    legend = page.evaluate("[...document.querySelectorAll('#legend-modalities input')].map(i => i.dataset.modality)")
    assert legend == ["reported fact", "claim", "plan", "projection", ""]
    styles = page.evaluate("diplograph.network && JSON.parse(document.getElementById('diplograph-data').textContent).modalities")
    patterns = {m["modality"]: json.dumps(m["dashes"]) for m in styles}
    assert len({patterns["claim"], patterns["plan"], patterns["projection"], patterns["reported fact"]}) == 4
    assert len({m["badge"] for m in styles if m["modality"] in ("claim", "plan", "projection")}) == 3
    edges = drawn(page)
    ding = pair(edges, DING, REL)
    assert ding["label"].startswith("[C P F] ") and "5 claims · 1 plan · 1 projection" in ding["label"]
    assert ding["dashes"] == [10, 6]  # only claims, plans and a projection: a dashed line
    xi = pair(edges, XI, REL)
    assert xi["label"].startswith("[C] ") and xi["dashes"] == [10, 6]
    china = pair(edges, CHN, REL)
    assert china["dashes"] is False and china["label"].startswith("[P] ")  # facts and a plan: solid, badged
    shot(page, "network-seed-modalities.png")
    page.add_style_tag(content="html{filter:grayscale(1)}")
    shot(page, "network-seed-greyscale.png")

    page.uncheck("input[data-modality=claim]")
    edges = drawn(page)
    assert pair(edges, XI, REL) is None
    ding = pair(edges, DING, REL)
    assert ding["label"].startswith("[P F] ") and "claim" not in ding["label"] and ding["dashes"] == [3, 5]
    page.uncheck("input[data-modality=plan]")
    page.uncheck("input[data-modality=projection]")
    edges = drawn(page)
    assert pair(edges, DING, REL) is None
    assert not [e for e in edges if set(e["modalities"]) & {"claim", "plan", "projection"}]
    page.uncheck("input[data-modality='reported fact']")
    assert {m for e in drawn(page) for m in e["modalities"]} == {""}
    for m in ("claim", "plan", "projection", "reported fact"):
        page.check(f"input[data-modality='{m}']")
    assert sum(len(e["members"]) for e in drawn(page)) == page.evaluate("diplograph.links.length")


# --- 4. one edge per pair -----------------------------------------------------------------------


def test_one_edge_per_pair_with_a_summary(watched, seed_page, dataset):
    page = watched.open(seed_page)
    edges = drawn(page)
    pairs = [frozenset((e["from"], e["to"])) for e in edges]
    assert len(pairs) == len(set(pairs))
    G = project(dataset)
    assert len(edges) == len({frozenset((u, v)) for u, v in G.edges()}) < G.number_of_edges()
    # Every tooltip says which two nodes it joins, for each connection.
    assert all(("\u2192" in e["heading"] or "\u2194" in e["heading"]) and e["title"].count("\u2192") >= len(e["members"]) for e in edges)
    both = pair(edges, CHN, AZE)
    assert both["heading"] == "China \u2194 Azerbaijan" or both["heading"] == "Azerbaijan \u2194 China"
    assert "4 stances" in both["label"] and "China \u2192 Azerbaijan" in both["title"] and "Azerbaijan \u2192 China" in both["title"]
    # Levels keep their dates.
    rel = pair(edges, AZE, REL)
    assert "strategic partnership (since 2024-07-03)" in rel["label"] and "diplomatic relations (since 1992-04)" in rel["label"]
    assert "Azerbaijan \u2192 China\u2013Azerbaijan relations" in rel["title"]
    # The panel lists every connection, expandable.
    page.evaluate("id => diplograph.selectEdge(id)", both["id"])
    members = page.locator("#panel-body details.dg-member")
    assert members.count() == len(both["members"]) == 5
    assert page.evaluate("[...document.querySelectorAll('#panel-body details')].filter(d => d.open).length") == 0
    members.first.locator("summary").click()
    assert page.evaluate("document.querySelector('#panel-body details').open") is True
    assert members.first.locator(".dg-full").is_visible()
    shot(page, "network-seed-pair-panel.png")


def test_hovering_a_drawn_edge_names_both_ends(watched, seed_page):
    page = watched.open(seed_page)
    ding = pair(drawn(page), DING, ID + "event/press-conference-2024-ding-tao")
    point = page.evaluate(
        """id => { const e = network.body.edges[id]; const p = e.edgeType.getPoint(0.5);
                   const d = network.canvasToDOM(p); const r = document.getElementById('mynetwork').getBoundingClientRect();
                   return {x: d.x + r.left, y: d.y + r.top}; }""",
        ding["id"],
    )
    page.mouse.move(point["x"] + 2, point["y"] + 2)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert "Ding Tao \u2192 Press conference by Ding Tao" in tip.inner_text()


# --- 5. selection and bidi ----------------------------------------------------------------------


def click_node(page, node_id):
    point = page.evaluate(
        """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                   const r = document.getElementById('mynetwork').getBoundingClientRect();
                   return {x: p.x + r.left, y: p.y + r.top}; }""",
        node_id,
    )
    page.mouse.click(point["x"], point["y"])


def test_clicking_a_node_dims_the_rest_and_lists_its_neighbours(watched, seed_page):
    page = watched.open(seed_page)
    click_node(page, XI)
    assert page.evaluate("diplograph.state.selected") == XI
    near = {CHN, REL, ID + "person/ilham-aliyev", ID + "event/meeting-2024-07-03-astana-ilham-aliyev-xi-jinping", XI}
    opacity = dict(page.evaluate("network.body.data.nodes.get().map(n => [n.id, n.opacity])"))
    assert {n for n, o in opacity.items() if o == 1} == near
    assert all(o < 0.5 for n, o in opacity.items() if n not in near)
    faded = page.evaluate("network.body.data.edges.get().filter(e => e.color.opacity < 0.5).length")
    assert faded == page.evaluate("network.body.data.edges.length") - 4
    # Kind colours stay on hover and selection.
    assert page.evaluate("network.body.data.nodes.get().every(n => n.color.hover.background === n.color.background)")
    panel = page.locator("#panel-body")
    names = page.evaluate("[...document.querySelectorAll('#panel-body button.dg-neighbour')].map(b => b.textContent)")
    assert names == ["China", "China–Azerbaijan relations", "Ilham Aliyev", "Meeting of Xi Jinping and Ilham Aliyev, Astana, 3 July 2024"]
    text = panel.inner_text()
    assert "Connections (4)" in text and "Ilham Aliyev \u2192 Xi Jinping: met (2024-07-03, Astana)" in text
    assert "Xi Jinping \u2192 China: President of China (2024)" in text
    shot(page, "network-seed-xi-selected.png")
    # Arrow keys move between neighbours; Enter opens one.
    page.locator("#panel-body button.dg-neighbour").first.focus()
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.dataset.node")
    assert second == page.evaluate("document.querySelectorAll('#panel-body button.dg-neighbour')[1].dataset.node")
    page.keyboard.press("Enter")
    assert page.evaluate("diplograph.state.selected") == second
    # Escape closes the panel and brings the rest back.
    page.keyboard.press("Escape")
    assert page.locator("#dg-panel").is_hidden()
    assert page.evaluate("diplograph.state.dimmed") is False and page.evaluate("network.getSelectedNodes()") == []
    assert page.evaluate("network.body.data.nodes.get().every(n => n.opacity === 1)")
    assert page.evaluate("network.body.data.edges.get().every(e => e.color.opacity === undefined || e.color.opacity === 1)")


def test_bidi_controls_are_shown_not_obeyed(watched, tmp_path):
    G = project(Graph().parse(FIXTURE))
    page = watched.open(render_html(G, tmp_path / "bidi.html", title="Fixture \u202eeltit"))
    xrl = ID + "state/XRL"
    label = page.evaluate("id => network.body.data.nodes.get(id).label", xrl)
    assert label == "[U+202E]anihC"  # the canvas label
    options = page.evaluate("[...document.querySelectorAll('#node-select option')].map(o => o.textContent)")
    assert "[U+202E]anihC \u2014 state" in options  # the menu
    page.select_option("#node-select", value=xrl)
    assert page.locator("#panel-body h3").first.inner_text() == "[U+202E]anihC"  # the panel
    assert "Fixture organisation [U+202B]embedded[U+202C]" in page.locator("#panel-body").inner_text()
    isolated = page.evaluate("id => network.body.data.nodes.get(id).full", ID + "state/XIS")
    assert isolated == "Isolated[U+2067] state[U+2069] [U+200F]mark"
    assert page.evaluate("document.title") == "Fixture [U+202E]eltit"
    bidi = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    everything = page.evaluate("""() => [document.body.innerText, document.title,
        ...network.body.data.nodes.get().map(n => n.label + n.full + n.title.textContent),
        ...network.body.data.edges.get().map(e => e.caption + e.title.textContent)].join('\\n')""")
    import re

    assert not re.search(bidi, everything)
    assert "China" not in everything
    shot(page, "network-bidi.png")


# --- 6. contrast --------------------------------------------------------------------------------


def contrast(a: tuple, b: tuple) -> float:
    def lum(rgb):
        c = [x / 255 for x in rgb[:3]]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def hex_rgb(text: str) -> tuple:
    return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))


def test_text_and_lines_meet_the_contrast_targets(watched, seed_page):
    """WCAG AA from the page's own styles: text 4.5:1 on white, lines and node outlines 3:1."""
    page = watched.open(seed_page)
    page.evaluate("id => diplograph.selectNode(id)", REL)  # the panel: IRI, sources, counts
    colours = page.evaluate("""() => {
        const out = {};
        for (const sel of ['.dg-iri', '.legend-count', '.dg-meta', '.dg-by', '.dg-more', '.dg-nkind', '#dg-subtitle',
                           '.dg-hint', '.dg-details td', '.dg-source', '.dg-url', '#dg-legend h2', '.legend-badge']) {
          const e = document.querySelector(sel);
          if (e) out[sel] = getComputedStyle(e).color.match(/\\d+/g).map(Number);
        }
        return out;
      }""")
    assert {".dg-iri", ".legend-count", ".dg-meta", ".dg-by", ".dg-nkind", ".dg-hint"} <= set(colours)
    white = (255, 255, 255)
    low = {sel: round(contrast(rgb, white), 2) for sel, rgb in colours.items() if contrast(rgb, white) < 4.5}
    assert low == {}
    lines = page.evaluate("[...new Set(diplograph.links.map(l => l.colour))]")
    assert len(lines) >= 5
    assert {c: round(contrast(hex_rgb(c), white), 2) for c in lines if contrast(hex_rgb(c), white) < 3} == {}
    borders = page.evaluate("[...new Set(network.body.data.nodes.get().map(n => n.color.border))]")
    assert {c: round(contrast(hex_rgb(c), white), 2) for c in borders if contrast(hex_rgb(c), white) < 3} == {}
    edge_text = page.evaluate("JSON.parse(document.getElementById('diplograph-data').textContent).options.edges.font.color")
    assert contrast(hex_rgb(edge_text), white) >= 4.5


# --- 2b. the as-of slider -----------------------------------------------------------------------

VIEW = """() => ({
    nodes: network.body.data.nodes.get().filter(n => !n.hidden).map(n => [n.id, n.title.textContent]).sort(),
    edges: network.body.data.edges.get().map(e => [e.id, e.caption, e.title.textContent]).sort(),
    options: [...document.querySelectorAll('#node-select option')].slice(1).map(o => o.value).sort()})"""


@pytest.mark.parametrize("day", ["2024-07-02", "2023-12-31", "1992-04-01"])
def test_the_slider_shows_what_until_shows(watched, dataset, seed_page, tmp_path, day):
    """The in-page as-of control and --until apply the same rule: the same nodes, lines, tooltips."""
    page = watched.open(write_network_html(dataset, tmp_path / "cut.html", until=day))
    cut = page.evaluate(VIEW)
    page = watched.open(seed_page)
    days = page.evaluate("diplograph.days")
    assert days == sorted(days) and "2024-07-03" in days and "1992-04-01" in days
    # Move the slider to the last dataset date on or before the day (what a reader can pick).
    index = max(i for i, d in enumerate(days) if d <= day) if days[0] <= day else None
    if index is None:
        page.evaluate("d => diplograph.setAsOf(d)", day)
    else:
        page.locator("#asof-range").fill(str(index))
    assert page.locator("#asof-value").inner_text() == (days[index] if index is not None else day)
    assert page.evaluate(VIEW) == cut
    if day == "2024-07-02":
        assert not [t for _, t in cut["nodes"] if "elevated to a strategic partnership on 3 July 2024" in t]
        shot(page, "network-seed-slider-2024-07-02.png")
    # Back to all dates: everything returns.
    page.locator("#asof-range").fill(str(len(days)))
    assert page.locator("#asof-value").inner_text() == "all dates"
    assert page.evaluate("network.body.data.nodes.get().filter(n => n.hidden).length") == 0
