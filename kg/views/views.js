/* reform-kg views: draws the page's graph with vis-network (assets/vis-network.min.js) and wires
 * the legend, the type filters, the search, the physics switch and the PNG export.
 *
 * Every string from a document reaches the page as data (the JSON in #kg-data) and is shown
 * through textContent, as a form value or as canvas text: never as HTML.
 * window.kgView exposes the network for the browser tests.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ui = data.ui;
  var container = document.getElementById("kg-graph");
  var classes = {};
  data.classes.forEach(function (c) { classes[c.name] = c; });

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // The hover box: vis-network shows an Element as it is, so nothing in it is parsed as HTML.
  function tooltip(kind, label, quotes, note) {
    var box = element("div", "kg-tip");
    box.appendChild(element("div", "kg-tip-type", kind));
    box.appendChild(element("div", "kg-tip-label", label));
    if (note) { box.appendChild(element("div", "kg-tip-type", note)); }
    if (!quotes.length) { box.appendChild(element("div", "kg-tip-source", ui.no_evidence)); }
    quotes.forEach(function (q) {
      box.appendChild(element("blockquote", null, q.text));
      box.appendChild(element("div", "kg-tip-source", q.document + " " + q.start + "\u2013" + q.end));
    });
    return box;
  }

  var nodeColor = {};
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    nodeColor[n.id] = n.color;
    var copy = Object.assign({}, n);
    copy.title = tooltip(classes[n.cls].label, n.label, n.quotes);
    return copy;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var copy = Object.assign({}, e);
    copy.title = tooltip(e.relation, nodes.get(e.from).label + " \u2192 " + nodes.get(e.to).label, e.quotes, e.inferred ? ui.inferred_by + " " + e.rule : null);
    return copy;
  }));

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = { network: network, nodes: nodes, edges: edges, stable: false, selected: null };
  window.kgView = view;

  // An entity's page: the subject in the middle, at the largest zoom that still shows every node.
  var CENTRE_MARGIN = 60;  // canvas units around the farthest node, for its shape and label
  function centreOnFocus() {
    if (!data.focus) { return; }
    var positions = network.getPositions();
    var centre = positions[data.focus];
    var reachX = 1, reachY = 1;
    Object.keys(positions).forEach(function (id) {
      reachX = Math.max(reachX, Math.abs(positions[id].x - centre.x));
      reachY = Math.max(reachY, Math.abs(positions[id].y - centre.y));
    });
    var scale = Math.min(container.clientWidth / 2 / (reachX + CENTRE_MARGIN), container.clientHeight / 2 / (reachY + CENTRE_MARGIN), 1.5);
    network.moveTo({ position: centre, scale: scale, animation: false });
  }

  // The labels drawn at the default zoom: on an entity's page the subject's and its neighbours',
  // on an overview in clusters the hubs'. The others show on hover, and once zoomed
  // distant_labels_zoom times closer and drawn readable_label_px high or more (vis-network leaves
  // out a label whose font, as drawn, is under its drawThreshold): a page of long labels is
  // unreadable all drawn, and so is a label of a few pixels.
  function laterThreshold(fontSize, scale) {
    return Math.max(fontSize * scale * data.distant_labels_zoom, data.readable_label_px) + 1;
  }
  function labelFirst() {
    var first = {};
    (data.focus ? [data.focus].concat(data.near) : data.hubs).forEach(function (id) { first[id] = true; });
    if (!Object.keys(first).length) { return; }
    var threshold = laterThreshold(data.options.nodes.font.size, network.getScale());
    nodes.update(data.nodes.filter(function (n) { return !first[n.id]; }).map(function (n) {
      return { id: n.id, scaling: { label: { drawThreshold: threshold } } };
    }));
  }

  // An overview's hub labels are as large as the default zoom needs (their font is set for it);
  // zoomed in closer, they keep their size on the screen instead of growing with the graph.
  var hubFont = {}, hubScale = null;
  data.nodes.forEach(function (n) { if (n.font && data.hubs.indexOf(n.id) >= 0) { hubFont[n.id] = n.font.size; } });
  function sizeHubLabels() {
    var scale = network.getScale();
    if (!view.stable || scale === hubScale) { return; }
    hubScale = scale;
    var closer = Math.max(scale / view.baseScale, 1);
    nodes.update(data.hubs.map(function (id) {
      return { id: id, font: { size: Math.max(data.options.nodes.font.size, hubFont[id] / closer) } };
    }));
  }

  // At the default zoom no two drawn labels overlap: each label, in order of priority, is drawn
  // only if its box on the screen is clear of every label kept before it. The subject's comes
  // first, then its neighbours' (who answers for the work before the rest), or an overview's hubs
  // in the order given (every document, then each cluster's first entity hub, its second, ...),
  // then the others', each group by size (degree), then the relation names on the edges. A label
  // left out shows as the later ones do (laterThreshold): on hover (the tooltip), or zoomed in.
  // The boxes are measured as vis-network draws them: text sized on the canvas with the label's
  // font, a node's label hanging under its shape, an edge's centred on it along the edge.
  var LABEL_GAP = 2;  // screen pixels kept clear around each label
  // Among the subject's neighbours, who answers for the work comes first: a project page shows its
  // leader, post, group and units before its measures and problems.
  var ANSWERS_FOR = { Person: true, Post: true, SpecialGroup: true, Organization: true };
  function screenBox(left, top, right, bottom) {
    var a = network.canvasToDOM({ x: left, y: top });
    var b = network.canvasToDOM({ x: right, y: bottom });
    return { left: a.x - LABEL_GAP, top: a.y - LABEL_GAP, right: b.x + LABEL_GAP, bottom: b.y + LABEL_GAP };
  }
  function nodeLabelBox(id, context) {
    var node = network.body.nodes[id];
    var text = node.labelModule.getTextSize(context, false, false);
    var font = node.labelModule.fontOptions.size;
    var top = node.y + node.options.size + font / 2 + 4;  // vis-network's "hanging" label
    return screenBox(node.x - text.width / 2, top, node.x + text.width / 2, top + text.height);
  }
  function edgeLabelBox(id, context) {
    var edge = network.body.edges[id];
    var text = edge.labelModule.getTextSize(context, false, false);
    var middle = edge.edgeType.getPoint(0.5);
    var angle = Math.atan2(edge.to.y - edge.from.y, edge.to.x - edge.from.x);
    var cos = Math.abs(Math.cos(angle)), sin = Math.abs(Math.sin(angle));
    var halfWidth = (text.width * cos + text.height * sin) / 2, halfHeight = (text.width * sin + text.height * cos) / 2;
    return screenBox(middle.x - halfWidth, middle.y - halfHeight, middle.x + halfWidth, middle.y + halfHeight);
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function labelShown(module, scale) {
    return module.elementOptions.label !== undefined && module.elementOptions.label !== null &&
      module.fontOptions.size * scale >= module.elementOptions.scaling.label.drawThreshold - 1;
  }
  function declutterLabels() {
    var scale = network.getScale();
    var context = container.querySelector("canvas").getContext("2d");
    var rank = {};
    if (data.focus) { rank[data.focus] = 0; }
    var classOf = {};
    data.nodes.forEach(function (n) { classOf[n.id] = n.cls; });
    data.near.forEach(function (id) { rank[id] = ANSWERS_FOR[classOf[id]] ? 1 : 1.5; });
    data.hubs.forEach(function (id, i) { rank[id] = i / data.hubs.length; });
    var order = data.nodes.filter(function (n) { return labelShown(network.body.nodes[n.id].labelModule, scale); });
    order.sort(function (a, b) {
      var ra = a.id in rank ? rank[a.id] : 2, rb = b.id in rank ? rank[b.id] : 2;
      return ra - rb || b.value - a.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var candidates = order.map(function (n) { return { kind: "node", id: n.id, label: n.label, box: nodeLabelBox(n.id, context) }; });
    data.edges.forEach(function (e) {
      var edge = network.body.edges[e.id];
      if (edge && e.from !== e.to && labelShown(edge.labelModule, scale)) {
        candidates.push({ kind: "edge", id: e.id, label: e.label, box: edgeLabelBox(e.id, context) });
      }
    });
    var kept = [], leftOut = [], hiddenNodes = [], hiddenEdges = [];
    candidates.forEach(function (c) {
      if (kept.some(function (k) { return overlaps(k.box, c.box); })) {
        leftOut.push(c);
        var module = (c.kind === "node" ? network.body.nodes : network.body.edges)[c.id].labelModule;
        var hidden = { id: c.id, scaling: { label: { drawThreshold: laterThreshold(module.fontOptions.size, scale) } } };
        (c.kind === "node" ? hiddenNodes : hiddenEdges).push(hidden);
      } else {
        kept.push(c);
      }
    });
    nodes.update(hiddenNodes);
    edges.update(hiddenEdges);
    function boxed(c) {
      return { kind: c.kind, id: c.id, label: c.label, left: c.box.left, top: c.box.top, right: c.box.right, bottom: c.box.bottom };
    }
    view.drawnLabels = kept.map(boxed);
    view.labelsLeftOut = leftOut.map(boxed);
  }
  // The labels drawn at the default zoom, with their boxes in pixels of the graph's canvas
  // (view.labelsLeftOut: those left out for overlapping one of them).
  window.kgDrawnLabels = function () { return (view.drawnLabels || []).slice(); };

  // Settle, then freeze: a drawn layout that keeps moving cannot be read. The switch restarts it.
  var physics = document.getElementById("kg-physics");
  function settled() {
    if (view.stable) { return; }
    centreOnFocus();
    labelFirst();
    view.baseScale = network.getScale();
    declutterLabels();
    network.setOptions({ physics: { enabled: false } });
    // An overview's hubs were held in place while the rest settled: now they can be dragged.
    nodes.update(data.hubs.map(function (id) { return { id: id, fixed: false }; }));
    physics.checked = false;
    view.stable = true;
    view.stableAt = performance.now();  // milliseconds since the page began to load
    document.body.setAttribute("data-stable", "true");
  }
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (data.hubs.length) { network.on("beforeDrawing", sizeHubLabels); }  // a zoom by wheel, search or script
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked } });
  });

  // Click: the node and its neighbours stay in colour, the rest fades.
  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    nodes.update(nodes.getIds().map(function (n) {
      return { id: n, color: keep[n] ? nodeColor[n] : data.colors.dimmed, font: { color: keep[n] ? "#222222" : "#bbbbbb" } };
    }));
    view.selected = id;
  }
  function clearHighlight() {
    if (view.selected === null) { return; }
    nodes.update(nodes.getIds().map(function (n) { return { id: n, color: nodeColor[n], font: { color: "#222222" } }; }));
    view.selected = null;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); } else { clearHighlight(); }
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    var page = nodes.get(params.nodes[0]).page;
    if (page) { window.location.href = page; }
  });

  // Legend: one row per class drawn here, with its colour, its count and a box to hide it.
  var legend = document.getElementById("kg-legend-items");
  data.classes.forEach(function (c) {
    var item = element("li");
    item.setAttribute("data-class", c.name);
    var label = element("label");
    var box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = c.name;
    box.addEventListener("change", function () { setClassVisible(c.name, box.checked); });
    var swatch = element("span", "kg-swatch");
    swatch.style.background = c.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(element("span", "kg-class-label", c.label));
    label.appendChild(element("span", "kg-count", c.count));
    item.appendChild(label);
    legend.appendChild(item);
  });
  function setClassVisible(name, visible) {
    nodes.update(nodes.get({ filter: function (n) { return n.cls === name; } }).map(function (n) {
      return { id: n.id, hidden: !visible };
    }));
  }

  // Search by label: an exact match first, else the best-connected node whose label contains it.
  var labels = document.getElementById("kg-labels");
  Array.from(new Set(data.nodes.map(function (n) { return n.label; }))).sort().forEach(function (text) {
    var option = element("option");
    option.value = text;
    labels.appendChild(option);
  });
  var status = document.getElementById("kg-search-status");
  function search(query) {
    query = query.trim();
    if (!query) { return null; }
    var found = data.nodes.filter(function (n) { return n.label === query; });
    if (!found.length) {
      found = data.nodes.filter(function (n) { return n.label.indexOf(query) >= 0; });
      found.sort(function (a, b) { return b.value - a.value; });
    }
    if (!found.length) {
      // A folded overview draws documents only: the node is on its document's page.
      var entry = (data.index || []).find(function (e) { return e[0] === query; }) ||
        (data.index || []).find(function (e) { return e[0].indexOf(query) >= 0; });
      if (entry) {
        window.location.href = data.root + entry[1] + "#search=" + encodeURIComponent(entry[0]);
        return entry[0];
      }
      status.textContent = ui.search_none + ": " + query;
      return null;
    }
    var id = found[0].id;
    if (nodes.get(id).hidden) {
      setClassVisible(nodes.get(id).cls, true);
      legend.querySelector('input[value="' + nodes.get(id).cls + '"]').checked = true;
    }
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, { scale: 1.2, animation: false });
    status.textContent = ui.search_found + ": " + found[0].label;
    return id;
  }
  view.search = search;
  // A search handed over from a folded overview (#search=…) runs once the layout has settled.
  if (window.location.hash.indexOf("#search=") === 0) {
    var handed = decodeURIComponent(window.location.hash.slice("#search=".length));
    document.getElementById("kg-search-input").value = handed;
    network.once("stabilizationIterationsDone", function () { search(handed); });
  }
  document.getElementById("kg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("kg-search-input").value);
  });

  // PNG export: the canvas over a white ground (vis-network draws on a transparent one).
  document.getElementById("kg-export").addEventListener("click", function () {
    var source = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(source, 0, 0);
    var link = document.createElement("a");
    link.download = data.name + ".png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
})();
