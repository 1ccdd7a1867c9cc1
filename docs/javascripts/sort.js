// Sortable tables without anything from another host: a table marked data-sortable gets a button in
// each header cell (th[data-sort="number"|"text"]); pressing it sorts the rows by that column,
// largest numbers first, then ascending on a second press. aria-sort tells screen readers the order.
// Without JavaScript the table stays in the plan's order.
(function () {
  function key(row, column, type) {
    var text = row.cells[column].textContent.trim();
    return type === "number" ? parseFloat(text) || 0 : text;
  }
  function sort(table, column, type, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.plansiteOrder = row.plansiteOrder === undefined ? i : row.plansiteOrder; });
    rows.sort(function (a, b) {
      var x = key(a, column, type), y = key(b, column, type);
      var order = type === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return (descending ? -order : order) || a.plansiteOrder - b.plansiteOrder;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function enable(table) {
    if (table.plansiteSortable) return;
    table.plansiteSortable = true;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var type = th.getAttribute("data-sort");
      if (!type) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        // Numbers sort largest first (who is behind most), names in 拼音 order; a second press reverses.
        var first = type === "number" ? "descending" : "ascending";
        var now = th.getAttribute("aria-sort");
        var next = now === first ? (first === "descending" ? "ascending" : "descending") : first;
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", next);
        sort(table, column, type, next === "descending");
      });
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enable);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    addEventListener("DOMContentLoaded", init);
  }
})();
