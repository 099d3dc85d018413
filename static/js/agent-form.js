// Names a duplicate NIK as soon as the agent has typed it (the server decides; saving checks
// again). Without this file nothing is lost: the form names it on submit.
(function () {
  "use strict";
  var form = document.getElementById("agent-form");
  var box = document.getElementById("nik-check");
  if (!form || !box || !window.fetch) { return; }
  var nik = form.querySelector("[name=nik]");
  function check() {
    var digits = nik.value.replace(/\D/g, "");
    if (digits.length !== 16) { box.hidden = true; return; }
    fetch(form.dataset.nikCheckUrl + "?nik=" + digits,
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.textContent = data.message;
        box.hidden = !data.duplicate;
      })
      .catch(function () {});
  }
  nik.addEventListener("change", check);
  nik.addEventListener("blur", check);
})();
