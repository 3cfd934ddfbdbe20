// Every column of a whole list sorts (issue 21 item 2): a table marked data-sortable — one that
// shows all its rows, never one page of many (those sort on the server: the case lists) — gets
// a button in each header; a click sorts by that column, a second click reverses it. Numbers
// and 1组10号-style addresses compare naturally; aria-sort tells a screen reader the order.
(function () {
  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true, sensitivity: "base" });

  function cellText(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return (cell.getAttribute("data-sort-value") || cell.textContent).trim();
  }

  function compare(a, b) {
    var x = parseFloat(a.replace(/[,%\s]/g, "")), y = parseFloat(b.replace(/[,%\s]/g, ""));
    var numeric = /^-?[\d.,]+\s*%?$/;
    if (numeric.test(a) && numeric.test(b) && !isNaN(x) && !isNaN(y)) return x - y;
    return collator.compare(a, b);
  }

  function sortBy(table, index, header) {
    var descending = header.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows).filter(function (row) { return !row.classList.contains("empty-row"); });
      rows.sort(function (a, b) {
        var order = compare(cellText(a, index), cellText(b, index));
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  }

  function enable(root) {
    root.querySelectorAll("table[data-sortable]:not([data-sortable-ready])").forEach(function (table) {
      table.setAttribute("data-sortable-ready", "");
      table.querySelectorAll("thead th").forEach(function (header, index) {
        if (header.hasAttribute("data-nosort") || !header.textContent.trim()) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        button.title = "按此列排序";
        while (header.firstChild) button.appendChild(header.firstChild);
        header.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, header); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enable(document); });
  document.addEventListener("htmx:load", function (event) { enable(event.target); });
})();
