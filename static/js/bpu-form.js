// Live contribution preview: asks the server (the one place the rates live) as the income or
// programmes change. Without this file the "Show my contribution" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("bpu-form");
  var box = document.getElementById("bpu-preview");
  if (!form || !box || !window.fetch) { return; }
  var income = form.querySelector("[name=monthly_income]");
  var jht = form.querySelector("[name=with_jht]");
  var timer = null;
  function update() {
    var url = form.dataset.previewUrl + "?income=" + encodeURIComponent(income.value) +
      "&jht=" + (jht && jht.checked ? "1" : "0");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { box.innerHTML = data.text; } })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
  if (income) { income.addEventListener("input", later); }
  if (jht) { jht.addEventListener("change", update); }
})();
