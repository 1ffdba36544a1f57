"""The world overview page, the phone layout and sharing (issue 15 items 6–8) in headless Chromium
with every request blocked (the Watched helper of test_browser.py).

Data: the vendored ICEWS sample of June 2018 imported beside the real seed (a project copied into
a temporary folder), and the seed alone. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

import pytest

from coded_util import ICEWS_SAMPLE, copy_project
from diplograph.coded.importer import Importer
from diplograph.dataset import assemble
from diplograph.overview import overview
from diplograph.overview_page import HUB_LABELS
from diplograph.project import Project
from diplograph.viz import write_network_html
from test_browser import Watched, browser  # noqa: F401  (browser: a fixture)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
ID = "https://w3id.org/diplograph/id/"
REL = ID + "relationship/AZE-CHN"
CHN_USA = ID + "relationship/CHN-USA"


class Phone(Watched):
    """A Watched page at a phone's size (390×844, touch)."""

    def __init__(self, browser):
        self.requests, self.errors, self.dialogs = [], [], []
        self.context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
        self.page = self.context.new_page()
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)


def _watch(w):
    yield w
    assert w.requests == [] and w.dialogs == [] and w.errors == []  # offline, nothing ran, no error
    w.context.close()


@pytest.fixture
def watched(browser):
    yield from _watch(Watched(browser))


@pytest.fixture
def phone(browser):
    yield from _watch(Phone(browser))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("icews-world"))
    Importer(Project(root)).import_file("icews", ICEWS_SAMPLE, root / "graphs" / "icews-2018.ttl", lambda skip: None)
    loaded = assemble(Project(root), store="memory")
    return loaded, write_network_html(loaded, root / "world.html")


@pytest.fixture(scope="module")
def seed_page(project_datasets, tmp_path_factory):
    return write_network_html(project_datasets.get("memory"), tmp_path_factory.mktemp("seed-share") / "network.html")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def edge_point(page, edge_id: str) -> dict:
    return page.evaluate(
        """id => { const p = network.body.edges[id].edgeType.getPoint(0.5); const d = network.canvasToDOM(p);
                   const r = document.getElementById('mynetwork').getBoundingClientRect(); return {x: d.x + r.left, y: d.y + r.top}; }""",
        edge_id)


def test_the_overview_draws_states_and_one_line_per_relationship(watched, world):
    loaded, path = world
    ov = overview(loaded)
    page = watched.open(path)
    assert page.evaluate("diplograph.readyAt") < 2000  # drawn and interactive within 2 s
    assert page.evaluate("network.body.data.nodes.length") == len(ov.states)
    assert page.evaluate("network.body.data.edges.length") == len(ov.relationships)
    assert sorted(page.evaluate("network.body.data.edges.get().map(e => e.id)")) == sorted(r["id"] for r in ov.relationships)
    # Only the hubs are named at the overview's zoom; zooming in names every state.
    named = page.evaluate("network.body.data.nodes.get().filter(n => n.label).length")
    assert named == HUB_LABELS < len(ov.states)
    busiest = max(ov.states, key=lambda s: ov.states[s]["degree"])
    assert page.evaluate("id => !!network.body.data.nodes.get(id).label", busiest)
    shot(page, "overview-icews-and-seed.png")
    page.evaluate("network.moveTo({scale: 2.0})")
    page.mouse.move(700, 450)
    page.mouse.wheel(0, -100)  # a zoom event, as a reader makes it
    page.wait_for_timeout(300)
    assert page.evaluate("network.body.data.nodes.get().filter(n => n.label).length") == len(ov.states)
    # Lines are as wide as their coded events: China–US (the busiest pair) is the widest.
    widths = dict(page.evaluate("network.body.data.edges.get().map(e => [e.id, e.width])"))
    assert max(widths, key=widths.get) == max(ov.relationships, key=lambda r: r["events"])["id"]
    shot(page, "overview-icews-and-seed-zoomed.png")


