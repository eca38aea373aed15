/* romanize-entities report: sortable and filterable tables. The pages are plain
   tables without this script; it only adds sorting (click a column heading) and
   a filter box per table. No network, no library: it ships inside the package. */
(function () {
  "use strict";
  function cellKey(cell, numeric) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) raw = cell.textContent;
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
    return raw.trim().toLowerCase();
  }
  function sortBy(table, index, th) {
    var numeric = th.getAttribute("data-type") === "num";
    var current = th.getAttribute("aria-sort");
    // numbers start with the largest first, text with A first
    var ascending = current ? current !== "ascending" : !numeric;
    var heads = table.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var keyed = [];
    for (var r = 0; r < body.rows.length; r++) {
      keyed.push([cellKey(body.rows[r].cells[index], numeric), r, body.rows[r]]);
    }
    keyed.sort(function (a, b) {
      if (a[0] < b[0]) return ascending ? -1 : 1;
      if (a[0] > b[0]) return ascending ? 1 : -1;
      return a[1] - b[1];
    });
    var frag = document.createDocumentFragment();
    for (var k = 0; k < keyed.length; k++) frag.appendChild(keyed[k][2]);
    body.appendChild(frag);
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.classList.add("sort");
      th.addEventListener("click", function () { sortBy(table, i, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, i, th); }
      });
    });
  });
  var inputs = document.querySelectorAll("input[data-filter]");
  Array.prototype.forEach.call(inputs, function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var counter = document.getElementById(input.getAttribute("data-filter") + "-shown");
    if (!table) return;
    var box = input.closest(".filter");
    if (box) box.hidden = false;
    var rows = null, timer = null;
    function apply() {
      if (rows === null) {
        rows = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
          return [row.textContent.toLowerCase(), row];
        });
      }
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (pair) {
        var ok = words.every(function (w) { return pair[0].indexOf(w) !== -1; });
        pair[1].hidden = !ok;
        if (ok) shown++;
      });
      if (counter) counter.textContent = words.length ? shown + " of " + rows.length + " shown" : "";
    }
    input.addEventListener("input", function () {
      var folded = table.closest("details");
      if (folded) folded.open = true;
      clearTimeout(timer);
      timer = setTimeout(apply, 100);
    });
  });
})();
