(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("diplograph-data").textContent);
  if (data.packed) unpack(data);
  // The packed form of a large network (diplograph/page_pack.py) back into the records used below.
  function unpack(d) {
    var base = "https://w3id.org/diplograph/";
    function long(x) { return x.charAt(0) !== "~" ? x : x.charAt(1) === "~" ? x.slice(1) : base + x.slice(1); }
    var S = d.strings.map(long);
    var prov = d.prov.map(function (p) {
      var parts = typeof p[7] === "number" ? [{ since: S[p[7]], speaker: S[p[2]], modality: S[p[3]], occasion: S[p[4]] }]
        : p[7].map(function (q) { return { since: S[q[0]], speaker: S[q[1]], modality: S[q[2]], occasion: S[q[3]] }; });
      return { evidence: S[p[0]], source: S[p[1]], speaker: S[p[2]], modality: S[p[3]], occasion: S[p[4]], statement: S[p[5]],
               sources: p[6].map(function (x) { return { title: S[x[0]], url: S[x[1]], link: S[x[2]] }; }), parts: parts };
    });
    function tip(t, heading, kind, date, iri) {
      var out = { heading: heading, kind: t[0] < 0 ? kind : S[t[0]], date: t[1] < 0 ? date : S[t[1]],
                  details: t[2].map(function (kv) { return [S[kv[0]], S[kv[1]]]; }),
                  provenance: t[4].map(function (i) { return prov[i]; }), iri: t[5] < 0 ? iri : S[t[5]] };
      if (t[3]) out.detailSince = t[3].map(function (i) { return S[i]; });
      return out;
    }
    d.nodes.forEach(function (n) {
      var c = d.kindColours[n.kind] || d.kindColours[""];
      n.id = long(n.id);
      if (n.label === undefined) n.label = n.full;
      n.color = { background: c, border: "#333333", highlight: { background: c, border: "#111" }, hover: { background: c, border: "#111" } };
      n.tip = tip(n.tip, n.full, n.kind, "", n.id);
    });
    d.links = d.links.map(function (a, i) {
      var l = { id: "l" + i, label: S[a[0]], kind: S[a[1]], modality: S[a[2]], date: S[a[3]], since: S[a[4]],
                from: d.nodes[a[5]].id, to: d.nodes[a[6]].id };
      l.colour = d.edgeColours[l.kind] || d.edgeColours[""];
      l.tip = tip(a[7], l.label, l.kind, l.date, "");
      return l;
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // A source: its title, and its address as a link only when it is https: (checked here again).
  function sourceLine(s) {
    var line = el("div", "dg-source", "source: " + (s.title && s.title !== s.url ? s.title : ""));
    var url = String(s.url || "");
    var ok = false;
    // A link only for what the page was told is one (an https: address) and that passes again here.
    try { ok = s.link === url && /^https:\/\/[^\s"'<>\\]+$/.test(url) && new URL(url).protocol === "https:"; } catch (e) { ok = false; }
    if (ok) {
      if (s.title && s.title !== url) line.appendChild(document.createTextNode(" "));
      var a = el("a", "dg-url", url);
      a.href = url; a.rel = "noopener noreferrer"; a.target = "_blank";
      line.appendChild(a);
    } else if (url) {
      line.appendChild(document.createTextNode(" " + url));
    }
    return line;
  }
  // Tooltip / panel content, built from text nodes only: data is never parsed as HTML.
  // The as-of rule of the --until option: a thing counts from its first possible day ("since",
  // an ISO day computed by diplograph); undated things always count.
  function known(since) { return !state.asOf || !since || since <= state.asOf; }
  function joinedParts(parts, field) {
    var seen = {};
    parts.forEach(function (p) { String(p[field] || "").split(", ").forEach(function (v) { if (v) seen[v] = true; }); });
    return Object.keys(seen).sort().join(", ");
  }
  function knownProvenance(prov) {
    var out = [];
    (prov || []).forEach(function (p) {
      if (!p.parts || !p.parts.length) { out.push(p); return; }
      var parts = p.parts.filter(function (q) { return known(q.since); });
      if (!parts.length) return;
      if (parts.length === p.parts.length) { out.push(p); return; }
      var q = Object.assign({}, p);
      q.speaker = joinedParts(parts, "speaker"); q.modality = joinedParts(parts, "modality"); q.occasion = joinedParts(parts, "occasion");
      out.push(q);
    });
    return out;
  }
  function describe(tip, full) {
    var box = el("div", full ? "dg-full" : "dg-tip");
    box.appendChild(el("h3", null, tip.heading));
    var meta = [tip.kind, tip.date].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("div", "dg-meta", meta));
    var since = tip.detailSince || [];
    var details = (tip.details || []).filter(function (kv, i) { return known(since[i]); });
    var shown = full ? details : details.slice(0, 10);
    if (shown.length) {
      var table = el("table", "dg-details");
      shown.forEach(function (kv) {
        var tr = el("tr");
        tr.appendChild(el("td", null, kv[0]));
        tr.appendChild(el("td", null, kv[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
      if (details.length > shown.length) box.appendChild(el("div", "dg-more", "… " + (details.length - shown.length) + " more: click for all"));
    }
    var prov = knownProvenance(tip.provenance);
    if (prov.length) {
      box.appendChild(el("div", "dg-meta", "Sources (" + prov.length + (prov.length === 1 ? " sentence or note)" : " sentences or notes)")));
      var list = el("ul", "dg-prov");
      (full ? prov : prov.slice(0, 3)).forEach(function (p) {
        var li = el("li");
        if (p.evidence) li.appendChild(el("div", "dg-quote", "\u201c" + p.evidence + "\u201d"));
        var by = [p.speaker && ("said by " + p.speaker), p.modality, p.occasion && ("at " + p.occasion)].filter(Boolean).join(" · ");
        if (by) li.appendChild(el("div", "dg-by", by));
        (p.sources || []).forEach(function (s) { li.appendChild(sourceLine(s)); });
        list.appendChild(li);
      });
      box.appendChild(list);
      if (!full && prov.length > 3) box.appendChild(el("div", "dg-more", "… " + (prov.length - 3) + " more: click for all"));
    }
    if (full && tip.iri) box.appendChild(el("div", "dg-iri", tip.iri));
    return box;
  }
  document.getElementById("dg-title").textContent = data.title;
  document.getElementById("dg-subtitle").textContent = data.subtitle || "";

  var state = { ready: false, readyAt: null, hiddenKinds: {}, hiddenModalities: {}, hiddenSources: {}, anySourceHidden: false,
                selected: null, edge: null, dimmed: false, asOf: null };
  var byId = {};
  // Small networks get every tooltip at once; a large one builds a tooltip when first hovered.
  var large = !!data.large;
  data.nodes.forEach(function (n) { if (!large) n.title = describe(n.tip, false); byId[n.id] = n; });
  var linkById = {};
  data.links.forEach(function (l) { linkById[l.id] = l; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet([]);
  var modalityStyle = {};
  data.modalities.forEach(function (m) { modalityStyle[m.modality] = m; });
  function name(id) { return byId[id] ? byId[id].full : String(id); }
  function flat(text) { return String(text || "").replace(/\s*\n\s*/g, " "); }

  // --- one drawn edge per pair of nodes ---------------------------------------------------------
  // Links (one per statement-level edge of the projection) are grouped by unordered pair; the
  // drawn edge is labelled with a summary and its tooltip/panel list every link "A → B".
  var NOUNS = { "supports": "stances", "opposes": "stances", "member of": "memberships", "holds post in": "posts",
    "accredited to": "accreditations", "took part in": "participations", "met": "meetings", "visited": "visits",
    "speaker at": "speeches", "grants": "policies", "claims": "claims", "plans": "plans", "projects": "projections",
    "cooperates in": "cooperations", "party to": "relations", "partner": "levels", "announced": "announcements" };
  var GROUP = { "opposes": "supports" };
  var SAID = { "claims": "claim", "plans": "plan", "projects": "projection" };  // stances for and against count together
  var DATED = { "partner": 1, "party to": 1, "member of": 1, "holds post in": 1, "accredited to": 1 };
  var FIRST = ["partner", "party to"];
  function kindRank(kind) {
    var i = FIRST.indexOf(kind);
    if (i >= 0) return i;
    var j = data.kindOrder.indexOf(kind);
    return 10 + (j >= 0 ? j : 999);
  }
  function memberLine(l) {
    var text = name(l.from) + " \u2192 " + name(l.to) + ": " + flat(l.label);
    if (l.date && text.indexOf(l.date) < 0) text += " (" + l.date + ")";
    if (l.modality && l.modality !== "reported fact") text += " [" + l.modality + "]";
    return text;
  }
  function shorten(text, n) { return text.length > n ? text.slice(0, n - 1).replace(/\s+$/, "") + "\u2026" : text; }
  function summarise(members) {
    var groups = {}, order = [];
    members.forEach(function (l) {
      var g = GROUP[l.kind] || l.kind;
      if (!groups[g]) { groups[g] = []; order.push(g); }
      groups[g].push(l);
    });
    order.sort(function (a, b) { return kindRank(a) - kindRank(b); });
    var parts = [];
    order.forEach(function (g) {
      var ls = groups[g];
      if (SAID[g]) {  // claims, plans, projections: counted, the panel has their words
        parts.push(ls.length + " " + (ls.length === 1 ? SAID[g] : NOUNS[g]));
      } else if (ls.length === 1 || g === "partner") {  // levels always keep their own label and date
        ls.forEach(function (l) { parts.push(DATED[l.kind] ? flat(l.label) : shorten(flat(l.label), 44)); });
      } else {
        parts.push(ls.length + " " + (NOUNS[g] || g));
      }
    });
    return parts;
  }
  function wrapParts(parts, width, maxLines) {
    var lines = [], line = "";
    parts.forEach(function (p) {
      if (line && (line + " · " + p).length > width) { lines.push(line + " ·"); line = p; }
      else line = line ? line + " · " + p : p;
    });
    if (line) lines.push(line);
    if (lines.length > maxLines) { var rest = lines.length - maxLines + 1; lines = lines.slice(0, maxLines - 1); lines.push("\u2026 +" + rest + " more lines"); }
    return lines.join("\n");
  }
  function edgeTitle(rec, members) {
    var box = el("div", "dg-tip");
    box.appendChild(el("h3", null, rec.heading));
    box.appendChild(el("div", "dg-meta", members.length + (members.length === 1 ? " connection" : " connections") + " · click for details"));
    box.appendChild(el("div", "dg-sum", rec.text));  // the label's text, also when the label is not drawn
    var list = el("ul", "dg-prov");
    members.slice(0, 8).forEach(function (l) { list.appendChild(el("li", null, memberLine(l))); });
    box.appendChild(list);
    if (members.length > 8) box.appendChild(el("div", "dg-more", "… " + (members.length - 8) + " more: click for all"));
    return box;
  }
  function nodeShown(n) { return n && !state.hiddenKinds[n.kind] && known(n.since); }
  function linkSources(l) {
    if (!l.sourceTitles) {
      var seen = {};
      (l.tip.provenance || []).forEach(function (p) { (p.sources || []).forEach(function (s) { seen[s.title || s.url || ""] = true; }); });
      l.sourceTitles = Object.keys(seen);
    }
    return l.sourceTitles;
  }
  // A line is shown while at least one of its sources is (one with no source always is).
  function sourceShown(l) {
    if (!state.anySourceHidden) return true;
    var titles = linkSources(l);
    return !titles.length || titles.some(function (t) { return !state.hiddenSources[t]; });
  }
  function linkVisible(l) {
    if (state.hiddenModalities[l.modality] || !known(l.since) || !sourceShown(l)) return false;
    return nodeShown(byId[l.from]) && nodeShown(byId[l.to]);
  }
  // Which nodes are drawn: their kind shown, known by the as-of day, and (issues) still linked.
  function nodeHidden(n) {
    if (!nodeShown(n)) return true;
    if (n.kind === "issue" && state.asOf) {
      return !data.links.some(function (l) { return (l.from === n.id || l.to === n.id) && known(l.since) && nodeShown(byId[l.from]) && nodeShown(byId[l.to]); });
    }
    return false;
  }
  function refresh() {
    nodes.update(data.nodes.map(function (n) {
      var rec = { id: n.id, hidden: nodeHidden(n) };
      if (state.asOf !== state.titledAsOf && (!large || titled[n.id])) rec.title = describe(n.tip, false);
      return rec;
    }));
    state.titledAsOf = state.asOf;
    if (state.selected && nodeHidden(byId[state.selected])) clearSelection();
    drawPairs();
    fillSelect();
    if (state.selected) openPanel(nodePanel(state.selected));
  }
  var pairOf = {};  // drawn edge id -> record
  var adjacent = {};  // node id -> the drawn edge records at it
  function drawPairs() {
    var groups = {}, keys = [];
    data.links.forEach(function (l) {
      if (!linkVisible(l)) return;
      var key = l.from < l.to ? l.from + "\u0000" + l.to : l.to + "\u0000" + l.from;
      if (!groups[key]) { groups[key] = []; keys.push(key); }
      groups[key].push(l);
    });
    pairOf = {};
    adjacent = {};
    replaceLabels();  // vis may draw while the records change: never with the old placement
    var records = keys.map(function (key) {
      var members = groups[key].slice().sort(function (x, y) { return kindRank(x.kind) - kindRank(y.kind) || (x.date || "").localeCompare(y.date || ""); });
      var first = members[0];
      var a = first.from, b = first.to, ab = false, ba = false;
      members.forEach(function (l) { if (l.kind !== "met") { if (l.from === a) ab = true; else ba = true; } });
      var modalities = [];
      members.forEach(function (l) { if (modalities.indexOf(l.modality) < 0) modalities.push(l.modality); });
      var solid = modalities.indexOf("reported fact") >= 0 || modalities.indexOf("") >= 0;
      var dashes = false;
      if (!solid) data.modalities.some(function (m) { if (modalities.indexOf(m.modality) >= 0) { dashes = m.dashes; return true; } return false; });
      var badges = data.modalities.filter(function (m) { return m.badge && modalities.indexOf(m.modality) >= 0; }).map(function (m) { return m.badge; });
      var rec = {
        id: "pair:" + key, from: a, to: b, members: members.map(function (l) { return l.id; }),
        kinds: members.map(function (l) { return l.kind; }).filter(function (k, i, all) { return all.indexOf(k) === i; }),
        modalities: modalities, dashes: dashes, badges: badges,
        heading: name(a) + (ab && ba ? " \u2194 " : " \u2192 ") + name(b),
        arrows: { to: { enabled: ab, scaleFactor: 0.5 }, from: { enabled: ba, scaleFactor: 0.5 } },
        color: { color: first.colour, highlight: "#111111", hover: "#111111" },
        width: Math.min(1.4 + 0.5 * (members.length - 1), 5),
      };
      rec.kind = rec.kinds.length === 1 ? rec.kinds[0] : "several";
      rec.summary = summarise(members);
      // The label the page draws itself (placeLabels below), not a vis label. A large network
      // draws no edge labels (thousands of them cost seconds per redraw): hover or click.
      if (!large) rec.caption = (badges.length ? "[" + badges.join(" ") + "] " : "") + wrapParts(rec.summary, 34, 3);
      rec.text = (badges.length ? "[" + badges.join(" ") + "] " : "") + rec.summary.join(" · ");
      rec.memberLinks = members;
      if (!large) rec.title = edgeTitle(rec, members);
      pairOf[rec.id] = rec;
      (adjacent[a] = adjacent[a] || []).push(rec);
      (adjacent[b] = adjacent[b] || []).push(rec);
      return rec;
    });
    edges.clear();
    edges.add(records);
    if (state.selected) dim(state.selected);
    replaceLabels();
  }

  var titled = {};
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  if (large && network.renderer && network.renderer._drawEdges) {
    // vis draws every edge at every redraw, even far off screen; a large network draws only the
    // lines whose bounding box meets the view (a line crossing the view always does).
    var inView = function () {
      var c = container.getBoundingClientRect();
      var tl = network.DOMtoCanvas({ x: 0, y: 0 }), br = network.DOMtoCanvas({ x: c.width, y: c.height });
      return function (e) {
        var a = e.from, b = e.to;
        return !(Math.max(a.x, b.x) < tl.x || Math.min(a.x, b.x) > br.x || Math.max(a.y, b.y) < tl.y || Math.min(a.y, b.y) > br.y);
      };
    };
    var culled = function (method) {
      return function (ctx) {
        var all = this.body.edges, ids = this.body.edgeIndices, shown = inView();
        for (var i = 0; i < ids.length; i++) {
          var e = all[ids[i]];
          if (e.connected === true && shown(e)) e[method](ctx);
        }
      };
    };
    network.renderer._drawEdges = culled("draw");
    network.renderer._drawArrows = culled("drawArrows");
  }
  if (large) {  // tooltips on demand: what is under the pointer gets its tooltip before vis shows it
    var lastCheck = 0;
    container.addEventListener("mousemove", function (ev) {
      var now = performance.now();
      if (now - lastCheck < 60) return;
      lastCheck = now;
      var r = container.getBoundingClientRect(), p = { x: ev.clientX - r.left, y: ev.clientY - r.top };
      var nid = network.getNodeAt(p);
      if (nid !== undefined) {
        if (!titled[nid] && byId[nid]) { titled[nid] = true; nodes.update({ id: nid, title: describe(byId[nid].tip, false) }); }
        return;
      }
      var eid = network.getEdgeAt(p);
      var rec = eid !== undefined && pairOf[eid];
      if (rec && !rec.titled) { rec.titled = true; edges.update({ id: eid, title: edgeTitle(rec, rec.memberLinks) }); }
    });
  }
  // --- edge labels: each where it covers no other label and no node --------------------------------
  // vis can only put an edge label at the line's midpoint, where the labels of a dense network pile
  // up. The page draws them itself, horizontal: highest priority first, each at the first of a few
  // points along its line (on it, then beside it; whole, then cut) where its box meets no label
  // placed before and no node (with its label). One that fits nowhere is not drawn: its summary is
  // in the line's tooltip and in the panel.
  // Placement runs when the layout or what is shown changes; each frame only draws what was placed.
  var LABEL = data.options.edges.font;  // size, face, colour and white halo (viz.py's options)
  var MIN_LABEL_PX = 8;  // on-screen size below which no edge label is drawn: legible or absent
  var ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8];  // where along its line, in order
  // Then how the box sits on that point: centred on it, or beside it with the point just inside
  // an edge of the box (so the line still runs through its label): above, below, left, right.
  var BESIDE = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0]];
  var TOUCH = 3;  // how far inside the box the line passes, for a box beside its point
  var LINE_HEIGHT = Math.round(LABEL.size * 1.2), PAD = Math.ceil(LABEL.strokeWidth / 2) + 1;
  var placed = [], mustPlace = true, drawnBoxes = [], measurer = null;
  function replaceLabels() { mustPlace = true; }
  // A label's forms: its caption, then (when the caption has more) one line, the summary's first
  // part and "…", for a line whose full label fits nowhere. Each measured once.
  function labelForms(rec) {
    if (!rec.labelForms) {
      measurer = measurer || document.createElement("canvas").getContext("2d");
      measurer.font = LABEL.size + "px " + LABEL.face;
      var measure = function (lines) {
        var width = 0;
        lines.forEach(function (t) { width = Math.max(width, measurer.measureText(t).width); });
        return { lines: lines, width: Math.ceil(width) + 2 * PAD, height: lines.length * LINE_HEIGHT + 2 * PAD };
      };
      rec.labelForms = [measure(rec.caption.split("\n"))];
      if (rec.summary.length > 1) rec.labelForms.push(measure([(rec.badges.length ? "[" + rec.badges.join(" ") + "] " : "") + rec.summary[0] + " \u2026"]));
    }
    return rec.labelForms;
  }
  // The box of rec's label at t along its drawn line, on or beside the point (canvas coordinates), or null.
  function labelBox(rec, t, side, form) {
    var e = network.body.edges[rec.id];
    if (!e || !e.connected || !e.edgeType) return null;
    var size = labelForms(rec)[form];
    if (!size) return null;
    var p = e.edgeType.getPoint(t);
    var x = p.x + side[0] * (size.width / 2 - TOUCH), y = p.y + side[1] * (size.height / 2 - TOUCH);
    return { id: rec.id, t: t, side: side, form: form, lines: size.lines, x: x, y: y, left: x - size.width / 2, top: y - size.height / 2,
             right: x + size.width / 2, bottom: y + size.height / 2 };
  }
  // A node's shape and its label: vis's boundingBox stops a few pixels into a label drawn below.
  function nodeBox(n) {
    var b = n.shape.boundingBox, l = n.labelModule && n.labelModule.size, box = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
    if (l && l.width) {
      box.left = Math.min(box.left, l.left); box.top = Math.min(box.top, l.top);
      box.right = Math.max(box.right, l.left + l.width); box.bottom = Math.max(box.bottom, l.top + l.height);
    }
    return box;
  }
  function meets(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function lineDimmed(rec) { return state.dimmed && !!state.selected && rec.from !== state.selected && rec.to !== state.selected; }
  // Who is placed first: pairs with a level, then with more members, then shorter labels.
  function labelOrder(a, b) {
    var level = function (r) { return r.kinds.indexOf("partner") >= 0 ? 0 : 1; };
    return level(a) - level(b) || b.members.length - a.members.length ||
      a.caption.length - b.caption.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  // The first free box of rec's label (whole forms before cut ones), or null.
  function freeBox(rec, taken, forms) {
    for (var f = 0; f < forms; f++) {
      for (var j = 0; j < BESIDE.length; j++) {
        for (var i = 0; i < ALONG.length; i++) {
          var box = labelBox(rec, ALONG[i], BESIDE[j], f);
          if (!box) return null;
          if (!taken.some(function (o) { return meets(box, o); })) return box;
        }
      }
    }
    return null;
  }
  // Greedy: keep the boxes of `kept`, then each of recs in order at its first free box; then a
  // cut label takes its whole form where that fits among all the others.
  function place(recs, kept, nodeBoxes) {
    var out = kept.slice(), done = {};
    kept.forEach(function (b) { done[b.id] = true; });
    recs.forEach(function (rec) {
      if (done[rec.id]) return;
      var box = freeBox(rec, nodeBoxes.concat(out), labelForms(rec).length);
      if (box) out.push(box);
    });
    out.forEach(function (b, k) {
      if (b.form === 0) return;
      var whole = freeBox(pairOf[b.id], nodeBoxes.concat(out.filter(function (o, m) { return m !== k; })), 1);
      if (whole) out[k] = whole;
    });
    return out;
  }
  // With a node selected only its lines are labelled (the rest are dimmed): they keep the places
  // they have without a selection and the others among them are placed next, so selecting a node
  // never takes a label from its lines.
  function placeLabels() {
    mustPlace = false;
    var nodeBoxes = [];
    network.body.nodeIndices.forEach(function (nid) {
      var n = network.body.nodes[nid];
      if (n && !n.options.hidden && n.shape && n.shape.boundingBox) nodeBoxes.push(nodeBox(n));
    });
    var recs = edges.getIds().map(function (id) { return pairOf[id]; }).filter(function (rec) { return rec && rec.caption; });
    recs.sort(labelOrder);
    placed = place(recs, [], nodeBoxes);
    if (state.dimmed && state.selected) {
      var mine = recs.filter(function (rec) { return !lineDimmed(rec); });
      placed = place(mine, placed.filter(function (b) { return !lineDimmed(pairOf[b.id]); }), nodeBoxes);
    }
  }
  function labelsLegible() { return network.getScale() * LABEL.size >= MIN_LABEL_PX; }
  function drawLabels(ctx) {
    drawnBoxes = [];
    if (!labelsLegible()) return;
    ctx.save();
    ctx.font = LABEL.size + "px " + LABEL.face;
    ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
    ctx.lineWidth = LABEL.strokeWidth; ctx.strokeStyle = LABEL.strokeColor; ctx.fillStyle = LABEL.color;
    placed.forEach(function (p) {
      var rec = pairOf[p.id], box = rec && labelBox(rec, p.t, p.side, p.form);  // where its line is now (a node may be dragged)
      if (!box) return;
      box.lines.forEach(function (text, i) {
        var y = box.top + PAD + LINE_HEIGHT * (i + 0.5);
        ctx.strokeText(text, box.x, y);
        ctx.fillText(text, box.x, y);
      });
      drawnBoxes.push(box);
    });
    ctx.restore();
  }
  if (!large) {
    network.on("afterDrawing", function (ctx) {
      if (mustPlace) placeLabels();  // node boxes are those of the frame just drawn
      drawLabels(ctx);
    });
    network.on("dragEnd", function (params) { if (params.nodes.length) { replaceLabels(); network.redraw(); } });
  }
  // The label of the line a click landed on, when not on the line itself (labels sit on their line).
  function labelAt(point) {
    for (var i = drawnBoxes.length - 1; i >= 0; i--) {
      var b = drawnBoxes[i];
      if (point.x >= b.left && point.x <= b.right && point.y >= b.top && point.y <= b.bottom) return b.id;
    }
    return null;
  }

  window.network = network;
  window.diplograph = { network: network, nodes: nodes, edges: edges, links: data.links, state: state, ready: false,
    selectNode: selectNode, selectEdge: selectEdge, clearSelection: clearSelection, setAsOf: setAsOf,
    // The edge labels drawn in the last frame (canvas boxes), and every label placed (drawn when legible).
    labelBoxes: function () { return drawnBoxes.slice(); }, placedLabels: function () { if (mustPlace && !large) placeLabels(); return placed.slice(); },
    labelsLegible: function () { return !large && labelsLegible(); }, minLabelPx: MIN_LABEL_PX };
  drawPairs();

  function markReady() {
    if (state.ready) return;
    state.ready = true;
    if (location.hash.length > 1) restore();
    state.readyAt = performance.now();
    window.diplograph.ready = true; window.diplograph.readyAt = state.readyAt;
    document.body.dataset.ready = "true";
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // freeze: stop the simulation
      network.fit();
      replaceLabels();  // the layout is final
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // --- selection: dim the rest, list the neighbours ----------------------------------------------
  function neighbourIds(id) {
    var out = {};
    (adjacent[id] || []).forEach(function (e) { out[e.from === id ? e.to : e.from] = e; });
    return out;
  }
  // A large network is dimmed by drawing over it, not by updating thousands of records: after each
  // drawing, a veil of white, then the selected node's lines and neighbours drawn again on top.
  var spot = null;
  if (large) {
    network.on("afterDrawing", function (ctx) {
      if (!spot) return;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "rgba(255,255,255,0.82)";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      spot.edges.forEach(function (eid) { var e = network.body.edges[eid]; if (e) e.draw(ctx); });
      spot.nodes.forEach(function (nid) { var n = network.body.nodes[nid]; if (n) n.draw(ctx); });
    });
  }
  function dim(id) {
    var near = neighbourIds(id);
    if (large) {
      spot = { edges: (adjacent[id] || []).map(function (e) { return e.id; }), nodes: Object.keys(near).concat([id]) };
      state.selected = id; state.dimmed = true;
      network.redraw();
      return;
    }
    near[id] = true;
    nodes.update(data.nodes.map(function (n) {
      var on = !!near[n.id];
      return { id: n.id, opacity: on ? 1 : 0.18, font: { color: on ? "#1b1b1b" : "#c8c8c8" } };
    }));
    edges.update(edges.get().map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: pairOf[e.id].color.color, opacity: on ? 1 : 0.12, highlight: "#111111", hover: "#111111" } };
    }));
    state.selected = id; state.dimmed = true;
    replaceLabels();
  }
  function undim() {
    if (!state.dimmed) return;
    if (large) { spot = null; state.selected = null; state.dimmed = false; network.redraw(); return; }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: 1, font: { color: "#1b1b1b" } }; }));
    edges.update(edges.get().map(function (e) { return { id: e.id, color: pairOf[e.id].color }; }));
    state.selected = null; state.dimmed = false;
    replaceLabels();
  }

  var panel = document.getElementById("dg-panel");
  var panelBody = document.getElementById("panel-body");
  function openPanel(content) {
    panelBody.replaceChildren(content);
    panel.hidden = false;
  }
  function nodePanel(id) {
    var box = describe(byId[id].tip, true);
    var near = neighbourIds(id);
    var ids = Object.keys(near).sort(function (a, b) { return name(a).localeCompare(name(b)); });
    var section = el("section", "dg-neighbours");
    section.appendChild(el("h4", null, "Connections (" + ids.length + ")"));
    var list = el("ul", "dg-nlist");
    ids.forEach(function (other) {
      var li = el("li");
      var go = el("button", "dg-neighbour", name(other));
      go.type = "button"; go.dataset.node = other;
      go.addEventListener("click", function () { selectNode(other); });
      li.appendChild(go);
      li.appendChild(el("span", "dg-nkind", " " + (byId[other].tip.kind || byId[other].kind)));
      var edgeButton = el("button", "dg-edge-open", "connection details");
      edgeButton.type = "button"; edgeButton.dataset.edge = near[other].id;
      edgeButton.setAttribute("aria-label", "details of the connection " + near[other].heading);
      edgeButton.addEventListener("click", function () { selectEdge(near[other].id); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(edgeButton);
      var sub = el("ul", "dg-nlinks");
      near[other].members.forEach(function (lid) { sub.appendChild(el("li", null, memberLine(linkById[lid]))); });
      li.appendChild(sub);
      list.appendChild(li);
    });
    section.appendChild(list);
    // Move between neighbours with the arrow keys (Tab works too: they are buttons).
    section.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var buttons = Array.prototype.slice.call(section.querySelectorAll("button.dg-neighbour"));
      var i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      ev.preventDefault();
      buttons[(i + (ev.key === "ArrowDown" ? 1 : buttons.length - 1)) % buttons.length].focus();
    });
    box.insertBefore(section, box.querySelector(".dg-iri"));
    state.panelFor = id;
    return box;
  }
  function edgePanel(rec) {
    var box = el("div", "dg-full");
    box.appendChild(el("h3", "dg-heading", rec.heading));
    [rec.from, rec.to].forEach(function (end) {
      var go = el("button", "dg-neighbour", name(end));
      go.type = "button"; go.dataset.node = end;
      go.addEventListener("click", function () { selectNode(end); });
      box.appendChild(go); box.appendChild(document.createTextNode(" "));
    });
    box.appendChild(el("div", "dg-meta", rec.members.length + (rec.members.length === 1 ? " connection" : " connections") + ": " + rec.summary.join(" · ")));
    rec.members.forEach(function (lid) {
      var l = linkById[lid];
      var d = el("details", "dg-member");
      d.dataset.link = lid;
      if (rec.members.length === 1) d.open = true;
      d.appendChild(el("summary", null, memberLine(l)));
      d.appendChild(describe(l.tip, true));
      box.appendChild(d);
    });
    return box;
  }
  function selectNode(id) {
    if (!byId[id]) return false;
    network.selectNodes([id]);
    // No animation on a large network: each frame would be a full redraw.
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: large ? false : { duration: 300 } });
    dim(id);
    openPanel(nodePanel(id));
    select.value = id;
    state.edge = null;
    share();
    return true;
  }
  function selectEdge(eid) {
    var rec = pairOf[eid];
    if (!rec) return false;
    undim();
    network.selectEdges([eid]);
    openPanel(edgePanel(rec));
    state.edge = eid;
    share();
    var first = panelBody.querySelector("button");
    if (first && panel.contains(document.activeElement)) first.focus();
    return true;
  }
  function clearSelection() {
    panel.hidden = true;
    network.unselectAll();
    undim();
    state.edge = null;
    share();
  }
  document.getElementById("panel-close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") clearSelection(); });
  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0]);
    else if (params.edges.length) selectEdge(params.edges[0]);
    else if (labelAt(params.pointer.canvas)) selectEdge(labelAt(params.pointer.canvas));
    else clearSelection();
  });

  // --- search and select menu (plain DOM; option text set with textContent) ---------------------
  var search = document.getElementById("node-search");
  var select = document.getElementById("node-select");
  var sorted = data.nodes.slice().sort(function (a, b) { return a.full.localeCompare(b.full); });
  function fillSelect() {
    var q = search.value.trim().toLowerCase();
    var keep = select.value;
    select.replaceChildren();
    var first = el("option", null, q ? "Matches for \u201c" + search.value.trim() + "\u201d…" : "Select a node (" + sorted.length + ")…");
    first.value = "";
    select.appendChild(first);
    var hits = sorted.filter(function (n) {
      if (nodeHidden(n)) return false;
      return !q || n.full.toLowerCase().indexOf(q) >= 0 || String(n.id).toLowerCase().indexOf(q) >= 0;
    });
    // Labels that start with the query come first.
    var starts = function (n) { return q && n.full.toLowerCase().indexOf(q) === 0 ? 0 : 1; };
    hits.sort(function (a, b) { return starts(a) - starts(b); });
    hits.forEach(function (n) {
      var o = el("option", null, n.full + " \u2014 " + (n.tip.kind || n.kind));
      o.value = n.id;
      select.appendChild(o);
    });
    select.value = keep;
    if (select.value !== keep) select.value = "";
    return { count: hits.length, prefix: hits.filter(function (n) { return starts(n) === 0; }).length };
  }
  select.addEventListener("change", function () { if (select.value) selectNode(select.value); });
  search.addEventListener("input", function () {
    var found = fillSelect();
    if (found.count === 1 || found.prefix === 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && select.options.length > 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  document.getElementById("node-reset").addEventListener("click", function () {
    search.value = ""; fillSelect(); select.value = ""; clearSelection(); network.fit();
  });
  fillSelect();

  // --- legend: node kinds and line modalities, both filters --------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    var polys = {
      hexagon: "8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5", diamond: "8,1 15,8 8,15 1,8", triangle: "8,2 15,14 1,14",
      star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.7 3.5,15 5,9.5 1,6 6,6", square: "2,2 14,2 14,14 2,14"
    };
    if (polys[shape]) { s = document.createElementNS(SVGNS, "polygon"); s.setAttribute("points", polys[shape]); }
    else { s = document.createElementNS(SVGNS, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6"); }
    s.setAttribute("fill", colour); s.setAttribute("stroke", "#333"); s.setAttribute("stroke-width", "0.6");
    svg.appendChild(s);
    return svg;
  }
  function lineSwatch(dashes) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10"); svg.setAttribute("viewBox", "0 0 30 10");
    var line = document.createElementNS(SVGNS, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "29"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", "#333"); line.setAttribute("stroke-width", "2");
    if (dashes) line.setAttribute("stroke-dasharray", dashes.join(" "));
    svg.appendChild(line);
    return svg;
  }
  var legendBox = document.getElementById("legend-items");
  data.legend.forEach(function (item) {
    var label = el("label", "legend-item");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    box.setAttribute("aria-label", "show " + item.name);
    box.addEventListener("change", function () {
      state.hiddenKinds[item.kind] = !box.checked;
      refresh();
      share();
    });
    label.appendChild(box);
    label.appendChild(swatch(item.shape, item.colour));
    label.appendChild(el("span", null, item.name));
    label.appendChild(el("span", "legend-count", "(" + item.count + ")"));
    legendBox.appendChild(label);
  });
  var modalityBox = document.getElementById("legend-modalities");
  data.modalities.forEach(function (item) {
    var label = el("label", "legend-item");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.modality = item.modality;
    box.setAttribute("aria-label", "show lines for " + item.name);
    box.addEventListener("change", function () {
      state.hiddenModalities[item.modality] = !box.checked;
      drawPairs();
      share();
    });
    label.appendChild(box);
    label.appendChild(lineSwatch(item.dashes));
    label.appendChild(el("span", "legend-badge", item.badge ? "[" + item.badge + "]" : ""));
    label.appendChild(el("span", null, item.name));
    label.appendChild(el("span", "legend-count", "(" + item.count + ")"));
    modalityBox.appendChild(label);
  });
  // --- as of: a slider over the dataset's dates, with the rule of --until --------------------------
  var days = {};
  function addDay(d) { if (d) days[d] = true; }
  data.nodes.forEach(function (n) {
    addDay(n.since);
    (n.tip.detailSince || []).forEach(addDay);
    (n.tip.provenance || []).forEach(function (p) { (p.parts || []).forEach(function (q) { addDay(q.since); }); });
  });
  data.links.forEach(function (l) { addDay(l.since); });
  var dayList = Object.keys(days).sort();
  var range = document.getElementById("asof-range");
  var shown = document.getElementById("asof-value");
  var baseSubtitle = data.subtitle || "";
  range.min = "0"; range.max = String(dayList.length); range.step = "1"; range.value = String(dayList.length);
  range.disabled = dayList.length === 0;
  function setAsOf(day) {
    state.asOf = day || null;
    shown.textContent = state.asOf ? state.asOf : (data.until ? data.until : "all dates");
    document.getElementById("dg-subtitle").textContent = baseSubtitle + (state.asOf ? " · shown as of " + state.asOf : "");
    var i = state.asOf ? dayList.indexOf(state.asOf) : dayList.length;
    if (i >= 0) range.value = String(i);
    refresh();
    share();
    return state.asOf;
  }
  range.addEventListener("input", function () {
    var i = Number(range.value);
    setAsOf(i >= dayList.length ? null : dayList[i]);
  });
  range.setAttribute("aria-valuetext", "all dates");
  range.addEventListener("change", function () { range.setAttribute("aria-valuetext", shown.textContent); });
  shown.textContent = data.until ? data.until : "all dates";
  window.diplograph.days = dayList;

  // --- legend: sources (when there are few enough to list) -----------------------------------------
  var MAX_SOURCES = 30;
  var sourceCount = {};
  data.links.forEach(function (l) { linkSources(l).forEach(function (t) { sourceCount[t] = (sourceCount[t] || 0) + 1; }); });
  var sourceTitles = Object.keys(sourceCount).sort(function (a, b) { return sourceCount[b] - sourceCount[a] || a.localeCompare(b); });
  var sourceBox = document.getElementById("legend-sources");
  if (sourceTitles.length && sourceTitles.length <= MAX_SOURCES) {
    sourceTitles.forEach(function (title, i) {
      var label = el("label", "legend-item legend-source");
      var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.source = String(i);
      box.setAttribute("aria-label", "show lines from " + (title || "no title"));
      box.addEventListener("change", function () { setSource(title, box.checked); drawPairs(); share(); });
      label.appendChild(box);
      var text = el("span", "legend-source-title", title || "(untitled source)"); text.title = title;
      label.appendChild(text);
      label.appendChild(el("span", "legend-count", "(" + sourceCount[title] + ")"));
      sourceBox.appendChild(label);
    });
  } else {
    document.getElementById("legend-sources-heading").hidden = true;
  }
  function setSource(title, shown) {
    state.hiddenSources[title] = !shown;
    state.anySourceHidden = Object.keys(state.hiddenSources).some(function (t) { return state.hiddenSources[t]; });
  }

  // --- legend folds (folded at first on a phone) -----------------------------------------------------
  var legendToggle = document.getElementById("legend-toggle"), legend = document.getElementById("dg-legend");
  legendToggle.addEventListener("click", function () {
    var open = legendToggle.getAttribute("aria-expanded") !== "true";
    legendToggle.setAttribute("aria-expanded", String(open));
    legend.classList.toggle("collapsed", !open);
  });
  if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) legendToggle.click();
  dgShare.keepTipOffPanel(network, container, panel);

  // --- sharing: selection, filters and as-of day in the URL fragment; the drawing as PNG -------------
  function share() {
    if (!state.ready) return;
    var hidden = function (map) { return Object.keys(map).filter(function (k) { return map[k]; }); };
    dgShare.write({
      node: state.edge ? "" : state.selected || "",
      edge: state.edge ? pairOf[state.edge].from + "|" + pairOf[state.edge].to : "",
      asof: state.asOf || "",
      kinds: hidden(state.hiddenKinds).join("|"),
      lines: hidden(state.hiddenModalities).map(function (m) { return m || "-"; }).join("|"),
      sources: hidden(state.hiddenSources).map(function (t) { return String(sourceTitles.indexOf(t)); }).join("|"),
    });
  }
  function restore() {
    var view = dgShare.read();
    function list(key) { return view[key] ? view[key].split("|") : []; }
    list("kinds").forEach(function (k) { state.hiddenKinds[k] = true; });
    list("lines").forEach(function (m) { state.hiddenModalities[m === "-" ? "" : m] = true; });
    list("sources").forEach(function (i) { if (sourceTitles[Number(i)] !== undefined) setSource(sourceTitles[Number(i)], false); });
    document.querySelectorAll("#legend-items input").forEach(function (b) { b.checked = !state.hiddenKinds[b.dataset.kind]; });
    document.querySelectorAll("#legend-modalities input").forEach(function (b) { b.checked = !state.hiddenModalities[b.dataset.modality]; });
    document.querySelectorAll("#legend-sources input").forEach(function (b) { b.checked = !state.hiddenSources[sourceTitles[Number(b.dataset.source)]]; });
    if (view.asof && /^\d{4}-\d{2}-\d{2}$/.test(view.asof)) setAsOf(view.asof); else refresh();
    if (view.edge) {
      var ends = view.edge.split("|"), key = ends[0] < ends[1] ? ends[0] + "\u0000" + ends[1] : ends[1] + "\u0000" + ends[0];
      selectEdge("pair:" + key);
    } else if (view.node) {
      selectNode(view.node);
    }
  }
  dgShare.png(container, document.getElementById("save-png"));

  if (data.focus && byId[data.focus]) network.once("afterDrawing", function () { network.selectNodes([data.focus]); });
})();