def test_clicking_a_relationship_opens_its_own_network_and_escape_goes_back(watched, world):
    page = watched.open(world[1])
    page.evaluate("network.fit()")
    page.wait_for_timeout(200)
    # Hide everything but the seed's relationship so that the click lands on it alone.
    page.evaluate("id => network.body.data.edges.update(network.body.data.edges.get().filter(e => e.id !== id).map(e => ({id: e.id, hidden: true})))", REL)
    point = edge_point(page, REL)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_timeout(300)
    assert page.evaluate("diplograph.state.mode") == "detail" and page.evaluate("diplograph.state.rel") == REL
    labels = page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert "China" in labels and "Azerbaijan" in labels and any(label.startswith("China–Azerbaijan relations") for label in labels)
    assert "9 assessment" in labels and any("strategic partnership since 2024-07-03" in label for label in labels)
    dashed = page.evaluate("network.body.data.edges.get().filter(e => e.dashes).map(e => e.label)")
    assert any(label.startswith("[C] 9 claim") for label in dashed)  # claims are dashed and badged
    panel = page.locator("#panel-body").inner_text()
    assert "strategic partnership since 2024-07-03" in panel and "assessment" in panel
    assert "#rel=" in page.url
    page.wait_for_timeout(600)
    shot(page, "overview-relationship-aze-chn.png")
    page.keyboard.press("Escape")
    assert page.evaluate("diplograph.state.mode") == "overview" and page.locator("#dg-panel").is_hidden()
    assert page.evaluate("network.body.data.nodes.length") > 100


def test_the_overview_fragment_reopens_the_same_view(watched, world):
    page = watched.open(world[1])
    page.uncheck("input[data-level='']")  # hide the relationships with no level recorded
    page.evaluate("id => diplograph.openRelationship(id)", CHN_USA)
    url = page.url
    assert "rel=" in url and "hide=-" in url
    again = watched.context.new_page()
    again.on("pageerror", lambda e: watched.errors.append(str(e)))
    again.goto(url)
    while not again.evaluate("Boolean(window.diplograph && window.diplograph.ready)"):
        again.wait_for_timeout(50)
    assert again.evaluate("diplograph.state.mode") == "detail" and again.evaluate("diplograph.state.rel") == CHN_USA
    assert again.evaluate("diplograph.state.hiddenLevels['']") is True
    assert "101 machine-coded events" in again.locator("#panel-body").inner_text()
    again.close()


def test_the_detail_fragment_reopens_selection_filters_and_day(watched, seed_page):
    page = watched.open(seed_page)
    page.uncheck("input[data-modality=claim]")
    page.evaluate("diplograph.setAsOf('2024-07-02')")
    page.evaluate("id => diplograph.selectNode(id)", ID + "person/xi-jinping")
    url = page.url
    assert "asof=2024-07-02" in url and "lines=claim" in url and "node=" + quote(ID + "person/xi-jinping", safe="") in url
    page.goto("about:blank")
    page.goto(url)
    while not page.evaluate("Boolean(window.diplograph && window.diplograph.ready)"):
        page.wait_for_timeout(50)
    assert page.evaluate("diplograph.state.selected") == ID + "person/xi-jinping"
    assert page.evaluate("diplograph.state.asOf") == "2024-07-02"
    assert page.evaluate("diplograph.state.hiddenModalities.claim") is True
    assert page.is_checked("input[data-modality=claim]") is False
    assert page.locator("#dg-panel").is_visible()
    # An edge selection round-trips too.
    edge = page.evaluate("network.body.data.edges.get().find(e => e.from.includes('state/') && e.to.includes('state/')).id")
    page.evaluate("id => diplograph.selectEdge(id)", edge)
    url = page.url
    assert "edge=" in url
    page.goto("about:blank")
    page.goto(url)
    while not page.evaluate("Boolean(window.diplograph && window.diplograph.ready)"):
        page.wait_for_timeout(50)
    assert page.evaluate("diplograph.state.edge") == edge


def test_keyboard_reaches_edges(watched, seed_page):
    page = watched.open(seed_page)
    page.focus("#node-search")
    page.keyboard.type("Xi Jinping")
    page.keyboard.press("Enter")
    assert page.evaluate("diplograph.state.selected") == ID + "person/xi-jinping"
    page.locator("#panel-body button.dg-neighbour").first.focus()
    page.keyboard.press("Tab")  # from a neighbour to its connection
    assert page.evaluate("document.activeElement.className") == "dg-edge-open"
    edge = page.evaluate("document.activeElement.dataset.edge")
    page.keyboard.press("Enter")
    assert page.evaluate("diplograph.state.edge") == edge
    assert page.locator("#panel-body details.dg-member").count() >= 1
    assert "Xi Jinping" in page.locator("#panel-body h3").first.inner_text()


