// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Ignore a second submit of the same form (double tap). Buttons are not disabled, because a
  // disabled submitter would drop its name/value from the request.
  // Actions that send a letter or end cover ask first: <form data-confirm="Send it?">.
  // (Ending an employment has its own confirmation page, which works without this file.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
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
})();
