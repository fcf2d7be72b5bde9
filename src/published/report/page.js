// aiconf report: filters by Kubernetes version and category, sortable
// columns. The page reads the same without it: every cell's evidence is in
// a details element, and the filter form stays hidden. (No less-than sign
// and no ampersand in this file: the page is well-formed XML too.)
(function () {
  "use strict";
  var AND = String.fromCharCode(38);
  var form = document.getElementById("filters");
  var version = document.getElementById("f-version");
  var category = document.getElementById("f-category");
  function each(selector, f) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), f);
  }
  function apply() {
    var v = version.value, c = category.value;
    each("section.matrix", function (s) {
      s.hidden = v !== "" ? s.getAttribute("data-version") !== v : false;
    });
    each("tr[data-category]", function (r) {
      r.hidden = c !== "" ? r.getAttribute("data-category") !== c : false;
    });
    var state = [];
    if (v) state.push("version=" + encodeURIComponent(v));
    if (c) state.push("category=" + encodeURIComponent(c));
    try {
      history.replaceState(null, "", state.length ? "#" + state.join(AND) : location.pathname);
    } catch (e) {
      // file: pages may refuse; the filters still apply.
    }
  }
  location.hash.replace(/^#/, "").split(AND).forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i === -1) return;
    var key = kv.slice(0, i), value = decodeURIComponent(kv.slice(i + 1));
    if (key === "version") version.value = value;
    if (key === "category") category.value = value;
  });
  version.addEventListener("change", apply);
  category.addEventListener("change", apply);
  form.hidden = false;
  apply();

  // Sorting: a click on a column's header orders the rows by it (M before X
  // before a negated or hedged mark before -; numbers as numbers), again to reverse.
  var rank = { "M": 4, "X": 3, "-": 0 };
  function key(td) {
    var t = (td.getAttribute("data-sort") || td.textContent).trim();
    if (t in rank) return [0, -rank[t]];
    if (/^[(]?[MX][)?]?$|^[MX][?]$/.test(t)) return [0, -2];
    var n = parseFloat(t);
    if (!isNaN(n) ? /^[0-9.]+ ?%?$/.test(t) : false) return [1, -n];
    return [2, t.toLowerCase()];
  }
  each("table.sortable", function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.title = "sort by this column";
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var down = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var r = x[0] - y[0] || (y[1] > x[1] ? -1 : x[1] > y[1] ? 1 : 0);
          return down ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
  document.body.setAttribute("data-ready", "1");
})();
