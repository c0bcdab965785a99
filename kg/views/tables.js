/* reform-kg views: sorting and filtering of the ledger's table (ledger.html), in the page, offline.
 *
 * The rows are the page's own HTML, written escaped by the template; this script only reorders
 * and hides them, and reads cells through textContent. A click on a header sorts by its column
 * (a second click reverses); the boxes under the headers keep the rows whose cell contains their
 * text. Chinese text sorts in the order of the browser's zh collation (pinyin), numbers as numbers.
 */
(function () {
  "use strict";

  var table = document.getElementById("kg-ledger");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.from(body.rows);
  rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
  var count = document.getElementById("kg-ledger-count");
  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
  var sorted = { column: null, descending: false };

  function cellText(row, column) {
    return row.cells[column].textContent.trim();
  }

  function sortBy(column, number) {
    var descending = sorted.column === column ? !sorted.descending : false;
    var direction = descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x = cellText(a, column), y = cellText(b, column);
      var order;
      if (number) {
        // an empty cell sorts last either way
        if (x === "" || y === "") { order = (x === "") - (y === ""); return order || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
        order = Number(x) - Number(y);
      } else {
        order = collator.compare(x, y);
      }
      return direction * order || Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    sorted = { column: column, descending: descending };
    table.querySelectorAll("button.kg-sort").forEach(function (button) {
      var th = button.parentNode;
      if (Number(button.getAttribute("data-column")) === column) {
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  var filters = Array.from(table.querySelectorAll("input.kg-filter"));
  function applyFilters() {
    var wanted = filters.map(function (box) { return [Number(box.getAttribute("data-column")), box.value.trim()]; })
      .filter(function (f) { return f[1] !== ""; });
    var shown = 0;
    rows.forEach(function (row) {
      var keep = wanted.every(function (f) { return cellText(row, f[0]).indexOf(f[1]) >= 0; });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = count.getAttribute("data-shown") + " " + shown + " / " + rows.length + " " + count.getAttribute("data-rows");
    table.setAttribute("data-shown", String(shown));
  }

  table.querySelectorAll("button.kg-sort").forEach(function (button) {
    button.addEventListener("click", function () {
      sortBy(Number(button.getAttribute("data-column")), button.getAttribute("data-number") === "true");
    });
  });
  filters.forEach(function (box) { box.addEventListener("input", applyFilters); });
  applyFilters();
  document.body.setAttribute("data-ready", "true");
})();
