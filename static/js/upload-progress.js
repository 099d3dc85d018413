// The upload check runs in chunks: ask for the next one until the file is checked, then show
// the report. Without JavaScript the "Continue checking" button does the same, one click each.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  var bar = document.querySelector("#progress .progress-bar");
  var box = document.getElementById("progress");
  var token = document.querySelector("meta[name=csrf-token]").content;
  form.hidden = true;
  function step() {
    fetch(form.action, {method: "POST", headers: {"Accept": "application/json", "X-CSRFToken": token}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (p) {
        bar.style.width = p.percent + "%"; bar.textContent = p.percent + "%";
        box.setAttribute("aria-valuenow", p.percent);
        if (p.state === "checking") { step(); } else { window.location.reload(); }
      })
      .catch(function () { form.hidden = false; });
  }
  step();
})();
