/* reform-kg views: the search of a corpus's index (index.html), in the page, offline.
 *
 * A corpus's index lists its documents, not its thousands of people, groups, tiers and projects:
 * this finds any of them by name in data/search.js (kg/render.py, search_entries), loaded before
 * it by a <script src>, and lists the matches as links, an exact match first. Every name is shown
 * through textContent.
 */
(function () {
  "use strict";

  var form = document.getElementById("kg-find");
  var found = (window.kgData || {}).search;
  if (!form || !found) { return; }
  var input = document.getElementById("kg-find-input");
  var list = document.getElementById("kg-found");
  var status = document.getElementById("kg-find-status");
  var SHOWN = 100;  // links listed at most; the count says how many more match

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function run(query) {
    query = query.trim();
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    var exact = [], partial = [];
    found.entries.forEach(function (entry) {
      if (entry[0] === query) { exact.push(entry); } else if (entry[0].indexOf(query) >= 0) { partial.push(entry); }
    });
    var matches = exact.concat(partial);
    if (!matches.length) { status.textContent = form.getAttribute("data-none") + ": " + query; return; }
    var words = matches.length > SHOWN ? form.getAttribute("data-more") : form.getAttribute("data-status");
    status.textContent = words.replace("{count}", matches.length).replace("{shown}", SHOWN);
    matches.slice(0, SHOWN).forEach(function (entry) {
      var item = element("li");
      var link = element("a", null, entry[0]);
      link.setAttribute("href", entry[2]);
      item.appendChild(link);
      var note = found.kinds[entry[1]][1] + (entry.length > 3 ? " · " + found.documents[entry[3]] : "");
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("small", null, note));
      list.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value);
  });
  input.addEventListener("input", function () { run(input.value); });
  document.body.setAttribute("data-ready", "true");
})();
