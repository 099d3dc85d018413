// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Ignore a second submit of the same form (double tap). Buttons are not disabled, because a
  // disabled submitter would drop its name/value from the request.
  // Actions that send a letter or end cover ask on the server (a confirmation page), not here.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.setAttribute("aria-disabled", "true"); b.classList.add("disabled");
    });
  });
  // Back/forward cache: a restored page must be submittable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.dataset.submitted = "";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.removeAttribute("aria-disabled"); b.classList.remove("disabled");
      });
    });
  });
  // "Select all" checkboxes: <input type=checkbox data-select-all="name">
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[type=checkbox][name='" + box.dataset.selectAll + "']")
        .forEach(function (c) { c.checked = box.checked; });
    });
  });
  // After a refused submit: focus the error summary (screen readers read it, keyboard users
  // start there); its links move the focus to the field itself, not just scroll to it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  }
  // Tables on phones: below 576 px each row is a card of "label: value" lines (portal.css,
  // .table-stack). Every body cell gets its column's header as data-label; the roles keep the
  // table's meaning for screen readers once CSS stops displaying it as a table.
  document.querySelectorAll("main table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || table.hasAttribute("data-no-stack")) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var k = 0; k < (th.colSpan || 1); k++) { labels.push(th.textContent.trim()); }
    });
    table.classList.add("table-stack");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var header = cell.tagName === "TH";
        var inHead = row.parentNode === table.tHead;
        cell.setAttribute("role", inHead ? "columnheader" : (header ? "rowheader" : "cell"));
        var label = labels[column];
        if (!inHead && (cell.colSpan || 1) === 1 && label && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (g) {
      g.setAttribute("role", "rowgroup");
    });
  });
})();
