"""The network page in a real browser: headless Debian Chromium through Playwright, network blocked.

Skip rule (see the ``chromium_executable`` fixture in conftest.py): skipped only when
/usr/bin/chromium is absent and CI is unset. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph

from diplograph.projection import project
from diplograph.viz import render_html, write_network_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile.ttl"


@pytest.fixture(scope="module")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(chromium_executable), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


class Watched:
    """A page whose http(s) requests are aborted and recorded, with console errors and dialogs."""

    def __init__(self, browser):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:  # http, https, ws, data fetches… none should happen at all
            self.requests.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        # Poll with page.evaluate: wait_for_function compiles its predicate with eval inside the page,
        # which the page's Content-Security-Policy (no 'unsafe-eval') refuses whenever it has to poll.
        deadline = time.monotonic() + 60
        while not self.page.evaluate("Boolean(window.diplograph && window.diplograph.ready === true)"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{path.name}: the network did not report ready within 60 s")
            self.page.wait_for_timeout(50)
        return self.page

    def hover_node(self, node_id: str):
        point = self.page.evaluate(
            """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                       const r = document.getElementById('mynetwork').getBoundingClientRect();
                       return {x: p.x + r.left, y: p.y + r.top}; }""",
            node_id,
        )
        self.page.mouse.move(point["x"] + 1, point["y"] + 1)
        self.page.mouse.move(point["x"], point["y"])
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        return tip


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.context.close()


@pytest.fixture(scope="module")
def seed(project_datasets):
    dataset = project_datasets.get("memory")
    return dataset, project(dataset)


def test_seed_page_loads_offline_and_holds_the_projection(watched, seed, tmp_path):
    dataset, G = seed
    page = watched.open(write_network_html(dataset, tmp_path / "network.html"))
    counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    # One drawn edge per pair of nodes, holding every edge of the projection.
    assert counts == [G.number_of_nodes(), len({frozenset((u, v)) for u, v in G.edges()})]
    assert page.evaluate("network.body.data.edges.get().reduce((n, e) => n + e.members.length, 0)") == G.number_of_edges()
    assert set(page.evaluate("network.body.data.nodes.getIds()")) == set(G.nodes)
    # Physics stabilised, then froze.
    assert page.evaluate("network.physics.options.enabled") is False
    legend = page.locator("#dg-legend")
    assert legend.is_visible()
    assert "bilateral relationship" in legend.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-seed.png"))
    assert watched.requests == []
    assert watched.errors == []


def test_selecting_a_node_through_the_menu(watched, seed, tmp_path):
    dataset, _ = seed
    page = watched.open(write_network_html(dataset, tmp_path / "network.html"))
    xi = "https://w3id.org/diplograph/id/person/xi-jinping"
    page.select_option("#node-select", value=xi)
    assert page.evaluate("network.getSelectedNodes()") == [xi]
    assert page.locator("#dg-panel").is_visible()
    assert "Xi Jinping" in page.locator("#panel-body h3").inner_text()
    # Typing a search that matches one node selects it.
    page.fill("#node-search", "Ilham Al")
    assert page.evaluate("network.getSelectedNodes()") == ["https://w3id.org/diplograph/id/person/ilham-aliyev"]
    page.click("#node-reset")
    assert page.evaluate("network.getSelectedNodes()") == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.select_option("#node-select", value="https://w3id.org/diplograph/id/relationship/AZE-CHN")
    page.screenshot(path=str(ARTIFACTS / "network-seed-selected.png"))
    assert watched.errors == [] and watched.requests == []


def test_filter_by_kind_hides_and_shows(watched, seed, tmp_path):
    dataset, G = seed
    page = watched.open(write_network_html(dataset, tmp_path / "network.html"))
    persons = sum(1 for _, a in G.nodes(data=True) if a["kind"] == "person")
    hidden = "network.body.data.nodes.get({filter: n => n.hidden === true}).length"
    page.uncheck("input[data-kind=person]")
    assert page.evaluate(hidden) == persons
    assert page.locator("#node-select option").count() == G.number_of_nodes() - persons + 1
    page.check("input[data-kind=person]")
    assert page.evaluate(hidden) == 0


def test_hovering_shows_details_and_provenance(watched, seed, tmp_path):
    dataset, _ = seed
    watched.open(write_network_html(dataset, tmp_path / "network.html"))
    tip = watched.hover_node("https://w3id.org/diplograph/id/event/meeting-2024-07-03-astana-ilham-aliyev-xi-jinping")
    text = tip.inner_text()
    assert "Meeting of Xi Jinping and Ilham Aliyev" in text
    assert "Speaking at a press conference" in text  # the evidence sentence
    assert "Ding Tao" in text and "reported fact" in text


def test_until_page_in_the_browser(watched, seed, tmp_path):
    dataset, G = seed
    page = watched.open(write_network_html(dataset, tmp_path / "n.html", until="2024-07-02"))
    kinds = page.evaluate("network.body.data.edges.get().flatMap(e => e.kinds)")
    assert "partner" not in kinds and "party to" in kinds


def test_hostile_labels_do_not_execute(watched, tmp_path):
    G = project(Graph().parse(HOSTILE))
    path = render_html(G, tmp_path / "hostile.html", title="<img src=x onerror=alert('t')>")
    page = watched.open(path)
    assert page.evaluate("network.body.data.nodes.length") == G.number_of_nodes()
    # Hover every node: tooltips show the text literally and never create elements from it.
    for node_id, attrs in G.nodes(data=True):
        tip = watched.hover_node(node_id)
        assert attrs["label"].replace("\u2028", " ") .split()[0] in tip.inner_text()
        page.mouse.move(2, 890)
    tip = watched.hover_node("https://w3id.org/diplograph/id/state/XSS")
    assert "<img src=x onerror=alert(1)>" in tip.inner_text()
    # Open the full detail panel of the relationship (quotes, evidence, href in labels).
    page.select_option("#node-select", value="https://w3id.org/diplograph/id/relationship/AAA-XSS")
    panel = page.locator("#panel-body").inner_text()
    assert '<a href="javascript:alert(10)">click</a>' in panel
    assert "<script>alert(5)</script>" in panel
    page.select_option("#node-select", value="javascript:alert(3)")
    assert page.evaluate("network.getSelectedNodes()") == ["javascript:alert(3)"]
    page.wait_for_timeout(300)
    dom = page.evaluate(
        """() => ({imgs: document.querySelectorAll('img').length,
                  scripts: document.querySelectorAll('script').length,
                  iframes: document.querySelectorAll('iframe').length,
                  svgs: [...document.querySelectorAll('svg')].filter(s => s.closest('#dg-legend') === null).length,
                  anchors: document.querySelectorAll('a').length,
                  bold: document.querySelectorAll('b').length,
                  title: document.title})"""
    )
    assert dom == {"imgs": 0, "scripts": 3, "iframes": 0, "svgs": 0, "anchors": 0, "bold": 0,
                   "title": "<img src=x onerror=alert('t')>"}
    assert watched.dialogs == []
    assert watched.requests == []  # an <img src=x> would have tried to load
    assert watched.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-hostile.png"))