def test_the_legend_filters_by_source(watched, seed_page):
    page = watched.open(seed_page)
    before = page.evaluate("network.body.data.edges.length")
    titles = page.evaluate("[...document.querySelectorAll('#legend-sources .legend-source-title')].map(s => s.title)")
    assert len(titles) >= 2
    un = next(i for i, t in enumerate(titles) if "un.org" in t)
    drawn_links = "new Set(network.body.data.edges.get().flatMap(e => e.members))"
    # The links whose only source is the UN's member list go; a line also told by another source stays.
    only_un = page.evaluate("t => diplograph.links.filter(l => l.sourceTitles.length === 1 && l.sourceTitles[0] === t).map(l => l.id)", titles[un])
    assert only_un and set(only_un) <= set(page.evaluate(f"[...{drawn_links}]"))
    page.uncheck(f"#legend-sources input[data-source='{un}']")
    after = set(page.evaluate(f"[...{drawn_links}]"))
    assert not set(only_un) & after and len(after) == page.evaluate("diplograph.links.length") - len(only_un)
    assert page.evaluate("network.body.data.edges.length") < before
    page.check(f"#legend-sources input[data-source='{un}']")
    assert page.evaluate("network.body.data.edges.length") == before


@pytest.mark.parametrize("which", ["seed", "world"])
def test_phone_layout(phone, seed_page, world, which):
    page = phone.open(seed_page if which == "seed" else world[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no horizontal overflow
    assert page.evaluate("document.getElementById('dg-header').scrollWidth") <= 390
    # The legend starts folded and opens on a tap.
    assert page.locator("#legend-body").is_hidden()
    legend = page.locator("#dg-legend").bounding_box()
    assert legend["width"] * legend["height"] < 0.05 * 390 * 844
    page.tap("#legend-toggle")
    assert page.locator("#legend-body").is_visible()
    page.tap("#legend-toggle")
    # The panel is a bottom sheet: full width, at the bottom, at most half the screen.
    if which == "seed":
        page.evaluate("id => diplograph.selectNode(id)", ID + "person/xi-jinping")
    else:
        page.evaluate("id => diplograph.openRelationship(id)", REL)
    page.wait_for_timeout(500)
    box = page.locator("#dg-panel").bounding_box()
    assert box["x"] == 0 and abs(box["width"] - 390) < 1 and abs(box["y"] + box["height"] - 844) < 1 and box["height"] <= 844 / 2 + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"phone-{which}.png")


@pytest.mark.parametrize("which", ["seed", "world"])
def test_png_export(watched, seed_page, world, which):
    page = watched.open(seed_page if which == "seed" else world[1])
    canvas = page.evaluate("[document.querySelector('#mynetwork canvas').width, document.querySelector('#mynetwork canvas').height]")
    page.click("#save-png")
    href = page.get_attribute("#png-link", "href")
    assert href.startswith("data:image/png;base64,")
    png = base64.b64decode(href.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert [width, height] == canvas and len(png) > 10_000  # the drawing, not an empty image


def test_a_merge_of_three_relationships_stays_the_detailed_network(watched, tmp_path):
    """Two invented bilateral graphs (bench/synthetic.py, seeded) merged with the seed: three
    relationships, under the overview threshold, so the detailed network with one line per pair."""
    from synthetic import generate_bilateral_graph

    root = copy_project(tmp_path / "three")
    for seed, (a, b) in enumerate((("CHN", "KAZ"), ("AZE", "TUR")), start=3):
        generate_bilateral_graph(seed, a, b, size=400).serialize(root / "graphs" / f"fixture-{a}-{b}.ttl", format="turtle")
    loaded = assemble(Project(root), store="memory")
    page = watched.open(write_network_html(loaded, root / "three.html"))
    rels = page.evaluate("network.body.data.nodes.get().filter(n => n.kind === 'relationship').map(n => n.id)")
    assert len(rels) == 3 and not page.evaluate("document.body.classList.contains('dg-overview')")
    pairs = page.evaluate("network.body.data.edges.get().map(e => [e.from, e.to].sort().join(' '))")
    assert len(pairs) == len(set(pairs))
    shot(page, "network-three-relationships.png")
