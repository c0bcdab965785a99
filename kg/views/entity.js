/* reform-kg views: the page of a person, special group, tier or project of a corpus (entity.html).
 *
 * A corpus has no file per entity: this page reads the entity its fragment names
 * ("#project/5fb77a7e9f95e2f9", or "#project/5fb77a7e9f95e2f9/fact-…" for a row of its facts
 * table) from two data files, each loaded by a <script src> that puts its JSON into window.kgData
 * (a page opened from file:// may not fetch() a file beside it): data/entities/<shard>.js names
 * the entity's document, and data/documents/<document>.js holds what its page draws (kg/render.py,
 * document_data). It then fills the page as kg/views/page.html would be filled (the title, the
 * summary card, the facts table), puts the graph in #kg-data as that page carries it, and loads
 * views.js, which draws it.
 *
 * Every string from a document is shown through textContent or as an attribute's value, never as
 * HTML. The site's words, looks and options are in #kg-site (kg/render.py, shell_site).
 */
(function () {
  "use strict";

  var site = JSON.parse(document.getElementById("kg-site").textContent);
  var ui = site.ui;
  var data = window.kgData = window.kgData || {};
  var wanted;
  try {
    wanted = decodeURIComponent(window.location.hash.slice(1)).split("/");
  } catch (error) {  // a malformed %-escape: a link to no entity
    wanted = [];
  }
  var kind = wanted[0] || "", name = wanted[1] || "", row = wanted.slice(2).join("/");
  var key = kind + "/" + name;

  // Another entity's link (a card's, a double click on a node) changes the fragment only.
  window.addEventListener("hashchange", function () { window.location.reload(); });

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function own(object, property) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, property);
  }

  // A data file, once: ``then`` gets what it put into window.kgData (undefined if it is missing).
  function load(file, then) {
    if (own(data, file)) { then(data[file]); return; }
    var script = document.createElement("script");
    script.src = site.data + "/" + file + ".js";
    script.onload = function () { then(own(data, file) ? data[file] : undefined); };
    script.onerror = function () { then(undefined); };
    document.body.appendChild(script);
  }

  // kg/render.py's lookup_shard: the first two characters of the name, lower-cased.
  function shardOf(text) {
    var head = Array.from(text).slice(0, 2).map(function (c) { return /^[0-9A-Za-z]$/.test(c) ? c.toLowerCase() : "_"; });
    while (head.length < 2) { head.push("_"); }
    return head.join("");
  }

  function missing() {
    document.title = ui.entity_missing + " · " + ui.site_title;
    document.getElementById("kg-title").textContent = ui.entity_missing;
    document.getElementById("kg-counts").textContent = key;
    document.body.setAttribute("data-missing", "true");
  }

  if (site.kinds.indexOf(kind) < 0 || !name) { missing(); return; }
  load("entities/" + shardOf(name), function (where) {
    if (!own(where, key)) { missing(); return; }
    load("documents/" + where[key], function (found) {
      if (!found || !own(found.entities, key)) { missing(); return; }
      draw(found, found.entities[key]);
    });
  });

  function draw(doc, entity) {
    var nodes = doc.nodes, focus = entity.i;
    var classes = {};
    site.classes.forEach(function (c) { classes[c.name] = c; });

    function iri(i) { var id = nodes[i][0]; return id.indexOf(":") < 0 ? site.base + id : id; }
    function cls(i) { return site.classes[nodes[i][1]].name; }
    function label(i) { return nodes[i][2]; }
    function title(i) { return nodes[i].length > 5 ? nodes[i][5] : nodes[i][2]; }
    function quote(n) { return doc.quotes[n]; }
    // kg/render.py's page_path, for a corpus.
    function page(i) {
      var pageKind = site.page_kinds[cls(i)];
      if (!pageKind) { return null; }
      var local = iri(i).replace(/\/+$/, "");
      local = local.slice(local.lastIndexOf("/") + 1);
      return site.kinds.indexOf(pageKind) >= 0 ? site.shell + "#" + pageKind + "/" + local : pageKind + "/" + local + ".html";
    }
    // A quote as a tooltip shows it: cut to tooltip_chars characters (code points, as Python counts).
    function tooltipQuotes(quotes) {
      return quotes.slice(0, site.tooltip_quotes).map(function (n) {
        var q = doc.quotes[n], chars = Array.from(q[0]);
        var text = chars.length <= site.tooltip_chars ? q[0] : chars.slice(0, site.tooltip_chars - 1).join("") + "\u2026";
        return { document: doc.documents[q[3]], end: q[2], start: q[1], text: text };
      });
    }

    // The graph, as view_to_pyvis draws it.
    var values = {};
    entity.v.forEach(function (pair) { values[pair[0]] = pair[1]; });
    var inView = {};
    entity.n.forEach(function (i) { inView[i] = true; });
    var drawnNodes = entity.n.map(function (i) {
      var look = classes[cls(i)];
      var node = {
        cls: cls(i), color: look.color, id: iri(i), label: label(i) || iri(i), page: page(i),
        quotes: tooltipQuotes(nodes[i][4]), shape: look.shape, value: own(values, i) ? values[i] : nodes[i][3],
      };
      if (i === focus) {
        node.borderWidth = site.focus_border_width;
        node.font = { size: site.focus_font_size };
      }
      return node;
    });
    var shownEdges = doc.edges.filter(function (e) { return inView[e[0]] && inView[e[1]]; });
    var withLabels = shownEdges.length < site.edge_labels_below;
    var near = {};
    var drawnEdges = shownEdges.map(function (e, number) {
      var inferred = e.length > 4, relation = site.relations[e[2]] || e[2];
      if (e[0] === focus) { near[e[1]] = true; }
      if (e[1] === focus) { near[e[0]] = true; }
      return {
        arrows: "to", color: inferred ? site.inferred_color : site.edge_color, dashes: inferred, from: iri(e[0]), id: "e" + number,
        inferred: inferred, label: withLabels ? relation : null, pred: e[2], quotes: tooltipQuotes(e[3]), relation: relation,
        rule: inferred ? e[4] : "", to: iri(e[1]),
      };
    });
    var present = {};
    drawnNodes.forEach(function (n) { present[n.cls] = (present[n.cls] || 0) + 1; });
    var words = {};
    site.page_words.forEach(function (word) { words[word] = ui[word]; });
    var payload = {
      classes: site.classes.filter(function (c) { return present[c.name]; }).map(function (c) { return Object.assign({}, c, { count: present[c.name] }); }),
      colors: site.colors, distant_labels_zoom: site.distant_labels_zoom, edges: drawnEdges, focus: iri(focus), hubs: [], index: [],
      name: name, near: Object.keys(near).map(Number).sort(function (a, b) { return a - b; }).map(iri),
      nodes: drawnNodes, options: site.options, readable_label_px: site.readable_label_px, root: "", ui: words,
    };

    // The header, as page.html writes it.
    var kindLabel = ui.kinds[kind];
    document.title = title(focus) + " · " + kindLabel + " · " + ui.site_title;
    document.body.setAttribute("data-kind", kind);
    document.getElementById("kg-kind").textContent = kindLabel;
    document.getElementById("kg-title").textContent = title(focus);
    document.getElementById("kg-counts").textContent = ui.drawn + " " + drawnNodes.length + " " + ui.nodes + "\uff0c" + drawnEdges.length + " " + ui.edges;

    // The summary card (summary_card): a value is a node, linked to its page where it has one, or a text.
    var card = document.getElementById("kg-card");
    var list = card.querySelector("dl");
    site.card[kind].forEach(function (term, r) {
      var line = element("div", "kg-card-row");
      line.setAttribute("data-term", term[0]);
      line.appendChild(element("dt", null, term[1]));
      var values = element("dd");
      if (!entity.c[r].length) { values.appendChild(element("span", "kg-none", ui.none)); }
      entity.c[r].forEach(function (value, j) {
        if (j) { values.appendChild(document.createTextNode(ui.list_sep)); }
        if (typeof value !== "number") { values.appendChild(document.createTextNode(value)); return; }
        var target = page(value);
        if (!target) { values.appendChild(document.createTextNode(title(value))); return; }
        var link = element("a", null, title(value));
        link.setAttribute("href", target);
        values.appendChild(link);
      });
      line.appendChild(values);
      list.appendChild(line);
    });
    card.hidden = false;

    // The facts table (focus_facts): each relation with every sentence that states it, the other
    // end's name marked in it, then the sentences that mention the entity itself.
    var rows = entity.f.map(function (signed) {
      var incoming = signed < 0, edge = doc.edges[incoming ? -1 - signed : signed];
      var other = incoming ? edge[0] : edge[1];
      var local = iri(other).replace(/\/+$/, "");
      return {
        relation: site.relations[edge[2]] || edge[2], incoming: incoming || edge[1] === focus,
        anchor: "fact-" + edge[2] + "-" + (incoming || edge[1] === focus ? "in" : "out") + "-" + local.slice(local.lastIndexOf("/") + 1),
        other: label(other), page: page(other), inferred: edge.length > 4 ? edge[4] : "", quotes: edge[3].map(quote),
      };
    });
    if (nodes[focus][4].length) {
      rows.push({ relation: ui.mention, incoming: false, anchor: "fact-mention", other: label(focus), page: null, inferred: "", quotes: nodes[focus][4].map(quote) });
    }
    var body = document.getElementById("kg-facts-rows");
    rows.forEach(function (fact) {
      var quotes = fact.quotes.length ? fact.quotes : [null];
      quotes.forEach(function (q, n) {
        var tr = element("tr", fact.inferred ? "kg-inferred" : null);
        if (!n) {
          tr.id = fact.anchor;
          var relation = element("td", null, (fact.incoming ? "\u2190 " : "") + fact.relation);
          relation.rowSpan = quotes.length;
          if (fact.inferred) {
            relation.appendChild(element("br"));
            relation.appendChild(element("small", null, ui.inferred_by + " " + fact.inferred));
          }
          var end = element("td");
          end.rowSpan = quotes.length;
          if (fact.page) {
            var link = element("a", null, fact.other);
            link.setAttribute("href", fact.page);
            end.appendChild(link);
          } else {
            end.textContent = fact.other;
          }
          tr.appendChild(relation);
          tr.appendChild(end);
        }
        if (q) {
          // _fact_quote: the quote split around the first place it names the other end.
          var cell = element("td", "kg-quote"), at = fact.other ? q[0].indexOf(fact.other) : -1;
          cell.appendChild(document.createTextNode(at < 0 ? q[0] : q[0].slice(0, at)));
          if (at >= 0) {
            cell.appendChild(element("mark", null, fact.other));
            cell.appendChild(document.createTextNode(q[0].slice(at + fact.other.length)));
          }
          tr.appendChild(cell);
          tr.appendChild(element("td", null, doc.documents[q[3]]));
          tr.appendChild(element("td", null, q[1] + "\u2013" + q[2]));
        } else {
          tr.appendChild(element("td", "kg-quote kg-none", ui.no_evidence));
          tr.appendChild(element("td"));
          tr.appendChild(element("td"));
        }
        body.appendChild(tr);
      });
    });
    document.querySelector(".kg-facts").hidden = !rows.length;
    var target = row && document.getElementById(row);
    if (target) { target.scrollIntoView(); }

    // The graph, handed to views.js as a page of its own carries it.
    var holder = document.createElement("script");
    holder.id = "kg-data";
    holder.type = "application/json";
    holder.textContent = JSON.stringify(payload);
    document.body.appendChild(holder);
    document.body.setAttribute("data-entity", key);
    var views = document.createElement("script");
    views.src = "assets/views.js";
    document.body.appendChild(views);
  }
})();
